/**
 * The index's search structure for fuzzy matching (reference completion,
 * workspace symbols): every pattern's slug, title and aliases in lower case,
 * and what lets a query pass over most of them without reading a string,
 * in flat typed arrays: for each text, bit masks of the characters it holds,
 * of those that start a word in it and of its pairs of adjacent characters
 * (hashed to 64 bits), its length and its first three characters; for each
 * pattern, the masks of its texts or'ed together. Ids are kept sorted, for
 * the patterns whose id starts with what was typed.
 *
 * A query is answered in up to three phases. Each takes candidates: the
 * patterns whose masks hold every character of the query, each with its
 * ceiling, the most its texts could score (the scorer's bonuses that the
 * masks allow, less the length, times the weight: see `fuzzyScoreCeiling`).
 * It sorts them by ceiling and scores them in that order, keeping the best
 * `max`, until no ceiling left reaches the worst of those. The first phase
 * takes the patterns with a text that starts like the query or an id that
 * starts with the id prefix; the second, those with the query's first
 * character at a word start; the third, the rest. A phase runs only when the
 * ceiling of what is left (no prefix bonus, then no start bonus for the first
 * character either) could still reach the worst kept: typing the start of a
 * slug or title word rarely needs the third.
 *
 * Ties go by the name (title, else file name), then by the order the index
 * took the documents in, so the answer is exactly that of scoring every
 * pattern in the index's order (test/core/patternSearch.test.ts holds it to
 * that full scan, test/completionOracle.ts).
 *
 * `PatternIndex` keeps it: `put` for every document set, `delete`, `clear`.
 * A slot is a pattern; a removed pattern's slot is reused (its place in the
 * order is kept apart, in `seq`); a pattern's texts are contiguous, rewritten
 * in place when their number stays, else appended, and dead ones are packed
 * away once they outnumber the live. After any sequence of updates,
 * `describe()` equals that of one built fresh from the index's documents in
 * their order.
 */
import type { Checkpoint } from './cancellation';
import { fuzzyQuery, fuzzyScoreCeiling, fuzzyScoreLowered, isSeparator } from './candidates';
import type { PatternDocument } from './pattern';

/** How a match on each kind of text counts: slug, title, alias. */
const WEIGHTS = [1, 0.9, 0.8] as const;
const SLUG = 0;
const TITLE = 1;
const ALIAS = 2;

/** How ties between equal scores are broken, after which the order is total. */
export type TieOrder =
  /** By name in UTF-16 code units, then the index's order (completion). */
  | 'name'
  /** By name with `localeCompare`, then by URI (workspace symbols). */
  | 'locale';

export interface SearchRequest {
  /** What the author typed; matched as `fuzzyQuery` reads it. Empty (after spaces are dropped): every pattern matches with 0. */
  query: string;
  /** How many to return at most. */
  max: number;
  ties: TieOrder;
  /** Patterns to leave out whatever their score (asked only of patterns that match). */
  include?: (doc: PatternDocument) => boolean;
  /** A pattern whose id starts with `prefix` (case as given) scores at least `score`. */
  idPrefix?: { prefix: string; score: number };
}

export interface SearchResult {
  /** The best patterns, best first. */
  docs: PatternDocument[];
  /** More patterns than `max` matched. */
  more: boolean;
}

/** The structure in a canonical form, for tests: equal for an incremental and a fresh one. */
export interface SearchDescription {
  /** Every pattern in the index's order. */
  patterns: Array<{
    uri: string;
    name: string;
    id: string | undefined;
    texts: Array<{ text: string; weight: number; mask: number; wordStarts: number; pairs: [number, number]; length: number; head: number }>;
    mask: number;
    wordStarts: number;
    nameHead: number;
  }>;
  /** The ids in their sorted order. */
  ids: string[];
}

const NO_SLOT = -1;
const TWO_16 = 65536;
const TWO_32 = 4294967296;

/** Per text, in `textInts`: the masks of its characters and of those at word starts, its pairs (64 bits in two words), its length, its kind. */
const T_MASK = 0;
const T_WORD_STARTS = 1;
const T_PAIRS = 2;
const T_LENGTH = 4;
const T_KIND = 5;
const T_INTS = 6;

/** Per slot, in `slotInts`: its texts' masks or'ed together, likewise their word-start masks, its first text, its number of texts. */
const S_MASK = 0;
const S_WORD_STARTS = 1;
const S_FIRST = 2;
const S_COUNT = 3;
const S_INTS = 4;
/** Per slot, in `slotNumbers`: its place in the index's order, the head of its name. */
const S_SEQ = 0;
const S_NAME = 1;
const S_NUMBERS = 2;

/**
 * The bit of a lower-case UTF-16 code unit: a letter each, digits in two
 * groups, the hyphen, the other word separators (an id's underscore among
 * them), any other ASCII, anything beyond ASCII.
 */
function charBit(code: number): number {
  if (code >= 97 && code <= 122) return 1 << (code - 97);
  if (code >= 48 && code <= 57) return code < 53 ? 1 << 26 : 1 << 27;
  if (code === 45) return 1 << 28;
  if (code === 95 || code === 46 || code === 47) return 1 << 29;
  return code < 128 ? 1 << 30 : 1 << 31;
}

