/**
 * The library index: every pattern by slug, id, alias and title; every
 * reference with its relation and target; back-edges. Each update returns the
 * files whose cross-file diagnostics may have changed, so a host revalidates
 * exactly those.
 *
 * Invariant: the index is a function of the set of documents it holds. Any
 * sequence of update/remove calls leaves it equal to one built from scratch on
 * the final documents (test/core/indexIncremental.test.ts plays random sequences).
 */
import type { Diagnostic, DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import { DIAGNOSTIC_CODES, SEVERITY, type DiagnosticCode, type SeverityName } from './diagnosticCodes';
import type { PatternDocument, PatternReference } from './pattern';
import { PatternSearch } from './patternSearch';
import { displayPath } from './validation';

/** An identity a pattern claims or a reference resolves through: its kind and the slug or id itself. */
interface Key {
  readonly kind: 'slug' | 'id';
  readonly value: string;
}
const slugKey = (slug: string): Key => ({ kind: 'slug', value: slug });
const idKey = (id: string): Key => ({ kind: 'id', value: id });
/** A key as one string, where keys must be compared or printed (rare paths only: building it costs a hash). */
const keyText = (key: Key): string => `${key.kind === 'slug' ? 's' : 'i'}\u0000${key.value}`;

/**
 * Sets of URIs by identity key, one map per kind. The maps are keyed by the
 * slugs and ids themselves, strings whose hash V8 keeps: a key built by
 * concatenation would be hashed afresh on every lookup, a cost that showed
 * as the top of the profile on a 100,000-pattern library.
 */
class KeyedUris {
  private readonly slug = new Map<string, Set<string>>();
  private readonly id = new Map<string, Set<string>>();

  get(key: Key): Set<string> | undefined {
    return this[key.kind].get(key.value);
  }

  /** Whether anything but `uri` is held under this name (a duplicate slug or id; no key object to build). */
  heldByOthers(kind: Key['kind'], value: string, uri: string): boolean {
    const uris = this[kind].get(value);
    return uris !== undefined && uris.size > 0 && !(uris.size === 1 && uris.has(uri));
  }

  /** Whether anything is held under this name (no key object to build). */
  has(kind: Key['kind'], value: string): boolean {
    const uris = this[kind].get(value);
    return uris !== undefined && uris.size > 0;
  }

  /** Adds `uri` under the slug and/or id it claims or resolves through (no key objects: a load calls this ~40,000 times). */
  add(kind: Key['kind'] | 'slug-or-id', value: string, uri: string): void {
    if (kind !== 'id') addTo(this.slug, value, uri);
    if (kind !== 'slug') addTo(this.id, value, uri);
  }

  remove(kind: Key['kind'] | 'slug-or-id', value: string, uri: string): void {
    if (kind !== 'id') removeFrom(this.slug, value, uri);
    if (kind !== 'slug') removeFrom(this.id, value, uri);
  }

  clear(): void {
    this.slug.clear();
    this.id.clear();
  }

  /** Every set, by key text. */
  *entries(): IterableIterator<[string, Set<string>]> {
    for (const [value, set] of this.slug) yield [keyText(slugKey(value)), set];
    for (const [value, set] of this.id) yield [keyText(idKey(value)), set];
  }
}

function identityKeys(doc: PatternDocument | undefined): Key[] {
  if (!doc) return [];
  const keys: Key[] = [];
  if (doc.slug !== undefined) keys.push(slugKey(doc.slug));
  if (doc.id !== undefined) keys.push(idKey(doc.id));
  return keys;
}

/** The identity keys a reference resolves through. */
export function referenceKeys(reference: PatternReference): Key[] {
  switch (reference.targetKind) {
    case 'slug':
      return [slugKey(reference.target)];
    case 'id':
      return [idKey(reference.target)];
    case 'slug-or-id':
      return [slugKey(reference.target), idKey(reference.target)];
  }
}

export interface Backlink {
  source: PatternDocument;
  reference: PatternReference;
}

export interface DiagnosticOptions {
  /** False: leave out the diagnostics at Hint severity (the Problems view does not show them; only an open editor does). */
  hints?: boolean;
}

/**
 * The files an event may change the diagnostics of. `mirrorsOnly` holds those
 * among them whose diagnostics can change only in their `missing-mirror`
 * findings (they link to a file whose links changed): a host that does not
 * publish those findings for a file (hints of a closed file) need not look at
 * it again. A hub's edit touches the ~1,400 files that link to it this way.
 */
export class AffectedFiles extends Set<string> {
  readonly mirrorsOnly = new Set<string>();
}

export class PatternIndex {
  private readonly docs = new Map<string, PatternDocument>();
  /** Identity key → the documents that claim it (more than one is a duplicate). */
  private readonly claimants = new KeyedUris();
  /** Identity key → the documents with a reference that resolves through it. */
  private readonly referrers = new KeyedUris();
  private readonly byAlias = new Map<string, Set<string>>();
  /** Slugs, titles and aliases for fuzzy matching, in the order of `docs`: read it through `search`. */
  private readonly searchStructure = new PatternSearch();
  /**
   * Documents a load set (`set`) that the search structure does not hold yet,
   * in the order they were set: put there, in that order, on the first use
   * of `search`, before any other change, or a slice at a time by
   * `settleSearch` once the load is over. A load is ready without them; the
   * structure ends up exactly as if each had been put at once.
   */
  private searchBacklog: PatternDocument[] = [];
  private searchSettled = 0;
  private changes = 0;
  private identityChanges = 0;

  get size(): number {
    return this.docs.size;
  }

  /** The search structure, with every document set so far. */
  get search(): PatternSearch {
    this.settleSearch();
    return this.searchStructure;
  }

  /** Puts up to `max` documents of the backlog into the search structure; whether any are left. */
  settleSearch(max = Infinity): boolean {
    const backlog = this.searchBacklog;
    const end = Math.min(backlog.length, this.searchSettled + max);
    for (; this.searchSettled < end; this.searchSettled++) this.searchStructure.put(backlog[this.searchSettled]!);
    if (this.searchSettled < backlog.length) return true;
    if (backlog.length > 0) {
      this.searchBacklog = [];
      this.searchSettled = 0;
    }
    return false;
  }

  get(uri: string): PatternDocument | undefined {
    return this.docs.get(uri);
  }

  documents(): IterableIterator<PatternDocument> {
    return this.docs.values();
  }

  uris(): IterableIterator<string> {
    return this.docs.keys();
  }

  /**
   * Changes with every update or removal: anything derived from the index
   * (a graph, say) is still valid while this stays the same.
   */
  get revision(): number {
    return this.changes;
  }

  /**
   * Changes when the identity claims change (which file answers to which slug
   * or id): until then, every reference resolves to the same files, though
   * their documents may have been replaced.
   */
  get identityRevision(): number {
    return this.identityChanges;
  }

  /** Adds or replaces a document; returns every file whose diagnostics may change. */
  update(doc: PatternDocument): AffectedFiles {
    const previous = this.docs.get(doc.uri);
    this.changes++;
    if (!previous || identityKeys(previous).map(keyText).join('\u0001') !== identityKeys(doc).map(keyText).join('\u0001')) this.identityChanges++;
    const affected = this.affectedBy(previous, doc);
    if (previous) this.unlink(previous);
    this.docs.set(doc.uri, doc);
    this.search.put(doc);
    this.link(doc);
    return affected;
  }

  /**
   * update() without working out which other files it affects: for a load,
   * where every file is reported anyway. The index ends up the same.
   */
  set(doc: PatternDocument): void {
    const previous = this.docs.get(doc.uri);
    this.changes++;
    this.identityChanges++;
    if (previous) this.unlink(previous);
    this.docs.set(doc.uri, doc);
    this.searchBacklog.push(doc);
    this.link(doc);
  }

  /** Empties the index. */
  clear(): void {
    this.changes++;
    this.identityChanges++;
    this.docs.clear();
    this.claimants.clear();
    this.referrers.clear();
    this.byAlias.clear();
    this.searchBacklog = [];
    this.searchSettled = 0;
    this.searchStructure.clear();
  }

  remove(uri: string): AffectedFiles {
    const previous = this.docs.get(uri);
    if (!previous) return new AffectedFiles();
    this.changes++;
    this.identityChanges++;
    const affected = this.affectedBy(previous, undefined);
    this.unlink(previous);
    this.docs.delete(uri);
    this.search.delete(uri);
    return affected;
  }

  bySlug(slug: string): PatternDocument[] {
    return this.lookup(slugKey(slug));
  }

  byId(id: string): PatternDocument[] {
    return this.lookup(idKey(id));
  }

  byAliasOrTitle(name: string): PatternDocument[] {
    return [...(this.byAlias.get(name.toLowerCase()) ?? [])].sort().map((uri) => this.docs.get(uri)!);
  }

  /** The patterns a reference names (several when the target is a duplicate). */
  resolve(reference: PatternReference): PatternDocument[] {
    if (reference.targetKind === 'slug') return this.lookup(slugKey(reference.target));
    if (reference.targetKind === 'id') return this.lookup(idKey(reference.target));
    const found = new Map<string, PatternDocument>();
    for (const key of referenceKeys(reference)) for (const doc of this.lookup(key)) found.set(doc.uri, doc);
    return [...found.values()];
  }

  /**
   * Whether a reference names any pattern: resolve(reference).length > 0,
   * without building the list (every name held has its documents in the index).
   */
  resolves(reference: PatternReference): boolean {
    const { target, targetKind } = reference;
    if (targetKind === 'slug') return this.claimants.has('slug', target);
    if (targetKind === 'id') return this.claimants.has('id', target);
    return this.claimants.has('slug', target) || this.claimants.has('id', target);
  }

  /** The patterns with at least one reference that resolves to this one, sorted by URI. */
  referrersOf(target: PatternDocument): PatternDocument[] {
    const sources = new Set<string>();
    for (const key of identityKeys(target)) for (const uri of this.referrers.get(key) ?? []) sources.add(uri);
    return [...sources].sort().map((uri) => this.docs.get(uri)).filter((doc): doc is PatternDocument => doc !== undefined);
  }

  /** Every reference in the library that resolves to this pattern. */
  backlinks(target: PatternDocument): Backlink[] {
    const sources = new Set<string>();
    for (const key of identityKeys(target)) for (const uri of this.referrers.get(key) ?? []) sources.add(uri);
    const targetKeys = new Set(identityKeys(target).map(keyText));
    const out: Backlink[] = [];
    // Sorted, so that the order never depends on the order of past updates.
    for (const uri of [...sources].sort()) {
      const source = this.docs.get(uri);
      if (!source) continue;
      for (const reference of source.references) {
        if (referenceKeys(reference).some((key) => targetKeys.has(keyText(key)))) out.push({ source, reference });
      }
    }
    return out;
  }

  /**
   * Local diagnostics plus those that depend on other files: dangling
   * references and duplicate slugs or ids. Severities come from the config;
   * codes set to `off` are left out.
   */
  diagnostics(uri: string, severity: Partial<Record<DiagnosticCode, SeverityName>> = {}, options: DiagnosticOptions = {}): Diagnostic[] {
    const doc = this.docs.get(uri);
    if (!doc) return [];
    const out: Diagnostic[] = [];
    // A load publishes every file once, mostly before V8 has optimized this: no closures, no object per step.
    const hints = options.hints !== false;
    for (const diagnostic of doc.localDiagnostics) {
      const level = publishedLevel(diagnostic.code, severity, hints);
      if (level !== undefined) out.push({ ...diagnostic, severity: SEVERITY[level] });
    }
    if (!doc.hasSyntaxErrors) {
      const dangling = publishedLevel('dangling-reference', severity, hints);
      if (dangling !== undefined) {
        for (const reference of doc.references) {
          if (this.resolves(reference)) continue;
          out.push({
            code: 'dangling-reference',
            range: reference.range,
            source: 'trellis',
            message: danglingMessage(reference),
            data: { target: reference.target, targetKind: reference.targetKind, relation: reference.relation ?? null, path: reference.path },
            severity: SEVERITY[dangling],
          });
        }
      }
    }
    // The mirror check resolves every link twice: skipped when its findings would be dropped anyway.
    const mirrors = doc.hasSyntaxErrors ? undefined : publishedLevel('missing-mirror', severity, hints);
    if (mirrors !== undefined) this.pushMissingMirrors(doc, SEVERITY[mirrors], out);
    if (doc.slug !== undefined && this.claimants.heldByOthers('slug', doc.slug, uri)) this.pushDuplicate(doc, 'slug', severity, hints, out);
    if (doc.id !== undefined && this.claimants.heldByOthers('id', doc.id, uri)) this.pushDuplicate(doc, 'id', severity, hints, out);
    return out;
  }

  /** A canonical description of the whole index, for comparing two indexes in tests. */
  snapshot(severity: Partial<Record<DiagnosticCode, SeverityName>> = {}): string {
    const uris = [...this.docs.keys()].sort();
    const sortMap = (map: { entries(): IterableIterator<[string, Set<string>]> }): Array<[string, string[]]> =>
      [...map.entries()].filter(([, set]) => set.size > 0).map(([k, set]): [string, string[]] => [k, [...set].sort()]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    // Keys sorted: a document read back from the cache may list its fields in another order.
    const sortedKeys = (_key: string, value: unknown): unknown =>
      value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : value;
    const search = this.search.describe();
    const order = [...this.docs.keys()];
    return JSON.stringify(
      {
        docs: uris.map((uri) => this.docs.get(uri)),
        // The search structure holds every document's texts, in the order of the index's own map (which ranks ties).
        search: { ...search, patterns: [...search.patterns].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0)) },
        searchOrderFollowsIndex: search.patterns.length === order.length && search.patterns.every((entry, i) => entry.uri === order[i]),
        claimants: sortMap(this.claimants),
        referrers: sortMap(this.referrers),
        aliases: sortMap(this.byAlias),
        diagnostics: uris.map((uri) => [uri, this.diagnostics(uri, severity)]),
      },
      sortedKeys,
    );
  }

  /**
   * A curated relation whose schema declares a mirror (`enables` ↔ `requires`)
   * should be listed back in the target, when the target's schema has that relation.
   */
  private pushMissingMirrors(doc: PatternDocument, severity: 1 | 2 | 3 | 4, out: Diagnostic[]): void {
    for (const reference of doc.references) {
      if (reference.inferred || !reference.mirror || !reference.relation) continue;
      for (const target of this.resolve(reference)) {
        if (target.uri === doc.uri || target.hasSyntaxErrors || !target.declaredRelations.includes(reference.mirror)) continue;
        const mirrored = target.references.some((r) => !r.inferred && r.relation === reference.mirror && this.resolve(r).some((d) => d.uri === doc.uri));
        if (mirrored) continue;
        out.push({
          code: 'missing-mirror',
          range: reference.range,
          source: 'trellis',
          message: `This pattern lists \`${target.slug ?? target.fileSlug}\` under \`${reference.relation}\`, but ${target.fileSlug}.md does not list it back under \`${reference.mirror}\`.`,
          data: { targetUri: target.uri, relation: reference.relation, mirror: reference.mirror, path: reference.path, weight: reference.weight ?? null },
          severity,
        });
      }
    }
  }

  /** Called only for a name held by another file too (`heldByOthers`): nearly every name has one holder. */
  private pushDuplicate(doc: PatternDocument, kind: 'slug' | 'id', severity: Partial<Record<DiagnosticCode, SeverityName>>, hints: boolean, out: Diagnostic[]): void {
    const code = kind === 'slug' ? 'duplicate-slug' : 'duplicate-id';
    const level = publishedLevel(code, severity, hints);
    if (level === undefined) return;
    const value = kind === 'slug' ? doc.slug : doc.id;
    const range = kind === 'slug' ? doc.slugRange : doc.idRange;
    if (value === undefined || !range) return;
    const others = this.lookup(kind === 'slug' ? slugKey(value) : idKey(value)).filter((d) => d.uri !== doc.uri);
    if (others.length === 0) return;
    const names = others.map((d) => `${d.fileSlug}.md`).sort();
    const related: DiagnosticRelatedInformation[] = others.map((d) => ({
      location: { uri: d.uri, range: (kind === 'slug' ? d.slugRange : d.idRange) ?? d.frontmatterRange },
      message: `Also ${kind} \`${value}\``,
    }));
    out.push({
      code,
      range,
      source: 'trellis',
      message: `The ${kind} \`${value}\` is also used by ${listNames(names)}.`,
      relatedInformation: related,
      severity: SEVERITY[level],
    });
  }

  private lookup(key: Key): PatternDocument[] {
    const uris = this.claimants.get(key);
    if (!uris || uris.size === 0) return [];
    if (uris.size === 1) {
      // Nearly every name has one claimant: no arrays to build and sort.
      const doc = this.docs.get(uris.values().next().value as string);
      return doc ? [doc] : [];
    }
    // Sorted, so that results never depend on the order of past updates.
    const sorted = [...uris].sort();
    return sorted.map((uri) => this.docs.get(uri)!).filter(Boolean);
  }

  private affectedBy(previous: PatternDocument | undefined, next: PatternDocument | undefined): AffectedFiles {
    const affected = new AffectedFiles();
    const uri = (previous ?? next)!.uri;
    affected.add(uri);
    const before = new Set(identityKeys(previous).map(keyText));
    const after = new Set(identityKeys(next).map(keyText));
    const keys = new Map<string, Key>();
    for (const key of [...identityKeys(previous), ...identityKeys(next)]) keys.set(keyText(key), key);
    // Files that reference this one check that it mirrors them back: when its links change, so may their hints.
    const mirrors = new Set<string>();
    if (linkSignature(previous) !== linkSignature(next)) {
      for (const key of keys.values()) for (const other of this.referrers.get(key) ?? []) mirrors.add(other);
    }
    for (const [text, key] of keys) {
      const claimants = this.claimants.get(key);
      if (before.has(text) && after.has(text)) {
        // Same identity, but a duplicate's diagnostics point at where this file holds it, which may have moved.
        if (claimants && claimants.size > 1) for (const other of claimants) affected.add(other);
        continue;
      }
      for (const other of this.referrers.get(key) ?? []) affected.add(other);
      for (const other of claimants ?? []) affected.add(other);
    }
    for (const other of mirrors) {
      if (affected.has(other)) continue;
      affected.add(other);
      affected.mirrorsOnly.add(other);
    }
    return affected;
  }

  // link and unlink hold what identityKeys and referenceKeys say, without building the keys: a warm start
  // links the whole library at once, and the key objects took half its time.
  private link(doc: PatternDocument): void {
    const { uri } = doc;
    if (doc.slug !== undefined) this.claimants.add('slug', doc.slug, uri);
    if (doc.id !== undefined) this.claimants.add('id', doc.id, uri);
    if (doc.title) addTo(this.byAlias, doc.title.toLowerCase(), uri);
    for (const alias of doc.aliases) if (alias) addTo(this.byAlias, alias.toLowerCase(), uri);
    if (doc.hasSyntaxErrors) return;
    for (const reference of doc.references) this.referrers.add(reference.targetKind, reference.target, uri);
  }

  private unlink(doc: PatternDocument): void {
    const { uri } = doc;
    if (doc.slug !== undefined) this.claimants.remove('slug', doc.slug, uri);
    if (doc.id !== undefined) this.claimants.remove('id', doc.id, uri);
    if (doc.title) removeFrom(this.byAlias, doc.title.toLowerCase(), uri);
    for (const alias of doc.aliases) if (alias) removeFrom(this.byAlias, alias.toLowerCase(), uri);
    for (const reference of doc.references) this.referrers.remove(reference.targetKind, reference.target, uri);
  }
}

