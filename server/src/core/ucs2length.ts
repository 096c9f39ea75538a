/**
 * The length of a string in code points, as JSON Schema's `minLength` and
 * `maxLength` count it: a surrogate pair counts once. ajv's own counts
 * character by character; nearly every string has no surrogate at all, and a
 * regular expression says so several times faster. The built-in validators
 * use this one (scripts/generateValidators.ts).
 */
const HIGH_SURROGATE = /[\uD800-\uDBFF]/;

export function ucs2length(text: string): number {
  if (!HIGH_SURROGATE.test(text)) return text.length;
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    length++;
    const code = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return length;
}

/**
 * Whether `text` has fewer than `n` code points (what `minLength: n` refuses),
 * counted only when its length leaves the answer open: a string has at most
 * as many code points as UTF-16 units, and at least half as many. The
 * built-in validators' `minLength: 1` is then a length check, not a scan of
 * every summary and title.
 */
export function ucs2lengthBelow(text: string, n: number): boolean {
  if (text.length < n) return true;
  if (text.length >= 2 * n) return false;
  return ucs2length(text) < n;
}

/** Whether `text` has more than `n` code points (what `maxLength: n` refuses), counted only when its length leaves it open. */
export function ucs2lengthAbove(text: string, n: number): boolean {
  if (text.length <= n) return false;
  if (text.length > 2 * n) return true;
  return ucs2length(text) > n;
}
