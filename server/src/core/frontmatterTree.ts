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
  readonly values: TreeNode[];
}

export interface TreeSeq {
  readonly kind: 'seq';
  readonly items: TreeNode[];
}

/** An alias, or a value without a node (an empty document). */
export interface TreeOther {
  readonly kind: 'other';
}

export type TreeNode = TreeScalar | TreeMap | TreeSeq | TreeOther;

const OTHER: TreeOther = { kind: 'other' };

/** The value of the first entry with this key, as `findPair` finds it. */
export function mapGet(map: TreeMap, key: string): TreeNode | undefined {
  const index = map.keys.indexOf(key);
  return index === -1 ? undefined : map.values[index];
}

/** Follows a path of keys and list indices; `found` says how far it got. */
export function treeAt(root: TreeNode, path: readonly PathSegment[]): { node: TreeNode; found: number } {
  let node = root;
  let found = 0;
  for (const segment of path) {
    let next: TreeNode | undefined;
    if (typeof segment === 'number' && node.kind === 'seq') next = node.items[segment];
    else if (node.kind === 'map') next = mapGet(node, String(segment));
    if (next === undefined) break;
    node = next;
    found++;
  }
  return { node, found };
}

/** The tree of a `yaml` Document; `base` is the offset of its text in the file. */
export function treeFromYaml(doc: Document.Parsed, base: number): TreeNode {
  return convert(doc.contents, base);
}

function convert(node: unknown, base: number): TreeNode {
  if (isScalar(node)) {
    const range = valueRange(node, base);
    return range ? { kind: 'scalar', value: node.value, start: range.start, end: range.end } : OTHER;
  }
  if (isMap(node)) {
    const keys: Array<string | undefined> = [];
    const values: TreeNode[] = [];
    for (const pair of node.items) {
      keys.push(keyString(pair.key));
      values.push(convert(pair.value, base));
    }
    return { kind: 'map', keys, values };
  }
  if (isSeq(node)) return { kind: 'seq', items: node.items.map((item) => convert(item, base)) };
  return OTHER;
}
