/**
 * Minimal text edits on frontmatter: remove a list item, add one, add a key to
 * a map. Each edit touches only the lines it must; comments, banner lines,
 * quoting and indentation elsewhere stay byte for byte.
 */
import type { TextEdit } from 'vscode-languageserver-types';
import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { splitFrontmatter } from './frontmatter';
import { LineMap } from './text';
import { findPair, nodeAtPath, parseFrontmatterYaml, type ParsedFrontmatter, type PathSegment } from './yamlFrontmatter';

export interface EditableFrontmatter {
  text: string;
  lines: LineMap;
  parsed: ParsedFrontmatter;
  eol: string;
  closeStart: number;
}

/** The frontmatter ready for edits, or undefined when it is not valid YAML (no edit is safe then). */
export function editable(text: string): EditableFrontmatter | undefined {
  const split = splitFrontmatter(text);
  if (split.kind === 'none' || !split.close) return undefined;
  const parsed = parseFrontmatterYaml(text, split.yamlStart, split.yamlEnd);
  if (parsed.errors.length > 0) return undefined;
  return { text, lines: new LineMap(text), parsed, eol: text.includes('\r\n') ? '\r\n' : '\n', closeStart: split.close.start };
}

function range(node: unknown): [number, number] | undefined {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? [r[0], r[1]] : undefined;
}

/** The line of the last character of a node that is not whitespace. */
function lastContentLine(f: EditableFrontmatter, node: unknown): number {
  const r = range(node)!;
  let end = f.parsed.base + r[1];
  while (end > f.parsed.base + r[0] && /\s/.test(f.text[end - 1]!)) end--;
  return f.lines.positionAt(Math.max(f.parsed.base + r[0], end - 1)).line;
}

function lineRange(fromLine: number, toLineExclusive: number) {
  return { start: { line: fromLine, character: 0 }, end: { line: toLineExclusive, character: 0 } };
}

/**
 * Removes the list item that holds `path` (the path of a reference: it ends
 * with the item index, or with a key inside the item). The last item of a
 * list leaves `[]` behind, so the key keeps a list.
 */
export function removeListItem(f: EditableFrontmatter, path: readonly PathSegment[]): TextEdit[] | undefined {
  const itemAt = lastIndex(path);
  if (itemAt < 0) return undefined;
  const listPath = path.slice(0, itemAt);
  const index = path[itemAt] as number;
  const { node: list, pair, found } = nodeAtPath(f.parsed.doc, listPath);
  if (found !== listPath.length || !isSeq(list)) return undefined;
  const item = list.items[index];
  if (!item || !range(item)) return undefined;
  if (list.flow) {
    // `[a, b, c]`: remove the item and one separator.
    const items = list.items;
    const [start, end] = range(item)!.map((o) => f.parsed.base + o) as [number, number];
    if (items.length === 1) {
      const [ls, le] = range(list)!.map((o) => f.parsed.base + o) as [number, number];
      return [{ range: f.lines.range(ls, le), newText: '[]' }];
    }
    const next = items[index + 1];
    const to = next ? f.parsed.base + range(next)![0] : end;
    const from = next ? start : f.parsed.base + range(items[index - 1])![1];
    return [{ range: f.lines.range(from, to), newText: '' }];
  }
  const firstLine = f.lines.positionAt(f.parsed.base + range(item)![0]).line;
  const lastLine = lastContentLine(f, item);
  if (list.items.length > 1) return [{ range: lineRange(firstLine, lastLine + 1), newText: '' }];
  // The only item: `key:` then `- x` becomes `key: []`.
  if (!pair || !range(pair.key)) return undefined;
  const keyEnd = f.parsed.base + range(pair.key)![1];
  const colon = f.text.indexOf(':', keyEnd);
  const keyLineEnd = f.lines.lineEnd(f.lines.positionAt(colon).line);
  return [
    { range: f.lines.range(colon + 1, keyLineEnd), newText: ' []' },
    { range: lineRange(firstLine, lastLine + 1), newText: '' },
  ];
}

function lastIndex(path: readonly PathSegment[]): number {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'number') return i;
  return -1;
}

/**
 * Appends an item to the list at `listPath`, creating the key in its parent
 * map when it is missing. `itemLines` are the item's lines without the dash
 * or indentation, e.g. `['slug: a', 'weight: 0.8']` or `['pat_123']`.
 */
