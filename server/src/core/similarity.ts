/**
 * Edit distance with adjacent transpositions (optimal string alignment), so a
 * swapped pair of letters costs one edit like a single typo does.
 *
 * Callers only ask whether two strings are within `limit` edits, and how many
 * when they are: the answer is the distance when it is at most `limit`, else
 * `limit + 1`. That lets the table be filled only along its diagonal, in a band
 * `limit` cells wide on each side (a cell further out is more than `limit`
 * edits whatever the strings), with every value capped at `limit + 1`, which
 * keeps the recurrence exact for the capped values. A dangling reference's
 * suggestions compare its target with every pattern of the library: at
 * 100,000 patterns, the whole table each time took a second.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  const k = Math.min(limit, Math.max(n, m));
  const cap = k + 1;
  // (A limit at or above the longer length bands nothing, and then no answer reaches the cap: whenever one
  // does, the cap is limit + 1.)
  if (Math.abs(n - m) > k) return cap;
  ensureRows(m + 1);
  let prevPrev = rowA;
  let prev = rowB;
  let current = rowC;
  // Row 0: j insertions, capped; cells beyond the band are never read as in-band values.
  for (let j = 0; j <= m; j++) prev[j] = j < cap ? j : cap;
  for (let i = 1; i <= n; i++) {
    const from = Math.max(1, i - k);
    const to = Math.min(m, i + k);
    // The cell just left of the band (or column 0), and the one just right of it, which the next row
    // reads at the end of its band: out of the band, a cell is past the limit.
    current[from - 1] = from === 1 ? (i < cap ? i : cap) : cap;
    if (to < m) current[to + 1] = cap;
    const ai = a.charCodeAt(i - 1);
    const aPrev = i > 1 ? a.charCodeAt(i - 2) : -1;
    let rowMin = from === 1 ? current[0]! : cap;
    for (let j = from; j <= to; j++) {
      const bj = b.charCodeAt(j - 1);
      let value = prev[j - 1]! + (ai === bj ? 0 : 1);
      const up = prev[j]! + 1;
      if (up < value) value = up;
      const left = current[j - 1]! + 1;
      if (left < value) value = left;
      if (j > 1 && ai === b.charCodeAt(j - 2) && aPrev === bj) {
        const swap = prevPrev[j - 2]! + 1;
        if (swap < value) value = swap;
      }
      if (value > cap) value = cap;
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    // Rows never get better than the previous one's best by more than the transposition allows: once a
    // whole row is past the limit, so is the answer.
    if (rowMin >= cap) return cap;
    const spare = prevPrev;
    prevPrev = prev;
    prev = current;
    current = spare;
  }
  return prev[m]!;
}

/** Three rows of the table, shared by every call (a call runs to its end before another starts). */
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);
function ensureRows(size: number): void {
  if (rowA.length >= size) return;
  const length = Math.max(size, rowA.length * 2);
  rowA = new Int32Array(length);
  rowB = new Int32Array(length);
  rowC = new Int32Array(length);
}

/** The closest candidates to a misspelled word, best first; none when nothing is close. */
export function closest(word: string, candidates: Iterable<string>, max = 3): string[] {
  const limit = Math.max(1, Math.floor(word.length / 3));
  const scored: Array<[string, number]> = [];
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate, limit);
    if (distance <= limit) scored.push([candidate, distance]);
  }
  scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));
  return scored.slice(0, max).map(([candidate]) => candidate);
}
