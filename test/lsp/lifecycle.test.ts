/**
 * The server never outlives its editor: when the editor process dies, or its
 * end of the pipe closes, the server exits by itself instead of lingering as
 * an orphan (the other half of restarting after a crash).
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, TestClient } from './lspClient';

describe('the server’s lifetime', function () {
  let dir: string;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-lifecycle-'));
    await fs.cp(path.join(REPO, 'examples', 'library'), dir, { recursive: true });
  });

  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('speaks over stdio when started without a transport (`trellis lsp`)', async () => {
    const client = new TestClient('bare');
    await client.initialize(pathToFileURL(dir).href);
    await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'ready');
    assert.ok(client.diagnostics.size > 0, 'it published diagnostics');
    await client.stop();
  });

  it('exits when its input closes', async () => {
    const client = new TestClient();
    await client.initialize(pathToFileURL(dir).href);
    await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'ready');
    client.closeInput();
    assert.notEqual(await client.exited(), null, 'it exited with a code, not killed');
    client.connection.dispose();
  });

  it('exits when the editor process it was started for dies', async () => {
    // A stand-in for the editor: a process whose id goes in `initialize`.
    const editor = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000)'], { stdio: 'ignore' });
    const client = new TestClient();
    try {
      await client.initialize(pathToFileURL(dir).href, { processId: editor.pid! });
      await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'ready');
      const exit = client.exited();
      editor.kill('SIGKILL');
      // The server checks on its editor every 3 s.
      assert.notEqual(await exit, null);
    } finally {
      editor.kill('SIGKILL');
      client.connection.dispose();
    }
  });
});
