/**
 * Custom messages between the Trellis client and server, declared once and
 * imported (as types) by both sides.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { GraphDepth, PlacedGraph } from './core/graphData';

export interface LibraryStatus {
  rootUri: string;
  state: 'indexing' | 'ready';
  patterns: number;
  /** Counts of the diagnostics published for the library's files, after the user's settings. */
  errors: number;
  warnings: number;
  /** Published diagnostics (any severity) by code. */
  byCode: Record<string, number>;
  /** False when the user turned diagnostics off (`trellis.diagnostics.enable`). */
  diagnosticsEnabled: boolean;
}

/** client → server, in `initialize`'s `initializationOptions`. */
export interface TrellisInitializationOptions {
  /**
   * False in VS Code's Restricted Mode (an untrusted workspace): the server
   * then compiles no schema and no regular expression the workspace names.
   * Editors without workspace trust send nothing, which means trusted.
   */
  trusted: boolean;
}

/** server → client: the state of each library, after indexing and after every change. */
export const LibraryStatusNotification = new NotificationType<{ libraries: LibraryStatus[] }>('trellis/status');

/** client → server: read every library again from disk, publish its diagnostics, and answer with the state of each. */
export const CheckLibraryRequest = new RequestType0<{ libraries: LibraryStatus[] }, void>('trellis/checkLibrary');

/**
 * Which graph to draw. `ego`: the pattern at `uri` and its neighbours to
 * `depth`; with `limit`, only that many nodes, the most strongly linked (the
 * graph says how many there were). `library`: every pattern of the library that holds `uri` (any file
 * in it, or its folder).
 */
export type GraphParams = { view: 'ego'; uri: string; depth: GraphDepth; limit?: number } | { view: 'library'; uri: string };

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
