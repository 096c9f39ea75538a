import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, TestClient } from './lspClient';

async function copyLibrary(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-lsp-'));
  await fs.cp(path.join(REPO, 'examples', 'library'), dir, { recursive: true });
  return dir;
}

describe('the language server over stdio', function () {
  let dir: string;
  let client: TestClient;
  const uri = (name: string): string => pathToFileURL(path.join(dir, name)).href;

  beforeEach(async () => {
    dir = await copyLibrary();
    client = new TestClient();
  });

  afterEach(async () => {
    await client.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('indexes the workspace with progress, then publishes the library diagnostics', async () => {
    const init = (await client.initialize(pathToFileURL(dir).href)) as { serverInfo: { name: string } };
    assert.equal(init.serverInfo.name, 'trellis');
    const ready = await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'the library to be ready');
    assert.equal(ready.libraries[0]!.patterns, 16);

    const reports = client.progress.map((p) => (p as { value: { kind: string; message?: string } }).value);
    assert.equal(reports[0]!.kind, 'begin');
    assert.equal(reports[reports.length - 1]!.kind, 'end');
    const markdownFiles = (await fs.readdir(dir)).filter((f) => f.endsWith('.md')).length;
    assert.ok(reports.some((r) => r.message === `${markdownFiles} of ${markdownFiles} files`), JSON.stringify(reports));

    await client.waitFor(() => client.diagnosticsOf(uri('work-party.md')).length > 0, 'work-party diagnostics');
    const dangling = client.diagnosticsOf(uri('compost-commons.md'), 'dangling-reference');
    assert.equal(dangling.length, 1);
    assert.match(dangling[0]!.message, /soil-testing-protocol/);
    assert.equal(client.diagnosticsOf(uri('work-party.md'), 'missing-section').length, 1);
    assert.equal(client.diagnosticsOf(uri('shared-tool-library.md'), 'overall-score').length, 1);
    assert.equal(client.diagnosticsOf(uri('community-garden.md')).length, 0);
    assert.ok(client.registrations.length > 0, 'registers a file watcher');
  });

  it('follows edits of open documents, with their version, and updates the files that reference them', async () => {
    await client.initialize(pathToFileURL(dir).href);
    await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'ready');
    const harvest = uri('harvest-sharing.md');
    const text = await fs.readFile(path.join(dir, 'harvest-sharing.md'), 'utf8');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: harvest, languageId: 'markdown', version: 1, text } });
    const fixed = text.replace('compost-comons', 'compost-commons');
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: harvest, version: 2 }, contentChanges: [{ text: fixed }] });
    const published = await client.waitFor(() => {
      const p = client.diagnostics.get(harvest);
      return p?.version === 2 && p;
    }, 'diagnostics for version 2');
    assert.deepEqual(published.diagnostics.filter((d) => d.code === 'dangling-reference'), []);

    // Renaming compost-commons' slug in the editor breaks the link from work-party, which is not open.
    const compost = uri('compost-commons.md');
    const compostText = await fs.readFile(path.join(dir, 'compost-commons.md'), 'utf8');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: compost, languageId: 'markdown', version: 1, text: compostText.replace('slug: compost-commons', 'slug: compost-heap') } });
    const broken = await client.waitFor(() => client.diagnosticsOf(uri('work-party.md'), 'dangling-reference').find((d) => /compost-commons/.test(d.message)), 'work-party to see the broken link');
    assert.equal(broken.range.start.line, (await fs.readFile(path.join(dir, 'work-party.md'), 'utf8')).split('\n').findIndex((l) => l.includes('slug: compost-commons')));

    // Closing without saving: the disk wins again and the link resolves.
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: compost } });
    await client.waitFor(() => client.diagnosticsOf(uri('work-party.md'), 'dangling-reference').length === 0, 'work-party to recover');
  });

  it('publishes hints for open documents only, and a file with nothing to report not at all', async () => {
    await client.initialize(pathToFileURL(dir).href);
    await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'ready');
    await client.waitFor(() => client.diagnosticsOf(uri('compost-commons.md'), 'dangling-reference').length === 1, 'initial diagnostics');
    // A closed file's missing-mirror hint is not sent (the Problems view does not show hints).
    assert.deepEqual(client.diagnosticsOf(uri('compost-commons.md'), 'missing-mirror'), []);
    assert.equal(client.diagnostics.has(uri('community-garden.md')), false, 'an empty publish for a clean file');

    const compost = uri('compost-commons.md');
    const text = await fs.readFile(path.join(dir, 'compost-commons.md'), 'utf8');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: compost, languageId: 'markdown', version: 1, text } });
    const hint = await client.waitFor(() => client.diagnosticsOf(compost, 'missing-mirror')[0], 'the hint once the file is open');
    assert.equal(hint.severity, 4);
    assert.match(hint.message, /harvest-sharing/);

    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: compost } });
    await client.waitFor(() => client.diagnosticsOf(compost, 'missing-mirror').length === 0 && client.diagnosticsOf(compost, 'dangling-reference').length === 1, 'the hint gone, the warning kept, once closed');
  });

  it('sends an opened file once, the edited file with each version, and the files an edit touched only when their diagnostics changed', async () => {
    await client.initialize(pathToFileURL(dir).href);
    await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'ready');
    const workParty = uri('work-party.md');
    await client.waitFor(() => client.diagnosticsOf(workParty, 'missing-section').length === 1, 'initial diagnostics');
    const compost = uri('compost-commons.md');
    const text = await fs.readFile(path.join(dir, 'compost-commons.md'), 'utf8');
    const mark = client.published.length;
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: compost, languageId: 'markdown', version: 1, text } });
    await client.waitFor(() => client.diagnostics.get(compost)?.version === 1, 'diagnostics for version 1');

    // A new link changes what compost-commons mirrors back: work-party, community-garden and harvest-sharing
    // (which link to it) are revalidated, but as they are closed, their diagnostics (no hints) stay the same.
    const linked = text.replace('  enables: []', '  enables:\n    - slug: rainwater-harvesting\n      weight: 0.5');
    assert.notEqual(linked, text);
    const edit = async (version: number, edited: string): Promise<void> => {
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: compost, version }, contentChanges: [{ text: edited }] });
      // The status follows the last file an edit sends.
      const statuses = await client.waitFor(() => client.diagnostics.get(compost)?.version === version && client.status.length + 1, `diagnostics for version ${version}`);
      await client.waitFor(() => client.status.length >= statuses, `the status after version ${version}`);
    };
    await edit(2, linked);
    const sent = (): Array<[string, number | undefined]> => client.published.slice(mark).map((p) => [p.uri, p.version]);
    assert.deepEqual(sent().filter(([u]) => u !== compost), [], 'no other file sent again');
    assert.deepEqual(sent(), [[compost, 1], [compost, 2]], 'the open once, then the edit');

    // An edit that changes no diagnostic at all still sends the edited file, with its version: the graph panel listens for it.
    await edit(3, `${linked}\n`);
    assert.deepEqual(sent(), [[compost, 1], [compost, 2], [compost, 3]]);
    const [, second, third] = client.published.slice(mark);
    assert.deepEqual(third!.diagnostics, second!.diagnostics);
  });

  it('follows files created, deleted and renamed on disk', async () => {
    await client.initialize(pathToFileURL(dir).href);
    await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'ready');
    await client.waitFor(() => client.diagnosticsOf(uri('compost-commons.md'), 'dangling-reference').length === 1, 'initial diagnostics');

    // Creating the missing pattern resolves the dangling link to it.
    const created = (await fs.readFile(path.join(dir, 'watering-rota.md'), 'utf8')).replace(/^id: .*$/m, 'id: pat_01kk9zzzzzzzzzzzzzzzzzzzzz').replace('slug: watering-rota', 'slug: soil-testing-protocol');
    await fs.writeFile(path.join(dir, 'soil-testing-protocol.md'), created);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('soil-testing-protocol.md'), type: 1 }] });
    await client.waitFor(() => client.diagnosticsOf(uri('compost-commons.md'), 'dangling-reference').length === 0, 'the link to resolve');

    // Renaming a file (delete + create) with a slug that no longer matches.
    await fs.rename(path.join(dir, 'soil-testing-protocol.md'), path.join(dir, 'soil-tests.md'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('soil-testing-protocol.md'), type: 3 }, { uri: uri('soil-tests.md'), type: 1 }] });
    await client.waitFor(() => client.diagnosticsOf(uri('soil-tests.md'), 'slug-filename-mismatch').length === 1, 'the mismatch on the renamed file');
    assert.equal(client.diagnosticsOf(uri('soil-testing-protocol.md')).length, 0);

    // Deleting it breaks the link again.
    await fs.rm(path.join(dir, 'soil-tests.md'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('soil-tests.md'), type: 3 }] });
    await client.waitFor(() => client.diagnosticsOf(uri('compost-commons.md'), 'dangling-reference').length === 1, 'the link to dangle again');
  });
});

describe('the language server over node-ipc (as VS Code starts it)', () => {
  it('indexes and publishes diagnostics', async () => {
    const dir = await copyLibrary();
    const client = new TestClient('ipc');
    try {
      await client.initialize(pathToFileURL(dir).href);
      const ready = await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'ready');
      assert.equal(ready.libraries[0]!.patterns, 16);
      const compost = pathToFileURL(path.join(dir, 'compost-commons.md')).href;
      await client.waitFor(() => client.diagnosticsOf(compost, 'dangling-reference').length === 1, 'the dangling link');
    } finally {
      await client.stop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
