/**
 * A compact, JSON-safe form of PatternDocuments for the persistent cache.
 * A warm start reads the whole library from it, so its size is parse time:
 * ranges become four numbers, references flat rows, and what repeats
 * (relations, target kinds, schema relation lists, reference paths) an index
 * into a table. decode(encode(d)) deep-equals d; a
 * test holds every document of the corpus to that.
 */
import type { Range } from 'vscode-languageserver-types';
import type { LocalDiagnostic, PatternDocument, PatternReference } from './pattern';
import type { ReferenceTarget } from './schemaModel';
import type { PathSegment } from './yamlFrontmatter';

export interface EncodedDocuments {
  version: 2;
  /** Repeated strings, referred to by index. */
  names: string[];
  /** Relation lists of the schemas, referred to by index. */
  relationLists: string[][];
  /**
   * The references' paths, each once (`related.0` comes back in most files):
   * referred to by index, and shared by the decoded references (nothing
   * changes a path in place).
   */
  paths: PathSegment[][];
  /** A null document: the file is not a pattern. */
  entries: Array<[key: string, document: unknown[] | null]>;
}

const NONE = -1;

/** Values kept once each, in the order first seen, and found again by a key. */
class Table<T> {
  readonly values: T[] = [];
  private readonly indexes = new Map<string, number>();

  constructor(private readonly keyOf: (value: T) => string) {}

  /** The index of an equal value already kept, else of this one, kept now. */
  indexOf(value: T): number {
    const key = this.keyOf(value);
    const index = this.indexes.get(key);
    return index === undefined ? this.keep(key, value) : index;
  }

  /** As indexOf, but what is kept is a copy of the array (the caller's may change later). */
  indexOfCopy<E>(this: Table<E[]>, value: readonly E[]): number {
    const key = this.keyOf(value as E[]);
    const index = this.indexes.get(key);
    return index === undefined ? this.keep(key, [...value]) : index;
  }

  private keep(key: string, value: T): number {
    const index = this.values.length;
    this.values.push(value);
    this.indexes.set(key, index);
    return index;
  }
}

/**
 * A text that tells reference paths apart (equal for equal paths only): each
 * segment marked as a number or a length-prefixed string. A tenth of the cost
 * of JSON.stringify, which the ~37,000 references of the corpus paid on every
 * save and every worker answer.
 */
export function pathKey(path: readonly PathSegment[]): string {
  let key = '';
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    key += typeof segment === 'number' ? `#${segment};` : `${segment.length}:${segment}`;
  }
  return key;
}

/**
 * JSON text of `value` in ASCII alone: every character past U+007F written as
 * a `\uXXXX` escape (JSON.parse gives the same strings back). A cache file of
 * ASCII is decoded and split twice as fast as one with a few characters
 * beyond it (the corpus has ~1,500 in 5 MB), and read on every warm start.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(NON_ASCII, escapeChar);
}
const NON_ASCII = /[\u0080-\uffff]/g;
const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** A file's key in the persistent cache: its path in the library and its stamp. */
export function cacheKey(relativePath: string, stamp: string): string {
  return `${relativePath}\u0000${stamp}`;
}

/**
 * What the persistent cache keeps of a file's analysis: the document under
 * its key (null: not a pattern), or nothing for a file without a trustworthy
 * stamp (no key) or whose analysis failed unexpectedly (the next run tries again).
 */
export function cacheEntry(key: string | undefined, doc: PatternDocument | undefined): [string, PatternDocument | null] | undefined {
  return key === undefined || doc?.schemaName === '' ? undefined : [key, doc ?? null];
}

/** One line of the persistent cache: the entries' encoding, as ASCII JSON. */
export function encodeCacheChunk(entries: Iterable<[string, PatternDocument | null]>): string {
  return asciiJson(encodeDocuments(entries));
}

export function encodeDocuments(entries: Iterable<[string, PatternDocument | null]>): EncodedDocuments {
  const tables: Tables = { names: new Table<string>(itself), relationLists: new Table<string[]>(joined), paths: new Table<PathSegment[]>(pathKey) };
  const out: EncodedDocuments['entries'] = [];
  for (const [key, doc] of entries) out.push([key, doc === null ? null : encodeDocument(doc, tables)]);
  return { version: 2, names: tables.names.values, relationLists: tables.relationLists.values, paths: tables.paths.values, entries: out };
}

interface Tables {
  names: Table<string>;
  relationLists: Table<string[]>;
  paths: Table<PathSegment[]>;
}

