/** Headings of a pattern's Markdown body, outside fenced code blocks. */
export interface Heading {
  level: number;
  text: string;
  /** Offsets into the whole file: the heading line, and the end of the section it opens. */
  start: number;
  end: number;
  sectionEnd: number;
}

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function readHeadings(text: string, bodyStart: number): Heading[] {
  const headings: Heading[] = [];
  let fence: string | undefined;
  let lineStart = bodyStart;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const contentEnd = lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
    // Only a line whose first character (after up to three spaces) is `#`, a backtick or `~` can be a
    // heading or a fence: the rest, nearly every line of a body, is passed over without a regex.
    let first = lineStart;
    while (first < contentEnd && first - lineStart < 3 && text.charCodeAt(first) === 32) first++;
    // (Read only inside the line: a read past the end of the text would make V8 drop its optimized code.)
    const lead = first < contentEnd ? text.charCodeAt(first) : -1;
    if (lead !== 35 && lead !== 96 && lead !== 126) {
      if (newline === -1) break;
      lineStart = newline + 1;
      continue;
    }
    const line = text.slice(lineStart, contentEnd);
    const fenceMatch = FENCE.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1]![0] === fence[0] && fenceMatch[1]!.length >= fence.length) fence = undefined;
    } else if (fenceMatch) {
      fence = fenceMatch[1];
    } else {
      const match = HEADING.exec(line);
      if (match) headings.push({ level: match[1]!.length, text: match[2]!, start: lineStart, end: contentEnd, sectionEnd: text.length });
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  // A section runs to the next heading of the same or a higher level.
  for (let i = 0; i < headings.length; i++) {
    const heading = headings[i]!;
    for (let j = i + 1; j < headings.length; j++) {
      if (headings[j]!.level <= heading.level) {
        heading.sectionEnd = headings[j]!.start;
        break;
      }
    }
  }
  return headings;
}

/**
 * The name a heading gives its section, without numbering: `Section 2: Problem`,
 * `2. Problem` and `Problem (100-200 words)` all name `Problem`.
 */
export function headingName(text: string): string {
  return text
    .replace(/^section\s+\d+\s*[:.\-–—]\s*/i, '')
    .replace(/^\d+\s*[.):\-–—]\s*/, '')
    .trim();
}
