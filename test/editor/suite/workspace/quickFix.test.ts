/** The quick fix of a dangling slug: applied from the diagnostic, it rewrites exactly the typo. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsOf, file, open, revertAll, trellis, waitForDiagnostics } from '../helpers';

describe('quick fix', () => {
  afterEach(revertAll);

  it('replaces the typo compost-comons with compost-commons, and the diagnostic goes', async () => {
    await trellis();
    const uri = file('library', 'harvest-sharing.md');
    const editor = await open(uri);
    const before = editor.document.getText();
    const [dangling] = await waitForDiagnostics(uri, () => {
      const found = diagnosticsOf(uri, 'dangling-reference');
      return found.length > 0 && found;
    }, 'the dangling-reference diagnostic on harvest-sharing.md');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, dangling!.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix?.edit, `a preferred quick fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.title, 'Change to `compost-commons` (Compost Commons)');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(editor.document.getText(), before.replace('slug: compost-comons\n', 'slug: compost-commons\n'));
    await waitForDiagnostics(uri, () => diagnosticsOf(uri, 'dangling-reference').length === 0, 'the diagnostic to go');
  });
});