/** Where a pair of adjacent code units goes among 64 bits (a word of two, then a bit): a hash. */
function pairIndex(first: number, second: number): number {
  return Math.imul(first * 65599 + second, 0x9e3779b1) >>> 26;
}

/**
 * The first three UTF-16 code units as one number (missing ones as 0): a text
 * can start with a prefix only when its head cut to the prefix's length
 * (`cutHead`) is the prefix's, and a name whose head is greater than
 * another's is greater in code-unit order.
 */
function headOf(text: string): number {
  return (text.length > 0 ? text.charCodeAt(0) * TWO_32 : 0) + (text.length > 1 ? text.charCodeAt(1) * TWO_16 : 0) + (text.length > 2 ? text.charCodeAt(2) : 0);
}

/** A head cut to its first `units` code units (1–3). */
function cutHead(head: number, units: number): number {
  return units >= 3 ? head : Math.floor(head / (units === 2 ? TWO_16 : TWO_32));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function nameOf(doc: PatternDocument): string {
  return doc.title ?? doc.fileSlug;
}

export class PatternSearch {
  /** Each pattern's slot, by URI. */
  private slotOf = new Map<string, number>();
  private free: number[] = [];
  /** Slots in use or freed: where a scan ends. */
  private slotCount = 0;
  /** Per slot: the document, its name (what ties are broken by) and its id; undefined for a free slot. */
  private docs: Array<PatternDocument | undefined> = [];
  private names: Array<string | undefined> = [];
  private ids: Array<string | undefined> = [];
  private slotInts = new Int32Array(0);
  private slotNumbers = new Float64Array(0);
  private nextSeq = 0;

  private texts: string[] = [];
  private textInts = new Int32Array(0);
  private textHeads = new Float64Array(0);
  /** Texts in use or dead: where the next are appended. */
  private textEnd = 0;
  private deadTexts = 0;

  private idOrder = new IdOrder();
  private spare: ScanBuffers | undefined;
  private changes = 0;

  /** Adds or replaces a document (by URI): a new URI goes last in the order, a known one keeps its place, as in a `Map`. */
  put(doc: PatternDocument): void {
    this.changes++;
    let slot = this.slotOf.get(doc.uri);
    if (slot === undefined) {
      slot = this.free.pop() ?? this.slotCount++;
      this.reserveSlots(slot + 1);
      this.slotOf.set(doc.uri, slot);
      this.slotNumbers[slot * S_NUMBERS + S_SEQ] = this.nextSeq++;
    }
    const name = nameOf(doc);
    this.docs[slot] = doc;
    this.names[slot] = name;
    this.slotNumbers[slot * S_NUMBERS + S_NAME] = headOf(name);
    if (this.ids[slot] !== doc.id) this.idOrder.touch(slot);
    this.ids[slot] = doc.id;
    // The slug, the title and the aliases, in lower case: see `WEIGHTS`.
    const count = 1 + (doc.title ? 1 : 0) + doc.aliases.length;
    let first = this.slotInts[slot * S_INTS + S_FIRST]!;
    if (count !== this.slotInts[slot * S_INTS + S_COUNT]) {
      this.deadTexts += this.slotInts[slot * S_INTS + S_COUNT]!;
      first = this.textEnd;
      this.reserveTexts(first + count);
      this.textEnd += count;
      this.slotInts[slot * S_INTS + S_FIRST] = first;
      this.slotInts[slot * S_INTS + S_COUNT] = count;
    }
    let t = first;
    this.writeText(t++, (doc.slug ?? doc.fileSlug).toLowerCase(), SLUG);
    if (doc.title) this.writeText(t++, doc.title.toLowerCase(), TITLE);
    for (const alias of doc.aliases) this.writeText(t++, alias.toLowerCase(), ALIAS);
    let mask = 0;
    let wordStarts = 0;
    for (let row = first * T_INTS; row < t * T_INTS; row += T_INTS) {
      mask |= this.textInts[row + T_MASK]!;
      wordStarts |= this.textInts[row + T_WORD_STARTS]!;
    }
    this.slotInts[slot * S_INTS + S_MASK] = mask;
    this.slotInts[slot * S_INTS + S_WORD_STARTS] = wordStarts;
    this.packIfSparse();
  }

  /** Writes text `t` and what a scan reads of it instead of the string. */
  private writeText(t: number, text: string, kind: number): void {
    let mask = 0;
    let wordStarts = 0;
    let pairsLow = 0;
    let pairsHigh = 0;
    let previous = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const bit = charBit(code);
      mask |= bit;
      if (i === 0 || isSeparator(previous)) wordStarts |= bit;
      if (i > 0) {
        const pair = pairIndex(previous, code);
        if (pair < 32) pairsLow |= 1 << pair;
        else pairsHigh |= 1 << (pair - 32);
      }
      previous = code;
    }
    const row = t * T_INTS;
    this.texts[t] = text;
    this.textInts[row + T_MASK] = mask;
    this.textInts[row + T_WORD_STARTS] = wordStarts;
    this.textInts[row + T_PAIRS] = pairsLow;
    this.textInts[row + T_PAIRS + 1] = pairsHigh;
    this.textInts[row + T_LENGTH] = text.length;
    this.textInts[row + T_KIND] = kind;
    this.textHeads[t] = headOf(text);
  }

  delete(uri: string): void {
    const slot = this.slotOf.get(uri);
    if (slot === undefined) return;
    this.changes++;
    this.slotOf.delete(uri);
    this.docs[slot] = undefined;
    this.names[slot] = undefined;
    this.ids[slot] = undefined;
    this.idOrder.touch(slot);
    this.deadTexts += this.slotInts[slot * S_INTS + S_COUNT]!;
    this.slotInts.fill(0, slot * S_INTS, (slot + 1) * S_INTS);
    this.free.push(slot);
    this.packIfSparse();
  }

  clear(): void {
    this.changes++;
    this.slotOf = new Map();
    this.free = [];
    this.slotCount = 0;
    this.docs = [];
    this.names = [];
    this.ids = [];
    this.slotInts = new Int32Array(0);
    this.slotNumbers = new Float64Array(0);
    this.texts = [];
    this.textInts = new Int32Array(0);
    this.textHeads = new Float64Array(0);
    this.textEnd = 0;
    this.deadTexts = 0;
    this.idOrder = new IdOrder();
    this.spare = undefined;
  }

  /** The best `max` patterns for a query: the answer of scoring every pattern, in a fraction of the time. */
  search(request: SearchRequest): SearchResult {
    const buffers = this.takeBuffers();
    try {
      const scan = new Scan(this.view(), request, buffers);
      const steps = this.steps(scan);
      while (!steps.next().done);
      return scan.result();
    } finally {
      this.spare = buffers;
    }
  }

  /** `search` for a request that may be cancelled: checks `checkpoint` between steps, and starts again if the index changed meanwhile. */
  async searchPaced(request: SearchRequest, checkpoint: Checkpoint): Promise<SearchResult> {
    for (;;) {
      // A request cancelled before it starts stops here, however quick the rest would be.
      await checkpoint.check();
      const changes = this.changes;
      // Another search may run while this one waits: these buffers are this one's until it ends.
      const buffers = this.takeBuffers();
      try {
        const scan = new Scan(this.view(), request, buffers);
        const steps = this.steps(scan);
        while (this.changes === changes && !steps.next().done) await checkpoint.check();
        if (this.changes === changes) return scan.result();
      } finally {
        this.spare = buffers;
      }
    }
  }

  /** A search's work in steps of a few thousand patterns (valid only while the structure does not change). */
  private *steps(scan: Scan): Generator<void, void> {
    const STEP = 4096;
    if (scan.matchesAll) {
      for (let from = 0; from < this.slotCount; from += STEP) {
        scan.offerAll(from, Math.min(this.slotCount, from + STEP));
        yield;
      }
      return;
    }
    this.markIdMatches(scan);
    for (const phase of PHASES) {
      for (let from = 0; from < this.slotCount; from += STEP) {
        scan.collect(phase, from, Math.min(this.slotCount, from + STEP));
        yield;
      }
      scan.order();
      while (!scan.rank(STEP)) yield;
      if (scan.settled(phase)) return;
      scan.nextPhase();
    }
  }

  /** Marks the slots whose id starts with the id prefix, a run of the id order. */
  private markIdMatches(scan: Scan): void {
    if (scan.idPrefix === undefined) return;
    const [from, to] = this.idOrder.run(scan.idPrefix, this.ids);
    const sorted = this.idOrder.sorted(this.ids);
    for (let i = from; i < to; i++) scan.idMatches[sorted[i]!] = 1;
  }

  /** The spare buffers if they are free and large enough (cleared), else new ones. */
  private takeBuffers(): ScanBuffers {
    const spare = this.spare;
    this.spare = undefined;
    if (spare && spare.size >= this.slotCount) {
      spare.visited.fill(0, 0, this.slotCount);
      spare.idMatches.fill(0, 0, this.slotCount);
      return spare;
    }
    return new ScanBuffers(this.slotCount);
  }

  /** The structure in a canonical form, for tests. */
  describe(): SearchDescription {
    const slots = [...this.slotOf.values()].sort((a, b) => this.slotNumbers[a * S_NUMBERS + S_SEQ]! - this.slotNumbers[b * S_NUMBERS + S_SEQ]!);
    const patterns = slots.map((slot): SearchDescription['patterns'][number] => {
      const first = this.slotInts[slot * S_INTS + S_FIRST]!;
      const texts: SearchDescription['patterns'][number]['texts'] = [];
      for (let t = first; t < first + this.slotInts[slot * S_INTS + S_COUNT]!; t++) {
        const row = this.textInts.subarray(t * T_INTS, (t + 1) * T_INTS);
        texts.push({ text: this.texts[t]!, weight: WEIGHTS[row[T_KIND]!]!, mask: row[T_MASK]!, wordStarts: row[T_WORD_STARTS]!, pairs: [row[T_PAIRS]!, row[T_PAIRS + 1]!], length: row[T_LENGTH]!, head: this.textHeads[t]! });
      }
      return {
        uri: this.docs[slot]!.uri,
        name: this.names[slot]!,
        id: this.ids[slot],
        texts,
        mask: this.slotInts[slot * S_INTS + S_MASK]!,
        wordStarts: this.slotInts[slot * S_INTS + S_WORD_STARTS]!,
        nameHead: this.slotNumbers[slot * S_NUMBERS + S_NAME]!,
      };
    });
    return { patterns, ids: this.idOrder.sorted(this.ids).map((slot) => this.ids[slot]!) };
  }

  /** How much it holds, live and dead, for tests of its growth. */
  stats(): { patterns: number; slots: number; texts: number; deadTexts: number } {
    return { patterns: this.slotOf.size, slots: this.slotCount, texts: this.textEnd, deadTexts: this.deadTexts };
  }

  /** Checks the bookkeeping (free slots, live and dead texts, no text held by two patterns, the id order); throws on the first fault. For tests. */
  checkConsistency(): void {
    const free = new Set(this.free);
    if (free.size !== this.free.length) throw new Error('a slot is free twice');
    if (this.slotOf.size + free.size !== this.slotCount) throw new Error(`${this.slotOf.size} live and ${free.size} free slots of ${this.slotCount}`);
    const owner = new Int32Array(this.textEnd).fill(NO_SLOT);
    let liveTexts = 0;
    for (const [uri, slot] of this.slotOf) {
      if (free.has(slot)) throw new Error(`slot ${slot} is both live and free`);
      if (this.docs[slot]?.uri !== uri) throw new Error(`slot ${slot} holds ${this.docs[slot]?.uri}, not ${uri}`);
      const first = this.slotInts[slot * S_INTS + S_FIRST]!;
      let mask = 0;
      let wordStarts = 0;
      for (let t = first; t < first + this.slotInts[slot * S_INTS + S_COUNT]!; t++) {
        if (t >= this.textEnd || owner[t] !== NO_SLOT) throw new Error(`text ${t} of ${uri} is out of range or shared`);
        owner[t] = slot;
        mask |= this.textInts[t * T_INTS + T_MASK]!;
        wordStarts |= this.textInts[t * T_INTS + T_WORD_STARTS]!;
        liveTexts++;
      }
      if (mask !== this.slotInts[slot * S_INTS + S_MASK] || wordStarts !== this.slotInts[slot * S_INTS + S_WORD_STARTS]) throw new Error(`the masks of ${uri} are not its texts' masks`);
    }
    for (const slot of free) if (this.docs[slot] !== undefined || this.ids[slot] !== undefined || this.slotInts[slot * S_INTS + S_COUNT] !== 0) throw new Error(`free slot ${slot} still holds a pattern`);
    if (liveTexts + this.deadTexts !== this.textEnd) throw new Error(`${liveTexts} live and ${this.deadTexts} dead texts of ${this.textEnd}`);
    const sorted = this.idOrder.sorted(this.ids);
    const withId = [...this.slotOf.values()].filter((slot) => this.ids[slot] !== undefined);
    if (sorted.length !== withId.length || new Set(sorted).size !== sorted.length || !withId.every((slot) => sorted.includes(slot))) throw new Error('the id order does not hold every id once');
    for (let i = 1; i < sorted.length; i++) if (this.ids[sorted[i - 1]!]! > this.ids[sorted[i]!]!) throw new Error(`the id order is out of order at ${i}`);
  }

  /** Packs the texts in slot order once more are dead than alive, so that edits do not grow them without end. */
  private packIfSparse(): void {
    if (this.deadTexts < 1024 || this.deadTexts < this.textEnd - this.deadTexts) return;
    const size = Math.max(16, this.textEnd - this.deadTexts);
    const texts: string[] = [];
    const ints = new Int32Array(size * T_INTS);
    const heads = new Float64Array(size);
    for (let slot = 0; slot < this.slotCount; slot++) {
      const first = this.slotInts[slot * S_INTS + S_FIRST]!;
      const count = this.slotInts[slot * S_INTS + S_COUNT]!;
      this.slotInts[slot * S_INTS + S_FIRST] = texts.length;
      for (let t = first; t < first + count; t++) {
        ints.set(this.textInts.subarray(t * T_INTS, (t + 1) * T_INTS), texts.length * T_INTS);
        heads[texts.length] = this.textHeads[t]!;
        texts.push(this.texts[t]!);
      }
    }
    this.texts = texts;
    this.textInts = ints;
    this.textHeads = heads;
    this.textEnd = texts.length;
    this.deadTexts = 0;
  }

  private reserveSlots(needed: number): void {
    if (needed * S_INTS <= this.slotInts.length) return;
    const size = Math.max(16, needed, 2 * (this.slotInts.length / S_INTS));
    this.slotInts = grown(this.slotInts, new Int32Array(size * S_INTS));
    this.slotNumbers = grown(this.slotNumbers, new Float64Array(size * S_NUMBERS));
  }

  private reserveTexts(needed: number): void {
    if (needed <= this.textHeads.length) return;
    const size = Math.max(16, needed, 2 * this.textHeads.length);
    this.textInts = grown(this.textInts, new Int32Array(size * T_INTS));
    this.textHeads = grown(this.textHeads, new Float64Array(size));
  }

  /** The arrays as they are now, for a scan (valid while nothing changes). */
  private view(): SearchView {
    return { docs: this.docs, names: this.names, slotInts: this.slotInts, slotNumbers: this.slotNumbers, texts: this.texts, textInts: this.textInts, textHeads: this.textHeads };
  }
}

