/**
 * A fast reader for the block-YAML that pattern frontmatter is written in:
 * block maps and lists, plain and quoted one-line scalars, one-line flow
 * lists and maps, folded and literal block scalars, comments. It builds the same tree
 * (values and ranges of scalars) that treeFromYaml builds from a `yaml`
 * Document and the same plain value as `Document.toJS()`, in a fraction of
 * the time: no node objects, no token stream.
 *
 * Anything outside that subset, anything doubtful and every error makes it
 * give up (return undefined), and the caller parses with `yaml` instead. So
 * it never has to report an error: correct input it cannot read costs time,
 * never a different answer. A differential test over the whole corpus and
 * over thousands of mutated files holds it to that.
 */
import type { TreeMap, TreeNode, TreeScalar, TreeSeq } from './frontmatterTree';

export interface ScannedYaml {
  /** The root map. */
  tree: TreeMap;
  /** The frontmatter as plain data, equal to `Document.toJS()`. */
  value: Record<string, unknown>;
}

/** Thrown to give up; caught once at the top. */
const GIVE_UP: unique symbol = Symbol('give up');

/**
 * Control characters (other than line breaks), tabs, a BOM or a lone carriage return: left to the full parser.
 * Those below U+0020 by one expression, DEL and the BOM by indexOf: a class of small characters alone is
 * scanned about twice as fast as one that also holds U+FEFF (BENCHMARKS.md, session 17).
 */
const UNUSUAL_BELOW_SPACE = /[\x00-\x09\x0b\x0c\x0e-\x1f]/;
/**
 * Keys read before, by a hash of their text. A library uses a few hundred
 * keys over thousands of files, so a key's string is made and checked once
 * and then reused: no slice per key, and V8 stores a property under a name it
 * already holds without looking the text up in its string table.
 */
const KEY_TABLE_SIZE = 1024;
const MAX_KEY_LENGTH = 1000;
const MAX_REMEMBERED_KEY = 64;
const keyTable: (string | undefined)[] = new Array<string | undefined>(KEY_TABLE_SIZE).fill(undefined);

/** Whether `s` holds `known` at `start` (a loop: shorter than a call to startsWith for a key's few characters). */
function sameText(s: string, start: number, known: string): boolean {
  for (let i = 0; i < known.length; i++) if (s.charCodeAt(start + i) !== known.charCodeAt(i)) return false;
  return true;
}

/**
 * The plain key `s.slice(start, end)`, or gives up. A plain key here is a
 * letter, digit, `_` or `$`, then those, spaces and `./$@()+-`, not ending in
 * a space, and resolving to a string (not `1`, `true` or `null`). Anything
 * else (quoted, complex, odd characters, `__proto__`) goes to the full parser.
 */
function plainKey(s: string, start: number, end: number): string {
  if (end <= start || end - start > MAX_KEY_LENGTH) giveUp();
  let hash = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    hash = (Math.imul(hash, 31) + c) | 0;
    const word = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
    if (word) continue;
    if (i === start) giveUp();
    // space . / @ ( ) + -
    if (!(c === 32 || c === 46 || c === 47 || c === 64 || c === 40 || c === 41 || c === 43 || c === 45)) giveUp();
  }
  const slot = (hash ^ (hash >>> 10)) & (KEY_TABLE_SIZE - 1);
  const known = keyTable[slot];
  // Only a key that passed every check below is remembered.
  if (known !== undefined && known.length === end - start && sameText(s, start, known)) return known;
  if (s.charCodeAt(end - 1) === 32) giveUp();
  const first = s.charCodeAt(start);
  const key = s.slice(start, end);
  // Only a key that could be a number, a boolean or null needs resolving; `__proto__` is refused outright.
  if (key === '__proto__') giveUp();
  if ((first <= 57 || first === 110 || first === 78 || first === 116 || first === 84 || first === 102 || first === 70) && typeof resolvePlain(key) !== 'string') giveUp();
  if (key.length > MAX_REMEMBERED_KEY) return key;
  // A property name is always held once by V8: take that copy.
  const name = Object.keys({ [key]: 0 })[0]!;
  keyTable[slot] = name;
  return name;
}