const itself = (value: string): string => value;
const joined = (values: readonly string[]): string => values.join('\u0000');

/**
 * One document's row. Small functions with no closures and no spread: a
 * load encodes every document once, in each thread that analyzes, mostly
 * before V8 has optimized this, and V8 compiled the one large function
 * (closures inlined, a spread per reference) again in every isolate.
 */
function encodeDocument(doc: PatternDocument, tables: Tables): unknown[] {
  const references: unknown[] = [];
  for (const r of doc.references) encodeReference(r, tables, references);
  return [
    doc.uri,
    doc.fileSlug,
    nameIndex(tables.names, doc.schemaName),
    tables.relationLists.indexOfCopy(doc.declaredRelations),
    doc.slug ?? null,
    doc.slugRange ? flatRange(doc.slugRange) : null,
    doc.id ?? null,
    doc.idRange ? flatRange(doc.idRange) : null,
    doc.title ?? null,
    doc.aliases,
    doc.summary ?? null,
    doc.domain ?? null,
    doc.status ?? null,
    references,
    flatRange(doc.frontmatterRange),
    doc.hasSyntaxErrors ? 1 : 0,
    doc.localDiagnostics,
  ];
}

/** A reference as eleven values: relation, mirror, inferred, target kind, target, range (four), weight, path. */
function encodeReference(r: PatternReference, tables: Tables, out: unknown[]): void {
  const { start, end } = r.range;
  out.push(
    nameIndex(tables.names, r.relation),
    nameIndex(tables.names, r.mirror),
    r.inferred ? 1 : 0,
    nameIndex(tables.names, r.targetKind),
    r.target,
    start.line,
    start.character,
    end.line,
    end.character,
    r.weight ?? null,
    tables.paths.indexOf(r.path),
  );
}

function nameIndex(names: Table<string>, value: string | undefined): number {
  return value === undefined ? NONE : names.indexOf(value);
}

/** The documents of an encoded cache; throws on a shape it does not know (the caller then starts afresh). */
export function decodeDocuments(data: EncodedDocuments): Map<string, PatternDocument | null> {
  if (data.version !== 2) throw new Error('unknown cache version');
  const { names, relationLists, paths } = data;
  const name = (index: unknown): string | undefined => (index === NONE ? undefined : names[index as number]);
  const out = new Map<string, PatternDocument | null>();
  for (const [key, row] of data.entries) {
    if (row === null) {
      out.set(key, null);
      continue;
    }
    const [uri, fileSlug, schemaName, relations, slug, slugRange, id, idRange, title, aliases, summary, domain, status, refs, frontmatterRange, hasSyntaxErrors, localDiagnostics] = row as [
      string, string, number, number, string | null, number[] | null, string | null, number[] | null, string | null, string[], string | null, string | null, string | null, unknown[], number[], number, LocalDiagnostic[],
    ];
    const references: PatternReference[] = [];
    for (let i = 0; i < refs.length; i += 11) {
      const reference: PatternReference = {
        relation: name(refs[i]),
        inferred: refs[i + 2] === 1,
        targetKind: name(refs[i + 3]) as ReferenceTarget,
        target: refs[i + 4] as string,
        range: range(refs as number[], i + 5),
        path: paths[refs[i + 10] as number]!,
      };
      const mirror = name(refs[i + 1]);
      if (mirror !== undefined) reference.mirror = mirror;
      if (refs[i + 9] !== null) reference.weight = refs[i + 9] as number;
      references.push(reference);
    }
    const doc: PatternDocument = {
      uri,
      fileSlug,
      schemaName: name(schemaName) ?? '',
      declaredRelations: relationLists[relations] ?? [],
      aliases,
      references,
      frontmatterRange: range(frontmatterRange, 0),
      hasSyntaxErrors: hasSyntaxErrors === 1,
      localDiagnostics,
    };
    if (slug !== null) doc.slug = slug;
    if (slugRange) doc.slugRange = range(slugRange, 0);
    if (id !== null) doc.id = id;
    if (idRange) doc.idRange = range(idRange, 0);
    if (title !== null) doc.title = title;
    if (summary !== null) doc.summary = summary;
    if (domain !== null) doc.domain = domain;
    if (status !== null) doc.status = status;
    out.set(key, doc);
  }
  return out;
}

function flatRange(r: Range): [number, number, number, number] {
  return [r.start.line, r.start.character, r.end.line, r.end.character];
}

function range(values: number[], at: number): Range {
  return { start: { line: values[at]!, character: values[at + 1]! }, end: { line: values[at + 2]!, character: values[at + 3]! } };
}
