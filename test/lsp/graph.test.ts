import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GraphResult } from '../../server/src/protocol';
import type { PlacedGraph } from '../../server/src/core/graphData';
import { REPO, TestClient } from './lspClient';

/** `trellis/graph` over the real server, on a copy of the sample library. */
describe('the relationship graph request', function () {
  let dir: string;
  let client: TestClient;
  const uri = (name: string): string => pathToFileURL(path.join(dir, name)).href;
  const request = (params: unknown): Promise<GraphResult> => client.connection.sendRequest('trellis/graph', params);
  const graphOf = async (params: unknown): Promise<PlacedGraph> => {
    const result = await request(params);
    assert.equal(result.status, 'ok', JSON.stringify(result));
    return (result as { graph: PlacedGraph }).graph;
  };
  const slugs = (graph: PlacedGraph): string[] => graph.nodes.map((n) => (n.kind === 'ghost' ? `?${n.label}` : n.slug!)).sort();

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-graph-'));
    await fs.cp(path.join(REPO, 'examples', 'library'), dir, { recursive: true });
    client = new TestClient();
    await client.initialize(pathToFileURL(dir).href);
    await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'the library to be ready');
  });

  afterEach(async () => {
    await client.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('answers an ego graph with placed nodes, typed weighted edges and ghosts', async () => {
    const graph = await graphOf({ view: 'ego', uri: uri('compost-commons.md'), depth: 1 });
    assert.equal(graph.center, uri('compost-commons.md'));
    assert.ok(slugs(graph).includes('community-garden'));
    assert.ok(slugs(graph).includes('?soil-testing-protocol'), 'the dangling link ends at a ghost');
    for (const node of graph.nodes) assert.ok(Number.isFinite(node.x) && Number.isFinite(node.y), `${node.id} is placed`);
    const center = graph.nodes.find((n) => n.id === graph.center)!;
    assert.deepEqual([center.x, center.y], [0, 0]);
    const garden = graph.nodes.findIndex((n) => n.slug === 'community-garden');
    const compost = graph.nodes.findIndex((n) => n.slug === 'compost-commons');
    assert.deepEqual(
      graph.edges.filter((e) => e.source === garden && e.target === compost).map((e) => [e.relation, e.weight, e.inferred]),
      [['specializes_to', 0.8, false]],
    );
    const deeper = await graphOf({ view: 'ego', uri: uri('compost-commons.md'), depth: 2 });
    assert.ok(deeper.nodes.length > graph.nodes.length);
  });

  it('answers the library graph, and says why when there is no graph', async () => {
    const graph = await graphOf({ view: 'library', uri: pathToFileURL(dir).href });
    assert.equal(graph.nodes.length, 16);
    assert.ok(graph.nodes.every((n) => n.kind === 'pattern' && Number.isFinite(n.x)));
    assert.deepEqual(await request({ view: 'ego', uri: uri('README.md'), depth: 1 }), { status: 'not-a-pattern' });
    assert.deepEqual(await request({ view: 'ego', uri: 'file:///elsewhere/x.md', depth: 1 }), { status: 'no-library' });
  });

  it('follows an edit of relationships once its diagnostics are published', async () => {
    const file = uri('compost-commons.md');
    const text = await fs.readFile(path.join(dir, 'compost-commons.md'), 'utf8');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: file, languageId: 'markdown', version: 1, text } });
    const before = await graphOf({ view: 'ego', uri: file, depth: 1 });
    assert.ok(!slugs(before).includes('conflict-circle'));
    const edited = text.replace('    - slug: soil-testing-protocol', '    - slug: conflict-circle');
    assert.notEqual(edited, text);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: file, version: 2 }, contentChanges: [{ text: edited }] });
    await client.waitFor(() => client.diagnostics.get(file)?.version === 2, 'diagnostics for version 2');
    const after = await graphOf({ view: 'ego', uri: file, depth: 1 });
    assert.ok(slugs(after).includes('conflict-circle'));
    assert.ok(!slugs(after).includes('?soil-testing-protocol'));
  });
});
