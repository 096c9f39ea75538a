import * as assert from 'node:assert/strict';
import type { GraphEdge, GraphNode, RelationshipGraph } from '../../server/src/core/graphData';
import { domainSeeds, LibraryLayouts, placeEgoGraph } from '../../server/src/graphLayout';

function node(id: string, extra: Partial<GraphNode> = {}): GraphNode {
  return { id, kind: 'pattern', label: id, ...extra };
}

function edge(source: number, target: number, relation = 'enables'): GraphEdge {
  return { source, target, relation, inferred: false, weight: 0.5 };
}

/** A centre, `first` nodes linked to it, and `second` nodes each linked to one of those. */
function egoGraph(first: number, second: number): RelationshipGraph {
  const nodes = [node('c', { distance: 0 })];
  const edges: GraphEdge[] = [];
  for (let i = 0; i < first; i++) {
    nodes.push(node(`a${i}`, { distance: 1 }));
    edges.push(edge(0, nodes.length - 1, i % 2 ? 'enables' : 'requires'));
  }
  for (let i = 0; i < second; i++) {
    nodes.push(node(`b${i}`, { distance: 2 }));
    edges.push(edge(1 + (i % first), nodes.length - 1));
  }
  return { view: 'ego', center: 'c', depth: 2, nodes, edges, relations: ['enables', 'requires'], truncated: false };
}

describe('graph layout', () => {
  it('places an ego graph on rings by distance, centre in the middle, neighbours never on top of each other', () => {
    for (const [first, second] of [[3, 5], [12, 2000]] as const) {
      const placed = placeEgoGraph(egoGraph(first, second));
      const radius = (i: number): number => Math.hypot(placed.nodes[i]!.x, placed.nodes[i]!.y);
      assert.equal(radius(0), 0);
      const ring1 = placed.nodes.map((_, i) => i).filter((i) => placed.nodes[i]!.distance === 1).map(radius);
      const ring2 = placed.nodes.map((_, i) => i).filter((i) => placed.nodes[i]!.distance === 2).map(radius);
      assert.ok(Math.max(...ring1) < Math.min(...ring2), 'the second ring lies outside the first');
      let closest = Infinity;
      const xs = placed.nodes.map((n) => [n.x, n.y] as const).sort((a, b) => a[0] - b[0]);
      for (let i = 0; i < xs.length; i++) {
        for (let j = i + 1; j < xs.length && xs[j]![0] - xs[i]![0] < 20; j++) closest = Math.min(closest, Math.hypot(xs[j]![0] - xs[i]![0], xs[j]![1] - xs[i]![1]));
      }
      assert.ok(closest > 4, `${first}+${second} nodes: closest pair ${closest.toFixed(2)} apart`);
    }
  });

  it('places the same ego graph the same way every time', () => {
    assert.deepEqual(placeEgoGraph(egoGraph(7, 30)), placeEgoGraph(egoGraph(7, 30)));
  });

  it('lays out a library in slices that yield to the host, remembers it, and moves only new patterns later', async () => {
    const nodes = Array.from({ length: 200 }, (_, i) => node(`n${i}`, { domain: `d${i % 5}` }));
    const edges = Array.from({ length: 400 }, (_, i) => edge(i % 200, (i * 7 + 3) % 200));
    const graph: RelationshipGraph = { view: 'library', nodes, edges, relations: ['enables'], truncated: false };
    let yields = 0;
    const layouts = new LibraryLayouts({ yieldToHost: async () => void yields++, iterations: 30, settleIterations: 6 });
    const first = (await layouts.place('file:///lib', graph))!;
    assert.equal(yields, 10, 'thirty iterations in slices of three');
    assert.ok(first.nodes.every((n) => Number.isFinite(n.x) && Number.isFinite(n.y)));
    assert.equal(new Set(first.nodes.map((n) => `${n.x},${n.y}`)).size, nodes.length, 'no two patterns at one spot');

    const again = (await layouts.place('file:///lib', graph))!;
    assert.equal(yields, 10, 'nothing new: no iterations');
    assert.deepEqual(again.nodes, first.nodes);

    const grown: RelationshipGraph = { ...graph, nodes: [...nodes, node('new', { domain: 'd1' })], edges: [...edges, edge(200, 5)] };
    const settled = (await layouts.place('file:///lib', grown))!;
    assert.equal(yields, 12);
    assert.deepEqual(settled.nodes.slice(0, 200), first.nodes, 'known patterns stay where they were');
    const added = settled.nodes[200]!;
    const anchor = first.nodes[5]!;
    assert.ok(Math.hypot(added.x - anchor.x, added.y - anchor.y) < Math.hypot(anchor.x, anchor.y) + 1000, 'the new pattern lands near its neighbour');

    assert.equal(await new LibraryLayouts({ yieldToHost: async () => undefined }).place('file:///other', graph, { isCancellationRequested: true }), undefined);
  });

  it('seeds a force layout with one disc per domain', () => {
    const nodes = [...Array.from({ length: 50 }, (_, i) => node(`a${i}`, { domain: 'a' })), ...Array.from({ length: 50 }, (_, i) => node(`b${i}`, { domain: 'b' }))];
    const seeds = domainSeeds(nodes);
    const centre = (from: number): { x: number; y: number } => {
      const part = seeds.slice(from, from + 50);
      return { x: part.reduce((s, p) => s + p.x, 0) / 50, y: part.reduce((s, p) => s + p.y, 0) / 50 };
    };
    const spread = (from: number): number => Math.max(...seeds.slice(from, from + 50).map((p) => Math.hypot(p.x - centre(from).x, p.y - centre(from).y)));
    const gap = Math.hypot(centre(0).x - centre(50).x, centre(0).y - centre(50).y);
    assert.ok(gap > spread(0) && gap > spread(50), 'the two domains do not overlap');
  });
});
