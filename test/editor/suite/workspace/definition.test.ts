/** Go to Definition on a slug opens the pattern that has it. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { file, open, revertAll, trellis, waitFor } from '../helpers';

describe('definition', () => {
  afterEach(revertAll);

  it('goes from a reference in work-party.md to compost-commons.md', async () => {
    await trellis();
    const uri = file('library', 'work-party.md');
    const editor = await open(uri);
    const offset = editor.document.getText().indexOf('slug: compost-commons') + 'slug: compost'.length;
    const position = editor.document.positionAt(offset);
    const found = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', uri, position);
    const target = found.map((l) => ('targetUri' in l ? l.targetUri : l.uri).toString());
    assert.deepEqual(target, [file('library', 'compost-commons.md').toString()]);

    // As a person does it: the cursor on the slug, then Go to Definition.
    editor.selection = new vscode.Selection(position, position);
    const compost = file('library', 'compost-commons.md').toString();
    const opened = waitFor(vscode.window.onDidChangeActiveTextEditor, () => vscode.window.activeTextEditor?.document.uri.toString() === compost, 'compost-commons.md to open');
    await vscode.commands.executeCommand('editor.action.revealDefinition');
    await opened;
  });
});
