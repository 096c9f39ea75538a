/**
 * A real LSP client for tests: starts the bundled server over stdio and
 * records what it sends, so tests wait for events instead of sleeping.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createProtocolConnection, IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { LibraryStatus } from '../../server/src/protocol';

export const REPO = path.resolve(__dirname, '..', '..');

export class TestClient {
  readonly connection: ProtocolConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publishDiagnostics notification, in the order received. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** When each of `published` arrived (performance.now()). */
  readonly publishedAt: number[] = [];
  readonly progress: unknown[] = [];
  readonly status: Array<{ libraries: LibraryStatus[] }> = [];
  readonly registrations: unknown[] = [];
  /** The messages of window/logMessage. */
  readonly logs: string[] = [];
  /** The `trellis` settings section per folder URI, served to workspace/configuration (with `initialize(…, { configuration: true })`). */
  readonly settings = new Map<string, unknown>();
  /** The workspace/configuration requests the server made. */
  readonly configurationRequests: unknown[] = [];
  private readonly waiters: Array<() => void> = [];
  private readonly exitWaiters: Array<(code: number | null) => void> = [];
  private readonly process: ChildProcess;
  stderr = '';

  /**
   * `stdio`: `trellis lsp --stdio`, as other editors run it; `bare`: `trellis lsp`
   * without a transport, stdio by default; `ipc`: the bundled server as VS Code's client forks it.
   */
  constructor(transport: 'stdio' | 'bare' | 'ipc' = 'stdio', env: NodeJS.ProcessEnv = process.env) {
    if (transport !== 'ipc') {
      this.process = spawn(process.execPath, [path.join(REPO, 'bin', 'trellis.js'), 'lsp', ...(transport === 'stdio' ? ['--stdio'] : [])], { stdio: ['pipe', 'pipe', 'pipe'], env });
      this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    } else {
      this.process = fork(path.join(REPO, 'dist', 'server.js'), ['--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'], env });
      this.connection = createProtocolConnection(new IPCMessageReader(this.process), new IPCMessageWriter(this.process));
    }
    this.process.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.process.once('exit', (code) => {
      for (const reject of this.exitWaiters.splice(0)) reject(code);
    });
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params);
      this.published.push(params);
      this.publishedAt.push(performance.now());
      this.wake();
    });
    this.connection.onNotification('$/progress', (params: unknown) => {
      this.progress.push(params);
      this.wake();
    });
    this.connection.onNotification('trellis/status', (params: TestClient['status'][number]) => {
      this.status.push(params);
      this.wake();
    });
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('client/registerCapability', (params: unknown) => {
      this.registrations.push(params);
      this.wake();
      return null;
    });
    this.connection.onRequest('workspace/configuration', (params: { items: Array<{ scopeUri?: string; section?: string }> }) => {
      this.configurationRequests.push(params);
      this.wake();
      return params.items.map((item) => (item.section === 'trellis' ? (this.settings.get(item.scopeUri ?? '') ?? null) : null));
    });
    this.connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
      this.wake();
    });
    this.connection.listen();
  }

  /**
   * `folderUri` may list several folders (a multi-root workspace).
   * `configuration`: say the client answers workspace/configuration (from `settings`).
   * `beforeInitialized`: sent between the answer and `initialized` (documents the editor had open).
   */
  async initialize(folderUri: string | string[], options: { configuration?: boolean; initializationOptions?: unknown; processId?: number; beforeInitialized?: () => Promise<void> } = {}): Promise<unknown> {
    const folders = Array.isArray(folderUri) ? folderUri : [folderUri];
    const result = await this.connection.sendRequest('initialize', {
      processId: options.processId ?? process.pid,
      rootUri: folders[0],
      workspaceFolders: folders.map((uri, i) => ({ uri, name: `library-${i}` })),
      initializationOptions: options.initializationOptions,
      capabilities: {
        window: { workDoneProgress: true },
        workspace: {
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceFolders: true,
          ...(options.configuration ? { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } : {}),
        },
        textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true } },
      },
    });
    await options.beforeInitialized?.();
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Resolves once `predicate` holds, re-checking after every message from the server. */
  waitFor<T>(predicate: () => T | undefined | false, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        const value = predicate();
        if (value) {
          resolve(value);
          return true;
        }
        return false;
      };
      if (check()) return;
      const waiter = (): void => {
        if (check()) this.waiters.splice(this.waiters.indexOf(waiter), 1);
      };
      this.waiters.push(waiter);
      this.exitWaiters.push((code) => reject(new Error(`the server exited (${code}) while waiting for ${what}\n${this.stderr}`)));
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Resolves with the server's exit code once it has exited. */
  exited(): Promise<number | null> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return Promise.resolve(this.process.exitCode);
    return new Promise((resolve) => this.process.once('exit', (code) => resolve(code)));
  }

  /** Closes the server's input, as an editor that dies does. */
  closeInput(): void {
    this.process.stdin?.end();
  }

  diagnosticsOf(uri: string, code?: string): Diagnostic[] {
    return (this.diagnostics.get(uri)?.diagnostics ?? []).filter((d) => code === undefined || d.code === code);
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      this.process.kill();
    }
    await exited;
    this.connection.dispose();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