function grown<T extends Int32Array | Float64Array>(old: T, next: T): T {
  next.set(old);
  return next;
}

/**
 * The slots that have an id, sorted by it (UTF-16 code units), so that those
 * whose id starts with a prefix are one run. Brought up to date when read:
 * the slots touched since are taken out and put back one by one, or, after a
 * load or another change of many, all sorted again.
 */
class IdOrder {
  private order: number[] = [];
  /** Each slot's id as it stands in `order`; undefined when the slot is not in it. */
  private placed: Array<string | undefined> = [];
  private touched = new Set<number>();
  /** Too many touched to place one by one: sort all again. */
  private stale = false;

  touch(slot: number): void {
    if (this.stale) return;
    this.touched.add(slot);
    // Many changes (a load): sorting all again is cheaper than placing each.
    if (this.touched.size > 256 && this.touched.size * 8 > this.order.length) {
      this.stale = true;
      this.touched.clear();
    }
  }

  /** The order, up to date with `ids` (every slot's current id). */
  sorted(ids: ReadonlyArray<string | undefined>): readonly number[] {
    if (this.stale) {
      this.placed = [...ids];
      this.order = [];
      for (let slot = 0; slot < ids.length; slot++) if (ids[slot] !== undefined) this.order.push(slot);
      this.order.sort((a, b) => compareText(ids[a]!, ids[b]!));
    } else {
      for (const slot of this.touched) {
        const was = this.placed[slot];
        if (was !== undefined) {
          let at = this.placedLowerBound(was);
          while (at < this.order.length && this.order[at] !== slot) at++;
          if (at === this.order.length) throw new Error(`slot ${slot} is missing from the id order`);
          this.order.splice(at, 1);
        }
        const id = ids[slot];
        this.placed[slot] = id;
        if (id !== undefined) this.order.splice(this.placedLowerBound(id), 0, slot);
      }
    }
    this.touched.clear();
    this.stale = false;
    return this.order;
  }

