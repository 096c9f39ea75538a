/**
 * The search structure behind reference completion and workspace symbols
 * (server/src/core/patternSearch.ts) against a full scan of the index with the
 * scorer as it was (test/completionOracle.ts): the same items in the same
 * order for random queries, on random libraries and on the real corpus, and
 * after any sequence of index updates the same structure as a fresh build.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Range } from 'vscode-languageserver-types';
import { Checkpoint } from '../../server/src/core/cancellation';
import { fuzzyQuery, fuzzyScoreCeiling, fuzzyScoreLowered } from '../../server/src/core/candidates';
import { referenceItems } from '../../server/src/core/languageFeatures/completion';
import { workspaceSymbols } from '../../server/src/core/languageFeatures/symbols';
import { TrellisLibrary } from '../../server/src/core/library';
import type { PatternDocument } from '../../server/src/core/pattern';
import { PatternSearch } from '../../server/src/core/patternSearch';
import type { ReferenceTarget } from '../../server/src/core/schemaModel';
import { NodeLibraryHost } from '../../server/src/nodeHost';
import { oracleReferenceItems, oracleWorkspaceSymbols } from '../completionOracle';
import { MemoryHost, ROOT, rng } from '../helpers';

const REPO = path.resolve(__dirname, '..', '..');
const CORPUS = ['/work/shared/corpus/commons-os-patterns', path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns')].find((d) => existsSync(d));
const RANGE: Range = { start: { line: 3, character: 10 }, end: { line: 3, character: 12 } };
const TARGETS: ReferenceTarget[] = ['slug', 'id', 'slug-or-id'];

/** Words with what makes matching hard: case that lower-cases to other lengths or to ASCII, surrogate pairs, separators, digits. */
const WORDS = [
  'commons', 'garden', 'tool', 'library', 'seed', 'circle', 'rota', 'compost', 'care', 'repair', 'map', 'ledger', 'trust', 'mutual',
  'Café', 'Straße', 'İstanbul', 'naïve', 'Ωmega', '日本語', '😀smile', 'KELVIN', 'x_y', 'a.b', 'dir/sub', 'ÆØÅ', 'co-op', '42', '7', 'Seed',
];

type Pick = () => number;
const choose = <T>(pick: Pick, items: readonly T[]): T => items[Math.floor(pick() * items.length)]!;

function phrase(pick: Pick, separator: string, words = 1 + Math.floor(pick() * 4)): string {
  return Array.from({ length: words }, () => choose(pick, WORDS)).join(separator);
}

function typeIdLike(pick: Pick): string {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  let out = pick() < 0.8 ? 'pat_01' : choose(pick, ['pat_', 'PAT_', 'p', '']);
  while (out.length < 10 + Math.floor(pick() * 16)) out += choose(pick, alphabet.split(''));
  return out;
}

/** A document with random identity, title and aliases; `titles` is a small pool, so that equal titles (ties) are common. */
function randomDoc(pick: Pick, uri: string, titles: string[]): PatternDocument {
  const fileSlug = decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1)).replace(/\.md$/, '');
  const slug = pick() < 0.85 ? (pick() < 0.7 ? fileSlug : phrase(pick, '-').toLowerCase()) : undefined;
  const r = pick();
  const title = r < 0.1 ? undefined : r < 0.13 ? '' : r < 0.4 ? choose(pick, titles) : phrase(pick, ' ');
  const aliases = Array.from({ length: pick() < 0.6 ? 0 : Math.floor(pick() * 4) }, () => (pick() < 0.1 ? '' : phrase(pick, ' ', 1 + Math.floor(pick() * 2))));
  const s = pick();
  const id = s < 0.15 ? undefined : s < 0.18 ? '' : s < 0.25 ? choose(pick, ['pat_01dup', 'pat_01dupe', 'Pat_01x']) : typeIdLike(pick);
  const range: Range = { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } };
  return {
    uri,
    fileSlug,
    schemaName: 'test',
    declaredRelations: [],
    slug,
    slugRange: slug === undefined ? undefined : range,
    id,
    title,
    aliases,
    references: [],
    frontmatterRange: range,
    hasSyntaxErrors: pick() < 0.05,
    localDiagnostics: [],
  };
}

