/**
 * Finds the YAML frontmatter block of a Markdown file: a first line that is
 * exactly `---` (after an optional byte-order mark), then YAML, then a line
 * that is `---` or `...`. Offsets are into the full text.
 */
export type FrontmatterSplit =
  | { kind: 'none' }
  | {
      kind: 'frontmatter';
      /** The opening fence line, without its line ending. */
      openStart: number;
      openEnd: number;
      /** The YAML text is text.slice(yamlStart, yamlEnd). */
      yamlStart: number;
      yamlEnd: number;
      /** The closing fence, or undefined when the file never closes its frontmatter. */
      close: { start: number; end: number } | undefined;
      /** Where the Markdown body begins (the end of the text when unclosed). */
      bodyStart: number;
    };

/**
 * Whether `text.slice(start, end)` is a fence line: `---` (or, when `dots`,
 * `...`) and then only spaces and tabs. The same as testing the slice with
 * /^(?:---|\.\.\.)[ \t]*$/, without a string per line: the closing fence is
 * looked for on every line of every frontmatter a load reads.
 */
export function isFenceLine(text: string, start: number, end: number, dots: boolean): boolean {
  if (end - start < 3) return false;
  const c = text.charCodeAt(start);
  if (!(c === 45 || (dots && c === 46)) || text.charCodeAt(start + 1) !== c || text.charCodeAt(start + 2) !== c) return false;
  for (let i = start + 3; i < end; i++) {
    const d = text.charCodeAt(i);
    if (d !== 32 && d !== 9) return false;
  }
  return true;
}

export function splitFrontmatter(text: string): FrontmatterSplit {
  const openStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const firstNewline = text.indexOf('\n', openStart);
  const firstLineEnd = firstNewline === -1 ? text.length : firstNewline;
  const openEnd = firstLineEnd > openStart && text.charCodeAt(firstLineEnd - 1) === 13 ? firstLineEnd - 1 : firstLineEnd;
  if (!isFenceLine(text, openStart, openEnd, false)) return { kind: 'none' };

  const yamlStart = firstNewline === -1 ? text.length : firstNewline + 1;
  let lineStart = yamlStart;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const contentEnd = lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
    if (isFenceLine(text, lineStart, contentEnd, true)) {
      return {
        kind: 'frontmatter',
        openStart,
        openEnd,
        yamlStart,
        yamlEnd: lineStart,
        close: { start: lineStart, end: contentEnd },
        bodyStart: newline === -1 ? text.length : newline + 1,
      };
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  return { kind: 'frontmatter', openStart, openEnd, yamlStart, yamlEnd: text.length, close: undefined, bodyStart: text.length };
}
