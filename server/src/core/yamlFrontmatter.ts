/**
 * The frontmatter as a `yaml` Document: exact source ranges and comments kept.
 * Every offset this module returns is into the whole file's text.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, Scalar, type Document, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';

export interface ParsedFrontmatter {
  doc: Document.Parsed;
  /** Offset of the YAML text within the file. */
  base: number;
  /** The plain value, or undefined when it could not be built (alias bomb). */
  value: unknown;
  errors: Array<{ start: number; end: number; message: string }>;
}

/** Enough aliases for any honest file; more means an alias bomb. */
const MAX_ALIAS_COUNT = 100;

export function parseFrontmatterYaml(text: string, start: number, end: number): ParsedFrontmatter {
  const source = text.slice(start, end);
  const doc = parseDocument(source, { prettyErrors: false, uniqueKeys: true, keepSourceTokens: false, logLevel: 'error' });
  const errors = doc.errors.map((error) => ({
    start: start + error.pos[0],
    end: start + Math.max(error.pos[1], error.pos[0]),
    message: yamlMessage(error.message),
  }));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    value = undefined;
    errors.push({ start, end: start, message: `The frontmatter could not be read: ${(error as Error).message}` });
  }
  return { doc, base: start, value, errors };
}

function yamlMessage(raw: string): string {
  const first = raw.split('\n')[0] ?? raw;
  return first.replace(/ at line \d+, column \d+:?$/, '').trim();
}

export type PathSegment = string | number;

/** Finds the node at a path of map keys and list indices, with the pair that holds it. */
export function nodeAtPath(doc: Document.Parsed, path: readonly PathSegment[]): { node: YamlNode | null | undefined; pair?: Pair<unknown, unknown>; found: number } {
  let node: unknown = doc.contents;
  let pair: Pair<unknown, unknown> | undefined;
  let found = 0;
  for (const segment of path) {
    if (typeof segment === 'number' && isSeq(node)) {
      const item = node.items[segment];
      if (item === undefined) break;
      node = item;
      pair = undefined;
    } else if (isMap(node)) {
      const match = findPair(node, String(segment));
      if (!match) break;
      pair = match;
      node = match.value;
    } else break;
    found++;
  }
  return { node: node as YamlNode | null | undefined, pair, found };
}

export function findPair(map: YAMLMap, key: string): Pair<unknown, unknown> | undefined {
  for (const item of map.items) {
    if (isPair(item) && keyString(item.key) === key) return item as Pair<unknown, unknown>;
  }
  return undefined;
}

export function keyString(key: unknown): string | undefined {
  if (isScalar(key)) return key.value === null ? '' : String(key.value);
  if (typeof key === 'string') return key;
  return undefined;
}

/** Source range of a node, trimmed to its own text; for quoted scalars, the inside of the quotes. */
export function valueRange(node: unknown, base: number): { start: number; end: number } | undefined {
  if (!node || typeof node !== 'object' || !('range' in node)) return undefined;
  const range = (node as { range?: [number, number, number] }).range;
  if (!range) return undefined;
  let [start, end] = range;
  if (isScalar(node) && (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) && end - start >= 2) {
    start += 1;
    end -= 1;
  }
  return { start: base + start, end: base + end };
}

export { isMap, isPair, isScalar, isSeq };