/** Everything about a file that the mirror hints of files referencing it depend on. */
function linkSignature(doc: PatternDocument | undefined): string {
  if (!doc) return '';
  if (doc.hasSyntaxErrors) return 'broken';
  const links = doc.references.filter((r) => !r.inferred && r.relation).map((r) => `${r.relation}\u0000${r.targetKind}\u0000${r.target}`).sort();
  return `${doc.declaredRelations.join(',')}\u0002${links.join('\u0001')}`;
}

/** The level a finding with this code is published at, or undefined when it is not (off, or a hint where hints are left out). */
function publishedLevel(code: DiagnosticCode, severity: Partial<Record<DiagnosticCode, SeverityName>>, hints: boolean): Exclude<SeverityName, 'off'> | undefined {
  const level = severity[code] ?? DIAGNOSTIC_CODES[code];
  return level === 'off' || (level === 'hint' && !hints) ? undefined : level;
}

function danglingMessage(reference: PatternReference): string {
  const what = reference.targetKind === 'id' ? 'id' : reference.targetKind === 'slug' ? 'slug' : 'slug or id';
  const listPath = reference.path.slice(0, Math.max(0, reference.path.findIndex((s) => typeof s === 'number'))) ;
  const where = reference.inferred ? `The inferred ${reference.relation ?? 'untyped'} link` : `\`${displayPath(listPath.length ? listPath : reference.path)}\``;
  return `${where} points to \`${reference.target}\`, but no pattern has that ${what}.`;
}

function listNames(names: string[]): string {
  if (names.length <= 3) return names.join(', ');
  return `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function removeFrom(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