  /** The run [from, to) of the order whose ids start with `prefix` (brought up to date first). */
  run(prefix: string, ids: ReadonlyArray<string | undefined>): [number, number] {
    this.sorted(ids);
    // Every id that starts with the prefix is below the prefix with its last code unit raised by one (when it can be), and no other id is.
    let end = prefix.length;
    while (end > 0 && prefix.charCodeAt(end - 1) === 0xffff) end--;
    const after = end === 0 ? undefined : prefix.slice(0, end - 1) + String.fromCharCode(prefix.charCodeAt(end - 1) + 1);
    return [this.placedLowerBound(prefix), after === undefined ? this.order.length : this.placedLowerBound(after)];
  }

  private placedLowerBound(key: string): number {
    let low = 0;
    let high = this.order.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.placed[this.order[mid]!]! < key) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/** What a scan reads of a `PatternSearch`. */
interface SearchView {
  readonly docs: ReadonlyArray<PatternDocument | undefined>;
  readonly names: ReadonlyArray<string | undefined>;
  readonly slotInts: Int32Array;
  readonly slotNumbers: Float64Array;
  readonly texts: readonly string[];
  readonly textInts: Int32Array;
  readonly textHeads: Float64Array;
}

/**
 * A scan's working arrays, one entry per slot. Kept by the `PatternSearch`
 * for the next scan: allocating them for every keystroke cost more in
 * garbage collection than the scan itself.
 */
class ScanBuffers {
  readonly visited: Uint8Array;
  readonly idMatches: Uint8Array;
  readonly candidates: Int32Array;
  readonly ceilings: Float64Array;
  readonly flags: Uint8Array;
  readonly bucketOf: Int32Array;
  readonly sorted: Int32Array;

