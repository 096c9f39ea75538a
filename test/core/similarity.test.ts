import * as assert from 'node:assert/strict';
import { compareSuggestions, suggestTargets, suggestTargetsPaced, type Suggestion } from '../../server/src/core/candidates';
import type { PatternDocument } from '../../server/src/core/pattern';
import type { PatternIndex } from '../../server/src/core/patternIndex';
import { closest, editDistance } from '../../server/src/core/similarity';
import { rng } from '../helpers';

/** The whole table, no band and no cap: optimal string alignment as its definition reads. */
function reference(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

describe('edit distance', () => {
  it('is the distance when within the limit, else the limit plus one, on 40,000 random pairs', () => {
    const random = rng(11);
    const word = (alphabet: string, max: number): string => Array.from({ length: Math.floor(random() * (max + 1)) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let n = 0; n < 40_000; n++) {
      // Small alphabets make near strings (and transpositions) common; long ones grow the shared rows.
      const alphabet = n % 3 === 0 ? 'ab' : n % 3 === 1 ? 'abc-' : 'abcdefghij';
      const a = word(alphabet, n % 50 === 0 ? 90 : 14);
      const b = random() < 0.3 ? a.slice(0, Math.floor(random() * a.length)) + word(alphabet, 3) + a.slice(Math.floor(random() * a.length)) : word(alphabet, n % 50 === 0 ? 90 : 14);
      const limit = n % 7 === 0 ? Infinity : Math.floor(random() * 8);
      const exact = reference(a, b);
      assert.equal(editDistance(a, b, limit), exact <= limit ? exact : limit + 1, `${JSON.stringify(a)} ${JSON.stringify(b)} limit ${limit}`);
    }
  });

  it('counts a swapped pair of letters as one edit', () => {
    assert.equal(editDistance('watering-rota', 'wtaering-rota'), 1);
    assert.equal(editDistance('ab', 'ba', 0), 1);
    assert.equal(editDistance('', 'abc', 2), 3);
    assert.equal(editDistance('abc', '', 5), 3);
  });

  it('closest: the candidates within a third of the word, nearest first', () => {
    assert.deepEqual(closest('stauts', ['status', 'state', 'stars', 'version']), ['status', 'stars', 'state']);
    assert.deepEqual(closest('domian', ['domain', 'domains', 'cross_domains']), ['domain', 'domains']);
  });
});

/** Every pattern scored in full (the whole table, words as sets), sorted, cut: what the suggestions must equal. */
function referenceSuggestions(docs: PatternDocument[], target: string, max: number, exclude?: string): Suggestion[] {
  const wordSet = (text: string) => new Set(text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2));
  const out: Suggestion[] = [];
  const words = wordSet(target);
  const limit = Math.max(2, Math.ceil(target.length / 2));
  for (const doc of docs) {
    if (doc.uri === exclude) continue;
    if (target.startsWith('pat_')) {
      if (doc.id === undefined) continue;
      const distance = reference(target, doc.id);
      if (distance <= 4) out.push({ doc, cost: distance });
      continue;
    }
    const slug = doc.slug ?? doc.fileSlug;
    const distance = Math.min(reference(target, slug), limit + 1);
    const docWords = wordSet(`${slug} ${doc.title ?? ''} ${doc.aliases.join(' ')}`);
    let shared = 0;
    for (const word of words) if (docWords.has(word)) shared++;
    const overlap = words.size ? shared / words.size : 0;
    if (distance > limit && overlap < 0.5) continue;
    out.push({ doc, cost: distance - overlap * 4 });
  }
  return out.sort(compareSuggestions).slice(0, max);
}

describe('suggestions for a dangling reference', () => {
  it('equal scoring every pattern in full, on 600 random targets over random libraries', async () => {
    const random = rng(5);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
    const vocabulary = ['garden', 'commons', 'care', 'trust', 'water', 'seed', 'guild', 'rota', 'circle', 'tool', 'share', 'repair', 'food', 'council'];
    const typo = (text: string): string => {
      const at = Math.floor(random() * Math.max(1, text.length));
      const kind = Math.floor(random() * 4);
      if (kind === 0) return text.slice(0, at) + text.slice(at + 1);
      if (kind === 1) return text.slice(0, at) + pick('abcdefgh0123'.split('')) + text.slice(at);
      if (kind === 2) return text.slice(0, at) + pick('xyz9'.split('')) + text.slice(at + 1);
      return at + 1 < text.length ? text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2) : text + 'q';
    };
    const idOf = () => 'pat_01' + Array.from({ length: 24 }, () => pick('0123456789abcdefghjkmnpqrstvwxyz'.split(''))).join('');
    for (let library = 0; library < 30; library++) {
      const docs: PatternDocument[] = [];
      const size = 20 + Math.floor(random() * 180);
      for (let n = 0; n < size; n++) {
        const words = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(vocabulary));
        // Duplicates (same slug, two files) on purpose: ties go by URI.
        const slug = random() < 0.05 && docs.length ? docs[docs.length - 1]!.slug! : words.join('-');
        const doc = { uri: `file:///lib/${n}-${slug}.md`, fileSlug: slug, slug, title: random() < 0.8 ? words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ') : undefined, aliases: random() < 0.3 ? [pick(vocabulary) + ' ' + pick(vocabulary)] : [], ...(random() < 0.7 ? { id: random() < 0.2 && docs[0]?.id ? typo(docs[0].id) : idOf() } : {}) };
        docs.push(doc as unknown as PatternDocument);
      }
      const index = { documents: () => docs.values() } as unknown as PatternIndex;
      for (let t = 0; t < 20; t++) {
        const some = pick(docs);
        const kind = Math.floor(random() * 4);
        const target = kind === 0 ? typo(typo(some.slug!)) : kind === 1 ? typo(some.slug!) : kind === 2 ? [pick(vocabulary), pick(vocabulary)].join('-') : typo(some.id ?? idOf());
        const max = pick([1, 3, 5]);
        const exclude = random() < 0.3 ? some.uri : undefined;
        const expected = referenceSuggestions(docs, target, max, exclude).map((s) => `${s.doc.uri} ${s.cost}`);
        assert.deepEqual(suggestTargets(index, target, max, exclude).map((s) => `${s.doc.uri} ${s.cost}`), expected, target);
        const paced = await suggestTargetsPaced(index, target, max, exclude, { check: async () => undefined } as never);
        assert.deepEqual(paced.map((s) => `${s.doc.uri} ${s.cost}`), expected, `${target} (paced)`);
      }
    }
  });
});
