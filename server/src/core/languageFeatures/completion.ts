/**
 * Completion in frontmatter, driven by the schema at every nesting level:
 * keys not yet present (required first), values (enums, booleans, numbers,
 * dates, a fresh id, the file's slug), and references to other patterns
 * wherever the schema declares one.
 */
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type CompletionList, type Range } from 'vscode-languageserver-types';
import type { TrellisLibrary } from '../library';
import type { ResolvedSchema } from '../librarySchemas';
import type { PatternDocument } from '../pattern';
import { expandSchema, isObject, schemasAtPath, type JsonSchema, type ReferenceTarget } from '../schemaModel';
import { newTypeId, randomBytes } from '../typeId';
import { cursorAt, siblingKeys, type FrontmatterCursor, type FrontmatterLine } from '../yamlCursor';
import type { PathSegment } from '../yamlFrontmatter';
import { schemaForLines, type FeatureDocument } from './featureContext';

export interface CompletionOptions {
  now?: Date;
  random?: () => Uint8Array;
  /** How many references to return at most; the list is marked incomplete beyond it. */
  maxReferences?: number;
}

const EMPTY: CompletionList = { isIncomplete: false, items: [] };

export function complete(library: TrellisLibrary, document: FeatureDocument, offset: number, options: CompletionOptions = {}): CompletionList {
  const cursor = cursorAt(document.text, offset);
  if (!cursor) return EMPTY;
  const schema = schemaForLines(library, document.uri, cursor.lines);
  const { place } = cursor;
  const items: CompletionItem[] = [];
  let isIncomplete = false;
  const range = { start: cursor.map.positionAt(place.range.start), end: cursor.map.positionAt(place.range.end) };
  const schemas = schemasAtPath(schema.schema, place.path);

  if (place.kind === 'key' || place.kind === 'item') {
    const present = siblingKeys(cursor.lines, cursor.map.positionAt(offset).line - cursor.first, place.kind === 'key' ? place.column : indentOfItem(cursor) + 2);
    items.push(...keyItems(schemas, present, range, place.kind === 'key' ? place.column : indentOfItem(cursor) + 2));
  }
  if (place.kind === 'value' || place.kind === 'item') {
    const reference = referenceAt(schema, place.path);
    if (reference) {
      const result = referenceItems(library, document.uri, reference, place.prefix, range, listedTargets(cursor, place.path), options.maxReferences ?? 50);
      items.push(...result.items);
      isIncomplete = result.isIncomplete;
    }
    if (place.kind === 'value') items.push(...valueItems(library, document.uri, schema, schemas, place.path, range, options));
  }
  return { isIncomplete, items };
}

function indentOfItem(cursor: FrontmatterCursor): number {
  const line = cursor.lines[cursor.map.positionAt(cursor.place.range.start).line - cursor.first];
  return line?.dash ?? line?.indent ?? 0;
}

function keyItems(schemas: JsonSchema[], present: Set<string>, range: Range, column: number): CompletionItem[] {
  const properties = new Map<string, JsonSchema>();
  const required = new Set<string>();
  for (const schema of schemas) {
    if (isObject(schema['properties'])) {
      for (const [key, sub] of Object.entries(schema['properties'])) if (isObject(sub) && !isObject(sub['not']) && !properties.has(key)) properties.set(key, sub);
    }
    if (Array.isArray(schema['required'])) for (const key of schema['required']) if (typeof key === 'string') required.add(key);
  }
  const root = schemas[0];
  const items: CompletionItem[] = [];
  for (const [key, sub] of properties) {
    if (present.has(key)) continue;
    const resolved = root ? expandSchema(root, sub) : [sub];
    const description = firstString(resolved, 'markdownDescription') ?? firstString(resolved, 'description');
    const isRequired = required.has(key);
    items.push({
      label: key,
      kind: CompletionItemKind.Property,
      detail: isRequired ? 'required' : undefined,
      documentation: description ? { kind: 'markdown', value: description } : undefined,
      sortText: `${isRequired ? '0' : '1'}${key}`,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: keySnippet(key, resolved, column, root) },
    });
  }
  return items;
}

