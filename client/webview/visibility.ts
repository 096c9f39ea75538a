/**
 * Which nodes and edges the filters leave on screen. In the ego view a node
 * stays only while it is still within the depth of the centre through the
 * links left visible: hiding inferred links hides the patterns that only
 * inferred links brought in.
 */
import type { PlacedGraph } from '../../server/src/core/graphData';

export interface GraphFilter {
  showInferred: boolean;
  /** Ego view: links whose two ends are both on the outermost ring (depth 2 or more). */
  showOuterLinks: boolean;
  hiddenRelations: ReadonlySet<string>;
  hiddenDomains: ReadonlySet<string>;
  hiddenStatuses: ReadonlySet<string>;
}

/** The domain and status filters' name for a pattern without one. */
export const NONE = '(none)';

export interface Visibility {
  nodes: boolean[];
  edges: boolean[];
  visibleNodes: number;
  visibleEdges: number;
}

export function visibility(graph: PlacedGraph, filter: GraphFilter): Visibility {
  const passes = graph.nodes.map(
    (node) => node.kind === 'ghost' || (!filter.hiddenDomains.has(node.domain ?? NONE) && !filter.hiddenStatuses.has(node.status ?? NONE)),
  );
  const center = graph.view === 'ego' ? graph.nodes.findIndex((n) => n.id === graph.center) : -1;
  if (center >= 0) passes[center] = true;
  const edgePasses = graph.edges.map(
    (edge) => (filter.showInferred || !edge.inferred) && !filter.hiddenRelations.has(edge.relation) && passes[edge.source]! && passes[edge.target]!,
  );

  let nodes = passes;
  if (center >= 0) {
    // Breadth-first from the centre, either way along the edges still shown, to the graph's depth.
    const neighbours: number[][] = graph.nodes.map(() => []);
    graph.edges.forEach((edge, i) => {
      if (!edgePasses[i]) return;
      neighbours[edge.source]!.push(edge.target);
      neighbours[edge.target]!.push(edge.source);
    });
    const distance = new Array<number>(graph.nodes.length).fill(-1);
    distance[center] = 0;
    let frontier = [center];
    for (let d = 1; d <= (graph.depth ?? 1) && frontier.length > 0; d++) {
      const next: number[] = [];
      for (const i of frontier) {
        for (const j of neighbours[i]!) {
          if (distance[j] !== -1) continue;
          distance[j] = d;
          // As on the server, a ghost ends a path: it names no pattern to go on from.
          if (graph.nodes[j]!.kind !== 'ghost') next.push(j);
        }
      }
      frontier = next;
    }
    nodes = distance.map((d) => d >= 0);
  }
  const depth = graph.depth ?? 1;
  const outer = (i: number): boolean => center >= 0 && depth >= 2 && graph.nodes[i]!.distance === depth;
  const edges = graph.edges.map(
    (edge, i) => edgePasses[i]! && nodes[edge.source]! && nodes[edge.target]! && (filter.showOuterLinks || !(outer(edge.source) && outer(edge.target))),
  );
  return { nodes, edges, visibleNodes: nodes.filter(Boolean).length, visibleEdges: edges.filter(Boolean).length };
}
