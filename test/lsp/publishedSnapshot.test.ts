/**
 * A start that finds a library's files as they were sends the diagnostics
 * last published for its closed files straight from the snapshot
 * (server/src/publishedSnapshot.ts). What the client receives must be
 * exactly what a start that computes everything sends, and anything that
 * could change a diagnostic (a file, the settings) must bypass the snapshot.
 */
import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { REPO, TestClient } from './lspClient';

const CORPUS = ['/work/shared/corpus/commons-os-patterns', path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns')].find((d) => existsSync(d));
const RESTORED = 'the diagnostics last published';

describe('warm start: the diagnostics last published', function () {
  this.timeout(120_000);
  let dir: string;
  let cacheDir: string;
  const clients: TestClient[] = [];
  const folders: string[] = [];
  /** A cache folder of its own: a start with no cache at all. */
  const freshCache = async (): Promise<string> => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-published-fresh-'));
    folders.push(folder);
    return folder;
  };

  /** Files changed in the last 2 s get no stamp (racy): the copy's times are set a minute back. */
  const age = async (...names: string[]): Promise<void> => {
    const past = new Date(Date.now() - 60_000);
    for (const name of names.length ? names : await fs.readdir(dir)) await fs.utimes(path.join(dir, name), past, past);
  };

  interface Run {
    client: TestClient;
    diagnostics: Map<string, Diagnostic[]>;
    restored: boolean;
    status: unknown;
  }
  const start = async (options: { cache?: string; transport?: 'stdio' | 'ipc'; settings?: unknown; open?: { file: string; text: string } } = {}): Promise<Run> => {
    const client = new TestClient(options.transport ?? 'stdio', { ...process.env, TRELLIS_CACHE_DIR: options.cache ?? cacheDir });
    clients.push(client);
    const rootUri = pathToFileURL(dir).href;
    if (options.settings !== undefined) client.settings.set(rootUri, options.settings);
    const open = options.open;
    await client.initialize(rootUri, {
      configuration: options.settings !== undefined,
      // A document the editor had open, sent before the library loads.
      ...(open ? { beforeInitialized: () => client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: pathToFileURL(path.join(dir, open.file)).href, languageId: 'markdown', version: 7, text: open.text } }) } : {}),
    });
    const ready = await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'the library ready');
    const diagnostics = new Map([...client.diagnostics].filter(([, p]) => p.diagnostics.length > 0).map(([uri, p]) => [uri, p.diagnostics]));
    await client.waitFor(() => client.logs.some((m) => m.startsWith('Trellis: indexed')), 'the indexed message');
    return { client, diagnostics, restored: client.logs.some((m) => m.includes(RESTORED)), status: ready.libraries[0] };
  };
  /** Starts, waits for the diagnostics, and stops (a shutdown waits for the snapshot to be written). */
  const run = async (options: Parameters<typeof start>[0] = {}): Promise<Run> => {
    const result = await start(options);
    await result.client.stop();
    clients.splice(clients.indexOf(result.client), 1);
    return result;
  };

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-published-'));
    cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-published-cache-'));
    if (CORPUS) {
      // Enough of the real library for every kind of diagnostic it has, dangling references most of all.
      const names = (await fs.readdir(CORPUS)).filter((f) => f.endsWith('.md')).sort().slice(0, 400);
      for (const name of names) await fs.copyFile(path.join(CORPUS, name), path.join(dir, name));
    } else {
      await fs.cp(path.join(REPO, 'examples', 'library'), dir, { recursive: true });
    }
    await age();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.stop().catch(() => undefined);
    for (const folder of folders.splice(0)) await fs.rm(folder, { recursive: true, force: true });
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(cacheDir, { recursive: true, force: true });
  });

  it('sends every file exactly what the first start computed, with the same totals, from the snapshot', async () => {
    const cold = await run();
    assert.equal(cold.restored, false);
    assert.ok(cold.diagnostics.size > 5, `diagnostics to compare (${cold.diagnostics.size} files)`);
    const warm = await run();
    assert.equal(warm.restored, true, 'the second start used the snapshot');
    assert.deepEqual(warm.diagnostics, cold.diagnostics);
    assert.deepEqual(warm.status, cold.status);
    // VS Code's transport takes objects rather than the saved text: the same diagnostics. Its server is the
    // bundle `trellis lsp` runs, with the same caches: it restores what the stdio starts saved, every time.
    assert.equal((await run({ transport: 'ipc' })).restored, true);
    const ipc = await run({ transport: 'ipc' });
    assert.equal(ipc.restored, true);
    assert.deepEqual(ipc.diagnostics, cold.diagnostics);
  });

  it('after a file changed on disk, publishes what a start without any cache publishes', async () => {
    const before = await run();
    // The pattern whose slug the most other files name: renaming it leaves references dangling.
    const names = (await fs.readdir(dir)).filter((f) => f.endsWith('.md'));
    const texts = new Map(await Promise.all(names.map(async (name) => [name, await fs.readFile(path.join(dir, name), 'utf8')] as const)));
    let target = names[0]!;
    let most = -1;
    for (const name of names) {
      const slug = /^slug: *"?([^"\n]+)"?$/m.exec(texts.get(name)!)?.[1];
      if (!slug) continue;
      const mentions = names.filter((other) => other !== name && texts.get(other)!.includes(slug)).length;
      if (mentions > most) [target, most] = [name, mentions];
    }
    await fs.writeFile(path.join(dir, target), texts.get(target)!.replace(/^slug: *"?([^"\n]+)"?$/m, 'slug: $1-renamed'));
    // Aged like the rest: only its stamp's size and times tell it apart.
    await age(target);
    const warm = await run();
    assert.equal(warm.restored, false);
    const fresh = await run({ cache: await freshCache() });
    assert.deepEqual(warm.diagnostics, fresh.diagnostics);
    assert.deepEqual(warm.status, fresh.status);
    // The change shows: a snapshot used by mistake would have been caught.
    assert.notDeepEqual(warm.diagnostics, before.diagnostics);
  });

  it('an open document bypasses the snapshot while its text differs from its file, and is published live either way', async () => {
    const cold = await run();
    // A file with diagnostics of its own, whose slug others may name.
    const [uri] = [...cold.diagnostics.keys()].sort();
    const file = path.basename(new URL(uri!).pathname);
    const text = await fs.readFile(path.join(dir, file), 'utf8');
    const same = await run({ open: { file, text } });
    assert.equal(same.restored, true, 'its text is its file\'s: the snapshot holds');
    assert.equal(same.client.diagnostics.get(uri!)?.version, 7, 'the open document was published live, with its version');
    assert.deepEqual(new Map([...same.diagnostics].filter(([u]) => u !== uri)), new Map([...cold.diagnostics].filter(([u]) => u !== uri)));
    const edited = text.replace(/^slug: *"?([^"\n]+)"?$/m, 'slug: $1-unsaved');
    assert.notEqual(edited, text);
    const unsaved = await run({ open: { file, text: edited } });
    assert.equal(unsaved.restored, false, 'unsaved text: the snapshot does not answer');
    const fresh = await run({ cache: await freshCache(), open: { file, text: edited } });
    assert.deepEqual(unsaved.diagnostics, fresh.diagnostics);
  });

  it('other diagnostics settings bypass the snapshot', async () => {
    const cold = await run();
    const settings = { diagnostics: { severity: { 'dangling-reference': 'error', 'confidence-mismatch': 'off' } } };
    const other = await run({ settings });
    assert.equal(other.restored, false);
    const all = [...other.diagnostics.values()].flat();
    assert.ok(all.every((d) => d.code !== 'confidence-mismatch'));
    assert.ok(all.filter((d) => d.code === 'dangling-reference').every((d) => d.severity === 1));
    // The same settings again: the snapshot saved under them answers, and matches.
    const again = await run({ settings });
    assert.equal(again.restored, true);
    assert.deepEqual(again.diagnostics, other.diagnostics);
    assert.notDeepEqual(again.diagnostics, cold.diagnostics);
  });
});
