/**
 * Quick fixes for Trellis diagnostics, each carrying its diagnostic and the
 * document version it was computed for, and `source.fixAll` for the fixes
 * that are safe without a choice. Edits are minimal (see yamlEdits.ts).
 */
import { CodeActionKind, type CodeAction, type CreateFile, type Diagnostic, type RenameFile, type TextDocumentEdit, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver-types';
import { Checkpoint } from '../cancellation';
import { suggestTargetsPaced } from '../candidates';
import type { TrellisLibrary } from '../library';
import type { ResolvedSchema } from '../librarySchemas';
import { readHeadings } from '../markdownBody';
import { newPatternText, sectionText, titleFromSlug } from '../newPattern';
import { isObject, schemasAtPath } from '../schemaModel';
import { LineMap } from '../text';
import { newTypeId, randomBytes } from '../typeId';
import { addMapKey, appendListItem, editable, removeListItem, type EditableFrontmatter } from '../yamlEdits';
import type { PathSegment } from '../yamlFrontmatter';
import type { FeatureDocument } from './featureContext';

export interface CodeActionOptions {
  /** The kinds the editor asked for (`quickfix`, `source.fixAll`…); all when absent. */
  only?: string[];
  /** Text of another file: the open text when it is open, else the disk. */
  readText(uri: string): Promise<string | undefined>;
  now?: Date;
  random?: () => Uint8Array;
  /** Checked between diagnostics and while ranking suggestions: throws CancelledError once the request is cancelled. */
  checkpoint?: Checkpoint;
}

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.trellis`;

export async function codeActions(library: TrellisLibrary, document: FeatureDocument, diagnostics: Diagnostic[], options: CodeActionOptions): Promise<CodeAction[]> {
  const wants = (kind: string): boolean => !options.only || options.only.some((k) => kind === k || kind.startsWith(k + '.'));
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    const f = editable(document.text);
    const checkpoint = options.checkpoint ?? new Checkpoint();
    for (const diagnostic of diagnostics) {
      await checkpoint.check();
      if (diagnostic.source !== 'trellis') continue;
      actions.push(...(await fixesFor(library, document, f, diagnostic, options, checkpoint)));
    }
  }
  if (wants(FIX_ALL_KIND)) {
    const fixAll = fixAllAction(library, document);
    if (fixAll) actions.push(fixAll);
  }
  return actions;
}

/** The fixes that need no choice: a wrong mean, a repeated reference, a missing section. */
function fixAllAction(library: TrellisLibrary, document: FeatureDocument): CodeAction | undefined {
  const f = editable(document.text);
  const edits: TextEdit[] = [];
  const fixed: Diagnostic[] = [];
  for (const diagnostic of library.diagnostics(document.uri)) {
    let fix: TextEdit[] | undefined;
    if (diagnostic.code === 'overall-score') fix = scoreFix(diagnostic);
    else if (diagnostic.code === 'duplicate-reference' && f) fix = removeListItem(f, pathOf(diagnostic));
    else if (diagnostic.code === 'missing-section') fix = sectionFix(library, document, diagnostic);
    if (fix) {
      edits.push(...fix);
      fixed.push(diagnostic);
    }
  }
  if (edits.length === 0) return undefined;
  return { title: 'Fix all safe Trellis problems', kind: FIX_ALL_KIND, diagnostics: fixed, edit: { documentChanges: [textEdit(document.uri, document.version, edits)] } };
}

async function fixesFor(library: TrellisLibrary, document: FeatureDocument, f: EditableFrontmatter | undefined, diagnostic: Diagnostic, options: CodeActionOptions, checkpoint: Checkpoint): Promise<CodeAction[]> {
  const data = isObject(diagnostic.data) ? diagnostic.data : {};
  const action = (title: string, edit: WorkspaceEdit, isPreferred = false): CodeAction => ({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit, ...(isPreferred ? { isPreferred } : {}) });
  const inThisFile = (edits: TextEdit[] | undefined): WorkspaceEdit | undefined => (edits ? { documentChanges: [textEdit(document.uri, document.version, edits)] } : undefined);
  const out: CodeAction[] = [];

  switch (diagnostic.code) {
    case 'dangling-reference': {
      const target = String(data['target'] ?? '');
      const kind = String(data['targetKind'] ?? 'slug');
      const suggestions = await suggestTargetsPaced(library.index, target, 3, document.uri, checkpoint);
      suggestions.forEach((s, i) => {
        const value = kind === 'id' ? s.doc.id : s.doc.slug ?? s.doc.fileSlug;
        if (!value) return;
        const preferred = i === 0 && s.cost <= 1 && (suggestions[1]?.cost ?? Infinity) > s.cost;
        out.push(action(`Change to \`${value}\` (${s.doc.title ?? s.doc.fileSlug})`, inThisFile([{ range: diagnostic.range, newText: value }])!, preferred));
      });
      if (kind !== 'id' && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(target)) {
        const created = createPatternEdit(library, document, target, options);
        if (created) out.push(action(`Create pattern \`${target}\``, created));
      }
      const removal = f && removeListItem(f, pathOf(diagnostic));
      if (removal) out.push(action('Remove this reference', inThisFile(removal)!));
      break;
    }
    case 'duplicate-reference':
    case 'self-reference': {
      const removal = f && removeListItem(f, pathOf(diagnostic));
      if (removal) out.push(action('Remove this reference', inThisFile(removal)!, diagnostic.code === 'duplicate-reference'));
      break;
    }
    case 'missing-mirror': {
      const mirror = await mirrorEdit(library, document, data, options);
      if (mirror) out.push(action(mirror.title, mirror.edit));
      break;
    }
    case 'slug-filename-mismatch': {
      const slug = String(data['slug'] ?? '');
      const fileSlug = String(data['fileSlug'] ?? '');
      const folder = document.uri.slice(0, document.uri.lastIndexOf('/') + 1);
      const renameFile: RenameFile = { kind: 'rename', oldUri: document.uri, newUri: `${folder}${encodeURIComponent(slug)}.md`, options: { overwrite: false, ignoreIfExists: false } };
      if (library.index.bySlug(slug).every((d) => d.uri === document.uri)) out.push(action(`Rename the file to ${slug}.md`, { documentChanges: [renameFile] }));
      out.push(action(`Change the slug to \`${fileSlug}\``, inThisFile([{ range: diagnostic.range, newText: fileSlug }])!));
      break;
    }
    case 'overall-score': {
      const fix = scoreFix(diagnostic);
      if (fix) out.push(action(`Set it to ${String(data['expected'])}, the mean`, inThisFile(fix)!, true));
      break;
    }
    case 'missing-section': {
      const fix = sectionFix(library, document, diagnostic);
      if (fix) out.push(action(`Insert the section "${String(data['section'])}"`, inThisFile(fix)!, true));
      break;
    }
    case 'confidence-mismatch': {
      const stars = Number(data['stars']);
      const value = Number(data['value']);
      const fieldRange = data['fieldRange'] as Diagnostic['range'] | undefined;
      if (fieldRange) out.push(action(`Set \`${String(data['field'])}\` to ${stars}`, inThisFile([{ range: fieldRange, newText: String(stars) }])!));
      const width = diagnostic.range.end.character - diagnostic.range.start.character;
      if (value >= 0 && value <= width) out.push(action(`Show ${value} star${value === 1 ? '' : 's'} in the note`, inThisFile([{ range: diagnostic.range, newText: '★'.repeat(value) + '☆'.repeat(width - value) }])!));
      break;
    }
    case 'schema': {
      const missing = data['missingProperty'];
      if (typeof missing === 'string' && f) {
        const value = placeholderValue(library, document, (data['path'] as PathSegment[]) ?? [], missing, options);
        const fix = addMapKey(f, (data['path'] as PathSegment[]) ?? [], missing, value);
        if (fix) out.push(action(`Add \`${missing}\``, inThisFile(fix)!, true));
      }
      break;
    }
  }
  return out;
}

