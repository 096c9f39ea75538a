/**
 * Places relationship graphs, in the language server's process: the webview
 * only draws. A webview cannot start a worker from the extension's files (its
 * resources are served cross-origin, and a blob worker would need the CSP
 * relaxed), and laying out thousands of nodes on its UI thread would freeze
 * panning. The server already holds the data and runs off the editor's UI thread.
 *
 * - Ego graphs get concentric rings by distance from the centre: instant,
 *   deterministic (the same graph is drawn the same way after an edit), and
 *   the rings say how far each pattern is.
 * - The library graph gets ForceAtlas2 (graphology-layout-forceatlas2), seeded
 *   with one cluster per domain, run in short slices that yield to the event
 *   loop so diagnostics keep flowing, and remembered: after an edit only new
 *   patterns move.
 */
import Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import type { CancellationLike } from './core/library';
import type { GraphNode, PlacedGraph, PlacedNode, RelationshipGraph } from './core/graphData';

/** Distance between two rings of an ego graph, and between the centres of neighbouring nodes on a ring. */
const RING = 100;
const NODE_SPACING = 9;

/** Places an ego graph on rings around its centre. */
export function placeEgoGraph(graph: RelationshipGraph): PlacedGraph {
  const rings: number[][] = [];
  graph.nodes.forEach((node, i) => (rings[node.distance ?? 0] ??= []).push(i));
  const neighbours = adjacency(graph);
  const angle = new Float64Array(graph.nodes.length);
  const radius = new Float64Array(graph.nodes.length);

  let inner = 0;
  for (let d = 1; d < rings.length; d++) {
    const ring = rings[d] ?? [];
    if (ring.length === 0) continue;
    let ordered: number[];
    if (d === 1) {
      // Around the centre in alphabetical order: a new link between two patterns on screen moves neither.
      const key = (i: number): string => `${graph.nodes[i]!.label.toLowerCase()}\u0000${graph.nodes[i]!.id}`;
      ordered = [...ring].sort((a, b) => compare(key(a), key(b)));
    } else {
      // Further out, each node sits near the nodes of the previous ring it is linked to.
      const ideal = new Map<number, number>();
      for (const i of ring) {
        let sx = 0;
        let sy = 0;
        for (const j of neighbours[i] ?? []) {
          if (graph.nodes[j]!.distance === d - 1) {
            sx += Math.cos(angle[j]!);
            sy += Math.sin(angle[j]!);
          }
        }
        ideal.set(i, sx === 0 && sy === 0 ? 0 : Math.atan2(sy, sx));
      }
      ordered = [...ring].sort((a, b) => ideal.get(a)! - ideal.get(b)! || compare(graph.nodes[a]!.id, graph.nodes[b]!.id));
    }
    // A crowded ring becomes a band of sub-rings, so that neighbours on it never overlap.
    const base = Math.max(inner + RING, d * RING);
    const perSubRing = Math.max(1, Math.floor((2 * Math.PI * base) / NODE_SPACING));
    const subRings = Math.ceil(ordered.length / perSubRing);
    const band = subRings > 1 ? Math.min(RING * 0.8, subRings * NODE_SPACING) : 0;
    const start = d === 1 ? -Math.PI / 2 : 0;
    // As many slots as a whole number of turns through the sub-rings, so the last node and the first are not crowded either.
    const slots = Math.ceil(ordered.length / subRings) * subRings;
    ordered.forEach((i, k) => {
      angle[i] = start + (2 * Math.PI * k) / slots;
      radius[i] = base + (subRings > 1 ? (band * (k % subRings)) / (subRings - 1) : 0);
    });
    inner = base + band;
  }
  return place(graph, (_, i) => ({ x: radius[i]! * Math.cos(angle[i]!), y: radius[i]! * Math.sin(angle[i]!) }));
}

export interface LibraryLayoutOptions {
  /** Gives the host's event loop a turn between slices of work. */
  yieldToHost: () => Promise<void>;
  /** Iterations for a library laid out for the first time. */
  iterations?: number;
  /** Iterations when only some patterns are new (they move; the others stay). */
  settleIterations?: number;
}

interface Memory {
  positions: Map<string, { x: number; y: number }>;
}

/** Library layouts, one per library root, remembered between requests. */
export class LibraryLayouts {
  private readonly memory = new Map<string, Memory>();
  private readonly running = new Map<string, Promise<PlacedGraph>>();

  constructor(private readonly options: LibraryLayoutOptions) {}

  /**
   * Places the library graph. Concurrent requests for one library share the
   * work; a cancelled request stops waiting, and the layout still finishes for the next.
   */
  async place(rootUri: string, graph: RelationshipGraph, token?: CancellationLike): Promise<PlacedGraph | undefined> {
    let run = this.running.get(rootUri);
    if (!run) {
      run = this.layout(rootUri, graph).finally(() => this.running.delete(rootUri));
      this.running.set(rootUri, run);
    }
    const placed = await run;
    if (token?.isCancellationRequested) return undefined;
    // Another request's graph may be older than this one's: answer with this graph, placed from memory.
    return placed.nodes.length === graph.nodes.length && placed.edges.length === graph.edges.length ? placed : this.layout(rootUri, graph);
  }