  constructor(readonly size: number) {
    this.visited = new Uint8Array(size);
    this.idMatches = new Uint8Array(size);
    this.candidates = new Int32Array(size);
    this.ceilings = new Float64Array(size);
    this.flags = new Uint8Array(size);
    this.bucketOf = new Int32Array(size);
    this.sorted = new Int32Array(size);
  }
}

/**
 * A query's phases, each taking the slots the earlier ones did not: those
 * with a text that starts like the query or an id that starts with the id
 * prefix; those with the query's first character at a word start; the rest.
 */
const enum Phase {
  Prefix,
  WordStart,
  Rest,
}
const PHASES = [Phase.Prefix, Phase.WordStart, Phase.Rest] as const;

/** How finely candidates are sorted by ceiling. */
const BUCKETS = 1024;
/** A candidate's flags: its texts may match; its id starts with the prefix; its score is its ceiling (no text can beat the id). */
const TEXTS_MAY = 1;
const ID_MATCHES = 2;
const EXACT = 4;

/**
 * One query: `collect` takes the patterns the query may match, with the most
 * each could score (its ceiling); `order` sorts them by that, highest first,
 * in buckets; `rank` scores them in that order, keeping the best `max`, until
 * no ceiling left can reach the worst of those kept.
 */
class Scan {
  private readonly q: string;
  private readonly qMask: number;
  /** How many leading code units of the query the heads compare (0 for an empty query). */
  private readonly units: number;
  private readonly qHead: number;
  private readonly ceiling: { plain: number; prefixed: number };
  /** The most any text can score: the prefixed ceiling on a text as long as the query. */
  private readonly textMost: number;
  /** Per query character: its bit; after the first, the word and bit of the pair it ends, and whether the one before is a separator. */
  private readonly charBits: Int32Array;
  private readonly pairWords: Int32Array;
  private readonly pairBits: Int32Array;
  private readonly afterSeparator: Uint8Array;
  readonly idPrefix: string | undefined;
  private readonly idScore: number;
  /** The bit of the query's first character, 0 for an empty query. */
  private readonly firstBit: number;
  /** Every pattern matches with 0 (an empty query, no id prefix): one pass, where only ties decide. */
  readonly matchesAll: boolean;

