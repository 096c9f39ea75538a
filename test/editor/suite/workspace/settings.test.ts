/** The `trellis.*` settings reach the server through workspace/configuration, per folder, as they change. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsOf, file, folder, libraryOf, readyLibraries, trellis, waitFor, waitForDiagnostics } from '../helpers';

describe('settings', () => {
  it('trellis.diagnostics.enable turns one folder’s diagnostics off and on again', async () => {
    const api = await trellis();
    await readyLibraries(api);
    const compost = file('library', 'compost-commons.md');
    await waitForDiagnostics(compost, () => diagnosticsOf(compost).length > 0, 'the initial diagnostics');
    const settings = vscode.workspace.getConfiguration('trellis', folder('library').uri);
    await settings.update('diagnostics.enable', false, vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      await waitForDiagnostics(compost, () => diagnosticsOf(compost).length === 0, 'the diagnostics to go');
      await waitFor(api.onDidChangeLibraries, () => !libraryOf(api, 'library').diagnosticsEnabled, 'the status to say diagnostics are off');
      assert.ok(libraryOf(api, 'recipes').diagnosticsEnabled, 'the other folder keeps its diagnostics');
      assert.match(api.statusBar.tooltip, /\*\*library\*\*: 16 patterns, diagnostics off/);
    } finally {
      await settings.update('diagnostics.enable', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
    await waitForDiagnostics(compost, () => diagnosticsOf(compost).length > 0, 'the diagnostics to return');
  });

  it('trellis.diagnostics.severity changes a code’s severity in that folder', async () => {
    const compost = file('library', 'compost-commons.md');
    const settings = vscode.workspace.getConfiguration('trellis', folder('library').uri);
    await settings.update('diagnostics.severity', { 'dangling-reference': 'hint' }, vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      await waitForDiagnostics(compost, () => diagnosticsOf(compost, 'dangling-reference')[0]?.severity === vscode.DiagnosticSeverity.Hint, 'a hint');
    } finally {
      await settings.update('diagnostics.severity', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
    await waitForDiagnostics(compost, () => diagnosticsOf(compost, 'dangling-reference')[0]?.severity === vscode.DiagnosticSeverity.Warning, 'a warning again');
  });
});
