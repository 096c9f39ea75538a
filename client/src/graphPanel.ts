/**
 * The relationship graph panel: a webview beside the editor that follows the
 * active pattern. It asks the server for the graph (`trellis/graph`), asks
 * again when diagnostics change (an edit of relationships republishes them),
 * opens a pattern on click, saves exports, and comes back after a window
 * reload through its serializer. Messages to and from the page are typed in
 * graphProtocol.ts.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { GraphDepth } from '../../server/src/core/graphData';
import { GraphRequest, type GraphParams, type GraphResult } from '../../server/src/protocol';
import { graphPage } from './graphHtml';
import { DEFAULT_GRAPH_STATE, EGO_NODE_LIMIT, type FromWebview, type GraphView, type GraphViewState, type ToWebview } from './graphProtocol';

export const GRAPH_VIEW_TYPE = 'trellis.graph';

/** Registers the command and the serializer. */
export function registerGraphPanel(context: vscode.ExtensionContext, client: LanguageClient): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('trellis.showGraph', (resource?: vscode.Uri) => GraphPanel.show(context, client, resource)),
    vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        GraphPanel.restore(panel, context, client, isState(state) ? state : undefined);
      },
    }),
  );
}

class GraphPanel {
  private static current: GraphPanel | undefined;

  private view: GraphView;
  private depth: GraphDepth;
  private showAll: boolean;
  private centerUri: string | undefined;
  private revision = 0;
  /** The request in flight, and whether another is wanted once it is answered. */
  private inFlight: { params: string; cancel: vscode.CancellationTokenSource } | undefined;
  private again = false;
  /** Something changed while the panel was hidden. */
  private stale = false;
  private editorColumn: vscode.ViewColumn | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static show(context: vscode.ExtensionContext, client: LanguageClient, resource?: vscode.Uri): void {
    const target = resource ?? vscode.window.activeTextEditor?.document.uri;
    if (GraphPanel.current) {
      GraphPanel.current.panel.reveal(undefined, true);
      if (target && isPatternCandidate(target)) GraphPanel.current.follow(target);
      return;
    }
    const panel = vscode.window.createWebviewPanel(GRAPH_VIEW_TYPE, 'Relationship Graph', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, GraphPanel.options(context));
    GraphPanel.current = new GraphPanel(panel, context, client, { ...DEFAULT_GRAPH_STATE, ...(target && isPatternCandidate(target) ? { centerUri: target.toString() } : {}) });
  }

  static restore(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, client: LanguageClient, state: GraphViewState | undefined): void {
    panel.webview.options = GraphPanel.options(context);
    GraphPanel.current?.panel.dispose();
    GraphPanel.current = new GraphPanel(panel, context, client, { ...DEFAULT_GRAPH_STATE, ...state });
  }

