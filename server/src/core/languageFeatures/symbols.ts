/**
 * Document symbols (frontmatter groups with their fields, and body sections,
 * for the outline and breadcrumbs) and workspace symbols (patterns by title,
 * slug and alias).
 */
import { SymbolKind, type DocumentSymbol, type Range, type SymbolInformation } from 'vscode-languageserver-types';
import { Checkpoint } from '../cancellation';
import { splitFrontmatter } from '../frontmatter';
import type { TrellisLibrary } from '../library';
import { readHeadings } from '../markdownBody';
import { LineMap } from '../text';
import { readLine, type FrontmatterLine } from '../yamlCursor';

export function documentSymbols(text: string): DocumentSymbol[] {
  const split = splitFrontmatter(text);
  const map = new LineMap(text);
  const symbols: DocumentSymbol[] = [];
  if (split.kind === 'frontmatter') {
    const first = map.positionAt(split.yamlStart).line;
    const end = split.close ? map.positionAt(split.close.start).line : map.lineCount;
    const lines: FrontmatterLine[] = [];
    for (let l = first; l < end; l++) lines.push(readLine(map.lineText(l), l));
    const frontmatter: DocumentSymbol = {
      name: 'Frontmatter',
      kind: SymbolKind.Namespace,
      range: map.range(split.openStart, split.close ? split.close.end : text.length),
      selectionRange: map.range(split.openStart, split.openEnd),
      children: keySymbols(lines, 0, lines.length, 0, map, 2),
    };
    symbols.push(frontmatter);
  }
  const bodyStart = split.kind === 'frontmatter' ? split.bodyStart : 0;
  const stack: Array<{ level: number; symbol: DocumentSymbol }> = [];
  for (const heading of readHeadings(text, bodyStart)) {
    let end = heading.sectionEnd;
    while (end > heading.end && /\s/.test(text[end - 1]!)) end--;
    const symbol: DocumentSymbol = { name: heading.text || '(untitled)', kind: SymbolKind.String, range: map.range(heading.start, end), selectionRange: map.range(heading.start, heading.end), children: [] };
    while (stack.length && stack[stack.length - 1]!.level >= heading.level) stack.pop();
    if (stack.length) stack[stack.length - 1]!.symbol.children!.push(symbol);
    else symbols.push(symbol);
    stack.push({ level: heading.level, symbol });
  }
  return symbols;
}

/** Keys at `column` between lines [from, to), each with the keys nested one level below. */
function keySymbols(lines: FrontmatterLine[], from: number, to: number, column: number, map: LineMap, depth: number): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  const starts: number[] = [];
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    if (line.key !== undefined && line.dash === undefined && line.keyColumn === column) starts.push(i);
  }
  starts.forEach((start, k) => {
    const line = lines[start]!;
    let last = (k + 1 < starts.length ? starts[k + 1]! : to) - 1;
    while (last > start && lines[last]!.blank) last--;
    const range: Range = { start: { line: line.line, character: column }, end: { line: lines[last]!.line, character: map.lineText(lines[last]!.line).length } };
    const selectionRange: Range = { start: { line: line.line, character: column }, end: { line: line.line, character: column + line.key!.length } };
    let children: DocumentSymbol[] = [];
    if (depth > 1 && line.value === '') {
      const nested = lines.slice(start + 1, last + 1).find((l) => !l.blank && l.key !== undefined && l.dash === undefined);
      if (nested && nested.keyColumn! > column) children = keySymbols(lines, start + 1, last + 1, nested.keyColumn!, map, depth - 1);
    }
    const isList = lines.slice(start + 1, last + 1).some((l) => l.dash !== undefined) || line.value.startsWith('[');
    out.push({ name: line.key!, detail: line.value && !line.value.startsWith('>') && !line.value.startsWith('|') ? line.value.slice(0, 60) : undefined, kind: line.value === '' ? (isList ? SymbolKind.Array : SymbolKind.Object) : SymbolKind.Property, range, selectionRange, children });
  });
  return out;
}

/** Patterns by fuzzy score on slug, title and aliases; ties by title, then URI, so the order depends on the library alone. */
export async function workspaceSymbols(library: TrellisLibrary, query: string, max = 200, checkpoint = new Checkpoint()): Promise<SymbolInformation[]> {
  const found = await library.index.search.searchPaced({ query, max, ties: 'locale' }, checkpoint);
  return found.docs.map((doc) => ({ name: doc.title ?? doc.fileSlug, kind: SymbolKind.File, containerName: doc.slug ?? doc.fileSlug, location: { uri: doc.uri, range: doc.slugRange ?? doc.frontmatterRange } }));
}
