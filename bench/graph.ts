/**
 * Times the relationship graph on the real corpus, through the real server
 * (dist/server.js over node-ipc, as VS Code starts it) and the real webview
 * page in headless Chromium (WebGL in SwiftShader: no GPU here):
 * - the ego graph of a pattern at depths 1–3 and the library graph (first and remembered);
 * - live updates: the author edits a pattern's relationships (alternately
 *   adding a link to another pattern and removing it); from the diagnostics
 *   for that version being published to the page having the updated graph on
 *   screen (the server's answer, the message, the merge into the drawn graph,
 *   and the painted frame), at depths 1, 2 and 3, around hubs (patterns
 *   that more than a thousand others link to) and ordinary patterns, with the
 *   ego limit the panel asks for by default (`EGO_NODE_LIMIT`), and once with
 *   "Show all".
 *
 *   npm run bench:graph            (needs /usr/bin/chromium; the corpus is only read)
 *   npx tsx bench/graph.ts --edits 12 --depths 2,3 --groups ordinary --show-all-edits 0
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EGO_NODE_LIMIT } from '../client/src/graphProtocol';
import type { GraphDepth } from '../server/src/core/graphData';
import type { GraphResult } from '../server/src/protocol';
import { TestClient } from '../test/lsp/lspClient';
import { CORPUS, launchBrowser, serveWebview, WebviewPage } from '../test/webview/harness';

const HUBS = ['acceptance-and-commitment', 'adversarial-growth'];
const ORDINARY = ['therapeutic-relationship-building', 'wabi-sabi-aesthetics'];
const LINK_TARGET = 'adaptive-facilitation';
const EDITS = Number(argument('--edits') ?? 10);
const SHOW_ALL_EDITS = Number(argument('--show-all-edits') ?? 4);
/** `--depths 2,3`, `--groups ordinary`: a shorter run. */
const DEPTHS = (argument('--depths') ?? '1,2,3').split(',').map(Number) as GraphDepth[];
const GROUPS = (argument('--groups') ?? 'hubs,ordinary').split(',');

