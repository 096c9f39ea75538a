/**
 * Custom messages between the Trellis client and server, declared once and
 * imported (as types) by both sides.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { GraphDepth, PlacedGraph } from './core/graphData';

export interface LibraryStatus {
  rootUri: string;
  state: 'indexing' | 'ready';
  patterns: number;
  errors: number;
  warnings: number;
}

/** server → client: the state of each library, after indexing and after every change. */
export const LibraryStatusNotification = new NotificationType<{ libraries: LibraryStatus[] }>('trellis/status');

/**
 * Which graph to draw. `ego`: the pattern at `uri` and its neighbours to
 * `depth`. `library`: every pattern of the library that holds `uri` (any file
 * in it, or its folder).
 */
export type GraphParams = { view: 'ego'; uri: string; depth: GraphDepth } | { view: 'library'; uri: string };

/** `indexing`: ask again when the diagnostics change. `not-a-pattern` and `no-library` say why there is no graph. */
export type GraphResult = { status: 'ok'; graph: PlacedGraph } | { status: 'indexing' | 'not-a-pattern' | 'no-library' };

/** client → server: the graph data, placed (the webview only draws). Cancellable. */
export const GraphRequest = new RequestType<GraphParams, GraphResult, void>('trellis/graph');

export interface NewPatternParams {
  /** The folder to create the pattern in (inside a library). */
  folderUri: string;
  title: string;
}

export interface NewPatternResult {
  uri: string;
  slug: string;
  text: string;
}

/** client → server: the text of a new pattern with a fresh id, from the library's template. The client writes and opens it. */
export const NewPatternRequest = new RequestType<NewPatternParams, NewPatternResult | null, void>('trellis/newPattern');
