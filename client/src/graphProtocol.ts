/**
 * Messages between the extension (graphPanel.ts) and the graph webview
 * (client/webview), declared once and imported as types by both sides.
 * Every message is a discriminated union on `type`.
 */
import type { GraphDepth, PlacedGraph } from '../../server/src/core/graphData';

export type GraphView = 'ego' | 'library';

/**
 * What the webview remembers (VS Code keeps it with `setState`, and hands it
 * to the serializer after a window reload).
 */
export interface GraphViewState {
  view: GraphView;
  depth: GraphDepth;
  /** The pattern the ego view is about. */
  centerUri?: string;
  /** Ego view: every pattern within the depth, instead of the `EGO_NODE_LIMIT` most strongly linked. */
  showAll: boolean;
  showInferred: boolean;
  /** Ego view: links between two patterns on the outermost ring (at depth 2 and 3, most of the links, and a haze). */
  showOuterLinks: boolean;
  hiddenRelations: string[];
  hiddenDomains: string[];
  hiddenStatuses: string[];
  search: string;
  /** Where the view was looking, to come back to the same place. */
  camera?: { x: number; y: number; ratio: number; angle: number };
}

/**
 * How many nodes an ego graph shows unless the author asks for all. Around a
 * hub, depth 2 reaches most of a library (2,000 patterns and 32,000 links in
 * the Commons): unreadable, and too slow to follow edits live. The view says
 * how many it left out, with a button to show them.
 */
export const EGO_NODE_LIMIT = 100;

export const DEFAULT_GRAPH_STATE: GraphViewState = {
  view: 'ego',
  depth: 1,
  showAll: false,
  showInferred: true,
  showOuterLinks: false,
  hiddenRelations: [],
  hiddenDomains: [],
  hiddenStatuses: [],
  search: '',
};

/** extension → webview */
export type ToWebview =
  /** New graph data. `revision` counts the graphs sent, so `rendered` can say which one it drew. */
  | { type: 'graph'; graph: PlacedGraph; revision: number; state: Pick<GraphViewState, 'view' | 'depth' | 'centerUri' | 'showAll'> }
  /** No graph to show, and why (indexing, not a pattern file, …). */
  | { type: 'message'; text: string; state: Pick<GraphViewState, 'view' | 'depth' | 'centerUri' | 'showAll'> };

/** webview → extension */
export type FromWebview =
  /** The page is up; `state` is what it remembered, if anything. */
  | { type: 'ready'; state: GraphViewState | undefined }
  /** The author picked another view or depth, or asked for all of an ego graph (or the strongest part again). */
  | { type: 'view'; view: GraphView; depth: GraphDepth; showAll: boolean }
  /** A click on a pattern node. */
  | { type: 'open'; uri: string }
  /** The current view as an image: SVG text, or PNG as base64. */
  | { type: 'exported'; format: 'svg'; svg: string }
  | { type: 'exported'; format: 'png'; base64: string }
  /** A graph was drawn: which one, how much of it is visible, and how long it took from its message to the first frame. */
  | { type: 'rendered'; revision: number; nodes: number; edges: number; milliseconds: number };