  private readonly visited: Uint8Array;
  /** 1 for the slots whose id starts with the id prefix. */
  readonly idMatches: Uint8Array;
  /** The candidates of this phase: slot, ceiling, flags; `bucketOf` each one's bucket, `bucketTop` the highest ceiling in each, `sorted` them by bucket. */
  private readonly candidates: Int32Array;
  private readonly ceilings: Float64Array;
  private readonly flags: Uint8Array;
  private readonly bucketOf: Int32Array;
  private readonly sorted: Int32Array;
  private readonly bucketTop = new Float64Array(BUCKETS);
  private count = 0;
  private next = 0;

  /** The best so far, best first, with their scores. */
  private readonly slots: number[] = [];
  private readonly scores: number[] = [];
  private matched = 0;
  private more = false;

  constructor(
    private readonly view: SearchView,
    private readonly request: SearchRequest,
    buffers: ScanBuffers,
  ) {
    const q = fuzzyQuery(request.query);
    this.q = q;
    this.charBits = new Int32Array(q.length);
    this.pairWords = new Int32Array(q.length);
    this.pairBits = new Int32Array(q.length);
    this.afterSeparator = new Uint8Array(q.length);
    let mask = 0;
    for (let i = 0; i < q.length; i++) {
      this.charBits[i] = charBit(q.charCodeAt(i));
      if (i > 0) {
        const pair = pairIndex(q.charCodeAt(i - 1), q.charCodeAt(i));
        this.pairWords[i] = pair >> 5;
        this.pairBits[i] = 1 << (pair & 31);
        this.afterSeparator[i] = isSeparator(q.charCodeAt(i - 1)) ? 1 : 0;
      }
      mask |= this.charBits[i]!;
    }
    this.qMask = mask;
    this.firstBit = q.length ? this.charBits[0]! : 0;
    this.units = Math.min(3, q.length);
    this.qHead = this.units ? cutHead(headOf(q), this.units) : 0;
    this.ceiling = fuzzyScoreCeiling(q);
    this.textMost = q.length ? this.ceiling.prefixed - q.length / 100 : 0;
    this.idPrefix = request.idPrefix?.prefix;
    this.idScore = request.idPrefix?.score ?? -1;
    this.matchesAll = q.length === 0 && this.idPrefix === undefined;
    this.visited = buffers.visited;
    this.idMatches = buffers.idMatches;
    this.candidates = buffers.candidates;
    this.ceilings = buffers.ceilings;
    this.flags = buffers.flags;
    this.bucketOf = buffers.bucketOf;
    this.sorted = buffers.sorted;
  }

  /** For a query that matches every pattern with 0: offers the slots [from, to) in turn. */
  offerAll(from: number, to: number): void {
    const docs = this.view.docs;
    for (let slot = from; slot < to; slot++) if (docs[slot] !== undefined) this.offer(slot, 0, TEXTS_MAY);
  }

  /** Takes the slots [from, to) of the phase that no earlier phase took as candidates (in slot order, which is nearly that of the arrays in memory). */
  collect(phase: Phase, from: number, to: number): void {
    const slotInts = this.view.slotInts;
    const q = this.q;
    const qMask = this.qMask;
    for (let slot = from; slot < to; slot++) {
      if (this.visited[slot]) continue;
      const idMatches = this.idMatches[slot] === 1;
      // A slot lacking a character of the query can match only by its id.
      if (!idMatches && q.length > 0 && (slotInts[slot * S_INTS + S_MASK]! & qMask) !== qMask) continue;
      if (phase === Phase.Prefix && !idMatches && !this.aTextStartsLikeQuery(slot)) continue;
      if (phase === Phase.WordStart && (slotInts[slot * S_INTS + S_WORD_STARTS]! & this.firstBit) === 0) continue;
      this.consider(slot);
    }
  }

