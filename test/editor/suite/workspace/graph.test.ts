/** "Trellis: Show Graph" opens the relationship graph beside the pattern (the walk-through screenshots its drawing). */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { file, open, revertAll, trellis, waitFor } from '../helpers';

function graphTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .find((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('trellis.graph'));
}

describe('relationship graph', () => {
  afterEach(revertAll);

  it('opens the graph panel beside the pattern', async () => {
    await trellis();
    const editor = await open(file('library', 'compost-commons.md'));
    const opened = waitFor(vscode.window.tabGroups.onDidChangeTabs, graphTab, 'the graph panel');
    await vscode.commands.executeCommand('trellis.showGraph');
    const tab = await opened;
    assert.equal(tab.label, 'Relationship Graph');
    assert.notEqual(tab.group.viewColumn, editor.viewColumn, 'beside the editor, not over it');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString(), 'the pattern keeps the focus');
  });
});
