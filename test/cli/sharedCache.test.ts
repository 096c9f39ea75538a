/**
 * One build's language server (`trellis lsp`, the VS Code client's server)
 * and `trellis check` share a library's analysis cache: the cache names the
 * build's analysis code, not the bundle that runs it. A check after a session
 * in the editor, or the editor after a check, starts warm.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, TestClient } from '../lsp/lspClient';

describe('the analysis cache, shared by the server and trellis check', function () {
  this.timeout(120_000);
  let dir: string;
  let cacheDir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-shared-'));
    cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-shared-cache-'));
    await fs.cp(path.join(REPO, 'examples', 'library'), dir, { recursive: true });
    // Files changed in the last 2 s are not cached (their stamp is not trusted): the copy's times go a minute back.
    const past = new Date(Date.now() - 60_000);
    for (const name of await fs.readdir(dir)) await fs.utimes(path.join(dir, name), past, past);
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(cacheDir, { recursive: true, force: true });
  });

  /** The library's analysis cache file (the code cache lives in a folder of its own). */
  const cacheFile = async (): Promise<{ bytes: string; mtimeMs: number }> => {
    const files = (await fs.readdir(cacheDir)).filter((name) => name.endsWith('.json'));
    assert.equal(files.length, 1, `one analysis cache: ${files.join(', ')}`);
    const file = path.join(cacheDir, files[0]!);
    return { bytes: await fs.readFile(file, 'utf8'), mtimeMs: (await fs.stat(file)).mtimeMs };
  };
  const check = (): void => {
    const run = spawnSync(process.execPath, [path.join(REPO, 'bin', 'trellis.js'), 'check', dir, '--format', 'json'], { env: { ...process.env, TRELLIS_CACHE_DIR: cacheDir }, encoding: 'utf8' });
    assert.ok(run.status === 0 || run.status === 1, run.stderr);
    assert.ok((JSON.parse(run.stdout) as unknown[]).length > 0, 'the sample library has problems to report');
  };
  const serve = async (): Promise<void> => {
    const client = new TestClient('stdio', { ...process.env, TRELLIS_CACHE_DIR: cacheDir });
    try {
      await client.initialize(pathToFileURL(dir).href);
      await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'the library ready');
    } finally {
      // A shutdown waits for the cache to be written.
      await client.stop();
    }
  };

  it('a check after the server finds the server\'s cache and leaves it as it is', async () => {
    await serve();
    const written = await cacheFile();
    check();
    // A check that could not use the cache analyzes every file and writes the cache again, under its own code version.
    assert.deepEqual(await cacheFile(), written);
  });

  it('the server after a check finds the check\'s cache and leaves it as it is', async () => {
    check();
    const written = await cacheFile();
    await serve();
    assert.deepEqual(await cacheFile(), written);
  });
});