  /** Whether a text of the slot, as long as the query at least, starts with the query's first three characters. */
  private aTextStartsLikeQuery(slot: number): boolean {
    if (this.q.length === 0) return false;
    const { slotInts, textInts, textHeads } = this.view;
    const first = slotInts[slot * S_INTS + S_FIRST]!;
    const end = first + slotInts[slot * S_INTS + S_COUNT]!;
    for (let t = first; t < end; t++) if (cutHead(textHeads[t]!, this.units) === this.qHead && textInts[t * T_INTS + T_LENGTH]! >= this.q.length) return true;
    return false;
  }

  /** Takes the slot as a candidate, with its ceiling, if the query may match it. */
  private consider(slot: number): void {
    if (this.view.docs[slot] === undefined) return;
    this.visited[slot] = 1;
    const idMatches = this.idMatches[slot] === 1;
    const textsMay = this.q.length === 0 || (this.view.slotInts[slot * S_INTS + S_MASK]! & this.qMask) === this.qMask;
    let ceiling: number;
    let flags = (textsMay ? TEXTS_MAY : 0) | (idMatches ? ID_MATCHES : 0);
    if (idMatches && (!textsMay || this.textMost <= this.idScore)) {
      ceiling = this.idScore;
      flags |= EXACT;
    } else {
      ceiling = Math.max(textsMay ? this.textsCeiling(slot) : -1, idMatches ? this.idScore : -1);
      // A score under 0 is no match.
      if (ceiling < 0) return;
    }
    this.candidates[this.count] = slot;
    this.ceilings[this.count] = ceiling;
    this.flags[this.count] = flags;
    this.count++;
  }

  /** Sorts this phase's candidates by ceiling into buckets, highest first (a counting sort: within a bucket, slot order). */
  order(): void {
    const n = this.count;
    let low = Infinity;
    let high = -Infinity;
    for (let i = 0; i < n; i++) {
      low = Math.min(low, this.ceilings[i]!);
      high = Math.max(high, this.ceilings[i]!);
    }
    // Monotonic: a higher ceiling never lands in a later bucket.
    const scale = high > low ? (BUCKETS - 1) / (high - low) : 0;
    const starts = new Int32Array(BUCKETS + 1);
    this.bucketTop.fill(-Infinity);
    for (let i = 0; i < n; i++) {
      const bucket = BUCKETS - 1 - Math.floor((this.ceilings[i]! - low) * scale);
      this.bucketOf[i] = bucket;
      starts[bucket + 1]!++;
      if (this.ceilings[i]! > this.bucketTop[bucket]!) this.bucketTop[bucket] = this.ceilings[i]!;
    }
    for (let b = 0; b < BUCKETS; b++) starts[b + 1]! += starts[b]!;
    for (let i = 0; i < n; i++) this.sorted[starts[this.bucketOf[i]!]!++] = i;
  }

  /** Scores up to `budget` of this phase's candidates in ceiling order; true when the phase is done. */
  rank(budget: number): boolean {
    for (; this.next < this.count && budget > 0; this.next++, budget--) {
      const i = this.sorted[this.next]!;
      // Every later bucket is below this one's top: once that cannot reach the worst kept, nothing left can.
      if (this.slots.length === this.request.max && this.more && (this.request.max === 0 || this.bucketTop[this.bucketOf[i]!]! < this.scores[this.request.max - 1]!)) {
        this.next = this.count;
        break;
      }
      this.offer(this.candidates[i]!, this.ceilings[i]!, this.flags[i]!);
    }
    return this.next >= this.count;
  }

  /**
   * After a phase: true when no pattern left can change the answer. Those
   * left after the first have no text that starts with the query (so no
   * prefix bonus) and no id that starts with the prefix; after the second,
   * not the query's first character at any word start either (so no start
   * bonus for it). With the `max` best and more matches in hand, the answer
   * stands if the ceiling of those left is under the worst kept.
   */
  settled(phase: Phase): boolean {
    const max = this.request.max;
    if (phase === Phase.Rest) return true;
    if (!this.more || this.slots.length < max) return false;
    if (max === 0) return true;
    const m = this.q.length;
    const rest = m === 0 ? 0 : (phase === Phase.Prefix ? this.ceiling.plain : this.ceiling.plain - 2) - m / 100;
    return rest < this.scores[max - 1]!;
  }

  /** Starts the next phase: the candidates taken from here on are new ones. */
  nextPhase(): void {
    this.count = 0;
    this.next = 0;
  }

  result(): SearchResult {
    return { docs: this.slots.map((slot) => this.view.docs[slot]!), more: this.more };
  }

  /** Weighs one candidate against the best kept so far. */
  private offer(slot: number, ceiling: number, flags: number): void {
    const { max, include } = this.request;
    const doc = this.view.docs[slot]!;
    if (this.slots.length === max && this.more) {
      // Only a pattern that goes before the worst one kept matters now.
      if (max === 0) return;
      const worst = this.slots[max - 1]!;
      const worstScore = this.scores[max - 1]!;
      if (ceiling < worstScore || (ceiling === worstScore && !this.mayTie(slot, worst))) return;
      const score = flags & EXACT ? ceiling : this.score(slot, flags);
      if (score < 0 || !this.before(slot, score, worst, worstScore)) return;
      if (include && !include(doc)) return;
      this.insert(slot, score);
      return;
    }
    const score = flags & EXACT ? ceiling : this.score(slot, flags);
    if (score < 0 || (include && !include(doc))) return;
    if (++this.matched > max) this.more = true;
    if (this.slots.length === max && (max === 0 || !this.before(slot, score, this.slots[max - 1]!, this.scores[max - 1]!))) return;
    this.insert(slot, score);
  }

