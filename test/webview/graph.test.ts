/**
 * The graph webview in headless Chromium, on graph data the real core builds
 * from the real corpus. Screenshots go to .test-artifacts/webview/.
 * Run with `npm run test:webview` (needs /usr/bin/chromium).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildEgoGraph, buildLibraryGraph, declaredRelations } from '../../server/src/core/graph';
import type { GraphDepth, PlacedGraph } from '../../server/src/core/graphData';
import { TrellisLibrary } from '../../server/src/core/library';
import { LibraryLayouts, placeEgoGraph } from '../../server/src/graphLayout';
import { NodeLibraryHost, pathToUri } from '../../server/src/nodeHost';
import type { GraphViewState } from '../../client/src/graphProtocol';
import { visibility, type GraphFilter } from '../../client/webview/visibility';
import { CORPUS, launchBrowser, serveWebview, WebviewPage, type Browser } from './harness';

const HOSTILE = '<img src=x onerror=alert(1)>';
const CENTER_SLUG = 'therapeutic-relationship-building';

describe('the graph webview in Chromium, on the real corpus', function () {
  let library: TrellisLibrary;
  let server: Awaited<ReturnType<typeof serveWebview>>;
  let browser: Browser;
  let centerUri: string;
  let libraryGraph: PlacedGraph;
  let libraryLayoutMs: number;
  const pages: WebviewPage[] = [];
  const uriOf = (slug: string): string => library.index.bySlug(slug)[0]!.uri;
  const ego = (depth: GraphDepth = 1): PlacedGraph =>
    placeEgoGraph(buildEgoGraph(library.index, centerUri, { depth, declaredRelations: declaredRelations(library.librarySchemas) })!);
  const open = async (theme: 'light' | 'dark' | 'high-contrast' = 'light'): Promise<WebviewPage> => {
    const page = await WebviewPage.open(browser, server.origin, theme);
    pages.push(page);
    return page;
  };
  const showEgo = async (page: WebviewPage, graph = ego()): Promise<void> => {
    const revision = await page.send({ type: 'graph', graph, state: { view: 'ego', depth: graph.depth as GraphDepth, centerUri } });
    await page.waitForRendered(revision);
  };

  before(async function () {
    library = new TrellisLibrary(pathToUri(CORPUS), new NodeLibraryHost());
    await library.load();
    centerUri = uriOf(CENTER_SLUG);
    const started = performance.now();
    const layouts = new LibraryLayouts({ yieldToHost: () => new Promise((resolve) => setImmediate(resolve)) });
    libraryGraph = (await layouts.place(library.rootUri, buildLibraryGraph(library.index, { declaredRelations: declaredRelations(library.librarySchemas) })))!;
    libraryLayoutMs = performance.now() - started;
    // A pattern whose title is markup, linked to the centre: opened in the editor, never written to the corpus.
    await library.setDocumentText(
      `${library.rootUri}/zz-hostile-title.md`,
      `---\nid: pat_01khvcxcmwee1s6wdhmrpk0x99\nslug: zz-hostile-title\ntitle: "${HOSTILE}"\nsummary: "<script>alert(2)</script> and <b>bold</b>"\nrelationships:\n  requires:\n    - slug: ${CENTER_SLUG}\n      weight: 0.7\n---\n\nBody.\n`,
      1,
    );
    server = await serveWebview();
    browser = await launchBrowser(server.origin);
  });

  afterEach(async () => {
    // Whatever a test did, the page stayed clean: no script errors, no CSP violations, no dialogs.
    for (const page of pages.splice(0)) {
      assert.deepEqual(page.errors, [], 'errors in the page');
      assert.deepEqual(await page.violations(), [], 'CSP violations');
      assert.deepEqual(page.dialogs, [], 'dialogs opened');
      await page.page.close();
    }
  });

  after(async () => {
    assert.deepEqual(browser?.offsite ?? [], [], 'requests that left 127.0.0.1');
    await browser?.close();
    await server?.close();
  });

  it('the ego view of therapeutic-relationship-building shows its neighbours, ghosts and typed links (light theme)', async () => {
    const page = await open('light');
    const graph = ego(1);
    const revision = await page.send({ type: 'graph', graph, state: { view: 'ego', depth: 1, centerUri } });
    const rendered = await page.waitForRendered(revision);
    assert.equal(rendered.nodes, graph.nodes.length);
    assert.equal(rendered.edges, graph.edges.length);
    const labels = graph.nodes.map((n) => n.label);
    for (const expected of ['Therapeutic Relationship Building', 'Active Listening Depth', 'Acceptance and Commitment', 'emotional-safety', HOSTILE]) {
      assert.ok(labels.includes(expected), `${expected} is a neighbour`);
    }
    // Every node is drawn inside the view.
    const box = (await page.page.locator('#graph').boundingBox())!;
    for (const node of graph.nodes) {
      const at = await page.nodeOnPage(node.id);
      assert.ok(at && at.x >= box.x && at.x <= box.x + box.width && at.y >= box.y && at.y <= box.y + box.height, `${node.label} is on screen`);
    }
    // The legend names the relations drawn, and the status line the centre.
    const legend = await page.page.locator('.relations .row .name').allTextContents();
    for (const relation of new Set(graph.edges.map((e) => e.relation))) assert.ok(legend.includes(relation), `legend has ${relation}`);
    assert.match((await page.page.locator('.status').textContent())!, /^Therapeutic Relationship Building · 15 of 15 nodes/);
    await page.screenshot('ego-light');

    // The PNG export is a real picture, not a blank canvas.
    await page.page.getByRole('button', { name: 'PNG' }).click();
    const png = await page.waitForPosted({ type: 'exported', format: 'png' });
    assert.ok('base64' in png && (await page.inkedPixels(png.base64)) > 2000, 'the PNG shows the graph');
    // The SVG export has every node, and the hostile title as text.
    await page.page.getByRole('button', { name: 'SVG' }).click();
    const svg = await page.waitForPosted({ type: 'exported', format: 'svg' });
    assert.ok('svg' in svg);
    assert.equal(svg.svg.match(/<circle /g)?.length, graph.nodes.length);
    assert.ok(svg.svg.includes('&lt;img src=x onerror=alert(1)&gt;'), 'escaped in the SVG');
    assert.ok(!svg.svg.includes('<img'), 'no markup from the data');
  });

  it('follows the theme: dark and high contrast, switched live', async () => {
    const page = await open('dark');
    await showEgo(page, ego(2));
    assert.equal(await page.page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(31, 31, 31)');
    await page.screenshot('ego-depth2-dark');
    await page.page.evaluate(() => (window as unknown as { applyTheme(name: string): void }).applyTheme('high-contrast'));
    await page.page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === 'rgb(0, 0, 0)');
    await showEgo(page, ego(1));
    await page.screenshot('ego-high-contrast');
  });

  it('a click on a pattern posts the message that opens it; a ghost opens nothing', async () => {
    const page = await open();
    const graph = ego(1);
    await showEgo(page, graph);
    const ghost = graph.nodes.find((n) => n.kind === 'ghost')!;
    const ghostAt = (await page.nodeOnPage(ghost.id))!;
    await page.page.mouse.click(ghostAt.x, ghostAt.y);
    const target = uriOf('active-listening-depth');
    const at = (await page.nodeOnPage(target))!;
    await page.page.mouse.click(at.x, at.y);
    const opened = await page.waitForPosted({ type: 'open' });
    assert.deepEqual(opened, { type: 'open', uri: target });
    assert.deepEqual((await page.posted()).filter((m) => m.type === 'open'), [opened], 'the ghost posted nothing');
  });

  it('a hostile title stays text, in the tooltip, the search and the legend', async () => {
    const page = await open();
    const graph = ego(1);
    await showEgo(page, graph);
    const hostile = graph.nodes.find((n) => n.label === HOSTILE)!;
    const at = (await page.nodeOnPage(hostile.id))!;
    await page.page.mouse.move(at.x, at.y);
    const tooltip = page.page.locator('.tooltip');
    await tooltip.waitFor({ state: 'visible' });
    assert.equal(await tooltip.locator('.title').textContent(), HOSTILE);
    assert.equal(await tooltip.locator('.summary').textContent(), '<script>alert(2)</script> and <b>bold</b>');
    await page.page.getByRole('searchbox', { name: 'Search patterns' }).fill('onerror');
    await page.page.locator('.count', { hasText: '1 match' }).waitFor();
    await page.screenshot('ego-hostile-title');
    assert.equal(await page.page.evaluate(() => document.querySelectorAll('img, script:not([src]), b').length), 0, 'no element was made from the data');
  });

  it('filters by relation, inferred links, domain and status', async () => {
    const page = await open();
    const graph = ego(1);
    await showEgo(page, graph);
    const visible = (): Promise<{ nodes: number; edges: number }> => page.page.evaluate(() => (window as unknown as { trellisGraph: { visible(): { nodes: number; edges: number } } }).trellisGraph.visible());
    assert.deepEqual(await visible(), { nodes: 15, edges: graph.edges.length });

    // What the filters should leave, computed here with the same rules.
    const expected = (filter: Partial<GraphFilter>): { nodes: number; edges: number } => {
      const v = visibility(graph, { showInferred: true, showOuterLinks: false, hiddenRelations: new Set(), hiddenDomains: new Set(), hiddenStatuses: new Set(), ...filter });
      return { nodes: v.visibleNodes, edges: v.visibleEdges };
    };
    const shows = async (want: { nodes: number; edges: number }): Promise<void> => {
      await page.page.waitForFunction(
        (w) => {
          const v = (window as unknown as { trellisGraph: { visible(): { nodes: number; edges: number } } }).trellisGraph.visible();
          return v.nodes === w.nodes && v.edges === w.edges;
        },
        want,
      );
    };

    await page.page.getByLabel('Inferred links').uncheck();
    const curated = expected({ showInferred: false });
    assert.ok(curated.edges > 0 && curated.edges < graph.edges.length, 'the centre has both kinds of links');
    await shows(curated);
    await page.screenshot('ego-curated-only');

    await page.page.locator('.relations .row', { hasText: 'complementary' }).locator('input').uncheck();
    await shows(expected({ showInferred: false, hiddenRelations: new Set(['complementary']) }));

    // Hiding a domain hides its patterns (and, in the ego view, what only they linked to).
    const domain = graph.nodes.find((n) => n.slug === 'active-listening-depth')!.domain!;
    await page.page.locator('.domains .row', { hasText: domain }).first().locator('input').uncheck();
    const after = await visible();
    assert.ok(after.nodes < 15 && (await page.nodeOnPage(uriOf('active-listening-depth'))) === undefined, 'the pattern of that domain is gone');
    await page.page.locator('.statuses .row', { hasText: 'draft' }).locator('input').uncheck();
    await page.page.waitForFunction(() => (window as unknown as { trellisGraph: { visible(): { nodes: number } } }).trellisGraph.visible().nodes <= 4);
    assert.ok((await page.nodeOnPage(centerUri)) !== undefined, 'the centre always stays');
  });

  it('the library view renders all 3,616 patterns, coloured by domain, and pans and zooms', async () => {
    const page = await open('light');
    const started = Date.now();
    const revision = await page.send({ type: 'graph', graph: libraryGraph, state: { view: 'library', depth: 1, centerUri } });
    const rendered = await page.waitForRendered(revision);
    const wall = Date.now() - started;
    const patterns = libraryGraph.nodes.length;
    assert.equal(patterns, 3616, 'every pattern of the corpus');
    assert.equal(rendered.nodes, patterns);
    assert.equal(rendered.edges, libraryGraph.edges.length);
    await page.screenshot('library-light');
    await page.page.getByRole('button', { name: 'PNG' }).click();
    const png = await page.waitForPosted({ type: 'exported', format: 'png' });
    assert.ok('base64' in png && (await page.inkedPixels(png.base64)) > 20000, 'the PNG shows the library');

    // Pan and zoom with the mouse, timing the frames.
    // (A string, so that no helper of the test's compiler leaks into the page.)
    const frames = await page.page.evaluate(`(() => {
      const times = [];
      window.frameTimes = times;
      const tick = (t) => { times.push(t); if (times.length < 2000) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      return times.length;
    })()`);
    assert.equal(frames, 0);
    const box = (await page.page.locator('#graph').boundingBox())!;
    await page.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.page.mouse.down();
    for (let i = 1; i <= 20; i++) await page.page.mouse.move(box.x + box.width / 2 + i * 8, box.y + box.height / 2 + i * 4);
    await page.page.mouse.up();
    for (let i = 0; i < 5; i++) await page.page.mouse.wheel(0, -200);
    const intervals = await page.page.evaluate(() => {
      const times = (window as unknown as { frameTimes: number[] }).frameTimes;
      return times.slice(1).map((t, i) => t - times[i]!);
    });
    intervals.sort((a, b) => a - b);
    const median = intervals[Math.floor(intervals.length / 2)] ?? 0;
    const p95 = intervals[Math.floor(intervals.length * 0.95)] ?? 0;
    await page.screenshot('library-light-zoomed');
    console.log(
      `      library view: ${patterns} patterns, ${libraryGraph.edges.length} links; server layout ${Math.round(libraryLayoutMs)} ms; ` +
        `first frame ${Math.round(rendered.milliseconds)} ms after the message (${wall} ms end to end); ` +
        `frames while panning and zooming: median ${median.toFixed(1)} ms, 95th percentile ${p95.toFixed(1)} ms (${intervals.length} frames)`,
    );

    const dark = await open('dark');
    const darkRevision = await dark.send({ type: 'graph', graph: libraryGraph, state: { view: 'library', depth: 1, centerUri } });
    assert.equal((await dark.waitForRendered(darkRevision)).nodes, patterns);
    await dark.screenshot('library-dark');
  });

  it('follows an edit of relationships within 300 ms, keeping the camera and every node that did not move', async () => {
    const page = await open();
    await showEgo(page, ego(1));
    // Zoom in somewhere, as an author would.
    const box = (await page.page.locator('#graph').boundingBox())!;
    await page.page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.4);
    await page.page.mouse.wheel(0, -300);
    await page.page.waitForFunction(() => ((JSON.parse(sessionStorage.getItem('trellis-webview-state') ?? '{}') as { camera?: { ratio: number } }).camera?.ratio ?? 1) < 0.9);
    await cameraSettled(page);
    const cameraBefore = (await savedCamera(page))!;
    const before = ego(1);
    const positions = new Map<string, { x: number; y: number } | undefined>();
    for (const node of before.nodes) positions.set(node.id, await page.nodeOnPage(node.id));
    const cameraKept = await savedCamera(page);

    const text = readFileSync(path.join(CORPUS, `${CENTER_SLUG}.md`), 'utf8');
    const timings: number[] = [];
    // 1. A new link between two patterns already on screen.
    const withLink = text.replace('  specializes_to: []', '  specializes_to:\n    - slug: adaptive-facilitation\n      weight: 0.6');
    assert.notEqual(withLink, text);
    let t0 = performance.now();
    await library.setDocumentText(centerUri, withLink, 2);
    // Diagnostics are ready here; what follows is the server's answer and the page's first frame.
    let t1 = performance.now();
    let graph = ego(1);
    let revision = await page.send({ type: 'graph', graph, state: { view: 'ego', depth: 1, centerUri } });
    let rendered = await page.waitForRendered(revision);
    timings.push(performance.now() - t1);
    assert.equal(rendered.edges, before.edges.length + 1);
    assert.equal(rendered.nodes, before.nodes.length);
    assert.deepEqual(await savedCamera(page), cameraKept, 'the camera did not move');
    for (const node of before.nodes) assert.deepEqual(await page.nodeOnPage(node.id), positions.get(node.id), `${node.label} stayed put`);

    // 2. A new neighbour.
    const withNeighbour = withLink.replace('  alternatives: []', '  alternatives:\n    - slug: 360-degree-feedback\n      weight: 0.5');
    t0 = performance.now();
    await library.setDocumentText(centerUri, withNeighbour, 3);
    t1 = performance.now();
    graph = ego(1);
    revision = await page.send({ type: 'graph', graph, state: { view: 'ego', depth: 1, centerUri } });
    rendered = await page.waitForRendered(revision);
    timings.push(performance.now() - t1);
    assert.equal(rendered.nodes, before.nodes.length + 1);
    assert.ok((await page.nodeOnPage(uriOf('360-degree-feedback'))) !== undefined, 'the new neighbour is drawn');
    assert.deepEqual(await savedCamera(page), cameraKept, 'the camera did not move');
    await page.screenshot('ego-after-edit');
    console.log(
      `      ego update after an edit: ${timings.map((t) => `${Math.round(t)} ms`).join(' and ')} from diagnostics to the first frame ` +
        `(index update ${Math.round(t1 - t0)} ms before that); camera kept at ratio ${cameraBefore.ratio.toFixed(2)}`,
    );
    for (const t of timings) assert.ok(t < 300, `updated within 300 ms (${Math.round(t)} ms)`);
    await library.setDocumentText(centerUri, text, 4);
  });

  it('survives a reload: the page comes back with its view, filters and camera', async () => {
    const page = await open();
    await showEgo(page, ego(1));
    await page.page.getByLabel('Inferred links').uncheck();
    const box = (await page.page.locator('#graph').boundingBox())!;
    await page.page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.6);
    await page.page.mouse.wheel(0, -200);
    await page.page.waitForFunction(() => ((JSON.parse(sessionStorage.getItem('trellis-webview-state') ?? '{}') as { camera?: { ratio: number } }).camera?.ratio ?? 1) < 0.95);
    await cameraSettled(page);
    const saved = await savedState(page);

    await page.page.reload();
    const ready = await page.waitForPosted({ type: 'ready' });
    assert.ok(ready.state, 'the page hands its remembered state to the extension (and to the serializer)');
    assert.equal(ready.state.centerUri, centerUri);
    assert.equal(ready.state.showInferred, false);
    // The extension answers with the same graph; the camera comes back.
    await showEgo(page, ego(1));
    assert.equal(await page.page.getByLabel('Inferred links').isChecked(), false);
    const restored = await savedState(page);
    assert.deepEqual(restored.camera, saved.camera);
    await page.screenshot('ego-after-reload');
  });
});

async function savedState(page: WebviewPage): Promise<GraphViewState> {
  return page.page.evaluate(() => JSON.parse(sessionStorage.getItem('trellis-webview-state') ?? '{}') as GraphViewState);
}

async function savedCamera(page: WebviewPage): Promise<GraphViewState['camera']> {
  return (await savedState(page)).camera;
}

/** Waits until the camera has stopped moving: the same saved state for ten frames in a row (a zoom animates). */
async function cameraSettled(page: WebviewPage): Promise<void> {
  await page.page.waitForFunction(
    () => {
      const w = window as unknown as { lastSaved?: string | null; steadyFrames?: number };
      const now = sessionStorage.getItem('trellis-webview-state');
      w.steadyFrames = now === w.lastSaved ? (w.steadyFrames ?? 0) + 1 : 0;
      w.lastSaved = now;
      return w.steadyFrames >= 10;
    },
    undefined,
    { polling: 'raf' },
  );
}
