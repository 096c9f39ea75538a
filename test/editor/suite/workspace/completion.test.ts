/** Completing a slug: the patterns of the library, with their titles. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { after, file, open, revertAll, trellis } from '../helpers';

describe('completion', () => {
  afterEach(revertAll);

  it('completes a half-typed slug with the matching pattern and its title', async () => {
    await trellis();
    const uri = file('library', 'harvest-sharing.md');
    const editor = await open(uri);
    // A new `complementary` entry, half typed.
    const end = after(editor.document, '    - slug: compost-comons\n');
    await editor.edit((edit) => edit.insert(end, '      weight: 0.6\n    - slug: wat\n'));
    const position = after(editor.document, '    - slug: wat');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
    const item = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'watering-rota');
    assert.ok(item, `watering-rota among ${list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label)).join(', ')}`);
    assert.equal(item.detail, 'Watering Rota');
    assert.ok(!list.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'harvest-sharing'), 'not the pattern itself');
  });
});
