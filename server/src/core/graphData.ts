/**
 * The shape of relationship-graph data: built by `graph.ts`, placed by the
 * server, drawn by the webview. Imports nothing, so the client and the
 * webview can share it (as types) without the rest of the core.
 */

/** The relation name of an inferred link written without a type. */
export const UNTYPED_RELATION = 'untyped';

export interface GraphNode {
  /** The pattern's URI, or `missing:` and the target for a ghost. */
  id: string;
  /** `ghost`: a target that no pattern has (a dangling reference). */
  kind: 'pattern' | 'ghost';
  /** The title, else the slug, else the file name; the target for a ghost. */
  label: string;
  slug?: string;
  summary?: string;
  domain?: string;
  status?: string;
  /** Ego graph only: links from the centre, following references either way. */
  distance?: number;
}

export interface GraphEdge {
  /** Indexes into the graph's `nodes` (a large graph stays small on the wire). */
  source: number;
  target: number;
  relation: string;
  /** Machine-written (drawn dashed). */
  inferred: boolean;
  /** From 0 to 1, when the reference has one (the largest, if it is listed twice). */
  weight?: number;
}

export interface RelationshipGraph {
  view: 'ego' | 'library';
  /** Ego graph: the centre's node id, and the depth asked for. */
  center?: string;
  depth?: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Every relation name, in a stable order: those the schemas declare, then others found in the links. */
  relations: string[];
  /** Ego graph: true when a limit left out some of the nodes within the depth (the weakest linked). */
  truncated: boolean;
  /** Ego graph: how many nodes are within the depth, shown or not. */
  totalNodes?: number;
}

export type GraphDepth = 1 | 2 | 3;

/** A node with the position the server gave it. */
export interface PlacedNode extends GraphNode {
  x: number;
  y: number;
}

/** A graph ready to draw: every node placed. */
export interface PlacedGraph extends Omit<RelationshipGraph, 'nodes'> {
  nodes: PlacedNode[];
}
