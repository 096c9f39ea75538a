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
  type Diagnostic,
  type InitializeParams,
  type PublishDiagnosticsParams,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { saveCodeCache } from './codeCacheHook';
import { TrellisLibrary } from './core/library';
import { AffectedFiles } from './core/patternIndex';
import { NodeLibraryHost, normalizeUri } from './nodeHost';
import { createStdioConnection, publishDiagnosticsJson } from './stdioTransport';
import { featureCapabilities, registerFeatures } from './features';
import { PublishedCounts } from './libraryStatus';
import { DiagnosticsPublisher } from './diagnosticsPublisher';
import { CheckLibraryRequest, LibraryStatusNotification, type LibraryStatus, type TrellisInitializationOptions } from './protocol';
import { diagnosticsAsSet, FolderSettings, parseInitializationOptions } from './settings';
import { buildEgoGraph, buildLibraryGraph, declaredRelations, GraphCache } from './core/graph';
import { LibraryLayouts, placeEgoGraph } from './graphLayout';
import { GraphRequest, type GraphResult } from './protocol';
import { answer, requestCancelled, unlessCancelled, yieldToHost } from './requests';
import { Checkpoint } from './core/cancellation';

/** Restored diagnostics per write over stdio (about 100 KB). */
const RESTORE_BATCH = 128;

