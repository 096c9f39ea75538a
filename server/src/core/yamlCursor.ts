/**
 * Where the cursor is in block-style YAML frontmatter, worked out from the
 * lines and their indentation alone, so that it works while the document is
 * half-typed and not valid YAML (as it is between keystrokes).
 */
import { splitFrontmatter } from './frontmatter';
import type { PathSegment } from './yamlFrontmatter';
import { LineMap } from './text';

export interface FrontmatterLine {
  line: number;
  indent: number;
  /** Column of a `- ` list marker, if the line is a list item. */
  dash?: number;
  /** The key and its column, if the line has `key:`. */
  key?: string;
  keyColumn?: number;
  /** Text after `key:` (or after `- ` for a scalar item), trimmed; '' when empty. */
  value: string;
  valueColumn: number;
  blank: boolean;
}

const KEY = /^([A-Za-z0-9_$][\w$.-]*|"[^"]*"|'[^']*')[ \t]*:(?=[ \t]|$)/;

export function readLine(text: string, line: number): FrontmatterLine {
  const indent = text.length - text.trimStart().length;
  const trimmed = text.trimEnd();
  const result: FrontmatterLine = { line, indent, value: '', valueColumn: trimmed.length, blank: trimmed.trim() === '' || trimmed.trimStart().startsWith('#') };
  if (result.blank) return result;
  let column = indent;
  if (trimmed.startsWith('-', column) && (trimmed.length === column + 1 || trimmed[column + 1] === ' ')) {
    result.dash = column;
    column += 1;
    while (trimmed[column] === ' ') column++;
  }
  const rest = trimmed.slice(column);
  const match = KEY.exec(rest);
  if (match) {
    result.key = match[1]!.replace(/^["']|["']$/g, '');
    result.keyColumn = column;
    let valueColumn = column + match[0].length;
    while (trimmed[valueColumn] === ' ' || trimmed[valueColumn] === '\t') valueColumn++;
    result.valueColumn = valueColumn;
    result.value = stripComment(trimmed.slice(valueColumn));
  } else {
    result.valueColumn = column;
    result.value = stripComment(rest);
  }
  return result;
}

function stripComment(value: string): string {
  if (value.startsWith('"') || value.startsWith("'")) return value.trim();
  const hash = value.search(/\s#/);
  return (hash === -1 ? value : value.slice(0, hash)).trim();
}

export type CursorPlace =
  /** Typing a key: `path` is the map that holds it. */
  | { kind: 'key'; path: PathSegment[]; prefix: string; range: { start: number; end: number }; column: number; inItem: boolean }
  /** Typing the value of `key`: `path` ends with the key. */
  | { kind: 'value'; path: PathSegment[]; prefix: string; range: { start: number; end: number }; quoted: boolean }
  /** Typing a scalar list item: `path` ends with the item index. */
  | { kind: 'item'; path: PathSegment[]; prefix: string; range: { start: number; end: number }; quoted: boolean };

export interface FrontmatterCursor {
  place: CursorPlace;
  lines: FrontmatterLine[];
  /** Line numbers of the frontmatter's YAML: [first, last). */
  first: number;
  end: number;
  map: LineMap;
}

/** The cursor's place in the frontmatter, or undefined outside it. */
export function cursorAt(text: string, offset: number): FrontmatterCursor | undefined {
  const split = splitFrontmatter(text);
  if (split.kind === 'none' || offset < split.yamlStart || (split.close && offset > split.close.start)) return undefined;
  const map = new LineMap(text);
  const first = map.positionAt(split.yamlStart).line;
  const end = split.close ? map.positionAt(split.close.start).line : map.lineCount;
  const position = map.positionAt(offset);
  if (position.line >= end) return undefined;
  const lines: FrontmatterLine[] = [];
  for (let l = first; l < end; l++) lines.push(readLine(map.lineText(l), l));
  const current = lines[position.line - first]!;
  const lineStart = map.lineStart(position.line);
  const column = position.character;
  const lineText = map.lineText(position.line);

  const wordRange = (from: number): { start: number; end: number } => {
    let s = from;
    let e = from;
    const isWord = (c: string | undefined): boolean => c !== undefined && /[^\s:"'\[\],{}#]/.test(c);
    while (s > 0 && isWord(lineText[s - 1])) s--;
    while (isWord(lineText[e])) e++;
    return { start: lineStart + s, end: lineStart + e };
  };

  const index = position.line - first;
  const keyPlace = (keyColumn: number): FrontmatterCursor => {
    const inItem = current.dash !== undefined;
    const path = ancestors(lines, index, inItem ? current.dash! : keyColumn, inItem);
    const range = wordRange(column);
    return { place: { kind: 'key', path, prefix: lineText.slice(range.start - lineStart, column), range, column: keyColumn, inItem }, lines, first, end, map };
  };

  // A blank line, or a word with no colon yet: a key being typed.
  if (current.blank) return keyPlace(column);
  if (current.key !== undefined) {
    if (column <= current.keyColumn! + current.key.length) return keyPlace(current.keyColumn!);
    const inItem = current.dash !== undefined;
    const path = [...ancestors(lines, index, inItem ? current.dash! : current.keyColumn!, inItem), current.key];
    const { range, quoted } = valueRange(lineText, lineStart, current.valueColumn, column);
    return { place: { kind: 'value', path, prefix: text.slice(range.start, lineStart + column), range, quoted }, lines, first, end, map };
  }
  if (current.dash !== undefined) {
    if (column <= current.dash) return undefined;
    // `- word`: a scalar item (perhaps a reference), or the first key of an entry; the caller offers both.
    const path = ancestors(lines, index, current.dash, true);
    const { range, quoted } = valueRange(lineText, lineStart, current.valueColumn, column);
    return { place: { kind: 'item', path, prefix: text.slice(range.start, lineStart + column), range, quoted }, lines, first, end, map };
  }
  return keyPlace(current.indent);
}

function valueRange(lineText: string, lineStart: number, valueColumn: number, column: number): { range: { start: number; end: number }; quoted: boolean } {
  const quote = lineText[valueColumn];
  if (quote === '"' || quote === "'") {
    const close = lineText.indexOf(quote, valueColumn + 1);
    return { range: { start: lineStart + valueColumn + 1, end: lineStart + (close === -1 ? lineText.length : close) }, quoted: true };
  }
  let start = valueColumn;
  while (start < column && /\s/.test(lineText[start] ?? '')) start++;
  let end = lineText.length;
  const hash = lineText.slice(valueColumn).search(/\s#/);
  if (hash !== -1) end = valueColumn + hash;
  while (end > valueColumn && /\s/.test(lineText[end - 1]!)) end--;
  return { range: { start: lineStart + Math.min(start, column), end: lineStart + Math.max(end, column) }, quoted: false };
}

/**
 * The path of the map or list that contains a construct at `column` on line
 * `index`. With `isItem`, the construct is a list item (a `- ` at `column`)
 * and the path ends with the item. List items appear as 0 in the path: the
 * callers match paths against schemas, where every item is alike.
 */
export function ancestors(lines: FrontmatterLine[], index: number, column: number, isItem: boolean): PathSegment[] {
  const path: PathSegment[] = isItem ? [0] : [];
  let threshold = column;
  // True when the innermost construct so far is a list item: a key at the same
  // column with an empty value then holds the list (`key:\n- item`).
  let underDash = isItem;
  for (let i = index - 1; i >= 0 && (threshold > 0 || underDash); i--) {
    const line = lines[i]!;
    if (line.blank) continue;
    const holdsUs = line.key !== undefined && line.value === '' && (line.keyColumn! < threshold || (underDash && line.keyColumn === threshold));
    if (line.dash !== undefined) {
      if (line.dash >= threshold) continue;
      // `- key:` with an empty value, and we are below its key: we are in that key's value.
      if (holdsUs) path.unshift(line.key!);
      path.unshift(0);
      threshold = line.dash;
      underDash = true;
    } else if (holdsUs) {
      path.unshift(line.key!);
      threshold = line.keyColumn!;
      underDash = false;
    }
  }
  return path;
}

/**
 * Keys already present in the map that a key typed at (`index`, `column`)
 * would join, so completion does not offer them again.
 */
export function siblingKeys(lines: FrontmatterLine[], index: number, column: number): Set<string> {
  const keys = new Set<string>();
  const scan = (from: number, step: number): void => {
    for (let i = from; i >= 0 && i < lines.length; i += step) {
      const line = lines[i]!;
      if (line.blank) continue;
      const keyColumn = line.keyColumn;
      if (line.key !== undefined && keyColumn === column) {
        keys.add(line.key);
        // The first key of a list entry starts its map: stop there going up.
        if (step < 0 && line.dash !== undefined && line.dash + 2 === column) return;
        continue;
      }
      if (line.dash !== undefined && line.dash === column - 2 && step > 0) return;
      const left = line.dash !== undefined ? line.dash : line.indent;
      if (left < column) return;
    }
  };
  scan(index - 1, -1);
  scan(index + 1, 1);
  return keys;
}
