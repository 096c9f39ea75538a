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
