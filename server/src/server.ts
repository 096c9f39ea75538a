/**
 * The language server: adapts LSP requests and notifications to the core.
 * Only this file knows about the LSP connection.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  createConnection,
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
import { LibraryStatusNotification, type LibraryStatus } from './protocol';
import { buildEgoGraph, buildLibraryGraph, declaredRelations } from './core/graph';
import { LibraryLayouts, placeEgoGraph } from './graphLayout';
import { GraphRequest, type GraphResult } from './protocol';
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const documents = new TextDocuments(TextDocument);
  const host = new NodeLibraryHost();
  const libraries = new Map<string, TrellisLibrary>();
  const loading = new Set<TrellisLibrary>();
  let supportsProgress = false;
  let supportsWatchRegistration = false;
  let folders: WorkspaceFolder[] = [];

  const libraryFor = (uri: string): TrellisLibrary | undefined => {
    let best: TrellisLibrary | undefined;
    for (const library of libraries.values()) {
      if ((library.contains(uri) || uri === library.rootUri) && (!best || library.rootUri.length > best.rootUri.length)) best = library;
    }
    return best;
  };

  /** Errors and warnings per published file, so the status bar is a sum, not a recount of the library. */
  const counts = new Map<string, { errors: number; warnings: number }>();

  const publish = (library: TrellisLibrary, uris: Iterable<string>): void => {
    for (const uri of uris) {
      const open = documents.get(uri);
      const diagnostics = library.diagnostics(uri);
      let errors = 0;
      let warnings = 0;
      for (const d of diagnostics) {
        if (d.severity === 1) errors++;
        else if (d.severity === 2) warnings++;
      }
      if (errors || warnings) counts.set(uri, { errors, warnings });
      else counts.delete(uri);
      void connection.sendDiagnostics({ uri, diagnostics, ...(open ? { version: open.version } : {}) });
    }
    sendStatus();
  };

  const sendStatus = (): void => {
    const statuses: LibraryStatus[] = [];
    for (const library of libraries.values()) {
      let errors = 0;
      let warnings = 0;
      if (!loading.has(library)) {
        for (const [uri, c] of counts) {
          if (libraryFor(uri) !== library) continue;
          errors += c.errors;
          warnings += c.warnings;
        }
      }
      statuses.push({ rootUri: library.rootUri, state: loading.has(library) ? 'indexing' : 'ready', patterns: library.index.size, errors, warnings });
    }
    void connection.sendNotification(LibraryStatusNotification, { libraries: statuses });
  };

  const addLibrary = async (folderUri: string): Promise<void> => {
    const rootUri = normalizeUri(folderUri);
    if (libraries.has(rootUri)) return;
    const library = new TrellisLibrary(rootUri, host);
    libraries.set(rootUri, library);
    for (const document of documents.all()) {
      const uri = normalizeUri(document.uri);
      if (library.contains(uri)) void library.setDocumentText(uri, document.getText(), document.version);
    }
    loading.add(library);
    sendStatus();
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
    for (const uri of library.index.uris()) {
      counts.delete(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    counts.delete(library.configUri);
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
  connection.onRequest(GraphRequest, async (params, token): Promise<GraphResult> => {
    const uri = normalizeUri(params.uri);
    const library = libraryFor(uri);
    if (!library) return { status: 'no-library' };
    if (loading.has(library)) return { status: 'indexing' };
    const declared = declaredRelations(library.librarySchemas);
    if (params.view === 'ego') {
      const graph = buildEgoGraph(library.index, uri, { depth: params.depth, declaredRelations: declared });
      return graph ? { status: 'ok', graph: placeEgoGraph(graph) } : { status: 'not-a-pattern' };
    }
    const placed = await libraryLayouts.place(library.rootUri, buildLibraryGraph(library.index, { declaredRelations: declared }), token);
    if (!placed) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    return { status: 'ok', graph: placed };
  });

  registerFeatures(connection, documents, libraryFor, () => libraries.values());
  documents.listen(connection);
  connection.listen();
  return connection;
}

declare const VERSION: string;
