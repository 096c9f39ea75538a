/**
 * Cancellation over LSP, on a synthetic library of the corpus' shape: a
 * request the client cancels answers RequestCancelled (-32800) at once,
 * whether it is mid-work or still waiting for the library; its work stops
 * (it does not keep sharing the thread with later requests); and a
 * cancelled "check the library" leaves the library exactly as it was.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, ResponseError, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol';
import { generateLibrary, HUB_SLUG } from '../../bench/synthetic';
import { TestClient } from './lspClient';

const PATTERNS = 1200;
/**
 * Dangling references on the hub to start with: each code action ranks every pattern for each. The first test adds
 * more until one request takes several times PROMPT_MS, however fast the machine (about 1 s for 400 on a fast one).
 */
const DANGLING = 400;
/** The most it adds up to: a machine that needs more is not one this test can tell anything on. */
const MAX_DANGLING = 6400;
/** How soon a cancelled request must answer, in ms: generous, for a busy 2-core CI machine. The work checks its token every 10 ms. */
const PROMPT_MS = 400;
/** The longest a library layout runs without yielding, on a loaded machine: three ForceAtlas2 iterations over 1,200 patterns. */
const LAYOUT_SLICE_MS = 1500;
const REQUEST_CANCELLED = -32800;

describe('cancellation over LSP', function () {
  this.timeout(180_000);
  let dir: string;
  let client: TestClient;
  let hubUri: string;
  let dangling: Diagnostic[];
  let hubText: string;
  let hubVersion = 1;

  /** Gives the open hub `count` references that name no pattern, and waits until their diagnostics are out. */
  const setDangling = async (count: number): Promise<void> => {
    const text = hubText.replace(
      '  tools:',
      `  tools:\n${Array.from({ length: count }, (_, k) => `    - slug: garden-tool-typo-${k}\n      weight: 0.5`).join('\n')}\n  tools_more:`,
    );
    if (hubVersion === 1) await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: hubUri, languageId: 'markdown', version: hubVersion, text } });
    else await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: hubUri, version: hubVersion }, contentChanges: [{ text }] });
    hubVersion++;
    dangling = await client.waitFor(() => {
      const found = client.diagnosticsOf(hubUri, 'dangling-reference').filter((d) => /garden-tool-typo/.test(d.message));
      return found.length === count && found;
    }, `${count} dangling references on the hub`);
  };

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-cancel-'));
    await generateLibrary(dir, PATTERNS);
    client = new TestClient();
    await client.initialize(pathToFileURL(dir).href);
    await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'the library to be ready');
    // The hub, open with many references that name no pattern: each code action ranks every pattern for "did you mean".
    hubUri = pathToFileURL(path.join(dir, `${HUB_SLUG}.md`)).href;
    hubText = await fs.readFile(path.join(dir, `${HUB_SLUG}.md`), 'utf8');
    await setDangling(DANGLING);
  });

  after(async () => {
    await client.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const codeActions = (source?: CancellationTokenSource): Promise<CodeAction[] | null> => {
    const params = { textDocument: { uri: hubUri }, range: dangling[0]!.range, context: { diagnostics: dangling, only: ['quickfix'] } };
    return source ? client.connection.sendRequest('textDocument/codeAction', params, source.token) : client.connection.sendRequest('textDocument/codeAction', params);
  };

  /** A request the server answers without waiting for anything: its answer means every message before it was read. */
  const barrier = (): Promise<unknown> => client.connection.sendRequest('completionItem/resolve', { label: 'barrier' });

  const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
    const started = performance.now();
    const result = await work();
    return [result, performance.now() - started];
  };

  /** Sends a request, waits until the server has started on it, cancels it; resolves with the error code and the ms from cancel to answer. */
  const cancelMidWork = async (send: (token: CancellationTokenSource) => Promise<unknown>): Promise<{ code: number | undefined; afterCancelMs: number }> => {
    const source = new CancellationTokenSource();
    let settled = false;
    const pending = send(source).then(
      () => undefined,
      (error: unknown) => (error instanceof ResponseError ? error.code : -1),
    );
    void pending.then(() => (settled = true));
    await barrier();
    assert.ok(!settled, 'the request was still running when the barrier answered');
    const cancelledAt = performance.now();
    source.cancel();
    const code = await pending;
    return { code, afterCancelMs: performance.now() - cancelledAt };
  };

  it('a code action request cancelled mid-work answers RequestCancelled promptly, and its work stops', async () => {
    let [actions, full] = await timed(() => codeActions());
    // On a fast machine, more work: enough for about five times PROMPT_MS.
    while (full < 3 * PROMPT_MS && dangling.length < MAX_DANGLING) {
      await setDangling(Math.min(MAX_DANGLING, Math.ceil((dangling.length * 5 * PROMPT_MS) / Math.max(full, 1))));
      [actions, full] = await timed(() => codeActions());
    }
    assert.ok(actions && actions.length >= dangling.length, 'the uncancelled request answers every diagnostic');
    assert.ok(full >= 3 * PROMPT_MS, `the request must be long for this test to mean anything: it took ${full.toFixed(0)} ms`);

    const cancelled = [];
    for (let i = 0; i < 3; i++) cancelled.push(await cancelMidWork((token) => codeActions(token)));
    for (const { code, afterCancelMs } of cancelled) {
      assert.equal(code, REQUEST_CANCELLED);
      assert.ok(afterCancelMs < PROMPT_MS, `answered ${afterCancelMs.toFixed(0)} ms after the cancel`);
    }
    // Had the three cancelled requests gone on in the background, sharing the thread, this one would take about four times as long
    // (the margin is for a machine whose load changes between the two measurements).
    const [, next] = await timed(() => codeActions());
    assert.ok(next < 2.5 * full, `the next full request took ${next.toFixed(0)} ms, the first ${full.toFixed(0)} ms: the cancelled work did not stop`);
    if (process.env["TRELLIS_FIGURES"]) console.log({ full, cancelled, next });
    const [, hover] = await timed(() => client.connection.sendRequest('textDocument/hover', { textDocument: { uri: hubUri }, position: dangling[0]!.range.start }));
    assert.ok(hover < PROMPT_MS, `a hover after them took ${hover.toFixed(0)} ms`);
  });

  it('a library graph request cancelled during its first layout answers RequestCancelled promptly; the layout is kept for the next', async () => {
    const library = { view: 'library', uri: pathToFileURL(dir).href };
    const { code, afterCancelMs } = await cancelMidWork((token) => client.connection.sendRequest('trellis/graph', library, token.token));
    assert.equal(code, REQUEST_CANCELLED);
    // The layout yields between slices of three ForceAtlas2 iterations (graphLayout.ts), so the cancel is read at the end of a slice.
    assert.ok(afterCancelMs < LAYOUT_SLICE_MS, `answered ${afterCancelMs.toFixed(0)} ms after the cancel`);
    const [, hover] = await timed(() => client.connection.sendRequest('textDocument/hover', { textDocument: { uri: hubUri }, position: dangling[0]!.range.start }));
    assert.ok(hover < LAYOUT_SLICE_MS, `a hover meanwhile took ${hover.toFixed(0)} ms`);
    const placed = (await client.connection.sendRequest('trellis/graph', library)) as { status: string; graph: { nodes: unknown[] } };
    assert.equal(placed.status, 'ok');
    assert.equal(placed.graph.nodes.length, PATTERNS);
  });

  it('a request waiting for a library reload answers RequestCancelled at once; a cancelled reload leaves the library as it was', async () => {
    const before = await client.waitFor(() => client.status.at(-1)?.libraries[0]?.state === 'ready' && client.status.at(-1)!.libraries[0]!, 'ready');
    const diagnosticsBefore = JSON.stringify([...client.diagnostics.values()].map((p) => [p.uri, p.diagnostics]).sort());
    const hubSlug = { textDocument: { uri: hubUri }, position: { line: 5, character: 8 }, context: { includeDeclaration: false } };
    const refsBefore = (await client.connection.sendRequest('textDocument/references', hubSlug)) as unknown[];
    assert.ok(refsBefore.length >= 100, 'the hub is named by at least its 100 referrers');
    // A line more at the end of every file: the reload misses the analysis cache and takes seconds, not milliseconds.
    for (const name of await fs.readdir(dir)) if (name.endsWith('.md')) await fs.appendFile(path.join(dir, name), '\n');
    const statuses = client.status.length;
    const reload = new CancellationTokenSource();
    const check = client.connection.sendRequest('trellis/checkLibrary', reload.token).then(
      () => undefined,
      (error: unknown) => (error instanceof ResponseError ? error.code : -1),
    );
    await client.waitFor(() => client.status.slice(statuses).some((s) => s.libraries[0]?.state === 'indexing'), 'the reload to start');

    // A workspace symbol search waits until the library has caught up: cancelled, it must not wait for the reload.
    const waiting = await cancelMidWork((token) => client.connection.sendRequest('workspace/symbol', { query: 'garden' }, token.token));
    assert.equal(waiting.code, REQUEST_CANCELLED);
    assert.ok(waiting.afterCancelMs < PROMPT_MS, `answered ${waiting.afterCancelMs.toFixed(0)} ms after the cancel`);
    assert.ok(!client.status.slice(statuses).some((s) => s.libraries[0]?.state === 'ready'), 'it answered while the reload was still running');

    const cancelledAt = performance.now();
    reload.cancel();
    assert.equal(await check, REQUEST_CANCELLED);
    const afterCancelMs = performance.now() - cancelledAt;
    assert.ok(afterCancelMs < 3000, `the reload stopped ${afterCancelMs.toFixed(0)} ms after the cancel (it checks between batches of files)`);
    const after = await client.waitFor(() => client.status.at(-1)?.libraries[0]?.state === 'ready' && client.status.at(-1)!.libraries[0]!, 'ready again');
    assert.deepEqual(after, before, 'the same patterns and counts as before the cancelled reload');
    const symbols = (await client.connection.sendRequest('workspace/symbol', { query: '' })) as unknown[];
    assert.equal(symbols.length, Math.min(200, PATTERNS));
    assert.equal(JSON.stringify([...client.diagnostics.values()].map((p) => [p.uri, p.diagnostics]).sort()), diagnosticsBefore);
    assert.deepEqual(await client.connection.sendRequest('textDocument/references', hubSlug), refsBefore);
  });
});
