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
 * A pattern's slug, title and aliases in lower case, for finding words in.
 * Documents are immutable (a change makes a new one), so this memo can never
 * be stale.
 */
const wordTextOf = new WeakMap<PatternDocument, string>();
function patternWordText(doc: PatternDocument): string {
  let text = wordTextOf.get(doc);
  if (text === undefined) {
    text = `${doc.slug ?? doc.fileSlug} ${doc.title ?? ''} ${doc.aliases.join(' ')}`.toLowerCase();
    wordTextOf.set(doc, text);
  }
  return text;
}

/** Whether `word` (letters and digits) is one of the words of `text`: a run of letters and digits, whole. */
function hasWord(text: string, word: string): boolean {
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    if ((at === 0 || !isWordChar(text.charCodeAt(at - 1))) && !isWordChar(text.charCodeAt(at + word.length))) return true;
  }
  return false;
}

/** a-z or 0-9 (NaN past the end: not). */
function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}

/** The words of a text that count (longer than two characters), each once. */
function wordsOf(text: string): string[] {
  return [...new Set(text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2))];
}

export interface Suggestion {
  doc: PatternDocument;
  /** Smaller is better. */
  cost: number;
}

/**
 * Patterns an author probably meant by a slug or id that matches none, best
 * first. For a slug: edit distance on the slug (a transposition counts as one
 * edit), with credit for words shared with the slug, title and aliases. For
 * an id (`pat_…`): a pattern whose id is within four edits, a typo; ids are
 * opaque, so nothing else comes near.
 */
export function suggestTargets(index: PatternIndex, target: string, max = 3, exclude?: string): Suggestion[] {
  const score = suggestionScorer(target, exclude);
  const best = new BestSuggestions(max);
  for (const doc of index.documents()) best.offer(score(doc, best.worst()));
  return best.list();
}

/** suggestTargets for a request that may be cancelled: the same answer, checking `checkpoint` as it goes. */
export async function suggestTargetsPaced(index: PatternIndex, target: string, max: number, exclude: string | undefined, checkpoint: Checkpoint): Promise<Suggestion[]> {
  const score = suggestionScorer(target, exclude);
  const best = new BestSuggestions(max);
  let n = 0;
  for (const doc of index.documents()) {
    if (++n % 128 === 0) await checkpoint.check();
    best.offer(score(doc, best.worst()));
  }
  return best.list();
}

/**
 * Scores a pattern, given the cost it must not exceed to be among the best
 * so far: the edit distance is only worked out that far (a pattern further
 * away could not get in), which on a large library is most of them.
 */
function suggestionScorer(target: string, exclude: string | undefined): (doc: PatternDocument, worst: number) => Suggestion | undefined {
  if (target.startsWith('pat_')) {
    return (doc, worst) => {
      if (doc.uri === exclude || doc.id === undefined) return undefined;
      const within = Math.min(ID_EDITS, Math.floor(worst));
      if (within < 0) return undefined;
      const distance = editDistance(target, doc.id, within);
      return distance <= within ? { doc, cost: distance } : undefined;
    };
  }
  const words = wordsOf(target);
  const limit = Math.max(2, Math.ceil(target.length / 2));
  return (doc, worst) => {
    if (doc.uri === exclude) return undefined;
    let shared = 0;
    if (words.length) {
      const text = patternWordText(doc);
      for (const word of words) if (hasWord(text, word)) shared++;
    }
    const overlap = words.length ? shared / words.length : 0;
    // One shared word in two is worth about two edits: the cost is the distance (at most limit + 1) less four times the overlap.
    // (A hair over, so that a cost equal to the worst, which may still win on its slug, is never rounded out.)
    const within = Math.min(limit, Math.floor(worst + overlap * 4 + 1e-9));
    if (within < 0) return undefined;
    const distance = editDistance(target, doc.slug ?? doc.fileSlug, within);
    if (distance > within) {
      // Further than `within`: when that is less than the limit, its cost is above the worst kept (it
      // cannot get in); else it is past the limit, a candidate only for its words.
      if (within < limit || overlap < 0.5) return undefined;
      return { doc, cost: limit + 1 - overlap * 4 };
    }
    return { doc, cost: distance - overlap * 4 };
  };
}

/**
 * The `max` best suggestions offered, in order: by cost, then slug, then URI
 * (a total order, so the answer is that of sorting every candidate).
 */
class BestSuggestions {
  private readonly kept: Suggestion[] = [];

  constructor(private readonly max: number) {}

  /** The cost a suggestion must not exceed to get in (Infinity while there is room). */
  worst(): number {
    return this.kept.length < this.max ? Number.POSITIVE_INFINITY : this.kept[this.kept.length - 1]!.cost;
  }

  offer(suggestion: Suggestion | undefined): void {
    if (!suggestion || this.max <= 0) return;
    const kept = this.kept;
    if (kept.length === this.max && compareSuggestions(suggestion, kept[kept.length - 1]!) >= 0) return;
    let at = kept.length;
    while (at > 0 && compareSuggestions(suggestion, kept[at - 1]!) < 0) at--;
    kept.splice(at, 0, suggestion);
    if (kept.length > this.max) kept.pop();
  }

  list(): Suggestion[] {
    return [...this.kept];
  }
}

export function compareSuggestions(a: Suggestion, b: Suggestion): number {
  if (a.cost !== b.cost) return a.cost - b.cost;
  const slugA = a.doc.slug ?? '';
  const slugB = b.doc.slug ?? '';
  if (slugA !== slugB) return slugA < slugB ? -1 : 1;
  return a.doc.uri < b.doc.uri ? -1 : a.doc.uri > b.doc.uri ? 1 : 0;
}

/** How far an id may be from a pattern's to be taken for a typo of it. */
const ID_EDITS = 4;