export function startServer(given?: Connection): Connection {
  let shutdownReceived = false;
  const stdio = given || !process.argv.includes('--stdio') ? undefined : createStdioConnection(() => shutdownReceived);
  const connection = given ?? stdio?.connection ?? createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  const host = new NodeLibraryHost();
  const libraries = new Map<string, TrellisLibrary>();
  const loading = new Set<TrellisLibrary>();
  /** The files a library's first load sent from its snapshot, until that load is over. */
  const restoredDuringLoad = new WeakMap<TrellisLibrary, string[]>();
  /** Caches being written after a load; a shutdown waits for them. */
  const pendingSaves = new Set<Promise<void>>();
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
  const counts = new PublishedCounts((uri) => libraryFor(uri)?.rootUri);
  const statusOf = (library: TrellisLibrary, state: LibraryStatus['state']): LibraryStatus => counts.status(library, state, settings.of(library.rootUri).diagnostics.enable);

  /** The version of each open document whose text the index holds, which its diagnostics are tagged with. */
  const indexedVersions = new Map<string, number>();
  let sliceOfDiagnostics: string[] = [];
  const publisher = new DiagnosticsPublisher<TrellisLibrary>(
    {
      current: (library, uri) => {
        if (libraries.get(library.rootUri) !== library) return undefined;
        const open = documents.get(uri);
        // Hints show only in an open editor (the Problems view leaves them out): closed files get none, which
        // spares the work and the traffic of thousands of them on a large library.
        const diagnostics = settings.diagnostics(library, uri, { hints: open !== undefined });
        return open ? { diagnostics, version: indexedVersions.get(uri) ?? open.version } : { diagnostics };
      },
      isOpen: (uri) => documents.get(uri) !== undefined,
      // Over stdio a slice's messages are written together (one buffer, one write), as a restore's are.
      send: (params) => {
        if (stdio) sliceOfDiagnostics.push(publishDiagnosticsJson(JSON.stringify(params)));
        else void connection.sendDiagnostics(params);
      },
      flush: () => {
        if (sliceOfDiagnostics.length === 0) return;
        // A failed write is reported by the writer (the connection's error event), as any other message's.
        void stdio?.writer.writeJsons(sliceOfDiagnostics).catch(() => undefined);
        sliceOfDiagnostics = [];
      },
      drained: () => sendStatus(),
      yieldToHost,
      error: (error) => connection.console.error(`Trellis: ${(error as Error).stack ?? String(error)}`),
    },
    counts,
  );
  /**
   * Queues the files' diagnostics (sent in slices, requests answered between them); the status follows
   * once all are sent. `origin`: the file the event was about, sent even when its diagnostics did not change.
   */
  const publish = (library: TrellisLibrary, uris: Iterable<string>, origin?: string): Promise<void> => publisher.publish(library, uris, origin);

  const sendStatus = (): void => {
    const statuses = [...libraries.values()].map((library) => statusOf(library, loading.has(library) ? 'indexing' : 'ready'));
    void connection.sendNotification(LibraryStatusNotification, { libraries: statuses });
  };

  const addLibrary = async (folderUri: string): Promise<void> => {
    const rootUri = normalizeUri(folderUri);
    if (libraries.has(rootUri)) return;
    const library = new TrellisLibrary(rootUri, host, { trusted: options.trusted });
    host.prepareToLoad(library.rootUri);
    libraries.set(rootUri, library);
    // A library inside another takes its files over: the sums per library are made again.
    counts.regroup();
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
    let restored = false;
    const affected = await library.load(
      (done, total) => {
        const now = Date.now();
        if (done === total || now - lastReport > 100) {
          lastReport = now;
          progress?.report(total === 0 ? 100 : Math.round((done / total) * 100), `${done} of ${total} files`);
        }
      },
      undefined,
      {
        filesStamped: async () => {
          try {
            restored = await restorePublished(library);
          } catch (error) {
            // The load goes on and publishes everything the usual way.
            connection.console.error(`Trellis: ${(error as Error).stack ?? String(error)}`);
          }
        },
      },
    );
    progress?.done();
    loading.delete(library);
    restoredDuringLoad.delete(library);
    connection.console.info(`Trellis: indexed ${library.index.size} patterns in ${library.rootUri}${restored ? ' (closed files: the diagnostics last published, the files being unchanged)' : ''}`);
    // Restored, only the config and the open documents (hints, versions) are left to publish.
    const toPublish = restored ? [library.configUri, ...documents.keys().map(normalizeUri).filter((uri) => library.contains(uri))] : affected;
    // The analysis cache is written once the diagnostics are out: they come first.
    const saved = publish(library, toPublish).then(async () => {
      await settleSearch(library);
      // Most of the server's code has run by now: the next start loads it compiled (once per build; boot.ts).
      saveCodeCache();
      await library.flushCache();
      if (!restored) await savePublished(library);
    });
    pendingSaves.add(saved);
    void saved.finally(() => pendingSaves.delete(saved));
  };

  /**
   * Puts a load's documents into the search structure (completion, workspace
   * symbols) a slice at a time, once the load's diagnostics are out; a
   * request that needs it before then settles the rest itself.
   */
  const settleSearch = async (library: TrellisLibrary): Promise<void> => {
    while (library.index.settleSearch(512)) await yieldToHost();
  };

  /**
   * At a library's first load, once its files are stamped: when they are the
   * files the diagnostics last published were computed from, and the settings
   * are the same, those are sent now for every closed file (publishedSnapshot.ts).
   */
  const restorePublished = async (library: TrellisLibrary): Promise<boolean> => {
    const store = host.published;
    if (!store) return false;
    const state = await library.diskState();
    if (state === undefined) return false;
    const entries = await store.load(library.rootUri, state, settings.of(library.rootUri).diagnostics);
    if (!entries || libraries.get(library.rootUri) !== library) return false;
    const checkpoint = new Checkpoint({ yieldToHost, sliceMs: DiagnosticsPublisher.SLICE_MS });
    let written: Promise<void> = Promise.resolve();
    const sent: string[] = [];
    restoredDuringLoad.set(library, sent);
    // Over stdio, the saved text goes out as it is, a batch of messages per write; another connection takes objects.
    let batch: string[] = [];
    const flush = (): void => {
      if (stdio && batch.length > 0) written = stdio.writer.writeJsons(batch);
      batch = [];
    };
    for (const { uri, params, json, length, tally } of entries) {
      // Between two slices the library may have been removed (its folder closed): nothing more goes out.
      if (libraries.get(library.rootUri) !== library) break;
      if (documents.get(uri) !== undefined || !library.contains(uri)) continue;
      sent.push(uri);
      counts.recordSerialized(uri, json, length, tally);
      if (stdio) batch.push(publishDiagnosticsJson(params));
      else written = connection.sendDiagnostics(JSON.parse(params) as PublishDiagnosticsParams);
      // Only between batches: a batch never waits across a yield (during which the library may go).
      if (!stdio || batch.length === RESTORE_BATCH) {
        flush();
        await checkpoint.check();
      }
    }
    flush();
    // The pipe takes a few kilobytes per turn of the event loop, and decoding the documents next leaves few
    // turns: the load goes on once the client has them all (its own thread reads them meanwhile). Decoding in
    // turns while the pipe drains was measured twice (BENCHMARKS.md): the last diagnostics came later.
    await written.catch(() => undefined);
    return true;
  };

  /**
   * After a load's diagnostics are out: keeps what every closed file of the
   * library would be published with, under the name of the files it comes
   * from, unless the library changed meanwhile (then the next load saves).
   */
  const savePublished = async (library: TrellisLibrary): Promise<void> => {
    const store = host.published;
    const generation = library.generation;
    const state = store && (await library.diskState());
    if (!store || state === undefined) return;
    const folder = settings.of(library.rootUri).diagnostics;
    const entries: Array<{ uri: string; diagnostics: Diagnostic[] }> = [];
    const checkpoint = new Checkpoint({ yieldToHost, sliceMs: DiagnosticsPublisher.SLICE_MS });
    for (const uri of [...library.index.uris()]) {
      // The settings of the start: the snapshot's key names them.
      const diagnostics = diagnosticsAsSet(folder, library, uri, { hints: false });
      if (diagnostics.length > 0) entries.push({ uri, diagnostics });
      await checkpoint.check();
      // Changed meanwhile: what was computed so far describes a library that is gone.
      if (library.generation !== generation) return;
    }
    if (library.generation !== generation || libraries.get(library.rootUri) !== library) return;
    await store.save(library.rootUri, state, folder, entries).catch(() => undefined);
  };

  const removeLibrary = (folderUri: string): void => {
    const rootUri = normalizeUri(folderUri);
    const library = libraries.get(rootUri);
    if (!library) return;
    libraries.delete(rootUri);
    settings.forget(rootUri);
    publisher.forget(library);
    // During its load the index is empty, but diagnostics restored from a snapshot may be out already.
    for (const uri of new Set([...library.index.uris(), ...(restoredDuringLoad.get(library) ?? [])])) {
      counts.forget(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    counts.forget(library.configUri);
    counts.regroup();
    sendStatus();
  };

  /**
   * Leaves out the closed files whose diagnostics could change only in missing-mirror findings when those are
   * not published for closed files (hints, the default, or off): a hub's edit would otherwise revalidate every
   * file that links to it, for nothing.
   */
  const withoutHiddenMirrors = (library: TrellisLibrary, affected: Set<string>): Iterable<string> => {
    if (!(affected instanceof AffectedFiles) || affected.mirrorsOnly.size === 0) return affected;
    const folder = settings.of(library.rootUri).diagnostics;
    const level = library.severityOf('missing-mirror', folder.severity);
    if (folder.enable && level !== 'hint' && level !== 'off') return affected;
    return [...affected].filter((uri) => !affected.mirrorsOnly.has(uri) || documents.get(uri) !== undefined);
  };

  /** Applies an event about `origin` to its library, then publishes what it changed. */
  const run = (library: TrellisLibrary | undefined, origin: string, work: (library: TrellisLibrary) => Promise<Set<string>>, version?: number): void => {
    if (!library) return;
    work(library).then(
      (affected) => {
        // A version skipped for a newer one affects nothing; an applied one affects at least its own file.
        if (version !== undefined && affected.has(origin)) indexedVersions.set(origin, version);
        void publish(library, withoutHiddenMirrors(library, affected), origin);
      },
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
    // The libraries load once the client says it is initialized; workers that will analyze them boot meanwhile.
    for (const folder of folders) host.prepareToLoad(normalizeUri(folder.uri));
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

  // TextDocuments fires onDidChangeContent on open too: one handler, or each open is analysed and sent twice.
  documents.onDidChangeContent(({ document }) => {
    const uri = normalizeUri(document.uri);
    run(libraryFor(uri), uri, (library) => library.setDocumentText(uri, document.getText(), document.version), document.version);
  });
  documents.onDidClose(({ document }) => {
    const uri = normalizeUri(document.uri);
    indexedVersions.delete(uri);
    run(libraryFor(uri), uri, (library) => library.closeDocument(uri));
  });

  connection.onDidChangeConfiguration(async () => {
    await settings.refresh(libraries.keys());
    // One status once every library's files are sent.
    for (const library of libraries.values()) void publish(library, [...library.index.uris(), library.configUri]);
  });

  // "Check the library": read every library again from disk, as if just opened.
  // Cancelled, a library's reload stops and the library stays as it was (TrellisLibrary.load).
  connection.onRequest(CheckLibraryRequest, (token) =>
    answer(token, async () => {
      for (const library of libraries.values()) {
        if (token.isCancellationRequested) break;
        loading.add(library);
        sendStatus();
        let affected: Set<string>;
        try {
          affected = await library.load(undefined, token);
        } catch (error) {
          // Cancelled: the library is as it was before, and ready.
          loading.delete(library);
          sendStatus();
          throw error;
        }
        loading.delete(library);
        // The publisher sends the status once the diagnostics are out.
        await publish(library, affected);
        void settleSearch(library).then(() => library.flushCache());
      }
      return { libraries: [...libraries.values()].map((library) => statusOf(library, 'ready')) };
    }),
  );

  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const change of changes) {
      const uri = normalizeUri(change.uri);
      const library = libraryFor(uri);
      if (change.type === FileChangeType.Deleted) run(library, uri, (l) => l.fileDeleted(uri));
      else run(library, uri, (l) => l.fileChanged(uri));
    }
  });

  // The relationship graph: data from the core, placed here (off the webview's UI thread), drawn by the webview.
  const libraryLayouts = new LibraryLayouts({ yieldToHost });
  const graphCaches = new WeakMap<TrellisLibrary, GraphCache>();
  const graphCacheOf = (library: TrellisLibrary): GraphCache => {
    let cache = graphCaches.get(library);
    if (!cache) graphCaches.set(library, (cache = new GraphCache()));
    return cache;
  };
  connection.onRequest(GraphRequest, (params, token) =>
    answer(token, async (checkpoint): Promise<GraphResult> => {
      const uri = normalizeUri(params.uri);
      const library = libraryFor(uri);
      if (!library) return { status: 'no-library' };
      if (loading.has(library)) return { status: 'indexing' };
      await unlessCancelled(library.whenIdle(), token);
      const declared = declaredRelations(library.librarySchemas);
      if (params.view === 'ego') {
        const graph = buildEgoGraph(library.index, uri, { depth: params.depth, declaredRelations: declared, cache: graphCacheOf(library), ...(params.limit !== undefined ? { limit: params.limit } : {}) });
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
  // Before the process ends, the analysis caches of the libraries are written if they changed.
  connection.onShutdown(async () => {
    shutdownReceived = true;
    await Promise.all([...pendingSaves, ...[...libraries.values()].map((library) => library.flushCache())]);
  });

  connection.listen();
  return connection;
}

declare const VERSION: string;