/** `key: ` for a scalar; a skeleton with tab stops for an object or a list. */
function keySnippet(key: string, schemas: JsonSchema[], column: number, root: JsonSchema | undefined): string {
  const pad = ' '.repeat(column + 2);
  const type = typeOf(schemas);
  let stop = 1;
  const scalar = (sub: JsonSchema[]): string => {
    const choices = enumValues(sub);
    return choices.length ? `\${${stop++}|${choices.map((c) => escapeChoice(String(c))).join(',')}|}` : `\${${stop++}}`;
  };
  if (type === 'object') {
    const fields = requiredFields(schemas, root);
    if (fields.length === 0) return `${key}:\n${pad}$0`;
    return `${key}:\n` + fields.map(([name, sub]) => `${pad}${name}: ${scalar(sub)}`).join('\n');
  }
  if (type === 'array') {
    const itemSchemas = schemas.flatMap((s) => (isObject(s['items']) ? (root ? expandSchema(root, s['items']) : [s['items']]) : []));
    const fields = requiredFields(itemSchemas, root);
    if (typeOf(itemSchemas) === 'object' && fields.length > 0) {
      return `${key}:\n${pad}- ` + fields.map(([name, sub], i) => `${i === 0 ? '' : pad + '  '}${name}: ${scalar(sub)}`).join('\n');
    }
    return `${key}:\n${pad}- $0`;
  }
  const choices = enumValues(schemas);
  if (choices.length) return `${key}: \${1|${choices.map((c) => escapeChoice(String(c))).join(',')}|}`;
  return `${key}: $0`;
}

function requiredFields(schemas: JsonSchema[], root: JsonSchema | undefined): Array<[string, JsonSchema[]]> {
  const out: Array<[string, JsonSchema[]]> = [];
  for (const schema of schemas) {
    if (!Array.isArray(schema['required']) || !isObject(schema['properties'])) continue;
    for (const name of schema['required']) {
      const sub = (schema['properties'] as Record<string, unknown>)[name];
      if (typeof name === 'string' && isObject(sub) && !out.some(([n]) => n === name)) out.push([name, root ? expandSchema(root, sub) : [sub]]);
    }
  }
  return out;
}

function valueItems(library: TrellisLibrary, uri: string, schema: ResolvedSchema, schemas: JsonSchema[], path: PathSegment[], range: Range, options: CompletionOptions): CompletionItem[] {
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  const add = (item: CompletionItem): void => {
    if (seen.has(item.label)) return;
    seen.add(item.label);
    items.push(item);
  };
  for (const value of enumValues(schemas)) add({ label: String(value), kind: CompletionItemKind.EnumMember, textEdit: { range, newText: String(value) } });
  const types = new Set(schemas.flatMap((s) => (Array.isArray(s['type']) ? s['type'] : [s['type']])).filter((t): t is string => typeof t === 'string'));
  if (types.has('boolean')) for (const b of ['true', 'false']) add({ label: b, kind: CompletionItemKind.Value, textEdit: { range, newText: b } });
  if ((types.has('number') || types.has('integer')) && enumValues(schemas).length === 0) {
    const min = firstNumber(schemas, 'minimum');
    const max = firstNumber(schemas, 'maximum');
    const fallback = firstNumber(schemas, 'default') ?? min;
    if (fallback !== undefined) {
      const detail = min !== undefined && max !== undefined ? `a ${types.has('integer') ? 'whole ' : ''}number from ${min} to ${max}` : min !== undefined ? `at least ${min}` : `at most ${max}`;
      add({ label: String(fallback), kind: CompletionItemKind.Value, detail, textEdit: { range, newText: String(fallback) } });
    }
  }
  const pattern = firstString(schemas, 'pattern');
  if (pattern?.startsWith('^\\d{4}-\\d{2}-\\d{2}')) {
    const today = (options.now ?? new Date()).toISOString().slice(0, 10);
    add({ label: today, kind: CompletionItemKind.Value, detail: 'today', textEdit: { range, newText: today } });
  }
  const identity = [...schema.model.identity.entries()].find(([, p]) => p.join('.') === path.join('.'))?.[0];
  if (identity === 'id') {
    const prefix = /^\^?([a-z]+)_/.exec(firstString(schemas, 'pattern') ?? '')?.[1] ?? 'pat';
    const id = newTypeId(prefix, (options.now ?? new Date()).getTime(), (options.random ?? randomBytes)());
    add({ label: id, kind: CompletionItemKind.Value, detail: 'a new TypeID', textEdit: { range, newText: id } });
  }
  if (identity === 'slug') {
    const slug = library.index.get(uri)?.fileSlug ?? decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1)).replace(/\.md$/i, '');
    add({ label: slug, kind: CompletionItemKind.Value, detail: 'the file name', textEdit: { range, newText: slug } });
  }
  // A key that names the relation of its sibling reference (an inferred link's `type`).
  const key = path[path.length - 1];
  const parent = path.slice(0, -1).map(String);
  for (const field of schema.model.references) {
    if (field.relation.nameFrom !== key) continue;
    const fieldParent = field.path.slice(0, -1);
    if (fieldParent.length === parent.length && fieldParent.every((s, i) => s === parent[i] || (s === '*' && /^\d+$/.test(parent[i]!)))) {
      for (const name of schema.model.relations.keys()) add({ label: name, kind: CompletionItemKind.EnumMember, detail: 'relation', textEdit: { range, newText: name } });
    }
  }
  return items;
}