  /**
   * The most any of the slot's texts could score, or -1: for each text that
   * holds every query character, the bonuses it could earn, less its length,
   * times its weight.
   */
  private textsCeiling(slot: number): number {
    const { slotInts, textInts, textHeads } = this.view;
    const m = this.q.length;
    if (m === 0) return 0;
    let most = -1;
    const first = slotInts[slot * S_INTS + S_FIRST]!;
    const end = first + slotInts[slot * S_INTS + S_COUNT]!;
    for (let t = first; t < end; t++) {
      const row = t * T_INTS;
      const length = textInts[row + T_LENGTH]!;
      if ((textInts[row + T_MASK]! & this.qMask) !== this.qMask || length < m) continue;
      const prefixed = cutHead(textHeads[t]!, this.units) === this.qHead;
      // The scorer's own operations, so that rounding cannot put a ceiling under a score.
      const ceiling = (this.bonusCeiling(row, prefixed) - length / 100) * WEIGHTS[textInts[row + T_KIND]!]!;
      if (ceiling > most) most = ceiling;
    }
    return most;
  }

  /**
   * fuzzyScoreCeiling for one text: a character earns the word-start bonus
   * only if the text has it at a word start, and the consecutive bonus only
   * if the text has it right after the previous query character. (When the
   * previous character is not a separator, the two exclude each other.)
   */
  private bonusCeiling(row: number, prefixed: boolean): number {
    const textInts = this.view.textInts;
    const wordStarts = textInts[row + T_WORD_STARTS]!;
    let raw = (wordStarts & this.charBits[0]!) !== 0 ? 3 : 1;
    for (let i = 1; i < this.q.length; i++) {
      const pair = (textInts[row + T_PAIRS + this.pairWords[i]!]! & this.pairBits[i]!) !== 0 ? 3 : 0;
      const start = (wordStarts & this.charBits[i]!) !== 0 ? 2 : 0;
      raw += 1 + (this.afterSeparator[i] ? pair + start : Math.max(pair, start));
    }
    return prefixed ? raw + 5 : raw;
  }

  /** The pattern's score: its best text's, or the id prefix's; -1 when nothing matches. */
  private score(slot: number, flags: number): number {
    let best = flags & ID_MATCHES ? this.idScore : -1;
    if (flags & TEXTS_MAY) {
      const m = this.q.length;
      if (m === 0) return Math.max(best, 0);
      const { slotInts, textInts, texts } = this.view;
      const first = slotInts[slot * S_INTS + S_FIRST]!;
      const end = first + slotInts[slot * S_INTS + S_COUNT]!;
      for (let t = first; t < end; t++) {
        const row = t * T_INTS;
        if ((textInts[row + T_MASK]! & this.qMask) !== this.qMask || textInts[row + T_LENGTH]! < m) continue;
        const score = fuzzyScoreLowered(this.q, texts[t]!);
        if (score >= 0) best = Math.max(best, score * WEIGHTS[textInts[row + T_KIND]!]!);
      }
    }
    return best;
  }

  /** False when the slot cannot go before `worst` on a tie of scores: its name's head is already after. */
  private mayTie(slot: number, worst: number): boolean {
    const numbers = this.view.slotNumbers;
    return this.request.ties !== 'name' || numbers[slot * S_NUMBERS + S_NAME]! <= numbers[worst * S_NUMBERS + S_NAME]!;
  }

  private before(slot: number, score: number, other: number, otherScore: number): boolean {
    if (score !== otherScore) return score > otherScore;
    const { names, slotNumbers } = this.view;
    if (this.request.ties === 'name') {
      const head = slotNumbers[slot * S_NUMBERS + S_NAME]!;
      const otherHead = slotNumbers[other * S_NUMBERS + S_NAME]!;
      if (head !== otherHead) return head < otherHead;
      const byName = compareText(names[slot]!, names[other]!);
      return byName !== 0 ? byName < 0 : slotNumbers[slot * S_NUMBERS + S_SEQ]! < slotNumbers[other * S_NUMBERS + S_SEQ]!;
    }
    const byName = names[slot]!.localeCompare(names[other]!);
    return byName !== 0 ? byName < 0 : this.view.docs[slot]!.uri < this.view.docs[other]!.uri;
  }

  private insert(slot: number, score: number): void {
    let low = 0;
    let high = this.slots.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.before(slot, score, this.slots[mid]!, this.scores[mid]!)) high = mid;
      else low = mid + 1;
    }
    this.slots.splice(low, 0, slot);
    this.scores.splice(low, 0, score);
    if (this.slots.length > this.request.max) {
      this.slots.pop();
      this.scores.pop();
    }
  }
}