export function appendListItem(f: EditableFrontmatter, listPath: readonly string[], itemLines: string[]): TextEdit[] | undefined {
  const { node: list, pair, found } = nodeAtPath(f.parsed.doc, listPath);
  const eol = f.eol;
  if (found === listPath.length && isSeq(list) && !list.flow && list.items.length > 0) {
    const first = list.items[0]!;
    const dashColumn = dashColumnOf(f, first);
    const pad = ' '.repeat(dashColumn);
    const at = lastContentLine(f, list.items[list.items.length - 1]) + 1;
    return [{ range: lineRange(at, at), newText: renderItem(pad, itemLines, eol) }];
  }
  if (found === listPath.length && pair) {
    // `key: []`, `key:` (empty) or `key: [a, b]`: rewrite the value as a block list under the key.
    const keyStart = f.parsed.base + range(pair.key)![0];
    const keyColumn = f.lines.positionAt(keyStart).character;
    const pad = ' '.repeat(keyColumn + 2);
    const existing = isSeq(list) ? list.items.map((i) => (isScalar(i) ? [sourceOf(f, i)] : undefined)) : [];
    if (existing.some((e) => e === undefined)) return undefined;
    const colon = f.text.indexOf(':', f.parsed.base + range(pair.key)![1]);
    const valueEnd = list && range(list) ? f.parsed.base + range(list)![1] : f.lines.lineEnd(f.lines.positionAt(colon).line);
    const items = [...(existing as string[][]), itemLines];
    return [{ range: f.lines.range(colon + 1, valueEnd), newText: eol + items.map((lines) => renderItem(pad, lines, eol)).join('').replace(new RegExp(`${eol}$`), '') }];
  }
  if (found === listPath.length - 1) {
    // The key is missing: add it at the end of its parent map.
    const parentPath = listPath.slice(0, -1);
    const { node: parent } = nodeAtPath(f.parsed.doc, parentPath);
    const key = listPath[listPath.length - 1]!;
    if (parentPath.length === 0) {
      const at = f.lines.positionAt(f.closeStart).line;
      return [{ range: lineRange(at, at), newText: `${key}:${eol}${renderItem('  ', itemLines, eol)}` }];
    }
    if (!isMap(parent) || parent.flow || parent.items.length === 0) return undefined;
    const keyColumn = f.lines.positionAt(f.parsed.base + range(parent.items[0]!.key)![0]).character;
    const at = lastContentLine(f, parent) + 1;
    return [{ range: lineRange(at, at), newText: `${' '.repeat(keyColumn)}${key}:${eol}${renderItem(' '.repeat(keyColumn + 2), itemLines, eol)}` }];
  }
  return undefined;
}

/** Adds `key: value` at the end of the map at `mapPath` (the root: before the closing fence). */
export function addMapKey(f: EditableFrontmatter, mapPath: readonly PathSegment[], key: string, value: string): TextEdit[] | undefined {
  const eol = f.eol;
  if (mapPath.length === 0) {
    const at = f.lines.positionAt(f.closeStart).line;
    return [{ range: lineRange(at, at), newText: `${key}: ${value}${eol}` }];
  }
  const { node: map, pair, found } = nodeAtPath(f.parsed.doc, mapPath);
  if (found !== mapPath.length || !isMap(map) || map.flow) return undefined;
  if (findPair(map, key)) return undefined;
  const first = map.items[0];
  let column: number;
  if (first && range(first.key)) column = f.lines.positionAt(f.parsed.base + range(first.key)![0]).character;
  else if (pair && range(pair.key)) column = f.lines.positionAt(f.parsed.base + range(pair.key)![0]).character + 2;
  else return undefined;
  const at = map.items.length ? lastContentLine(f, map) + 1 : f.lines.positionAt(f.parsed.base + range(pair!.key)![0]).line + 1;
  return [{ range: lineRange(at, at), newText: `${' '.repeat(column)}${key}: ${value}${eol}` }];
}

function renderItem(pad: string, lines: string[], eol: string): string {
  return lines.map((line, i) => `${pad}${i === 0 ? '- ' : '  '}${line}${eol}`).join('');
}

function dashColumnOf(f: EditableFrontmatter, item: unknown): number {
  const start = f.parsed.base + range(item)![0];
  const line = f.lines.positionAt(start).line;
  const text = f.lines.lineText(line);
  const dash = text.indexOf('-');
  return dash >= 0 && dash < f.lines.positionAt(start).character ? dash : Math.max(0, f.lines.positionAt(start).character - 2);
}

function sourceOf(f: EditableFrontmatter, node: YamlNode): string {
  const r = range(node)!;
  return f.text.slice(f.parsed.base + r[0], f.parsed.base + r[1]).trim();
}