/** Adds the documentation of a reference item: the pattern's summary, domain and status. */
export function resolveCompletionItem(library: TrellisLibrary, item: CompletionItem): CompletionItem {
  const uri = isObject(item.data) && typeof item.data['pattern'] === 'string' ? item.data['pattern'] : undefined;
  const doc = uri ? library.index.get(uri) : undefined;
  if (!doc) return item;
  const facts = [doc.domain, doc.status].filter(Boolean).map((s) => `\`${s}\``).join(' · ');
  return { ...item, documentation: { kind: 'markdown', value: [doc.summary, facts].filter(Boolean).join('\n\n') } };
}

/** The reference annotation that applies at a concrete path, if any. */
export function referenceAt(schema: ResolvedSchema, path: readonly PathSegment[]): ReferenceTarget | undefined {
  let node = schema.model.root;
  for (const segment of path) {
    const next = typeof segment === 'number' ? node.children.get('*') : node.children.get(segment) ?? node.children.get('{}');
    if (!next) return undefined;
    node = next;
  }
  return node.reference?.target;
}

/**
 * The reference items for what was typed: the best `max` patterns by fuzzy
 * score, ties by title, from the index's search structure (exported for the
 * differential test against a full scan, test/core/patternSearch.test.ts).
 */
export function referenceItems(
  library: TrellisLibrary,
  uri: string,
  target: ReferenceTarget,
  prefix: string,
  range: Range,
  listed: Set<string>,
  max: number,
): { items: CompletionItem[]; isIncomplete: boolean } {
  const query = prefix.trim();
  const include = referenceCandidate(uri, target, listed);
  // An id typed from its start matches that pattern whatever its slug and title.
  const found = library.index.search.search({ query, max, ties: 'name', include, idPrefix: query && target !== 'slug' ? { prefix: query, score: 10 } : undefined });
  const items = found.docs.map((doc, rank) => referenceItem(doc, rank, target, query, range));
  return { items, isIncomplete: found.more || query.length === 0 };
}

/**
 * Which patterns a reference in `uri` may be completed with: not the file
 * itself, not one whose YAML is broken and has no slug, not one already
 * listed, and for an id, only one that has an id (exported for the test's full scan).
 */