  /** Forgets a library (its folder left the workspace). */
  forget(rootUri: string): void {
    this.memory.delete(rootUri);
  }

  private async layout(rootUri: string, graph: RelationshipGraph): Promise<PlacedGraph> {
    const memory = this.memory.get(rootUri) ?? { positions: new Map() };
    const simple = new Graph({ type: 'undirected', allowSelfLoops: false });
    const seeds = domainSeeds(graph.nodes);
    let fresh = 0;
    graph.nodes.forEach((node, i) => {
      const known = memory.positions.get(node.id);
      if (!known) fresh++;
      simple.addNode(node.id, { ...(known ?? seeds[i]!), fixed: known !== undefined });
    });
    for (const edge of graph.edges) {
      const source = graph.nodes[edge.source]!.id;
      const target = graph.nodes[edge.target]!.id;
      const weight = edge.weight ?? 0.5;
      if (simple.hasEdge(source, target)) simple.updateEdgeAttribute(source, target, 'weight', (w: number | undefined) => (w ?? 0) + weight);
      else simple.addEdge(source, target, { weight });
    }
    // A new pattern starts next to a known neighbour, so it has little way to travel.
    if (fresh > 0 && fresh < graph.nodes.length) {
      simple.forEachNode((id, attributes) => {
        if (attributes['fixed']) return;
        const anchor = simple.neighbors(id).find((n) => simple.getNodeAttribute(n, 'fixed'));
        if (anchor) simple.mergeNodeAttributes(id, { x: simple.getNodeAttribute(anchor, 'x') + 1, y: simple.getNodeAttribute(anchor, 'y') + 1 });
      });
    }
    const iterations = fresh === graph.nodes.length ? (this.options.iterations ?? 100) : fresh > 0 ? (this.options.settleIterations ?? 30) : 0;
    if (iterations > 0 && simple.order > 1) {
      // LinLog draws clusters apart (here, mostly domains); without strong gravity, loosely linked patterns stay out of the crowd.
      const settings = { ...forceAtlas2.inferSettings(simple), linLogMode: true, strongGravityMode: false, gravity: 1, scalingRatio: 1, edgeWeightInfluence: 1 };
      // Slices of a few iterations: each costs tens of milliseconds on a library of thousands.
      const SLICE = 3;
      for (let done = 0; done < iterations; done += SLICE) {
        forceAtlas2.assign(simple, { iterations: Math.min(SLICE, iterations - done), settings, getEdgeWeight: 'weight' });
        await this.options.yieldToHost();
      }
    }
    const positions = new Map<string, { x: number; y: number }>();
    simple.forEachNode((id, attributes) => positions.set(id, { x: attributes['x'] as number, y: attributes['y'] as number }));
    this.memory.set(rootUri, { positions });
    return place(graph, (node) => positions.get(node.id)!);
  }
}

/** Starting points for a force layout: one disc per domain, the discs along a spiral, the largest first. */
export function domainSeeds(nodes: readonly GraphNode[]): Array<{ x: number; y: number }> {
  const byDomain = new Map<string, number[]>();
  nodes.forEach((node, i) => {
    const key = node.domain ?? '';
    (byDomain.get(key) ?? byDomain.set(key, []).get(key)!).push(i);
  });
  const domains = [...byDomain.entries()].sort((a, b) => b[1].length - a[1].length || compare(a[0], b[0]));
  const out: Array<{ x: number; y: number }> = new Array(nodes.length);
  const GOLDEN = Math.PI * (3 - Math.sqrt(5));
  let area = 0;
  domains.forEach(([, members], k) => {
    const discRadius = Math.sqrt(members.length) * 6;
    // Place disc k on a spiral whose radius grows with the area already used.
    const spiral = Math.sqrt(area) * 6 + discRadius;
    const cx = spiral * Math.cos(k * GOLDEN);
    const cy = spiral * Math.sin(k * GOLDEN);
    area += members.length * 4;
    members.forEach((i, m) => {
      const r = Math.sqrt(m + 0.5) * 6;
      out[i] = { x: cx + r * Math.cos(m * GOLDEN), y: cy + r * Math.sin(m * GOLDEN) };
    });
  });
  return out;
}

function place(graph: RelationshipGraph, at: (node: GraphNode, index: number) => { x: number; y: number }): PlacedGraph {
  const nodes: PlacedNode[] = graph.nodes.map((node, i) => {
    const { x, y } = at(node, i);
    return { ...node, x: round(x), y: round(y) };
  });
  return { ...graph, nodes };
}

/** Two decimals are plenty on screen, and keep the message small. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function adjacency(graph: RelationshipGraph): number[][] {
  const out: number[][] = graph.nodes.map(() => []);
  for (const edge of graph.edges) {
    out[edge.source]!.push(edge.target);
    out[edge.target]!.push(edge.source);
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
