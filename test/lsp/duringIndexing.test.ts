/**
 * Edits while the initial load of a large library is still running: open
 * documents typed into, files changed, created and deleted on disk. Once the
 * load is over, every diagnostic and the index's answers must equal those of
 * a server started fresh on the final state. Requests made for a version the
 * document has since moved past are refused (ContentModified), never answered
 * with an edit for the wrong text.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ResponseError, type Diagnostic } from 'vscode-languageserver-protocol';
import { generateLibrary, HUB_SLUG } from '../../bench/synthetic';
import { TestClient } from './lspClient';

// Large enough that the load (about 3 s here, less with a compiled-code cache) outlasts the edits sent during it, also on a busy machine.
const PATTERNS = 3000;
const CONTENT_MODIFIED = -32801;

describe('edits during a long indexing run', function () {
  this.timeout(240_000);
  let dir: string;
  let slugs: string[];
  const uri = (slug: string) => pathToFileURL(path.join(dir, `${slug}.md`)).href;
  const file = (slug: string) => path.join(dir, `${slug}.md`);

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-during-'));
    ({ slugs } = await generateLibrary(dir, PATTERNS, 7));
  });

  after(() => fs.rm(dir, { recursive: true, force: true }));

  /** Every file's latest diagnostics (without versions), and what the index answers about the hub. */
  const finalState = async (client: TestClient) => {
    // Waits until the library has applied every event: every publication before it has been sent.
    const symbols = await client.connection.sendRequest('workspace/symbol', { query: 'hub' });
    const references = await client.connection.sendRequest('textDocument/references', { textDocument: { uri: uri(HUB_SLUG) }, position: { line: 5, character: 8 }, context: { includeDeclaration: true } });
    const diagnostics = new Map<string, Diagnostic[]>();
    for (const [u, p] of client.diagnostics) if (p.diagnostics.length) diagnostics.set(u, p.diagnostics);
    const status = client.status.at(-1)!.libraries.map(({ patterns, errors, warnings }) => ({ patterns, errors, warnings }));
    return { diagnostics: [...diagnostics].sort(([a], [b]) => (a < b ? -1 : 1)), status, symbols, references };
  };

  it('gives the diagnostics and index of a fresh start on the final state, and refuses requests for outdated versions', async () => {
    const a = slugs[50]!; // The first 100 after the hub are of the current generation.
    const textA = await fs.readFile(file(a), 'utf8');
    const firstRef = /^    - slug: (\S+)$/m.exec(textA)!;
    const a1 = textA.replace(firstRef[0], '    - slug: typo-target-zz');
    const a2 = a1.replace('---\n', '---\n# a line typed above everything\n');
    const hubText = await fs.readFile(file(HUB_SLUG), 'utf8');
    const hub = (slug: string) => hubText.replace(`\nslug: ${HUB_SLUG}\n`, `\nslug: ${slug}\n`);
    const changed = slugs[60]!;
    const deleted = slugs[400]!;
    const created = 'created-during-load';

    const client = new TestClient();
    let fresh: TestClient | undefined;
    let stopped = false;
    try {
      await client.initialize(pathToFileURL(dir).href);
      await client.waitFor(() => client.progress.length > 0, 'the load to begin');
      const notify = (method: string, params: unknown) => client.connection.sendNotification(method, params);

      await notify('textDocument/didOpen', { textDocument: { uri: uri(a), languageId: 'markdown', version: 1, text: a1 } });
      await notify('textDocument/didOpen', { textDocument: { uri: uri(HUB_SLUG), languageId: 'markdown', version: 1, text: hub('hub-renamed') } });
      // Requests for version 1, answered only after the load: by then the documents have moved on.
      const line = a1.split('\n').findIndex((l) => l.includes('typo-target-zz'));
      const range = { start: { line, character: 12 }, end: { line, character: 26 } };
      const stale = { range, message: 'No pattern has the slug `typo-target-zz`.', code: 'dangling-reference', source: 'trellis', data: { target: 'typo-target-zz', targetKind: 'slug' } };
      const outcome = (p: Promise<unknown>) => p.then((value) => ({ value }), (error: unknown) => ({ code: error instanceof ResponseError ? error.code : -1 }));
      const codeAction = outcome(client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: uri(a) }, range, context: { diagnostics: [stale] } }));
      const rename = outcome(client.connection.sendRequest('textDocument/rename', { textDocument: { uri: uri(HUB_SLUG) }, position: { line: 5, character: 8 }, newName: 'hub-by-rename' }));
      await notify('textDocument/didChange', { textDocument: { uri: uri(a), version: 2 }, contentChanges: [{ text: a2 }] });
      await notify('textDocument/didChange', { textDocument: { uri: uri(HUB_SLUG), version: 2 }, contentChanges: [{ text: hub('hub-back') }] });
      await notify('textDocument/didChange', { textDocument: { uri: uri(HUB_SLUG), version: 3 }, contentChanges: [{ text: hub('hub-final') }] });
      // On disk: a file changed, one deleted, one created (claiming the hub's final slug: a duplicate with the open hub).
      await fs.writeFile(file(changed), (await fs.readFile(file(changed), 'utf8')).replace(/^(    - slug: )(\S+)$/m, '$1changed-on-disk-zz'));
      await fs.rm(file(deleted));
      await fs.writeFile(file(created), hubText.replace(`\nslug: ${HUB_SLUG}\n`, '\nslug: hub-final\n').replace(/^id: .*$/m, 'id: pat_01kk9zzzzzzzzzzzzzzzzzzzzz'));
      await notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(changed), type: 2 }, { uri: uri(deleted), type: 3 }, { uri: uri(created), type: 1 }] });
      // Every message above has been read once this answers; the load had not ended then if no `end` came before it.
      await client.connection.sendRequest('completionItem/resolve', { label: 'barrier' });
      assert.ok(!client.progress.some((p) => (p as { value: { kind: string } }).value.kind === 'end'), 'the edits arrived while the library was loading');

      assert.deepEqual(await codeAction, { code: CONTENT_MODIFIED }, 'a code action for version 1 of a document now at version 2');
      assert.deepEqual(await rename, { code: CONTENT_MODIFIED }, 'a rename for version 1 of a document now at version 3');
      await client.waitFor(() => client.status.some((s) => s.libraries[0]?.state === 'ready'), 'the load to end');
      const edited = await finalState(client);
      assert.ok(edited.diagnostics.some(([u, ds]) => u === uri(a) && ds.some((d) => /typo-target-zz/.test(d.message))), 'the open edit counts');
      assert.ok(edited.diagnostics.some(([u, ds]) => u === uri(changed) && ds.some((d) => /changed-on-disk-zz/.test(d.message))), 'the change on disk counts');
      assert.ok(edited.diagnostics.some(([u, ds]) => u === uri(created) && ds.some((d) => d.code === 'duplicate-slug')), 'the created file clashes with the open hub');
      assert.ok(!edited.diagnostics.some(([u]) => u === uri(deleted)), 'the deleted file has no diagnostics');
      await client.stop();
      stopped = true;

      // A fresh server on the final state: the same files on disk, the same documents open with the same text.
      fresh = new TestClient();
      await fresh.initialize(pathToFileURL(dir).href);
      await fresh.waitFor(() => fresh!.status.some((s) => s.libraries[0]?.state === 'ready'), 'the fresh load to end');
      await fresh.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(a), languageId: 'markdown', version: 1, text: a2 } });
      await fresh.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(HUB_SLUG), languageId: 'markdown', version: 1, text: hub('hub-final') } });
      const expected = await finalState(fresh);
      assert.equal(expected.status[0]!.patterns, PATTERNS);
      assert.deepEqual(edited, expected);
    } finally {
      // Also after a failed assertion: a server left running would keep mocha from ever exiting.
      if (!stopped) await client.stop().catch(() => undefined);
      await fresh?.stop();
    }
  });
});