  /** Scripts on; the extension's media folder is the only place the page may load from. */
  private static options(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media')] };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
    state: GraphViewState,
  ) {
    this.view = state.view;
    this.depth = state.depth;
    this.showAll = state.showAll;
    this.centerUri = state.centerUri;
    this.editorColumn = vscode.window.activeTextEditor?.viewColumn;
    const webview = panel.webview;
    const media = (file: string): string => webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', file)).toString();
    webview.html = graphPage({ cspSource: webview.cspSource, scriptUri: media('graph.js'), styleUri: media('graph.css'), nonce: randomBytes(16).toString('base64url') });

    this.disposables.push(
      webview.onDidReceiveMessage((message: FromWebview) => this.receive(message)),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (!editor) return;
        this.editorColumn = editor.viewColumn;
        if (isPatternCandidate(editor.document.uri)) this.follow(editor.document.uri);
      }),
      vscode.languages.onDidChangeDiagnostics((event) => {
        // Trellis publishes diagnostics for every file an edit touches, even when they stay the same.
        if (event.uris.some(isPatternCandidate)) this.refresh();
      }),
      panel.onDidChangeViewState(() => {
        if (panel.visible && this.stale) this.refresh();
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private follow(uri: vscode.Uri): void {
    const next = uri.toString();
    if (next === this.centerUri) return;
    this.centerUri = next;
    if (this.view === 'ego') this.refresh();
  }

  private receive(message: FromWebview): void {
    switch (message.type) {
      case 'ready':
        if (message.state) {
          this.view = message.state.view;
          this.depth = message.state.depth;
          this.showAll = message.state.showAll === true;
          this.centerUri ??= message.state.centerUri;
        }
        this.refresh();
        break;
      case 'view':
        this.view = message.view;
        this.depth = message.depth;
        this.showAll = message.showAll;
        this.refresh();
        break;
      case 'open':
        void vscode.window.showTextDocument(vscode.Uri.parse(message.uri), { viewColumn: this.editorColumn ?? vscode.ViewColumn.One, preview: true });
        break;
      case 'exported':
        void this.save(message.format, message.format === 'svg' ? new TextEncoder().encode(message.svg) : Buffer.from(message.base64, 'base64'));
        break;
      case 'rendered':
        // Timings for tests and benchmarks; nothing to do here.
        break;
    }
  }

  /** Asks the server for the current graph and hands it to the page; repeated asks while one is out collapse into one more. */
  private refresh(): void {
    if (!this.panel.visible) {
      this.stale = true;
      return;
    }
    this.stale = false;
    const state = { view: this.view, depth: this.depth, showAll: this.showAll, ...(this.centerUri ? { centerUri: this.centerUri } : {}) };
    const params = this.params();
    if (!params) {
      this.post({ type: 'message', text: 'Open a pattern file to see where it sits in the library.', state });
      return;
    }
    const key = JSON.stringify(params);
    if (this.inFlight) {
      if (this.inFlight.params === key) {
        this.again = true;
        return;
      }
      // The author moved on to another pattern or view: the old answer is not wanted.
      this.inFlight.cancel.cancel();
    }
    const cancel = new vscode.CancellationTokenSource();
    const flight = { params: key, cancel };
    this.inFlight = flight;
    this.again = false;
    this.client.sendRequest(GraphRequest, params, cancel.token).then(
      (result) => {
        if (this.inFlight !== flight) return;
        this.inFlight = undefined;
        this.answer(result, state);
        if (this.again) this.refresh();
      },
      (error: unknown) => {
        if (this.inFlight !== flight) return;
        this.inFlight = undefined;
        if (!cancel.token.isCancellationRequested) this.post({ type: 'message', text: `Trellis could not draw the graph: ${(error as Error).message}`, state });
      },
    );
  }

  private answer(result: GraphResult, state: { view: GraphView; depth: GraphDepth; showAll: boolean; centerUri?: string }): void {
    switch (result.status) {
      case 'ok':
        this.post({ type: 'graph', graph: result.graph, revision: ++this.revision, state });
        break;
      case 'indexing':
        // The end of indexing publishes diagnostics, which asks again.
        this.post({ type: 'message', text: 'Trellis is indexing the library…', state });
        break;
      case 'not-a-pattern':
        this.post({ type: 'message', text: 'This file is not a pattern (it has no frontmatter, or is outside the library’s pattern folders).', state });
        break;
      case 'no-library':
        this.post({ type: 'message', text: 'This file is not in a pattern library of the workspace.', state });
        break;
    }
  }

  private params(): GraphParams | undefined {
    const uri = this.centerUri ?? vscode.workspace.workspaceFolders?.[0]?.uri.toString();
    if (!uri) return undefined;
    if (this.view === 'library') return { view: 'library', uri };
    return this.centerUri ? { view: 'ego', uri: this.centerUri, depth: this.depth, ...(this.showAll ? {} : { limit: EGO_NODE_LIMIT }) } : undefined;
  }

  private post(message: ToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private async save(format: 'svg' | 'png', bytes: Uint8Array): Promise<void> {
    const base = this.centerUri ? vscode.Uri.parse(this.centerUri) : vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = this.view === 'library' ? 'library-graph' : `${base?.path.split('/').pop()?.replace(/\.md$/i, '') ?? 'pattern'}-graph`;
    const folder = base && this.centerUri ? vscode.Uri.joinPath(base, '..') : base;
    const target = await vscode.window.showSaveDialog({
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${name}.${format}`) } : {}),
      filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
      saveLabel: 'Export graph',
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`Saved the graph as ${vscode.workspace.asRelativePath(target)}.`);
  }

  private dispose(): void {
    if (GraphPanel.current === this) GraphPanel.current = undefined;
    this.inFlight?.cancel.cancel();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function isPatternCandidate(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && /\.md$/i.test(uri.path);
}

function isState(value: unknown): value is GraphViewState {
  return typeof value === 'object' && value !== null && 'view' in value && 'depth' in value;
}
