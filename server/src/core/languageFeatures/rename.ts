/**
 * Renaming a slug: from the pattern's `slug:` line or from any reference to
 * it, every reference in the library changes and the file is renamed to
 * match, as one WorkspaceEdit. Renaming a pattern file in the explorer
 * changes its slug and every reference to it.
 */
import type { OptionalVersionedTextDocumentIdentifier, Position, Range, RenameFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { TrellisLibrary } from '../library';
import type { PatternDocument } from '../pattern';
import { schemasAtPath } from '../schemaModel';
import { identityAt, referenceAt } from './locate';

/** A request the user cannot have: its message is shown to them as is. */
export class FeatureError extends Error {}

const DEFAULT_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

interface RenameTarget {
  pattern: PatternDocument;
  range: Range;
}

function renameTarget(library: TrellisLibrary, uri: string, position: Position): RenameTarget {
  const doc = library.index.get(uri);
  if (!doc) throw new FeatureError('This file is not a pattern of the library.');
  if (identityAt(doc, position) === 'slug' && doc.slugRange) return { pattern: doc, range: doc.slugRange };
  const reference = referenceAt(doc, position);
  if (reference) {
    const targets = library.index.resolve(reference).filter((t) => t.slug === reference.target);
    if (targets.length === 1) return { pattern: targets[0]!, range: reference.range };
    if (targets.length > 1) throw new FeatureError(`\`${reference.target}\` names ${targets.length} patterns; rename it from the \`slug:\` line of the one you mean.`);
    if (library.index.resolve(reference).length > 0) throw new FeatureError('This reference names its pattern by id; ids do not change. Rename the slug from the pattern\'s `slug:` line.');
    throw new FeatureError(`No pattern has the slug \`${reference.target}\`, so there is nothing to rename. Use a quick fix to change or create it.`);
  }
  throw new FeatureError("Put the cursor on a pattern's `slug:` value or on a reference to a pattern to rename its slug.");
}

export function prepareRename(library: TrellisLibrary, uri: string, position: Position): { range: Range; placeholder: string } {
  const { pattern, range } = renameTarget(library, uri, position);
  return { range, placeholder: pattern.slug! };
}

/** Why a new slug cannot be used, or undefined when it can. */
export function slugProblem(library: TrellisLibrary, pattern: PatternDocument, newSlug: string): string | undefined {
  const schema = library.librarySchemas.schemas.find((s) => s.name === pattern.schemaName);
  const slugPath = schema?.model.identity.get('slug');
  const source = schema && slugPath ? schemasAtPath(schema.schema, slugPath).map((s) => s['pattern']).find((p): p is string => typeof p === 'string') : undefined;
  let pattern_ = DEFAULT_SLUG;
  try {
    if (source) pattern_ = new RegExp(source, 'u');
  } catch {
    // An invalid pattern in a library's schema: the default rule stands in.
  }
  if (!pattern_.test(newSlug)) return `\`${newSlug}\` is not a valid slug: use lowercase letters and digits in words joined by single hyphens.`;
  const taken = library.index.bySlug(newSlug).filter((d) => d.uri !== pattern.uri);
  if (taken.length) return `The slug \`${newSlug}\` is already used by ${taken.map((d) => `${d.fileSlug}.md`).join(', ')}.`;
  return undefined;
}

export function rename(library: TrellisLibrary, uri: string, position: Position, newName: string): WorkspaceEdit {
  const { pattern } = renameTarget(library, uri, position);
  const newSlug = newName.trim();
  if (newSlug === pattern.slug) return { documentChanges: [] };
  const problem = slugProblem(library, pattern, newSlug);
  if (problem) throw new FeatureError(problem);
  const edits = slugEdits(library, pattern, newSlug);
  const changes: Array<TextDocumentEdit | RenameFile> = [...edits];
  if (pattern.fileSlug === pattern.slug) {
    const folder = pattern.uri.slice(0, pattern.uri.lastIndexOf('/') + 1);
    changes.push({ kind: 'rename', oldUri: pattern.uri, newUri: `${folder}${encodeURIComponent(newSlug)}.md`, options: { overwrite: false, ignoreIfExists: false } });
  }
  return { documentChanges: changes };
}

/** The slug value itself and every reference that names the pattern by that slug, grouped by file. */
function slugEdits(library: TrellisLibrary, pattern: PatternDocument, newSlug: string): TextDocumentEdit[] {
  const byFile = new Map<string, TextEdit[]>();
  const add = (fileUri: string, range: Range): void => {
    const list = byFile.get(fileUri) ?? [];
    if (!list.some((e) => e.range.start.line === range.start.line && e.range.start.character === range.start.character)) list.push({ range, newText: newSlug });
    byFile.set(fileUri, list);
  };
  if (pattern.slugRange) add(pattern.uri, pattern.slugRange);
  for (const { source, reference } of library.index.backlinks(pattern)) {
    if (reference.target === pattern.slug && reference.targetKind !== 'id') add(source.uri, reference.range);
  }
  return [...byFile.entries()].map(([fileUri, list]) => ({ textDocument: versioned(library, fileUri), edits: list }));
}

function versioned(library: TrellisLibrary, uri: string): OptionalVersionedTextDocumentIdentifier {
  return { uri, version: library.openText(uri)?.version ?? null };
}

/**
 * Before pattern files are renamed or moved: edits that give each its new
 * file name as slug, and update every reference. Problems (an invalid or taken
 * slug) leave that file's slug as it is and are returned for the user.
 */
export function editsForFileRenames(library: TrellisLibrary, files: ReadonlyArray<{ oldUri: string; newUri: string }>): { edit: WorkspaceEdit; problems: string[] } {
  const changes: TextDocumentEdit[] = [];
  const problems: string[] = [];
  for (const { oldUri, newUri } of files) {
    const pattern = library.index.get(oldUri);
    if (!pattern || !pattern.slug || pattern.slug !== pattern.fileSlug || !/\.md$/i.test(newUri)) continue;
    const newSlug = decodeURIComponent(newUri.slice(newUri.lastIndexOf('/') + 1)).replace(/\.md$/i, '');
    if (newSlug === pattern.slug) continue;
    const problem = slugProblem(library, pattern, newSlug);
    if (problem) {
      problems.push(`${pattern.fileSlug}.md: ${problem} The slug and its references were left as they are.`);
      continue;
    }
    changes.push(...slugEdits(library, pattern, newSlug));
  }
  return { edit: { documentChanges: changes }, problems };
}
