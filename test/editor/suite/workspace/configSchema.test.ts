/** trellis.config.json gets validation and completion from the extension's JSON Schema (contributes.jsonValidation). */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsOf, file, open, revertAll, trellis, waitForDiagnostics } from '../helpers';

describe('trellis.config.json', () => {
  afterEach(revertAll);

  it('is validated by VS Code’s JSON service against the config schema, and by Trellis', async () => {
    await trellis();
    const config = file('recipes', 'trellis.config.json');
    const editor = await open(config);
    assert.equal(editor.document.languageId, 'json');
    const text = editor.document.getText();
    const at = text.indexOf('"off"');
    await editor.edit((edit) => edit.replace(new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + 5)), '"loud"'));

    const json = await waitForDiagnostics(config, (all) => {
      const found = all.filter((d) => d.source !== 'trellis');
      return found.length > 0 && found;
    }, 'a JSON schema diagnostic');
    assert.equal(editor.document.getText(json[0]!.range), '"loud"');
    assert.match(json[0]!.message, /error.*warning.*information.*hint.*off|Value is not accepted/s);
    await waitForDiagnostics(config, () => diagnosticsOf(config, 'config').length > 0, 'the Trellis config diagnostic');
  });

  it('offers the keys the config does not set yet as completions', async () => {
    const config = file('recipes', 'trellis.config.json');
    const editor = await open(config);
    // A new key at the top of the object.
    const inside = editor.document.positionAt(editor.document.getText().indexOf('{') + 1);
    await editor.edit((edit) => edit.insert(inside, '\n  "",'));
    const position = inside.translate(1, 3);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', config, position);
    const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    assert.ok(labels.includes('defaultSchema'), `completes defaultSchema: ${labels.join(', ')}`);
    assert.ok(!labels.includes('patterns'), 'not a key the config already sets');
  });
});
