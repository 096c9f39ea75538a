/**
 * Times the relationship graph on the real corpus, through the real server
 * (dist/server.js over node-ipc, as VS Code starts it) and the real webview
 * page in headless Chromium:
 * - the ego graph of a pattern at depths 1–3 and the library graph (first and remembered);
 * - after an edit of relationships: from the diagnostics being published to
 *   the server's answer, and on to the page's first frame with the new graph.
 *
 *   npm run bench:graph            (needs /usr/bin/chromium; the corpus is only read)
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GraphResult } from '../server/src/protocol';
import { TestClient } from '../test/lsp/lspClient';
import { CORPUS, launchBrowser, serveWebview, WebviewPage } from '../test/webview/harness';

const CENTER = 'therapeutic-relationship-building';
const EDITS = 10;

async function main(): Promise<void> {
  const client = new TestClient('ipc');
  const started = performance.now();
  await client.initialize(pathToFileURL(CORPUS).href);
  await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'indexing');
  console.log(`indexed the corpus in ${ms(performance.now() - started)}`);

  const file = pathToFileURL(path.join(CORPUS, `${CENTER}.md`)).href;
  const text = readFileSync(path.join(CORPUS, `${CENTER}.md`), 'utf8');
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: file, languageId: 'markdown', version: 1, text } });
  const request = async (params: unknown): Promise<{ result: GraphResult; time: number }> => {
    const t = performance.now();
    const result = await client.connection.sendRequest<GraphResult>('trellis/graph', params);
    return { result, time: performance.now() - t };
  };
  const size = (result: GraphResult): string => (result.status === 'ok' ? `${result.graph.nodes.length} nodes, ${result.graph.edges.length} links, ${Math.round(JSON.stringify(result).length / 1024)} KB` : result.status);

  for (const depth of [1, 2, 3]) {
    const { result, time } = await request({ view: 'ego', uri: file, depth });
    console.log(`ego graph, depth ${depth}: ${ms(time)} (${size(result)})`);
  }
  const first = await request({ view: 'library', uri: file });
  console.log(`library graph, first (ForceAtlas2 layout): ${ms(first.time)} (${size(first.result)})`);
  const again = await request({ view: 'library', uri: file });
  console.log(`library graph, remembered layout: ${ms(again.time)}`);

  const server = await serveWebview();
  const browser = await launchBrowser(server.origin);
  const page = await WebviewPage.open(browser, server.origin);
  if (again.result.status === 'ok') {
    const t = performance.now();
    const revision = await page.send({ type: 'graph', graph: again.result.graph, state: { view: 'library', depth: 1, showAll: false } });
    const rendered = await page.waitForRendered(revision);
    console.log(`library view in Chromium: ${rendered.nodes} nodes drawn, first frame ${ms(rendered.milliseconds)} after the message reached the page, ${ms(performance.now() - t)} end to end`);
  }
  const initial = await request({ view: 'ego', uri: file, depth: 1 });
  if (initial.result.status === 'ok') await page.waitForRendered(await page.send({ type: 'graph', graph: initial.result.graph, state: { view: 'ego', depth: 1, showAll: false, centerUri: file } }));

  const server_: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const version = i + 2;
    // Alternately add and drop a link, as an author editing `relationships` would.
    const edited = i % 2 === 0 ? text.replace('  specializes_to: []', '  specializes_to:\n    - slug: adaptive-facilitation\n      weight: 0.6') : text;
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: file, version }, contentChanges: [{ text: edited }] });
    await client.waitFor(() => client.diagnostics.get(file)?.version === version, `diagnostics for version ${version}`);
    const t0 = performance.now();
    const { result, time } = await request({ view: 'ego', uri: file, depth: 1 });
    server_.push(time);
    if (result.status !== 'ok') throw new Error(result.status);
    const revision = await page.send({ type: 'graph', graph: result.graph, state: { view: 'ego', depth: 1, showAll: false, centerUri: file } });
    await page.waitForRendered(revision);
    total.push(performance.now() - t0);
  }
  console.log(`ego view after an edit (${EDITS} edits): diagnostics → server answer median ${ms(median(server_))}, max ${ms(Math.max(...server_))}; diagnostics → first frame median ${ms(median(total))}, max ${ms(Math.max(...total))}`);

  await browser.close();
  await server.close();
  await client.stop();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