async function main(): Promise<void> {
  const client = new TestClient('ipc');
  const started = performance.now();
  await client.initialize(pathToFileURL(CORPUS).href);
  await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'indexing');
  console.log(`indexed the corpus in ${ms(performance.now() - started)}`);

  const fileOf = (slug: string): string => pathToFileURL(path.join(CORPUS, `${slug}.md`)).href;
  const request = async (params: unknown): Promise<{ result: GraphResult; time: number }> => {
    const t = performance.now();
    const result = await client.connection.sendRequest<GraphResult>('trellis/graph', params);
    return { result, time: performance.now() - t };
  };
  const size = (result: GraphResult): string =>
    result.status === 'ok'
      ? `${result.graph.nodes.length}${result.graph.totalNodes !== undefined && result.graph.truncated ? ` of ${result.graph.totalNodes}` : ''} nodes, ${result.graph.edges.length} links, ${Math.round(JSON.stringify(result).length / 1024)} KB`
      : result.status;

  const sample = fileOf(ORDINARY[0]!);
  for (const depth of [1, 2, 3]) {
    for (const limit of [EGO_NODE_LIMIT, undefined]) {
      const { result, time } = await request({ view: 'ego', uri: sample, depth, ...(limit ? { limit } : {}) });
      console.log(`${ORDINARY[0]}, depth ${depth}, ${limit ? `limit ${limit}` : 'all'}: ${ms(time)} (${size(result)})`);
    }
  }
  const first = await request({ view: 'library', uri: sample });
  console.log(`library graph, first (ForceAtlas2 layout): ${ms(first.time)} (${size(first.result)})`);
  const again = await request({ view: 'library', uri: sample });
  console.log(`library graph, remembered layout: ${ms(again.time)}`);

  const server = await serveWebview();
  const browser = await launchBrowser(server.origin);
  const page = await WebviewPage.open(browser, server.origin);
  if (again.result.status === 'ok') {
    const t = performance.now();
    const revision = await page.send({ type: 'graph', graph: again.result.graph, state: { view: 'library', depth: 1, showAll: false } });
    const rendered = await page.waitForRendered(revision);
    console.log(`library view in Chromium: ${rendered.nodes} nodes drawn, on screen ${ms(rendered.milliseconds)} after the message reached the page, ${ms(performance.now() - t)} end to end`);
  }

  let version = 1;
  const opened = new Map<string, string>();
  /** One edit of `slug`'s relationships, and the time from its diagnostics to the updated graph on screen. */
  const editAndDraw = async (slug: string, depth: GraphDepth, showAll: boolean, add: boolean): Promise<{ total: number; afterAll: number; server: number; page: number }> => {
    const file = fileOf(slug);
    const text = opened.get(slug)!;
    const edited = add ? withLink(text, LINK_TARGET) : text;
    version++;
    const statuses = client.status.length;
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: file, version }, contentChanges: [{ text: edited }] });
    // The server publishes the edited file first, then, in slices, every other file whose published
    // diagnostics the edit changed (none here: the referrers of a hub are closed, and closed files get
    // no missing-mirror hints), then the library's status.
    const allPublished = client.waitFor(() => client.status.length > statuses, 'the status after the edit').then(() => performance.now());
    await client.waitFor(() => client.diagnostics.get(file)?.version === version, `diagnostics for version ${version}`);
    // What the panel does on onDidChangeDiagnostics: ask the server, post the answer to the page.
    const t0 = performance.now();
    const { result, time } = await request({ view: 'ego', uri: file, depth, ...(showAll ? {} : { limit: EGO_NODE_LIMIT }) });
    if (result.status !== 'ok') throw new Error(result.status);
    const revision = await page.send({ type: 'graph', graph: result.graph, state: { view: 'ego', depth, showAll, centerUri: file } });
    const rendered = await page.waitForRendered(revision);
    const done = performance.now();
    return { total: done - t0, afterAll: done - (await allPublished), server: time, page: rendered.milliseconds };
  };

  const rows: string[] = [];
  const run = async (label: string, slugs: string[], depth: GraphDepth, showAll: boolean, edits: number): Promise<void> => {
    const total: number[] = [];
    const afterAll: number[] = [];
    const serverTimes: number[] = [];
    const pageTimes: number[] = [];
    let shape = '';
    for (const slug of slugs) {
      const file = fileOf(slug);
      if (!opened.has(slug)) {
        const text = readFileSync(path.join(CORPUS, `${slug}.md`), 'utf8');
        opened.set(slug, text);
        await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: file, languageId: 'markdown', version: ++version, text } });
      }
      // The view as the author opened it, before the edits.
      const initial = await request({ view: 'ego', uri: file, depth, ...(showAll ? {} : { limit: EGO_NODE_LIMIT }) });
      if (initial.result.status !== 'ok') throw new Error(initial.result.status);
      shape += `${shape ? '; ' : ''}${slug}: ${size(initial.result)}`;
      await page.waitForRendered(await page.send({ type: 'graph', graph: initial.result.graph, state: { view: 'ego', depth, showAll, centerUri: file } }));
      for (let i = 0; i < edits; i++) {
        const t = await editAndDraw(slug, depth, showAll, i % 2 === 0);
        total.push(t.total);
        afterAll.push(t.afterAll);
        serverTimes.push(t.server);
        pageTimes.push(t.page);
      }
      // Leave the file as it was.
      if (edits % 2 === 1) await editAndDraw(slug, depth, showAll, false);
    }
    const row = `| ${label} | ${depth} | ${showAll ? 'all' : `${EGO_NODE_LIMIT} strongest`} | ${total.length} | ${stats(total)} | ${stats(afterAll)} | ${Math.round(percentile(serverTimes, 0.5))} / ${Math.round(percentile(serverTimes, 0.95))} | ${Math.round(percentile(pageTimes, 0.5))} / ${Math.round(percentile(pageTimes, 0.95))} |`;
    rows.push(row);
    console.log(`${row}   (${shape})`);
  };

  console.log(`\nlive updates: diagnostics published → updated graph on screen (${EDITS} edits per pattern)`);
  console.log('| patterns | depth | nodes | edits | from the edited file\'s diagnostics: p50 / p95 / max ms | from the last diagnostics of the edit: p50 / p95 / max ms | server answer p50 / p95 ms | page (message → on screen) p50 / p95 ms |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const depth of DEPTHS) {
    if (GROUPS.includes('hubs')) await run(`hubs (${HUBS.join(', ')})`, HUBS, depth, false, EDITS);
    if (GROUPS.includes('ordinary')) await run(`ordinary (${ORDINARY.join(', ')})`, ORDINARY, depth, false, EDITS);
  }
  if (SHOW_ALL_EDITS > 0) await run(`hub (${HUBS[0]}), Show all`, [HUBS[0]!], 2, true, SHOW_ALL_EDITS);

  await browser.close();
  await server.close();
  await client.stop();
}

/** `text` with one more link, in the first empty relation list of its `relationships`. */
function withLink(text: string, target: string): string {
  const start = text.search(/^relationships:$/m);
  const empty = /^ {2}([a-z_]+): \[\]$/m.exec(text.slice(start));
  if (start < 0 || !empty) throw new Error('no empty relation list to add a link to');
  const at = start + empty.index;
  return `${text.slice(0, at)}  ${empty[1]}:\n    - slug: ${target}\n      weight: 0.9${text.slice(at + empty[0].length)}`;
}

function stats(values: number[]): string {
  return `${Math.round(percentile(values, 0.5))} / ${Math.round(percentile(values, 0.95))} / ${Math.round(Math.max(...values))}`;
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
