/** Applies LSP text edits to a text, as an editor would (all ranges refer to the original text). */
import type { TextEdit } from 'vscode-languageserver-types';
import { LineMap } from '../server/src/core/text';

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineMap(text);
  const sorted = edits
    .map((edit, order) => ({ start: lines.offsetAt(edit.range.start), end: lines.offsetAt(edit.range.end), text: edit.newText, order }))
    .sort((a, b) => b.start - a.start || b.order - a.order);
  let out = text;
  for (const edit of sorted) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}
