/**
 * Ranking patterns against what an author typed: fuzzy matching for
 * completion and workspace symbols, and "what did they mean" for a dangling
 * reference (a typo, a swapped pair of letters, or words from a title).
 */
import type { Checkpoint } from './cancellation';
import type { PatternDocument } from './pattern';
import type { PatternIndex } from './patternIndex';
import { editDistance } from './similarity';

/**
 * A fuzzy score of `query` against `target`: every query character in order,
 * with bonuses for consecutive characters and word starts. -1 when no match.
 */
export function fuzzyScore(query: string, target: string): number {
  return fuzzyScoreLowered(fuzzyQuery(query), target.toLowerCase());
}

/** A query in the form the scorer reads: lower case, and without spaces, which separate words the author remembers, not characters to match. */
export function fuzzyQuery(query: string): string {
  return query.toLowerCase().replace(/\s+/g, '');
}

/** fuzzyScore on a query from `fuzzyQuery` and a target already in lower case. */
export function fuzzyScoreLowered(q: string, t: string): number {
  if (q.length === 0) return 0;
  let score = 0;
  let from = 0;
  let previous = -2;
  for (let i = 0; i < q.length; i++) {
    const found = t.indexOf(q[i]!, from);
    if (found === -1) return -1;
    score += 1;
    if (found === previous + 1) score += 3;
    if (found === 0 || isSeparator(t.charCodeAt(found - 1))) score += 2;
    previous = found;
    from = found + 1;
  }
  if (t.startsWith(q)) score += 5;
  // Shorter targets win ties: `garden` over `garden-charter-amendments` for "garden".
  return score - t.length / 100;
}

/**
 * The most the bonuses of fuzzyScoreLowered can add up to for `q` (before the
 * length is taken off), on a target that does not start with `q` and on one
 * that does. The first character cannot follow a previous one; a later one can
 * both follow the previous and start a word only when the previous query
 * character is itself a separator. Kept next to the scorer: the search index
 * (patternSearch.ts) skips a target whose ceiling cannot beat what it has.
 */
export function fuzzyScoreCeiling(q: string): { plain: number; prefixed: number } {
  if (q.length === 0) return { plain: 0, prefixed: 0 };
  let plain = 3;
  for (let i = 1; i < q.length; i++) plain += isSeparator(q.charCodeAt(i - 1)) ? 6 : 4;
  return { plain, prefixed: plain + 5 };
}

/** Space, hyphen, underscore, dot or slash: where a new word starts. */
export function isSeparator(code: number): boolean {
  return code === 32 || code === 45 || code === 95 || code === 46 || code === 47 || code === 9;
}

/**
 * The words of a pattern's slug, title and aliases. Documents are immutable
 * (a change makes a new one), so this memo can never be stale.
 */
const wordsOf = new WeakMap<PatternDocument, Set<string>>();
function patternWords(doc: PatternDocument): Set<string> {
  let words = wordsOf.get(doc);
  if (!words) {
    words = new Set(`${doc.slug ?? doc.fileSlug} ${doc.title ?? ''} ${doc.aliases.join(' ')}`.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2));
    wordsOf.set(doc, words);
  }
  return words;
}

export interface Suggestion {
  doc: PatternDocument;
  /** Smaller is better. */
  cost: number;
}

/**
 * Patterns an author probably meant by a slug or id that matches none, best
 * first: edit distance on the slug (a transposition counts as one edit), with
 * credit for words shared with the slug, title and aliases.
 */
export function suggestTargets(index: PatternIndex, target: string, max = 3, exclude?: string): Suggestion[] {
  const score = suggestionScorer(target, exclude);
  const scored: Suggestion[] = [];
  for (const doc of index.documents()) {
    const suggestion = score(doc);
    if (suggestion) scored.push(suggestion);
  }
  return best(scored, max);
}

/** suggestTargets for a request that may be cancelled: the same answer, checking `checkpoint` as it goes. */
export async function suggestTargetsPaced(index: PatternIndex, target: string, max: number, exclude: string | undefined, checkpoint: Checkpoint): Promise<Suggestion[]> {
  const score = suggestionScorer(target, exclude);
  const scored: Suggestion[] = [];
  let n = 0;
  for (const doc of index.documents()) {
    if (++n % 128 === 0) await checkpoint.check();
    const suggestion = score(doc);
    if (suggestion) scored.push(suggestion);
  }
  return best(scored, max);
}

function suggestionScorer(target: string, exclude: string | undefined): (doc: PatternDocument) => Suggestion | undefined {
  const words = new Set(target.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2));
  const limit = Math.max(2, Math.ceil(target.length / 2));
  return (doc) => {
    if (doc.uri === exclude) return undefined;
    const slug = doc.slug ?? doc.fileSlug;
    const distance = target.startsWith('pat_') && doc.id ? editDistance(target, doc.id, 4) : editDistance(target, slug, limit);
    const docWords = patternWords(doc);
    let shared = 0;
    for (const word of words) if (docWords.has(word)) shared++;
    const overlap = words.size ? shared / words.size : 0;
    if (distance > limit && overlap < 0.5) return undefined;
    // One shared word in two is worth about two edits.
    return { doc, cost: Math.min(distance, limit + 1) - overlap * 4 };
  };
}

function best(scored: Suggestion[], max: number): Suggestion[] {
  scored.sort((a, b) => a.cost - b.cost || ((a.doc.slug ?? '') < (b.doc.slug ?? '') ? -1 : 1));
  return scored.slice(0, max);
}