/** Reads `text.slice(start, end)`; ranges in the tree are offsets into `text`. */
export function scanBlockYaml(text: string, start: number, end: number): ScannedYaml | undefined {
  if (end - start > 4 * 1024 * 1024) return undefined;
  const source = text.slice(start, end);
  if (UNUSUAL_BELOW_SPACE.test(source) || source.indexOf('\x7f') !== -1 || source.indexOf('\ufeff') !== -1) return undefined;
  for (let cr = source.indexOf('\r'); cr !== -1; cr = source.indexOf('\r', cr + 1)) if (source.charCodeAt(cr + 1) !== 10) return undefined;
  try {
    return new BlockScanner(text, start, end).document();
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

function giveUp(): never {
  throw GIVE_UP;
}

/** After a value: only spaces, then the end of the line or a comment. */
function expectEndOfLine(s: string, from: number, e: number): void {
  let i = from;
  while (i < e && s.charCodeAt(i) === 32) i++;
  if (i < e && !(s.charCodeAt(i) === 35 && i > from)) giveUp();
}

/** Characters that cannot start a plain scalar (or that this reader leaves to the full parser). */
const PLAIN_FIRST_FORBIDDEN = new Uint8Array(128);
for (const c of '?:,[]{}#&*!|>\'"%@`') PLAIN_FIRST_FORBIDDEN[c.charCodeAt(0)] = 1;
const cannotStartPlain = (c: number): boolean => c < 128 && PLAIN_FIRST_FORBIDDEN[c] === 1;

/**
 * Line tables shared by every scan (a scan runs to its end before another
 * starts), so that reading a file allocates none. They grow with the
 * frontmatter read up to SHARED_MAX entries; a larger one gets tables of its
 * own, let go after its scan.
 */
let scratch = { starts: new Int32Array(4096), contents: new Int32Array(4096), ends: new Int32Array(4096) };
const SHARED_MAX = 1 << 16;

class BlockScanner {
  /** Per line: where it starts, where its content starts (after the indentation), where it ends (before `\r\n`). */
  private readonly starts: Int32Array;
  private readonly contents: Int32Array;
  private readonly ends: Int32Array;
  private readonly lineCount: number;
  private line = 0;
  /**
   * The plain value of the node the last read returned (methods return the
   * tree node and leave its value here: no pair object per node).
   */
  private v: unknown = null;

  /**
   * Reads `s.slice(start, end)` in place (on the file's own flat string, not
   * a slice of it: V8 reads a slice's characters through its parent).
   */
  constructor(private readonly s: string, start: number, private readonly end: number) {
    // There are at most as many lines as characters (plus one).
    const needed = end - start + 1;
    let tables = scratch;
    if (tables.starts.length < needed) {
      const size = Math.max(needed, Math.min(2 * tables.starts.length, SHARED_MAX));
      tables = { starts: new Int32Array(size), contents: new Int32Array(size), ends: new Int32Array(size) };
      if (size <= SHARED_MAX) scratch = tables;
    }
    const { starts, contents, ends } = tables;
    let line = 0;
    let p = start;
    while (p < end) {
      let nl = s.indexOf('\n', p);
      if (nl === -1 || nl > end) nl = end;
      let e = nl;
      if (e > p && s.charCodeAt(e - 1) === 13) e--;
      let c = p;
      while (c < e && s.charCodeAt(c) === 32) c++;
      starts[line] = p;
      contents[line] = c;
      ends[line] = e;
      line++;
      p = nl + 1;
    }
    this.starts = starts;
    this.contents = contents;
    this.ends = ends;
    this.lineCount = line;
  }

  document(): ScannedYaml {
    const first = this.nextSignificant(0);
    if (first === -1 || this.indent(first) !== 0) giveUp();
    const tree = this.map(first, this.contents[first]!, 0);
    const value = this.v as Record<string, unknown>;
    if (this.nextSignificant(this.line) !== -1) giveUp();
    return { tree, value };
  }

  private indent(line: number): number {
    return this.contents[line]! - this.starts[line]!;
  }

  private isBlank(line: number): boolean {
    return this.contents[line] === this.ends[line];
  }

  /** The first line from `from` on that is neither blank nor a comment, or -1. */
  private nextSignificant(from: number): number {
    for (let line = from; line < this.lineCount; line++) {
      const c = this.contents[line]!;
      if (c !== this.ends[line] && this.s.charCodeAt(c) !== 35 /* # */) return line;
    }
    return -1;
  }

  /** After the end of a line (past its line break). */
  private after(line: number): number {
    return line + 1 < this.lineCount ? this.starts[line + 1]! : this.end;
  }

  private isListItem(line: number, at: number): boolean {
    if (this.s.charCodeAt(at) !== 45 /* - */) return false;
    return at + 1 === this.ends[line] || this.s.charCodeAt(at + 1) === 32;
  }

  /**
   * A block map whose first key starts at `at` on `line` (which may follow a
   * `- ` on that line); later keys sit on their own lines at column `indent`.
   */
  private map(line: number, at: number, indent: number): TreeMap {
    const keys: string[] = [];
    const keyRanges: number[] = [];
    const values: TreeNode[] = [];
    const value: Record<string, unknown> = {};
    let current = line;
    let keyAt = at;
    for (;;) {
      const colon = this.key(current, keyAt);
      const key = plainKey(this.s, keyAt, colon);
      keyRanges.push(keyAt, colon);
      const node = this.entryValue(current, colon + 1, indent);
      keys.push(key);
      values.push(node);
      value[key] = this.v;
      const next = this.nextSignificant(this.line);
      if (next === -1 || this.indent(next) < indent) break;
      if (this.indent(next) > indent) giveUp();
      // A list item at this column belongs to an enclosing list (or is an error): the map ends here.
      if (this.isListItem(next, this.contents[next]!)) break;
      current = next;
      keyAt = this.contents[next]!;
    }
    // Keys are plain words here (never `__proto__`): fewer own properties than keys means a key was repeated.
    if (Object.keys(value).length !== keys.length) giveUp();
    this.v = value;
    return { kind: 'map', keys, keyRanges, values, start: at, end: -1 };
  }

  /** Where the colon after the key at `at` on `line` is (the key is checked by plainKey). */
  private key(line: number, at: number): number {
    const s = this.s;
    const e = this.ends[line]!;
    let colon = s.indexOf(':', at);
    while (colon !== -1 && colon < e && colon + 1 < e && s.charCodeAt(colon + 1) !== 32) colon = s.indexOf(':', colon + 1);
    if (colon === -1 || colon >= e) giveUp();
    return colon;
  }

  /**
   * The value after `key:` (starting at `at` on `line`), for a map at column
   * `indent`. Leaves `this.line` on the line after the value.
   */
  private entryValue(line: number, at: number, indent: number): TreeNode {
    const e = this.ends[line]!;
    let r = at;
    while (r < e && this.s.charCodeAt(r) === 32) r++;
    if (r === e || (this.s.charCodeAt(r) === 35 && r > at)) {
      const next = this.nextSignificant(line + 1);
      if (next !== -1 && this.indent(next) > indent) return this.block(next);
      if (next !== -1 && this.indent(next) === indent && this.isListItem(next, this.contents[next]!)) return this.list(next, indent);
      this.line = line + 1;
      return this.nullScalar(r);
    }
    const ch = this.s.charCodeAt(r);
    if (ch === 124 /* | */ || ch === 62 /* > */) return this.blockScalar(line, r, indent);
    this.line = line + 1;
    return this.inline(r, e, line, indent);
  }

  /** A nested block (map or list) whose first line is `line`. */
  private block(line: number): TreeNode {
    const at = this.contents[line]!;
    if (this.isListItem(line, at)) return this.list(line, this.indent(line));
    return this.map(line, at, this.indent(line));
  }

  private list(line: number, indent: number): TreeSeq {
    const items: TreeNode[] = [];
    const value: unknown[] = [];
    let current = line;
    for (;;) {
      const dash = this.contents[current]!;
      const e = this.ends[current]!;
      let r = dash + 1;
      while (r < e && this.s.charCodeAt(r) === 32) r++;
      let item: TreeNode;
      if (r === e || (this.s.charCodeAt(r) === 35 && r > dash + 1)) {
        const next = this.nextSignificant(current + 1);
        if (next !== -1 && this.indent(next) > indent) item = this.block(next);
        else {
          this.line = current + 1;
          item = this.nullScalar(r);
        }
      } else if (this.isListItem(current, r)) {
        giveUp();
      } else if (this.looksLikeKey(r, e)) {
        item = this.map(current, r, r - this.starts[current]!);
      } else {
        const ch = this.s.charCodeAt(r);
        if (ch === 124 || ch === 62) giveUp();
        this.line = current + 1;
        item = this.inline(r, e, current, indent);
      }
      items.push(item);
      value.push(this.v);
      const next = this.nextSignificant(this.line);
      if (next === -1 || this.indent(next) < indent) break;
      if (this.indent(next) > indent || !this.isListItem(next, this.contents[next]!)) {
        // At the list's column, a key ends an indentless list under a map key; anything else is not ours.
        if (this.indent(next) === indent && !this.isListItem(next, this.contents[next]!)) break;
        giveUp();
      }
      current = next;
    }
    this.v = value;
    return { kind: 'seq', items, start: this.contents[line]!, end: -1 };
  }

  /** Whether the text at `at` is `key: …` (a plain key; quoted keys are not ours). */
  private looksLikeKey(at: number, e: number): boolean {
    const ch = this.s.charCodeAt(at);
    if (ch === 34 || ch === 39 || ch === 91 || ch === 123) return false;
    for (let i = at; i < e; i++) {
      if (this.s.charCodeAt(i) === 58 && (i + 1 === e || this.s.charCodeAt(i + 1) === 32)) return true;
    }
    return false;
  }

  /**
   * A scalar or flow collection starting at `r` on `line` (which ends at `e`),
   * the value of an entry or item of a block collection at column
   * `parentIndent`. Quoted and plain scalars may go on over more indented lines.
   */
  private inline(r: number, e: number, line: number, parentIndent: number): TreeNode {
    const ch = this.s.charCodeAt(r);
    if (ch === 39) {
      const close = closingQuote(this.s, r + 1, e);
      if (close === -1) return this.multiLineSingleQuoted(r, line, parentIndent);
      expectEndOfLine(this.s, close + 1, e);
      return this.scalar(unquoteSingle(this.s, r + 1, close), r + 1, close);
    }
    if (ch === 34) {
      const q = doubleQuoted(this.s, r, e);
      expectEndOfLine(this.s, q.end, e);
      return this.scalar(q.value, r + 1, q.end - 1);
    }
    if (ch === 91 /* [ */ || ch === 123 /* { */) {
      const collection = this.flow(r, e);
      expectEndOfLine(this.s, this.flowEnd, e);
      return collection;
    }
    return this.plain(r, e, line, parentIndent);
  }

  /**
   * A single-quoted scalar that goes on past its first line: line breaks fold
   * to a space, each blank line to a line feed, and every continuation line
   * must be more indented than the collection it belongs to.
   */
  private multiLineSingleQuoted(r: number, line: number, parentIndent: number): TreeScalar {
    const s = this.s;
    let value = unquoteSingle(s, r + 1, trimEndSpaces(s, r + 1, this.ends[line]!));
    let blanks = 0;
    for (let current = line + 1; current < this.lineCount; current++) {
      if (this.isBlank(current)) {
        if (this.ends[current]! - this.starts[current]! > 0 && this.indent(current) <= parentIndent) giveUp();
        blanks++;
        continue;
      }
      if (this.indent(current) <= parentIndent) giveUp();
      const from = this.contents[current]!;
      const e = this.ends[current]!;
      const fold = blanks === 0 ? ' ' : '\n'.repeat(blanks);
      blanks = 0;
      const close = closingQuote(s, from, e);
      if (close === -1) {
        value += fold + unquoteSingle(s, from, trimEndSpaces(s, from, e));
        continue;
      }
      value += fold + unquoteSingle(s, from, close);
      expectEndOfLine(s, close + 1, e);
      this.line = current + 1;
      return this.scalar(value, r + 1, close);
    }
    return giveUp();
  }

  private scalar(value: unknown, start: number, end: number): TreeScalar {
    this.v = value;
    return { kind: 'scalar', value, start, end };
  }

  private nullScalar(at: number): TreeScalar {
    return this.scalar(null, at, at);
  }

  /**
   * `|` or `>` with an optional `-` chomping indicator, for a key of a map at
   * column `indent`. Keep chomping, indentation indicators, leading blank
   * lines and more-indented folded lines go to the full parser.
   */
  private blockScalar(line: number, r: number, indent: number): TreeScalar {
    const literal = this.s.charCodeAt(r) === 124;
    const e = this.ends[line]!;
    let h = r + 1;
    let strip = false;
    if (h < e && this.s.charCodeAt(h) === 45) {
      strip = true;
      h++;
    }
    let afterHeader = h;
    while (afterHeader < e && this.s.charCodeAt(afterHeader) === 32) afterHeader++;
    if (afterHeader < e && !(this.s.charCodeAt(afterHeader) === 35 && afterHeader > h)) giveUp();

    const first = line + 1;
    if (first >= this.lineCount || this.isBlank(first)) giveUp();
    const contentIndent = this.indent(first);
    if (contentIndent <= indent) giveUp();
    const parts: string[] = [];
    let lastContent = -1;
    let blankRun = 0;
    let current = first;
    let folded = '';
    for (; current < this.lineCount; current++) {
      if (this.isBlank(current)) {
        if (this.ends[current]! - this.starts[current]! > contentIndent) giveUp();
        blankRun++;
        continue;
      }
      const lineIndent = this.indent(current);
      if (lineIndent < contentIndent) break;
      if (lineIndent > contentIndent && !literal) giveUp();
      const content = this.s.slice(this.starts[current]! + contentIndent, this.ends[current]!);
      if (literal) {
        for (let b = 0; b < blankRun; b++) parts.push('');
        parts.push(content);
      } else if (lastContent === -1) folded = content;
      else folded += (blankRun === 0 ? ' ' : '\n'.repeat(blankRun)) + content;
      blankRun = 0;
      lastContent = current;
    }
    let value = literal ? parts.join('\n') : folded;
    if (!strip) value += '\n';
    this.line = lastContent + 1;
    return this.scalar(value, r, this.after(lastContent));
  }

  /**
   * The first `#` at or after `hashFrom` (-1: none): scalars are read in
   * order, so the searches for comments cover the text once.
   */
  private hashAt = -1;
  private hashFrom = Number.POSITIVE_INFINITY;

  /** Where a comment starts between `r` and `e` (a `#` after a space), or -1. */
  private commentStart(r: number, e: number): number {
    const s = this.s;
    if (r < this.hashFrom || (this.hashAt !== -1 && this.hashAt < r)) {
      this.hashFrom = r;
      this.hashAt = s.indexOf('#', r);
    }
    while (this.hashAt !== -1 && this.hashAt < e) {
      if (this.hashAt > r && s.charCodeAt(this.hashAt - 1) === 32) return this.hashAt;
      this.hashAt = s.indexOf('#', this.hashAt + 1);
    }
    return -1;
  }

  /** Like hashAt and hashFrom, for the first `: ` at or after colonFrom. */
  private colonAt = -1;
  private colonFrom = Number.POSITIVE_INFINITY;

  /** Whether `: ` occurs between `r` and `e`, or `e` follows a colon (a plain scalar holding either is not ours). */
  private hasMappingColon(r: number, e: number): boolean {
    if (e > r && this.s.charCodeAt(e - 1) === 58) return true;
    if (r < this.colonFrom || (this.colonAt !== -1 && this.colonAt < r)) {
      this.colonFrom = r;
      this.colonAt = this.s.indexOf(': ', r);
    }
    return this.colonAt !== -1 && this.colonAt < e;
  }

  /**
   * A plain scalar from `r` on `line`, the value of an entry or item of a
   * block collection at column `parentIndent`. It goes on over following lines
   * that are more indented (folded as YAML folds them: a space per line
   * break, a line feed per blank line), up to a comment or a line that is not.
   */
  private plain(r: number, e: number, line: number, parentIndent: number): TreeScalar {
    const s = this.s;
    const first = s.charCodeAt(r);
    if (cannotStartPlain(first)) giveUp();
    if (first === 45 && (r + 1 === e || s.charCodeAt(r + 1) === 32)) giveUp();
    // A comment starts at a `#` after a space.
    const hash = this.commentStart(r, e);
    const commented = hash !== -1;
    let end = trimEndSpaces(s, r, commented ? hash : e);
    if (this.hasMappingColon(r, end)) giveUp();
    const raw = s.slice(r, end);
    if (commented) return this.scalar(resolvePlain(raw), r, end);
    // Continuation lines: only plain text this reader is sure of; anything else goes to the full parser.
    let text = raw;
    let last = -1;
    let blanks = 0;
    for (let current = line + 1; current < this.lineCount; current++) {
      if (this.isBlank(current)) {
        blanks++;
        continue;
      }
      const from = this.contents[current]!;
      if (this.indent(current) <= parentIndent || s.charCodeAt(from) === 35) break;
      const to = this.ends[current]!;
      const c = s.charCodeAt(from);
      if (cannotStartPlain(c) || c === 45) giveUp();
      const lineEnd = trimEndSpaces(s, from, to);
      if (this.hasMappingColon(from, lineEnd) || this.commentStart(from, lineEnd) !== -1) giveUp();
      const content = s.slice(from, lineEnd);
      text += (blanks === 0 ? ' ' : '\n'.repeat(blanks)) + content;
      blanks = 0;
      last = current;
      end = lineEnd;
    }
    if (last === -1) return this.scalar(resolvePlain(raw), r, end);
    this.line = last + 1;
    // A scalar over several lines is a string: only one-line scalars can be numbers, booleans or null.
    return this.scalar(text, r, end);
  }

  /** Where the last flow collection or flow item read ended. */
  private flowEnd = 0;

  /**
   * A flow list `[a, "b", 3]` or flow map `{id: x, weight: 0.8}` that closes
   * on its line, of scalars and such collections; leaves where it ends in `flowEnd`.
   */
  private flow(r: number, e: number): TreeSeq | TreeMap {
    const s = this.s;
    const isMap = s.charCodeAt(r) === 123; /* { */
    const close = isMap ? 125 : 93;
    const items: TreeNode[] = [];
    const keys: string[] = [];
    const keyRanges: number[] = [];
    const list: unknown[] = [];
    const map: Record<string, unknown> = {};
    let i = r + 1;
    const skipSpaces = (): void => {
      while (i < e && s.charCodeAt(i) === 32) i++;
      if (i >= e) giveUp();
    };
    skipSpaces();
    if (s.charCodeAt(i) === close) i++;
    else {
      for (;;) {
        skipSpaces();
        let key: string | undefined;
        if (isMap) {
          let colon = i;
          while (colon < e && s.charCodeAt(colon) !== 58) colon++;
          if (colon + 1 >= e || s.charCodeAt(colon + 1) !== 32) giveUp();
          key = plainKey(s, i, colon);
          if (Object.prototype.hasOwnProperty.call(map, key)) giveUp();
          keyRanges.push(i, colon);
          i = colon + 1;
          skipSpaces();
        }
        const item = this.flowItem(i, e, close);
        i = this.flowEnd;
        items.push(item);
        if (key === undefined) list.push(this.v);
        else {
          keys.push(key);
          map[key] = this.v;
        }
        skipSpaces();
        const sep = s.charCodeAt(i);
        if (sep === close) {
          i++;
          break;
        }
        if (sep !== 44 /* , */) giveUp();
        i++;
        skipSpaces();
        if (s.charCodeAt(i) === close) giveUp(); // a trailing comma
      }
    }
    this.flowEnd = i;
    this.v = isMap ? map : list;
    return isMap ? { kind: 'map', keys, keyRanges, values: items, start: r, end: i } : { kind: 'seq', items, start: r, end: i };
  }

  /** One item of a flow collection closed by `close`: a quoted or plain scalar, or a nested collection. */
  private flowItem(i: number, e: number, close: number): TreeNode {
    const s = this.s;
    const ch = s.charCodeAt(i);
    if (ch === 34 || ch === 39) {
      const q = ch === 34 ? doubleQuoted(s, i, e) : singleQuoted(s, i, e);
      this.flowEnd = q.end;
      return this.scalar(q.value, i + 1, q.end - 1);
    }
    if (ch === 91 || ch === 123) return this.flow(i, e);
    if (cannotStartPlain(ch) || ch === 45) giveUp();
    let j = i;
    while (j < e) {
      const c = s.charCodeAt(j);
      if (c === 44 || c === close) break;
      if (c === 91 || c === 93 || c === 123 || c === 125 || c === 58 || c === 35) giveUp();
      j++;
    }
    const end = trimEndSpaces(s, i, j);
    if (end === i) giveUp();
    this.flowEnd = j;
    return this.scalar(resolvePlain(s.slice(i, end)), i, end);
  }
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};
const HEX_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/** A double-quoted scalar that closes on its line; returns the position after the closing quote. */
function doubleQuoted(s: string, r: number, e: number): { value: string; end: number } {
  let out = '';
  let i = r + 1;
  let run = i;
  while (i < e) {
    const c = s.charCodeAt(i);
    if (c === 34) return { value: out + s.slice(run, i), end: i + 1 };
    if (c === 92 /* \ */) {
      out += s.slice(run, i);
      const code = s.charAt(i + 1);
      const simple = ESCAPES[code];
      if (simple !== undefined && i + 1 < e) {
        out += simple;
        i += 2;
      } else {
        const length = HEX_LENGTH[code];
        if (length === undefined || i + 2 + length > e) giveUp();
        const hex = s.slice(i + 2, i + 2 + length);
        if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) giveUp();
        const point = parseInt(hex, 16);
        if (point > 0x10ffff) giveUp();
        out += String.fromCodePoint(point);
        i += 2 + length;
      }
      run = i;
      continue;
    }
    i++;
  }
  return giveUp();
}

/** Where the single-quoted text from `from` closes before `e` (a doubled quote is an escaped one), or -1. */
function closingQuote(s: string, from: number, e: number): number {
  for (let i = s.indexOf("'", from); i !== -1 && i < e; i = s.indexOf("'", i + 2)) {
    if (i + 1 >= e || s.charCodeAt(i + 1) !== 39) return i;
  }
  return -1;
}

/** The text from `from` to `to` inside single quotes, with doubled quotes undone. */
function unquoteSingle(s: string, from: number, to: number): string {
  const text = s.slice(from, to);
  return text.includes("''") ? text.replace(/''/g, "'") : text;
}

function trimEndSpaces(s: string, from: number, to: number): number {
  while (to > from && s.charCodeAt(to - 1) === 32) to--;
  return to;
}

/** A single-quoted scalar that closes on its line; returns the position after the closing quote. */
function singleQuoted(s: string, r: number, e: number): { value: string; end: number } {
  const close = closingQuote(s, r + 1, e);
  if (close === -1) giveUp();
  return { value: unquoteSingle(s, r + 1, close), end: close + 1 };
}

/** A plain scalar's value under YAML 1.2's core schema, as `yaml` resolves it. */
export function resolvePlain(raw: string): unknown {
  const n = raw.length;
  if (n === 0) return null;
  const first = raw.charCodeAt(0);
  // Most values are words: nothing to resolve.
  if (!(first <= 57 || first === 110 || first === 78 || first === 116 || first === 84 || first === 102 || first === 70 || first === 126)) return raw;
  if (first > 57) {
    switch (raw) {
      case '~':
      case 'null':
      case 'Null':
      case 'NULL':
        return null;
      case 'true':
      case 'True':
      case 'TRUE':
        return true;
      case 'false':
      case 'False':
      case 'FALSE':
        return false;
      default:
        return raw;
    }
  }
  // A number: the common shapes without a regular expression, and a quick "no" for what cannot be one.
  // Up to 15 digits are read into an exact integer `m`; a decimal with up to
  // 15 digits is then m / 10^k, which IEEE division rounds exactly as parseFloat
  // rounds the decimal (both operands are exact doubles).
  const negative = first === 45;
  let i = negative || first === 43 ? 1 : 0; // - +
  const digitsFrom = i;
  let m = 0;
  for (; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (!isDigit(c)) break;
    m = m * 10 + (c - 48);
  }
  if (i === n && i > digitsFrom) return i - digitsFrom <= 15 ? (negative ? -m : m) : parseInt(raw, 10);
  if (i < n && raw.charCodeAt(i) === 46) {
    // [-+]?(digits.digits* | .digits): a decimal, the other common shape.
    const before = i - digitsFrom;
    let j = i + 1;
    for (; j < n; j++) {
      const c = raw.charCodeAt(j);
      if (!isDigit(c)) break;
      m = m * 10 + (c - 48);
    }
    if (j === n && (before > 0 || j > i + 1)) {
      if (j - digitsFrom - 1 > 15) return parseFloat(raw);
      const value = m / POWERS_OF_TEN[j - i - 1]!;
      return negative ? -value : value;
    }
  }
  if (!couldBeNumber(raw)) return raw;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(raw)) return null;
  if (/^(?:[Tt]rue|TRUE)$/.test(raw)) return true;
  if (/^(?:[Ff]alse|FALSE)$/.test(raw)) return false;
  if (/^0o[0-7]+$/.test(raw)) return parseInt(raw.slice(2), 8);
  if (/^[-+]?[0-9]+$/.test(raw)) return parseInt(raw, 10);
  if (/^0x[0-9a-fA-F]+$/.test(raw)) return parseInt(raw.slice(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(raw)) return raw.slice(-3).toLowerCase() === 'nan' ? NaN : raw[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(raw)) return parseFloat(raw);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(raw)) return parseFloat(raw);
  return raw;
}

/** 10^0 … 10^15, each an exact double. */
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * False when no number form of the core schema can match: a character none of
 * them has, two dots, or a sign other than first or after an exponent's `e`
 * (dates such as `2026-02-01` and versions such as `1.0.0` end here).
 */
function couldBeNumber(raw: string): boolean {
  let dots = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (isDigit(c)) continue;
    if (c === 46) {
      if (++dots > 1) return false;
      continue;
    }
    if (c === 43 || c === 45) {
      const before = i === 0 ? -1 : raw.charCodeAt(i - 1);
      if (i !== 0 && before !== 101 && before !== 69) return false;
      continue;
    }
    // e E x o, the hex digits a-f A-F, and the letters of inf and nan.
    if (!(c === 101 || c === 69 || c === 120 || c === 111 || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 105 || c === 110 || c === 73 || c === 78)) return false;
  }
  return true;
}
