/** "Trellis: Restart the Language Server": the libraries are indexed again and the diagnostics come back. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsOf, file, readyLibraries, trellis, waitFor, waitForDiagnostics } from '../helpers';

describe('Trellis: Restart the Language Server', () => {
  it('restarts the server, which indexes every folder again', async () => {
    const api = await trellis();
    await readyLibraries(api);
    const states: string[] = [];
    const watching = api.onDidChangeLibraries((libraries) => states.push(libraries.map((l) => l.state).join(',') || 'none'));
    try {
      await vscode.commands.executeCommand('trellis.restartServer');
      await waitFor(api.onDidChangeLibraries, () => states.includes('ready,ready') && api.libraries.every((l) => l.state === 'ready'), 'both libraries to be ready again');
    } finally {
      watching.dispose();
    }
    assert.equal(states[0], 'none', `the libraries went away with the old server: ${states.join(' → ')}`);
    const compost = file('library', 'compost-commons.md');
    await waitForDiagnostics(compost, () => diagnosticsOf(compost, 'dangling-reference').length === 1, 'the diagnostics of the new server');
  });
});
