/** Finding what is under the cursor in an indexed pattern. */
import type { Position, Range } from 'vscode-languageserver-types';
import type { PatternDocument, PatternReference } from '../pattern';

export function contains(range: Range, position: Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}

export function referenceAt(doc: PatternDocument, position: Position): PatternReference | undefined {
  return doc.references.find((r) => contains(r.range, position));
}

/** `slug` or `id` when the cursor is on the pattern's own slug or id value. */
export function identityAt(doc: PatternDocument, position: Position): 'slug' | 'id' | undefined {
  if (doc.slugRange && contains(doc.slugRange, position)) return 'slug';
  if (doc.idRange && contains(doc.idRange, position)) return 'id';
  return undefined;
}