function scoreFix(diagnostic: Diagnostic): TextEdit[] | undefined {
  const expected = isObject(diagnostic.data) ? diagnostic.data['expected'] : undefined;
  return typeof expected === 'string' ? [{ range: diagnostic.range, newText: expected }] : undefined;
}

function pathOf(diagnostic: Diagnostic): PathSegment[] {
  const path = isObject(diagnostic.data) ? diagnostic.data['path'] : undefined;
  return Array.isArray(path) ? (path as PathSegment[]) : [];
}

function schemaOf(library: TrellisLibrary, uri: string): ResolvedSchema | undefined {
  const doc = library.index.get(uri);
  return doc ? library.librarySchemas.schemas.find((s) => s.name === doc.schemaName) : undefined;
}

/** Inserts a missing section where the template puts it, in the file's own heading style. */
function sectionFix(library: TrellisLibrary, document: FeatureDocument, diagnostic: Diagnostic): TextEdit[] | undefined {
  const data = isObject(diagnostic.data) ? diagnostic.data : {};
  const template = schemaOf(library, document.uri)?.body;
  const index = Number(data['index']);
  const section = template?.sections[index];
  if (!section) return undefined;
  const lines = new LineMap(document.text);
  const anchorOffset = lines.offsetAt(diagnostic.range.start);
  const anchor = readHeadings(document.text, 0).find((h) => h.start === anchorOffset);
  const eol = document.text.includes('\r\n') ? '\r\n' : '\n';
  if (!anchor) return undefined;
  const text = sectionText(section, index, anchor.text, anchor.level);
  // Does this file separate its sections with `---` lines?
  const before = document.text.slice(0, anchor.start).trimEnd();
  const separated = /(^|\n)---\s*$/.test(before);
  if (data['before'] === true) {
    const block = separated ? `${text}\n\n---\n\n` : `${text}\n\n`;
    return [{ range: { start: { line: diagnostic.range.start.line, character: 0 }, end: { line: diagnostic.range.start.line, character: 0 } }, newText: block.replace(/\n/g, eol) }];
  }
  let end = anchor.sectionEnd;
  while (end > anchor.end && /\s/.test(document.text[end - 1]!)) end--;
  const position = lines.positionAt(end);
  const block = separated ? `\n\n---\n\n${text}` : `\n\n${text}`;
  return [{ range: { start: position, end: position }, newText: block.replace(/\n/g, eol) }];
}

