/**
 * LineMap finds line starts on demand; whatever is asked first, in whatever
 * order, it answers as a map built from every line at once would.
 */
import * as assert from 'node:assert/strict';
import { LineMap } from '../../server/src/core/text';
import { rng } from '../helpers';

/** Positions the plain way: every line start up front. */
function eager(text: string) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const lineEnd = (line: number): number => {
    const next = line + 1 < starts.length ? starts[line + 1]! - 1 : text.length;
    return next > 0 && text[next - 1] === '\r' && next - 1 >= starts[Math.min(line, starts.length - 1)]! ? next - 1 : next;
  };
  return {
    lineCount: starts.length,
    positionAt(offset: number) {
      const o = Math.max(0, Math.min(offset, text.length));
      let line = 0;
      while (line + 1 < starts.length && starts[line + 1]! <= o) line++;
      return { line, character: o - starts[line]! };
    },
    offsetAt(line: number, character: number) {
      if (line >= starts.length) return text.length;
      return Math.min(starts[Math.max(0, line)]! + Math.max(0, character), lineEnd(line));
    },
    lineText: (line: number) => text.slice(starts[Math.max(0, Math.min(line, starts.length - 1))]!, lineEnd(line)),
  };
}

describe('LineMap', () => {
  it('answers every question as a map of all lines would, in any order', () => {
    const pick = rng(21);
    for (let n = 0; n < 300; n++) {
      let text = '';
      for (let k = Math.floor(pick() * 40); k > 0; k--) text += ['a', 'bc', '\n', '\r\n', '\n\n', 'é😀', ' '][Math.floor(pick() * 7)]!;
      const expected = eager(text);
      const lines = new LineMap(text);
      for (let q = 0; q < 30; q++) {
        const kind = Math.floor(pick() * 4);
        if (kind === 0) {
          const offset = Math.floor(pick() * (text.length + 3)) - 1;
          assert.deepEqual(lines.positionAt(offset), expected.positionAt(offset), `positionAt(${offset}) of ${JSON.stringify(text)}`);
        } else if (kind === 1) {
          const line = Math.floor(pick() * (expected.lineCount + 2));
          const character = Math.floor(pick() * 6) - 1;
          assert.equal(lines.offsetAt({ line, character }), expected.offsetAt(line, character), `offsetAt(${line}, ${character}) of ${JSON.stringify(text)}`);
        } else if (kind === 2) {
          const line = Math.floor(pick() * expected.lineCount);
          assert.equal(lines.lineText(line), expected.lineText(line), `lineText(${line}) of ${JSON.stringify(text)}`);
        } else assert.equal(lines.lineCount, expected.lineCount, `lineCount of ${JSON.stringify(text)}`);
      }
    }
  });
});
