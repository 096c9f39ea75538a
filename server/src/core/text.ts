import type { Position, Range } from 'vscode-languageserver-types';

/**
 * Maps UTF-16 offsets of a text to LSP positions and back. Lines end at "\n";
 * a "\r" before it belongs to the line ending, so CRLF files get the same
 * positions an editor shows.
 */
export class LineMap {
  /** Where each line starts, as far as the text has been scanned: lines are found on demand. */
  private readonly starts: number[] = [0];
  /** Where the scan for line starts stopped (every line start before it is in `starts`). */
  private scanned = 0;

  constructor(private readonly text: string) {}

  /** Finds line starts until one lies beyond `offset` (or the text ends). */
  private scanPast(offset: number): void {
    const text = this.text;
    while (this.scanned <= text.length && this.starts[this.starts.length - 1]! <= offset) {
      const newline = text.indexOf('\n', this.scanned);
      if (newline === -1) {
        this.scanned = text.length + 1;
        return;
      }
      this.starts.push(newline + 1);
      this.scanned = newline + 1;
    }
  }

  /** Finds line starts until line `line` is known (or the text ends). */
  private scanToLine(line: number): void {
    while (this.starts.length <= line && this.scanned <= this.text.length) this.scanPast(this.starts[this.starts.length - 1]!);
  }

  get lineCount(): number {
    this.scanPast(Number.POSITIVE_INFINITY);
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    this.scanPast(clamped);
    const starts = this.starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - starts[low]! };
  }

  offsetAt(position: Position): number {
    this.scanToLine(position.line + 1);
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, position.line)]!;
    const end = this.lineEnd(position.line);
    return Math.min(start + Math.max(0, position.character), end);
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  lineStart(line: number): number {
    this.scanToLine(line);
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!;
  }

  /** Offset of the end of the content of the line `offset` is on. */
  lineEndAt(offset: number): number {
    return this.lineEnd(this.positionAt(offset).line);
  }

  /** Offset of the end of a line's content, before its "\r\n" or "\n". */
  lineEnd(line: number): number {
    this.scanToLine(line + 1);
    const next = line + 1 < this.starts.length ? this.starts[line + 1]! - 1 : this.text.length;
    return next > 0 && this.text.charCodeAt(next - 1) === 13 && next - 1 >= this.lineStart(line) ? next - 1 : next;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
}
