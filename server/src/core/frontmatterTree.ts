/**
 * The frontmatter as the analysis of a pattern reads it: maps, lists and
 * scalars with the source range of each scalar's value. Two readers build it:
 * the fast block-YAML scanner (blockYaml.ts) and, for everything else, the
 * `yaml` Document (treeFromYaml). Both give the same tree for the same text.
 */
import type { Document } from 'yaml';
import { isMap, isScalar, isSeq, keyString, valueRange, type PathSegment } from './yamlFrontmatter';

export interface TreeScalar {
  readonly kind: 'scalar';
  readonly value: unknown;
  /** The value's text in the file (inside the quotes of a quoted scalar), as offsets into the whole file. */
  readonly start: number;
  readonly end: number;
}

export interface TreeMap {
  readonly kind: 'map';
  /** Keys in source order; a key that is not a scalar is undefined. */
  readonly keys: Array<string | undefined>;
  /** Each key's text as offsets into the file, two numbers per key (start, end; -1 for a key without text). */
  readonly keyRanges: number[];
  readonly values: TreeNode[];
  /** Where the first key starts. */
  readonly start: number;
  /**
   * Where a flow map (`{…}`) ends; -1 for a block map (an error on it covers its first line). A number either
   * way: block and flow maps share V8's hidden class, and a field that held both undefined and numbers would
   * make V8 drop the reader's optimized code the first time a flow map is read.
   */
  readonly end: number;
}

export interface TreeSeq {
  readonly kind: 'seq';
  readonly items: TreeNode[];
  /** Where the first item's `-` (or the `[`) is. */
  readonly start: number;
  /** Where a flow list (`[…]`) ends; -1 for a block list (an error on it covers its first line). */
  readonly end: number;
}

/** An alias (with its range), or a value without a node (an empty document). */
export interface TreeOther {
  readonly kind: 'other';
  readonly start?: number;
  readonly end?: number;
}

export type TreeNode = TreeScalar | TreeMap | TreeSeq | TreeOther;

const OTHER: TreeOther = { kind: 'other' };

/**
 * Where an error about the node at `path` goes: with `onKey`, on the key that
 * holds it (an unknown property, or the map that lacks a required one);
 * otherwise on the value itself, or its key when the value has no text. When
 * the path does not exist, on the deepest key on the way.
 */
export function locateInTree(root: TreeNode, path: readonly PathSegment[], onKey: boolean, lineEndAt: (offset: number) => number): { start: number; end: number } | undefined {
  const { node, found, keyOf } = treeAt(root, path);
  if (found === path.length) {
    if (!onKey && node.start !== undefined && node.start >= 0) return { start: node.start, end: node.end !== undefined && node.end >= 0 ? node.end : lineEndAt(node.start) };
    const keyStart = keyOf ? keyOf.map.keyRanges[2 * keyOf.index]! : -1;
    if (keyStart !== -1) return { start: keyStart, end: keyOf!.map.keyRanges[2 * keyOf!.index + 1]! };
    return undefined;
  }
  return found > 0 ? locateInTree(root, path.slice(0, found), true, lineEndAt) : undefined;
}

/** The value of the first entry with this key, as `findPair` finds it. */
export function mapGet(map: TreeMap, key: string): TreeNode | undefined {
  const index = map.keys.indexOf(key);
  return index === -1 ? undefined : map.values[index];
}

/**
 * Follows a path of keys and list indices; `found` says how far it got, and
 * `keyOf` is the map entry of the last step taken, when that step was a key.
 */
export function treeAt(root: TreeNode, path: readonly PathSegment[]): { node: TreeNode; found: number; keyOf: { map: TreeMap; index: number } | undefined } {
  let node = root;
  let found = 0;
  let keyOf: { map: TreeMap; index: number } | undefined;
  for (const segment of path) {
    if (typeof segment === 'number' && node.kind === 'seq') {
      const item = node.items[segment];
      if (item === undefined) break;
      node = item;
      keyOf = undefined;
    } else if (node.kind === 'map') {
      const index = node.keys.indexOf(String(segment));
      if (index === -1) break;
      keyOf = { map: node, index };
      node = node.values[index]!;
    } else break;
    found++;
  }
  return { node, found, keyOf };
}

/** The tree of a `yaml` Document; `base` is the offset of its text in the file. */
export function treeFromYaml(doc: Document.Parsed, base: number): TreeNode {
  return convert(doc.contents, base);
}

function convert(node: unknown, base: number): TreeNode {
  const range = valueRange(node, base);
  if (isScalar(node)) return range ? { kind: 'scalar', value: node.value, start: range.start, end: range.end } : OTHER;
  const start = range?.start ?? -1;
  const end = range && (isMap(node) || isSeq(node)) && node.flow ? range.end : -1;
  if (isMap(node)) {
    const keys: Array<string | undefined> = [];
    const keyRanges: number[] = [];
    const values: TreeNode[] = [];
    for (const pair of node.items) {
      keys.push(keyString(pair.key));
      const keyRange = valueRange(pair.key, base);
      keyRanges.push(keyRange?.start ?? -1, keyRange?.end ?? -1);
      values.push(convert(pair.value, base));
    }
    return { kind: 'map', keys, keyRanges, values, start, end };
  }
  if (isSeq(node)) return { kind: 'seq', items: node.items.map((item) => convert(item, base)), start, end };
  return range ? { kind: 'other', start: range.start, end: range.end } : OTHER;
}
