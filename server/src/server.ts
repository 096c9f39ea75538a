/**
 * The language server: adapts LSP requests and notifications to the core.
 * Only this file knows about the LSP connection.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TrellisLibrary } from './core/library';
import { NodeLibraryHost, normalizeUri } from './nodeHost';
import { featureCapabilities, registerFeatures } from './features';
import { PublishedCounts } from './libraryStatus';
import { CheckLibraryRequest, LibraryStatusNotification, type LibraryStatus, type TrellisInitializationOptions } from './protocol';
import { FolderSettings, parseInitializationOptions } from './settings';
import { buildEgoGraph, buildLibraryGraph, declaredRelations } from './core/graph';
import { LibraryLayouts, placeEgoGraph } from './graphLayout';
import { GraphRequest, type GraphResult } from './protocol';
import { answer, requestCancelled, unlessCancelled } from './requests';

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const documents = new TextDocuments(TextDocument);
  const host = new NodeLibraryHost();
  const libraries = new Map<string, TrellisLibrary>();
  const loading = new Set<TrellisLibrary>();
  let supportsProgress = false;
  let supportsWatchRegistration = false;
  let supportsConfigurationRegistration = false;
  let settings = new FolderSettings();
  let options: TrellisInitializationOptions = { trusted: true };
  let folders: WorkspaceFolder[] = [];

  const libraryFor = (uri: string): TrellisLibrary | undefined => {
    let best: TrellisLibrary | undefined;
    for (const library of libraries.values()) {
      if ((library.contains(uri) || uri === library.rootUri) && (!best || library.rootUri.length > best.rootUri.length)) best = library;
    }
    return best;
  };

  /** Errors, warnings and codes per published file, so the status bar is a sum, not a recount of the library. */
  const counts = new PublishedCounts();
  const statusOf = (library: TrellisLibrary, state: LibraryStatus['state']): LibraryStatus =>
    counts.status(library, state, (uri) => libraryFor(uri) === library, settings.of(library.rootUri).diagnostics.enable);

  /** `status: false` when more libraries follow, so that no status counts some of them afresh and others not yet. */
  const publish = (library: TrellisLibrary, uris: Iterable<string>, status = true): void => {
    for (const uri of uris) {
      const open = documents.get(uri);
      // Hints show only in an open editor (the Problems view leaves them out): closed files get none, which
      // spares the work and the traffic of thousands of them on a large library.
      const diagnostics = settings.diagnostics(library, uri, { hints: open !== undefined });
      // Nothing to say about a file that has never had anything published.
      if (diagnostics.length === 0 && !counts.has(uri)) continue;
      counts.record(uri, diagnostics);
      void connection.sendDiagnostics({ uri, diagnostics, ...(open ? { version: open.version } : {}) });
    }
    if (status) sendStatus();
  };

  const sendStatus = (): void => {
    const statuses = [...libraries.values()].map((library) => statusOf(library, loading.has(library) ? 'indexing' : 'ready'));
    void connection.sendNotification(LibraryStatusNotification, { libraries: statuses });
  };

  const addLibrary = async (folderUri: string): Promise<void> => {
    const rootUri = normalizeUri(folderUri);
    if (libraries.has(rootUri)) return;
    const library = new TrellisLibrary(rootUri, host, { trusted: options.trusted });
    libraries.set(rootUri, library);
    for (const document of documents.all()) {
      const uri = normalizeUri(document.uri);
      if (library.contains(uri)) void library.setDocumentText(uri, document.getText(), document.version);
    }
    loading.add(library);
    sendStatus();
    await settings.refresh([rootUri]);
    const progress = supportsProgress ? await connection.window.createWorkDoneProgress() : undefined;
    progress?.begin('Trellis: indexing', 0, 'Listing files…', false);
    let lastReport = 0;
    const affected = await library.load((done, total) => {
      const now = Date.now();
      if (done === total || now - lastReport > 100) {
        lastReport = now;
        progress?.report(total === 0 ? 100 : Math.round((done / total) * 100), `${done} of ${total} files`);
      }
    });
    progress?.done();
    loading.delete(library);
    connection.console.info(`Trellis: indexed ${library.index.size} patterns in ${library.rootUri}`);
    publish(library, affected);
  };

  const removeLibrary = (folderUri: string): void => {
    const rootUri = normalizeUri(folderUri);
    const library = libraries.get(rootUri);
    if (!library) return;
    libraries.delete(rootUri);
    settings.forget(rootUri);
    for (const uri of library.index.uris()) {
      counts.forget(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    counts.forget(library.configUri);
    sendStatus();
  };

  const run = (library: TrellisLibrary | undefined, work: (library: TrellisLibrary) => Promise<Set<string>>): void => {
    if (!library) return;
    work(library).then(
      (affected) => publish(library, affected),
      (error: unknown) => connection.console.error(`Trellis: ${(error as Error).stack ?? String(error)}`),
    );
  };

  connection.onInitialize((params: InitializeParams) => {
    supportsProgress = params.capabilities.window?.workDoneProgress === true;
    supportsWatchRegistration = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    supportsConfigurationRegistration = params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    options = parseInitializationOptions(params.initializationOptions);
    if (params.capabilities.workspace?.configuration) {
      settings = new FolderSettings((scopeUri) => connection.workspace.getConfiguration({ scopeUri, section: 'trellis' }));
    }
    folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    return {
      capabilities: {
        ...featureCapabilities,
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        workspace: { ...featureCapabilities.workspace, workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'trellis', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    if (supportsWatchRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*' }],
      });
    }
    if (supportsConfigurationRegistration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'trellis' });
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      for (const folder of event.removed) removeLibrary(folder.uri);
      for (const folder of event.added) void addLibrary(folder.uri);
    });
    for (const folder of folders) void addLibrary(folder.uri);
  });

  documents.onDidOpen(({ document }) => {
    const uri = normalizeUri(document.uri);
    run(libraryFor(uri), (library) => library.setDocumentText(uri, document.getText(), document.version));
  });
  documents.onDidChangeContent(({ document }) => {
    const uri = normalizeUri(document.uri);
    run(libraryFor(uri), (library) => library.setDocumentText(uri, document.getText(), document.version));
  });
  documents.onDidClose(({ document }) => {
    const uri = normalizeUri(document.uri);
    run(libraryFor(uri), (library) => library.closeDocument(uri));
  });

  connection.onDidChangeConfiguration(async () => {
    await settings.refresh(libraries.keys());
    for (const library of libraries.values()) publish(library, [...library.index.uris(), library.configUri], false);
    sendStatus();
  });

  // "Check the library": read every library again from disk, as if just opened.
  // Cancelled, a library's reload stops and the library stays as it was (TrellisLibrary.load).
  connection.onRequest(CheckLibraryRequest, (token) =>
    answer(token, async () => {
      for (const library of libraries.values()) {
        if (token.isCancellationRequested) break;
        loading.add(library);
        sendStatus();
        try {
          publish(library, await library.load(undefined, token));
        } finally {
          loading.delete(library);
          sendStatus();
        }
      }
      return { libraries: [...libraries.values()].map((library) => statusOf(library, 'ready')) };
    }),
  );

  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const change of changes) {
      const uri = normalizeUri(change.uri);
      const library = libraryFor(uri);
      if (change.type === FileChangeType.Deleted) run(library, (l) => l.fileDeleted(uri));
      else run(library, (l) => l.fileChanged(uri));
    }
  });

  // The relationship graph: data from the core, placed here (off the webview's UI thread), drawn by the webview.
  const libraryLayouts = new LibraryLayouts({ yieldToHost: () => new Promise((resolve) => setImmediate(resolve)) });
  connection.onRequest(GraphRequest, (params, token) =>
    answer(token, async (checkpoint): Promise<GraphResult> => {
      const uri = normalizeUri(params.uri);
      const library = libraryFor(uri);
      if (!library) return { status: 'no-library' };
      if (loading.has(library)) return { status: 'indexing' };
      await unlessCancelled(library.whenIdle(), token);
      const declared = declaredRelations(library.librarySchemas);
      if (params.view === 'ego') {
        const graph = buildEgoGraph(library.index, uri, { depth: params.depth, declaredRelations: declared, ...(params.limit !== undefined ? { limit: params.limit } : {}) });
        return graph ? { status: 'ok', graph: placeEgoGraph(graph) } : { status: 'not-a-pattern' };
      }
      const graph = buildLibraryGraph(library.index, { declaredRelations: declared });
      await checkpoint.check();
      // The layout is shared by every request for this library and remembered for the next: a cancelled
      // request stops waiting at once, and the layout (which yields every few iterations) finishes once.
      const placed = await unlessCancelled(libraryLayouts.place(library.rootUri, graph, token), token);
      if (!placed) throw requestCancelled();
      return { status: 'ok', graph: placed };
    }),
  );

  registerFeatures(connection, documents, libraryFor, () => libraries.values(), (uri) => host.readFile(uri));
  documents.listen(connection);
  connection.listen();
  return connection;
}

declare const VERSION: string;