function createPatternEdit(library: TrellisLibrary, document: FeatureDocument, slug: string, options: CodeActionOptions): WorkspaceEdit | undefined {
  if (library.index.bySlug(slug).length > 0) return undefined;
  const folder = document.uri.slice(0, document.uri.lastIndexOf('/') + 1);
  const uri = `${folder}${slug}.md`;
  const schema = library.librarySchemas.schemaFor(library.relativePath(uri), undefined);
  const now = options.now ?? new Date();
  const text = newPatternText(schema, {
    id: newTypeId('pat', now.getTime(), (options.random ?? randomBytes)()),
    slug,
    title: titleFromSlug(slug),
    date: now.toISOString().slice(0, 10),
    ...(library.index.get(document.uri)?.domain ? { domain: library.index.get(document.uri)!.domain! } : {}),
  });
  const create: CreateFile = { kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } };
  return { documentChanges: [create, { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }] }] };
}

/** Adds this pattern to the target's mirror relation, shaped like the target's other entries. */
async function mirrorEdit(library: TrellisLibrary, document: FeatureDocument, data: Record<string, unknown>, options: CodeActionOptions): Promise<{ title: string; edit: WorkspaceEdit } | undefined> {
  const targetUri = String(data['targetUri'] ?? '');
  const mirror = String(data['mirror'] ?? '');
  const self = library.index.get(document.uri);
  const target = library.index.get(targetUri);
  const schema = schemaOf(library, targetUri);
  if (!self || !target || !schema) return undefined;
  const fields = schema.model.references.filter((r) => r.relation.name === mirror && !r.relation.inferred);
  const item = fields.find((r) => r.path[r.path.length - 1] === '*') ;
  const keyed = fields.find((r) => r.path[r.path.length - 2] === '*' && r.target !== 'id' && r.path[r.path.length - 1] === 'slug') ?? fields.find((r) => r.path[r.path.length - 2] === '*');
  const field = keyed ?? item;
  if (!field) return undefined;
  const listPath = field.path.slice(0, field.path.lastIndexOf('*')) as string[];
  const value = field.target === 'id' ? self.id : self.slug;
  if (!value) return undefined;
  const text = await options.readText(targetUri);
  const f = text === undefined ? undefined : editable(text);
  if (!f) return undefined;
  let lines: string[];
  if (field === keyed) {
    const key = field.path[field.path.length - 1]!;
    lines = [`${key}: ${value}`];
    const weight = data['weight'];
    if (typeof weight === 'number' && entryHasWeight(schema, listPath)) lines.push(`weight: ${weight}`);
  } else lines = [value];
  const edits = appendListItem(f, listPath, lines);
  if (!edits) return undefined;
  return { title: `Add \`${self.slug ?? self.fileSlug}\` under \`${mirror}\` in ${target.fileSlug}.md`, edit: { documentChanges: [textEdit(targetUri, library.openText(targetUri)?.version ?? null, edits)] } };
}

function entryHasWeight(schema: ResolvedSchema, listPath: string[]): boolean {
  return schemasAtPath(schema.schema, [...listPath, 0, 'weight']).length > 0;
}

function placeholderValue(library: TrellisLibrary, document: FeatureDocument, mapPath: PathSegment[], key: string, options: CodeActionOptions): string {
  const schema = schemaOf(library, document.uri);
  const doc = library.index.get(document.uri);
  if (schema) {
    const path = [...mapPath, key];
    const identity = [...schema.model.identity.entries()].find(([, p]) => p.join('.') === path.join('.'))?.[0];
    if (identity === 'slug' && doc) return doc.fileSlug;
    if (identity === 'id') return newTypeId('pat', (options.now ?? new Date()).getTime(), (options.random ?? randomBytes)());
    if (identity === 'title' && doc) return JSON.stringify(titleFromSlug(doc.fileSlug));
    for (const sub of schemasAtPath(schema.schema, path)) {
      if ('default' in sub) return JSON.stringify(sub['default']);
      if (Array.isArray(sub['enum']) && sub['enum'].length) return String(sub['enum'][0]);
      if (sub['type'] === 'array') return '[]';
      if (sub['type'] === 'object') return '{}';
      if (sub['type'] === 'number' || sub['type'] === 'integer') return String(typeof sub['minimum'] === 'number' ? sub['minimum'] : 0);
      if (sub['type'] === 'boolean') return 'false';
    }
  }
  return '""';
}

function textEdit(uri: string, version: number | null | undefined, edits: TextEdit[]): TextDocumentEdit {
  return { textDocument: { uri, version: version ?? null }, edits };
}
