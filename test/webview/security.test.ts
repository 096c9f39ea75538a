/**
 * Security of the graph webview, in Chromium: graph data whose every text
 * field is hostile markup (titles, summaries, slugs, domains, statuses,
 * relation names, ghost targets, URIs, the host's message) is drawn, hovered,
 * searched, filtered from the legend and exported, and no script runs. Each
 * payload would set `window.__pwned` if it ever became markup or code;
 * besides, the page must show no dialog, no CSP violation, no error, no
 * element made from the data and no request leaving 127.0.0.1.
 */
import * as assert from 'node:assert/strict';
import type { PlacedGraph, PlacedNode } from '../../server/src/core/graphData';
import { launchBrowser, serveWebview, WebviewPage, type Browser } from './harness';

const PAYLOADS = [
  '<img src=x onerror="window.__pwned=(window.__pwned||[]).concat(\'img\')">',
  '<script>window.__pwned=["script"]</script>',
  '"><svg onload="window.__pwned=[\'svg\']">',
  "'><iframe srcdoc=\"<script>parent.__pwned=['iframe']</script>\">",
  'javascript:window.__pwned=["javascript-url"]',
  '</style><style>body{background:url(http://203.0.113.9/css)}</style>',
  '{{constructor.constructor("window.__pwned=[\'template\']")()}}',
  '${window.__pwned=["template-literal"]}',
];
const hostile = (i: number, what: string) => `${what} ${PAYLOADS[i % PAYLOADS.length]}`;

/** A graph whose every text is hostile: patterns, a ghost, relations and domains named by payloads. */
function hostileGraph(view: 'ego' | 'library'): PlacedGraph {
  const nodes: PlacedNode[] = PAYLOADS.map((_, i) => ({
    id: `file:///lib/${encodeURIComponent(PAYLOADS[i]!)}.md`,
    kind: 'pattern',
    label: hostile(i, 'title'),
    slug: hostile(i + 1, 'slug'),
    summary: hostile(i + 2, 'summary'),
    domain: hostile(i % 3, 'domain'),
    status: hostile((i % 2) + 3, 'status'),
    ...(view === 'ego' ? { distance: i === 0 ? 0 : 1 } : {}),
    x: i === 0 ? 0 : Math.cos((i * 2 * Math.PI) / PAYLOADS.length) * 400,
    y: i === 0 ? 0 : Math.sin((i * 2 * Math.PI) / PAYLOADS.length) * 400,
  }));
  nodes.push({ id: `missing:${PAYLOADS[1]}`, kind: 'ghost', label: PAYLOADS[1]!, ...(view === 'ego' ? { distance: 1 } : {}), x: 200, y: -900 });
  const relations = PAYLOADS.slice(0, 4).map((p, i) => `relation-${i} ${p}`);
  const edges = nodes.slice(1).map((_, k) => ({ source: 0, target: k + 1, relation: relations[k % relations.length]!, inferred: k % 2 === 1, weight: 0.5 }));
  return { view, ...(view === 'ego' ? { center: nodes[0]!.id, depth: 1 } : {}), nodes, edges, relations, truncated: false };
}

describe('the graph webview does not run injected content', function () {
  let server: Awaited<ReturnType<typeof serveWebview>>;
  let browser: Browser;
  let page: WebviewPage;

  before(async () => {
    server = await serveWebview();
    browser = await launchBrowser(server.origin);
  });

  afterEach(async () => {
    const pwned = await page.page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
    assert.equal(pwned, undefined, 'a payload ran');
    assert.deepEqual(page.dialogs, [], 'dialogs opened');
    assert.deepEqual(await page.violations(), [], 'CSP violations');
    assert.deepEqual(page.errors, [], 'errors in the page');
    // Nothing the data holds became an element: no images, frames, inline scripts, or SVG outside the export.
    assert.equal(await page.page.evaluate(() => document.querySelectorAll('img, iframe, script:not([src]), style:not([nonce]), [onerror], [onload]').length), 0);
    await page.page.close();
  });

  after(async () => {
    assert.deepEqual(browser?.offsite ?? [], [], 'requests that left 127.0.0.1');
    await browser?.close();
    await server?.close();
  });

  for (const view of ['ego', 'library'] as const) {
    it(`${view} view: hostile text in nodes, tooltips, legend, search, status line and export stays text`, async () => {
      page = await WebviewPage.open(browser, server.origin);
      const graph = hostileGraph(view);
      const revision = await page.send({ type: 'graph', graph, state: { view, depth: 1, showAll: false, ...(view === 'ego' ? { centerUri: graph.center! } : {}) } });
      await page.waitForRendered(revision);

      // Every node's tooltip shows its title and summary as text.
      const tooltip = page.page.locator('.tooltip');
      for (const node of graph.nodes) {
        const at = await page.nodeOnPage(node.id);
        assert.ok(at, `${node.label} is on the page`);
        await page.page.mouse.move(at.x, at.y);
        await tooltip.locator('.title', { hasText: node.label }).waitFor();
        if (node.summary) assert.equal(await tooltip.locator('.summary').textContent(), node.summary);
        await page.page.mouse.move(5, 5);
      }
      // The legend names every relation, domain and status as given.
      const legend = (await page.page.locator('[aria-label="Legend and filters"]').textContent()) ?? '';
      for (const text of [...graph.relations, ...new Set(graph.nodes.flatMap((n) => [n.domain, n.status]).filter((t): t is string => !!t))]) assert.ok(legend.includes(text), `the legend shows ${text}`);
      // Filtering by a hostile relation and domain, from the legend's checkboxes.
      const checkboxes = page.page.locator('[aria-label="Legend and filters"] input[type=checkbox]');
      const count = await checkboxes.count();
      assert.ok(count >= graph.relations.length);
      for (let i = 0; i < count; i++) await checkboxes.nth(i).click();
      for (let i = 0; i < count; i++) await checkboxes.nth(i).click();
      // Search for markup: it matches the titles as text.
      await page.page.getByRole('searchbox', { name: 'Search patterns' }).fill('onerror');
      await page.page.locator('.count', { hasText: /match/ }).waitFor();
      await page.page.keyboard.press('Enter');
      // The SVG export holds the hostile text escaped, and no script or handler.
      await page.page.getByTitle('Export the view as SVG').click();
      const exported = await page.waitForPosted({ type: 'exported', format: 'svg' });
      const svg = (exported as { svg: string }).svg;
      assert.ok(svg.includes('&lt;img src=x onerror='), 'titles are escaped in the SVG');
      // Parsed, the SVG holds only drawing elements, with no event handler or link attribute.
      const shape = await page.page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        const elements = [...doc.querySelectorAll('*')];
        return {
          error: doc.querySelector('parsererror') !== null,
          tags: [...new Set(elements.map((e) => e.localName))].sort(),
          attributes: [...new Set(elements.flatMap((e) => [...e.attributes].map((a) => a.name)))].filter((a) => /^on|href|src/i.test(a)),
        };
      }, svg);
      assert.equal(shape.error, false, 'the SVG is well-formed');
      assert.deepEqual(shape.tags.filter((t) => !['svg', 'title', 'rect', 'g', 'line', 'polygon', 'circle', 'text', 'path'].includes(t)), []);
      assert.deepEqual(shape.attributes, []);
    });
  }

  it('a host message made of markup is shown as text', async () => {
    page = await WebviewPage.open(browser, server.origin);
    await page.send({ type: 'message', text: PAYLOADS.join(' '), state: { view: 'ego', depth: 1, showAll: false } });
    await page.page.getByText(PAYLOADS[0]!, { exact: false }).waitFor();
  });
});