function randomUri(pick: Pick, i: number): string {
  return `${ROOT}/${encodeURIComponent(phrase(pick, '-', 1 + Math.floor(pick() * 3)).toLowerCase())}-${i}.md`;
}

/** A query as an author might type one: short ones from an alphabet, or a piece of a pattern's slug, title, alias or id, in any case, with spaces. */
function randomQuery(pick: Pick, docs: PatternDocument[]): string {
  const r = pick();
  if (r < 0.08) return choose(pick, ['', ' ', '  ', '\t']);
  if (r < 0.45) {
    const alphabet = 'abcdefgilmnoprstuCGR0123456789 -_.é日😀İK';
    return Array.from({ length: 1 + Math.floor(pick() * 3) }, () => choose(pick, [...alphabet])).join('');
  }
  const doc = choose(pick, docs);
  const sources = [doc.slug ?? doc.fileSlug, doc.title ?? '', ...doc.aliases, doc.id ?? '', 'pat_01', 'pat_'];
  const text = choose(pick, sources);
  const from = pick() < 0.6 ? 0 : Math.floor(pick() * text.length);
  let query = text.slice(from, from + 1 + Math.floor(pick() * 8));
  if (pick() < 0.3) query = query.toUpperCase();
  if (pick() < 0.2) query = query.replace(/-/g, ' ');
  if (pick() < 0.1) query = ` ${query} `;
  return query;
}

function randomListed(pick: Pick, docs: PatternDocument[]): Set<string> {
  const listed = new Set<string>();
  for (let n = Math.floor(pick() * 6); n > 0; n--) {
    const doc = choose(pick, docs);
    listed.add(pick() < 0.7 ? (doc.slug ?? doc.fileSlug) : (doc.id ?? 'none'));
  }
  return listed;
}

/** One completion query, by the structure and by the full scan: the same items and the same `isIncomplete`. */
function checkCompletion(library: TrellisLibrary, pick: Pick, docs: PatternDocument[], query = randomQuery(pick, docs), context = ''): void {
  const target = choose(pick, TARGETS);
  const self = pick() < 0.8 ? choose(pick, docs).uri : `${ROOT}/elsewhere.md`;
  const listed = randomListed(pick, docs);
  const max = choose(pick, [0, 1, 3, 50, 50, 50, 200]);
  const actual = referenceItems(library, self, target, query, RANGE, listed, max);
  const expected = oracleReferenceItems(library, self, target, query, RANGE, listed, max);
  assert.deepEqual(actual, expected, `${context}query ${JSON.stringify(query)}, target ${target}, max ${max}, listed ${JSON.stringify([...listed])}, self ${self}`);
}

function libraryOf(docs: PatternDocument[]): TrellisLibrary {
  const library = new TrellisLibrary(ROOT, new MemoryHost());
  for (const doc of docs) library.index.set(doc);
  return library;
}

/** The structure built afresh from the index's documents in its order. */
function freshDescription(library: TrellisLibrary): ReturnType<PatternSearch['describe']> {
  const fresh = new PatternSearch();
  for (const doc of library.index.documents()) fresh.put(doc);
  return fresh.describe();
}

