/**
 * Navigation across the library: go to definition from any reference (slug or
 * legacy id), document links on references, and find all references to a
 * pattern from its `slug:`/`id:` line or from any reference to it.
 */
import type { DocumentLink, Location, LocationLink, Position } from 'vscode-languageserver-types';
import type { TrellisLibrary } from '../library';
import type { PatternDocument } from '../pattern';
import { identityAt, referenceAt } from './locate';

export function definition(library: TrellisLibrary, uri: string, position: Position): LocationLink[] {
  const doc = library.index.get(uri);
  const reference = doc && referenceAt(doc, position);
  if (!reference) return [];
  return library.index.resolve(reference).map((target) => {
    const selection = (reference.targetKind === 'id' ? target.idRange : target.slugRange) ?? target.slugRange ?? target.frontmatterRange;
    return { originSelectionRange: reference.range, targetUri: target.uri, targetRange: target.frontmatterRange, targetSelectionRange: selection };
  });
}

export function documentLinks(library: TrellisLibrary, uri: string): DocumentLink[] {
  const doc = library.index.get(uri);
  if (!doc) return [];
  const links: DocumentLink[] = [];
  for (const reference of doc.references) {
    const [target] = library.index.resolve(reference);
    if (target) links.push({ range: reference.range, target: target.uri, tooltip: `Open ${target.title ?? target.fileSlug}` });
  }
  return links;
}

/** The patterns the cursor designates: the file's own pattern on its slug/id, or a reference's targets. */
export function patternsAt(library: TrellisLibrary, uri: string, position: Position): PatternDocument[] {
  const doc = library.index.get(uri);
  if (!doc) return [];
  if (identityAt(doc, position)) return [doc];
  const reference = referenceAt(doc, position);
  return reference ? library.index.resolve(reference) : [];
}

export function references(library: TrellisLibrary, uri: string, position: Position, includeDeclaration: boolean): Location[] {
  const out: Location[] = [];
  const seen = new Set<string>();
  const add = (location: Location): void => {
    const key = `${location.uri}#${location.range.start.line}:${location.range.start.character}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(location);
  };
  for (const target of patternsAt(library, uri, position)) {
    if (includeDeclaration && target.slugRange) add({ uri: target.uri, range: target.slugRange });
    for (const { source, reference } of library.index.backlinks(target)) add({ uri: source.uri, range: reference.range });
  }
  return out;
}
