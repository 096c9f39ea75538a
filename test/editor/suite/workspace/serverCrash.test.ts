/**
 * The language server dies (killed, as a crash would): the client starts a
 * new one, and nothing the author typed is lost. The new server gets the
 * unsaved text of the open document, both what was typed before the crash
 * and what was typed while no server ran, and its diagnostics say so.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as vscode from 'vscode';
import { after, diagnosticsOf, file, open, readyLibraries, revertAll, trellis, waitFor, waitForDiagnostics } from '../helpers';

/** The Trellis server processes this extension host started (the language client forks `dist/server.js --node-ipc`). */
function serverProcesses(): number[] {
  const listing = spawnSync('ps', ['-A', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' });
  assert.equal(listing.status, 0, `ps failed: ${listing.stderr}`);
  return listing.stdout
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[2]) === process.pid && /trellis.*[\\/]dist[\\/]server(?:Boot)?\.js\b.*--node-ipc/.test(m[3]!))
    .map((m) => Number(m[1]));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('a server crash', () => {
  afterEach(revertAll);

  it('restarts the server, which gets the unsaved text and reports on it again; the text is unchanged', async () => {
    const api = await trellis();
    await readyLibraries(api);
    const uri = file('library', 'harvest-sharing.md');
    const editor = await open(uri);
    const saved = editor.document.getText();

    // Unsaved: a reference to a pattern that does not exist.
    const entry = '    - slug: compost-comons\n      weight: 0.6\n';
    assert.ok(await editor.edit((edit) => edit.insert(after(editor.document, entry), '    - slug: typed-before-crash\n')));
    const dangling = (target: string) => diagnosticsOf(uri, 'dangling-reference').find((d) => editor.document.getText(d.range) === target);
    await waitForDiagnostics(uri, () => dangling('typed-before-crash'), 'the diagnostic for the unsaved reference');

    const [pid, ...others] = serverProcesses();
    assert.ok(pid !== undefined && others.length === 0, `one Trellis server process (found ${[pid, ...others].join(', ')})`);
    const states: string[] = [];
    const watching = api.onDidChangeLibraries((libraries) => states.push(libraries.map((l) => l.state).join(',') || 'none'));
    try {
      process.kill(pid, 'SIGKILL');
      // The client notices: the libraries go away with the dead server.
      await waitFor(api.onDidChangeLibraries, () => states.includes('none'), 'the client to notice the server died');
      // Typed while the server is down (or starting again).
      assert.ok(await editor.edit((edit) => edit.insert(after(editor.document, 'typed-before-crash\n'), '    - slug: typed-while-down\n')));
      await readyLibraries(api);
    } finally {
      watching.dispose();
    }
    const [newPid] = serverProcesses();
    assert.ok(newPid !== undefined && newPid !== pid, `a new server process (${newPid}, the old one was ${pid})`);
    assert.ok(!alive(pid), 'the old server is gone');

    // One publication of the new server names both references: it has the whole unsaved text.
    await waitForDiagnostics(uri, () => dangling('typed-before-crash') && dangling('typed-while-down'), 'the diagnostics of the new server for both unsaved references');
    const expected = saved.replace(entry, `${entry}    - slug: typed-before-crash\n    - slug: typed-while-down\n`);
    assert.equal(editor.document.getText(), expected, 'the document holds exactly what was typed');
    assert.ok(editor.document.isDirty, 'still unsaved');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
  });
});