describe('the search structure (completion and workspace symbols)', () => {
  it('bounds the scorer: no score exceeds the ceiling fuzzyScoreCeiling gives (with or without the prefix bonus)', () => {
    const pick = rng(5);
    const alphabet = [...'ab-_. c1é'];
    for (let n = 0; n < 20000; n++) {
      const q = fuzzyQuery(Array.from({ length: 1 + Math.floor(pick() * 4) }, () => choose(pick, alphabet)).join(''));
      const t = Array.from({ length: Math.floor(pick() * 12) }, () => choose(pick, alphabet)).join('');
      const score = fuzzyScoreLowered(q, t);
      // An empty query scores 0 on anything, with no length taken off: the search treats it apart.
      if (score < 0 || q === '') continue;
      const ceiling = fuzzyScoreCeiling(q);
      assert.ok(score <= (t.startsWith(q) ? ceiling.prefixed : ceiling.plain) - t.length / 100, `${JSON.stringify(q)} on ${JSON.stringify(t)} scores ${score}`);
    }
  });

  it('completes exactly as a full scan on random libraries of 3,000 patterns with ties, unicode and odd ids', () => {
    for (const seed of [1, 2, 3]) {
      const pick = rng(seed);
      const titles = Array.from({ length: 12 }, () => phrase(pick, ' '));
      const docs = Array.from({ length: 3000 }, (_, i) => randomDoc(pick, randomUri(pick, i), titles));
      const library = libraryOf(docs);
      for (let n = 0; n < 500; n++) checkCompletion(library, pick, docs, undefined, `seed ${seed}: `);
    }
  });

  it('gives the workspace symbols of a full scan, with ties by locale, then URI', async () => {
    const pick = rng(11);
    const titles = Array.from({ length: 8 }, () => phrase(pick, ' '));
    const docs = Array.from({ length: 2000 }, (_, i) => randomDoc(pick, randomUri(pick, i), titles));
    const library = libraryOf(docs);
    for (let n = 0; n < 300; n++) {
      const query = randomQuery(pick, docs);
      const max = choose(pick, [1, 20, 200, 5000]);
      assert.deepEqual(await workspaceSymbols(library, query, max), oracleWorkspaceSymbols(library, query, max), `query ${JSON.stringify(query)}, max ${max}`);
    }
  });

  it('keeps the order of the index for ties that the title cannot break', () => {
    // Same title, same slug length: only the order the index took them in separates them.
    const pick = rng(3);
    const docs = ['b', 'a', 'c', 'e', 'd'].map((letter, i) => ({ ...randomDoc(pick, `${ROOT}/x${letter}.md`, []), slug: `tie-${letter}`, title: 'Same', aliases: [], id: `pat_${i}`, hasSyntaxErrors: false }));
    const library = libraryOf(docs);
    // Replaced in place: keeps its place. Removed and added again: goes last.
    library.index.update({ ...docs[0]!, summary: 'edited' });
    library.index.remove(docs[1]!.uri);
    library.index.update(docs[1]!);
    const labels = referenceItems(library, `${ROOT}/elsewhere.md`, 'slug', 'tie', RANGE, new Set(), 10).items.map((i) => i.label);
    assert.deepEqual(labels, ['tie-b', 'tie-c', 'tie-e', 'tie-d', 'tie-a']);
    assert.deepEqual(labels, oracleReferenceItems(library, `${ROOT}/elsewhere.md`, 'slug', 'tie', RANGE, new Set(), 10).items.map((i) => i.label));
  });

  it('after any sequence of index updates (a load\'s documents settled lazily, in slices or at once), equals a structure built afresh, and still completes as a full scan', () => {
    for (const seed of [21, 22, 23, 24]) {
      const pick = rng(seed);
      const titles = Array.from({ length: 6 }, () => phrase(pick, ' '));
      // A small pool of files, so that the same ones are replaced and removed again and again; one run with more, for bulk changes.
      const uris = Array.from({ length: seed === 24 ? 700 : 60 }, (_, i) => randomUri(pick, i));
      const library = new TrellisLibrary(ROOT, new MemoryHost());
      const index = library.index;
      const log: string[] = [];
      for (let step = 0; step < 1500; step++) {
        const r = pick();
        const uri = choose(pick, uris);
        const previous = index.get(uri);
        if (r < 0.004) {
          index.clear();
          log.push('clear');
        } else if (r < 0.02) {
          // A load: many documents set at once.
          for (const each of uris) if (pick() < 0.6) index.set(randomDoc(pick, each, titles));
          log.push('set many');
        } else if (r < 0.035) {
          // Part of a load's backlog into the structure, as the server does in slices after a load.
          index.settleSearch(1 + Math.floor(pick() * 40));
          log.push('settle some');
        } else if (r < 0.25) {
          index.remove(uri);
          log.push(`remove ${uri}`);
        } else if (r < 0.45 && previous) {
          // An edit that keeps slug, title, aliases and id: the texts stay in place.
          index.update({ ...previous, summary: `edit ${step}` });
          log.push(`edit ${uri}`);
        } else if (r < 0.6 && previous) {
          // One more or one fewer alias: the texts move.
          const aliases = previous.aliases.length && pick() < 0.5 ? previous.aliases.slice(1) : [...previous.aliases, phrase(pick, ' ', 1)];
          index.update({ ...previous, aliases });
          log.push(`aliases ${uri}`);
        } else {
          const doc = randomDoc(pick, uri, titles);
          if (pick() < 0.5) index.set(doc);
          else index.update(doc);
          log.push(`put ${uri}`);
        }
        if (step % 25 === 0 || step === 1499) {
          const context = `seed ${seed} after ${log.slice(-5).join(', ')} (step ${step})`;
          index.search.checkConsistency();
          assert.deepEqual(index.search.describe(), freshDescription(library), context);
          const docs = [...index.documents()];
          if (docs.length) for (let n = 0; n < 4; n++) checkCompletion(library, pick, docs, undefined, `${context}: `);
        }
      }
    }
  });

  it('packs away the texts of replaced patterns: 20,000 edits of 40 patterns leave it bounded', () => {
    const pick = rng(8);
    const uris = Array.from({ length: 40 }, (_, i) => randomUri(pick, i));
    const library = new TrellisLibrary(ROOT, new MemoryHost());
    for (let step = 0; step < 20000; step++) {
      const uri = choose(pick, uris);
      const doc = randomDoc(pick, uri, []);
      // Alternate the number of aliases, so that every edit moves the pattern's texts.
      library.index.update({ ...doc, aliases: step % 2 ? ['one'] : ['one', 'two', 'three'] });
      if (pick() < 0.01) library.index.remove(uri);
    }
    const stats = library.index.search.stats();
    assert.ok(stats.deadTexts <= Math.max(1024, stats.texts - stats.deadTexts), JSON.stringify(stats));
    assert.ok(stats.texts < 3000, `texts grew to ${stats.texts}`);
    assert.ok(stats.slots <= 40, `slots grew to ${stats.slots}`);
    library.index.search.checkConsistency();
    assert.deepEqual(library.index.search.describe(), freshDescription(library));
  });

  it('a paced search (workspace symbols) that yields while the index changes starts again on the new index', async () => {
    const pick = rng(9);
    const docs = Array.from({ length: 9000 }, (_, i) => randomDoc(pick, randomUri(pick, i), []));
    const library = libraryOf(docs);
    // No word has a z: only this pattern matches.
    const late = { ...randomDoc(pick, `${ROOT}/late.md`, []), slug: 'zzlate', title: 'Late', aliases: [], hasSyntaxErrors: false };
    let yields = 0;
    // Yields at every check; the first yield adds the pattern.
    const checkpoint = new Checkpoint({
      sliceMs: 0,
      yieldToHost: async () => {
        if (yields++ === 0) library.index.update(late);
      },
    });
    const found = await workspaceSymbols(library, 'zzlate', 200, checkpoint);
    assert.ok(yields > 1, 'the search yielded');
    assert.deepEqual(found.map((s) => s.location.uri), [late.uri]);
    assert.deepEqual(await workspaceSymbols(library, 'ate', 50, checkpoint), oracleWorkspaceSymbols(library, 'ate', 50));
  });

  describe('on the real corpus', () => {
    let library: TrellisLibrary;
    let docs: PatternDocument[];

    before(async function () {
      if (!CORPUS) this.skip();
      // Read only: the corpus is not written to.
      const host = new NodeLibraryHost();
      library = new TrellisLibrary(pathToFileURL(CORPUS!).href, host);
      await library.load();
      await host.dispose();
      docs = [...library.index.documents()];
    });

    it('completes exactly as a full scan for random queries', () => {
      assert.ok(docs.length > 3000);
      const pick = rng(17);
      for (let n = 0; n < 800; n++) checkCompletion(library, pick, docs);
    });

    it('completes exactly as a full scan for every prefix of the slug and title of 80 patterns', () => {
      const pick = rng(18);
      for (let n = 0; n < 80; n++) {
        const doc = choose(pick, docs);
        for (const text of [doc.slug ?? doc.fileSlug, doc.title ?? '']) for (let end = 0; end <= Math.min(text.length, 8); end++) checkCompletion(library, pick, docs, text.slice(0, end));
      }
    });

    it('gives the workspace symbols of a full scan', async () => {
      const pick = rng(19);
      for (let n = 0; n < 150; n++) {
        const query = randomQuery(pick, docs);
        assert.deepEqual(await workspaceSymbols(library, query), oracleWorkspaceSymbols(library, query), `query ${JSON.stringify(query)}`);
      }
    });
  });
});
