/**
 * Glob patterns for the library config: `**` (any folders), `*` (any characters
 * but `/`), `?`, `{a,b}` and `[abc]`. Paths are relative to the library root,
 * with `/` separators.
 */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      const atSegmentStart = i === 0 || glob[i - 1] === '/';
      if (glob[i + 1] === '*' && atSegmentStart && glob[i + 2] === '/') {
        // `**/` matches zero or more whole folders.
        out += '(?:[^/]*/)*';
        i += 2;
      } else if (glob[i + 1] === '*' && atSegmentStart && i + 2 === glob.length) {
        // A trailing `**` matches everything below.
        out += '.*';
        i += 1;
      } else {
        out += '[^/]*';
        while (glob[i + 1] === '*') i++;
      }
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      braceDepth++;
      out += '(?:';
    } else if (c === '}' && braceDepth > 0) {
      braceDepth--;
      out += ')';
    } else if (c === ',' && braceDepth > 0) out += '|';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close === -1) out += '\\[';
      else {
        out += '[' + glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = close;
      }
    } else out += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp('^' + out + '$');
}

export class GlobSet {
  private readonly regexps: RegExp[];
  constructor(globs: readonly string[]) {
    this.regexps = globs.map(globToRegExp);
  }
  matches(relativePath: string): boolean {
    return this.regexps.some((re) => re.test(relativePath));
  }
  get isEmpty(): boolean {
    return this.regexps.length === 0;
  }
}