export function referenceCandidate(uri: string, target: ReferenceTarget, listed: Set<string>): (doc: PatternDocument) => boolean {
  return (doc) => {
    if (doc.uri === uri || (doc.hasSyntaxErrors && !doc.slug)) return false;
    if (listed.has(doc.slug ?? doc.fileSlug) || (doc.id && listed.has(doc.id))) return false;
    return target !== 'id' || Boolean(doc.id);
  };
}

/** The completion item for a pattern at `rank` among those offered for `query` (exported for the test's full scan). */
export function referenceItem(doc: PatternDocument, rank: number, target: ReferenceTarget, query: string, range: Range): CompletionItem {
  const slug = doc.slug ?? doc.fileSlug;
  const insert = target === 'id' ? doc.id! : slug;
  const title = doc.title ?? slug;
  return {
    label: target === 'id' ? title : slug,
    kind: CompletionItemKind.Reference,
    detail: target === 'id' ? doc.id : title,
    labelDetails: { description: target === 'id' ? slug : title },
    // The summary comes with completionItem/resolve, for the one item the editor shows.
    data: { pattern: doc.uri },
    sortText: String(rank).padStart(5, '0'),
    // Typing a word of the title or an alias keeps the pattern in the editor's own filtering.
    filterText: `${query}${insert} ${title} ${doc.aliases.join(' ')}`.trim(),
    textEdit: { range, newText: insert },
  };
}

/** Targets already listed in the list the cursor is in, so they are not offered twice. */
function listedTargets(cursor: FrontmatterCursor, path: PathSegment[]): Set<string> {
  const listed = new Set<string>();
  const index = cursor.map.positionAt(cursor.place.range.start).line - cursor.first;
  const lines = cursor.lines;
  // The list item line the cursor is in (or under).
  let itemLine = index;
  while (itemLine >= 0 && lines[itemLine]!.dash === undefined) itemLine--;
  if (itemLine < 0) return listed;
  const dash = lines[itemLine]!.dash!;
  const key = typeof path[path.length - 1] === 'string' ? (path[path.length - 1] as string) : undefined;
  const collect = (line: FrontmatterLine, i: number): void => {
    if (i === index) return;
    if (key === undefined && line.dash === dash && line.key === undefined && line.value) listed.add(unquote(line.value));
    if (key !== undefined && line.key === key && line.keyColumn === dash + 2 && line.value) listed.add(unquote(line.value));
  };
  for (let i = itemLine; i >= 0; i--) {
    const line = lines[i]!;
    if (line.blank) continue;
    if ((line.dash === undefined && line.indent <= dash && line.keyColumn !== dash + 2) || (line.dash !== undefined && line.dash < dash)) break;
    collect(line, i);
  }
  for (let i = itemLine + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.blank) continue;
    if ((line.dash === undefined && line.indent <= dash && line.keyColumn !== dash + 2) || (line.dash !== undefined && line.dash < dash)) break;
    collect(line, i);
  }
  return listed;
}

function unquote(value: string): string {
  return value.replace(/^(["'])(.*)\1$/, '$2');
}

function typeOf(schemas: JsonSchema[]): string | undefined {
  for (const schema of schemas) if (typeof schema['type'] === 'string') return schema['type'];
  return undefined;
}

function enumValues(schemas: JsonSchema[]): unknown[] {
  const values: unknown[] = [];
  for (const schema of schemas) {
    if (Array.isArray(schema['enum'])) for (const v of schema['enum']) if (!values.includes(v)) values.push(v);
    if ('const' in schema && !values.includes(schema['const'])) values.push(schema['const']);
  }
  return values;
}

function firstString(schemas: JsonSchema[], key: string): string | undefined {
  for (const schema of schemas) if (typeof schema[key] === 'string') return schema[key] as string;
  return undefined;
}

function firstNumber(schemas: JsonSchema[], key: string): number | undefined {
  for (const schema of schemas) if (typeof schema[key] === 'number') return schema[key] as number;
  return undefined;
}

function escapeChoice(value: string): string {
  return value.replace(/[\\$}|,]/g, (c) => `\\${c}`);
}
