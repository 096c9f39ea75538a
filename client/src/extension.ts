/**
 * The VS Code side of Trellis: starts the language server (one for every
 * folder of the workspace; it keeps one library per folder), shows the
 * libraries' state in the status bar, and contributes the commands.
 * Everything about patterns lives in the server.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { LibraryStatusNotification, type LibraryStatus, type TrellisInitializationOptions } from '../../server/src/protocol';
import type { TrellisApi } from './api';
import { checkLibrary } from './checkLibrary';
import { registerGraphPanel } from './graphPanel';
import { registerNewPatternCommand } from './newPattern';
import { RestartPolicy } from './restartPolicy';
import { describeStatus, LibraryStatusBar, type ServerState } from './statusBar';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<TrellisApi> {
  const output = vscode.window.createOutputChannel('Trellis');
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    // serverBoot.js starts server.js through V8's code cache; debugging starts server.js itself.
    run: { module: context.asAbsolutePath(path.join('dist', 'serverBoot.js')), transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const restarts = new RestartPolicy();
  const log = (line: string): void => output.appendLine(`[${new Date().toLocaleTimeString()}] ${line}`);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'file', pattern: '**/trellis.config.json' },
    ],
    outputChannel: output,
    progressOnInitialization: true,
    // Evaluated at every (re)start, so granting trust and restarting lifts Restricted Mode.
    initializationOptions: (): TrellisInitializationOptions => ({ trusted: vscode.workspace.isTrusted }),
    errorHandler: {
      // A message that failed to go through: a few are tolerated (the connection may be closing, and then `closed` decides).
      error: (_error, _message, count) => ({ action: (count ?? 1) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
      // The server died without being asked to stop. The new server gets every open document's text as the editor has it.
      closed: () => {
        const verdict = restarts.crashed();
        log(verdict.message);
        return verdict.restart ? { action: CloseAction.Restart, message: verdict.message, handled: true } : { action: CloseAction.DoNotRestart, message: verdict.message };
      },
    },
  };
  const languageClient = new LanguageClient('trellis', 'Trellis', serverOptions, clientOptions);
  client = languageClient;

  let libraries: readonly LibraryStatus[] = [];
  let server: ServerState = 'starting';
  const changed = new vscode.EventEmitter<readonly LibraryStatus[]>();
  const statusBar = new LibraryStatusBar();
  const folderName = (rootUri: string): string => {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(rootUri));
    return folder?.name ?? path.basename(vscode.Uri.parse(rootUri).fsPath);
  };
  const render = (): void => statusBar.show(describeStatus(server, libraries, vscode.workspace.isTrusted, folderName));
  render();

  context.subscriptions.push(
    output,
    statusBar,
    changed,
    languageClient.onNotification(LibraryStatusNotification, (params) => {
      libraries = params.libraries;
      render();
      changed.fire(libraries);
    }),
    registerNewPatternCommand(() => client),
    languageClient.onDidChangeState(({ newState }) => {
      server = newState === State.Running ? 'running' : newState === State.Starting ? 'starting' : 'stopped';
      render();
      // A server that stops or restarts takes its libraries with it until it reports again.
      if (server !== 'running' && libraries.length > 0) {
        libraries = [];
        changed.fire(libraries);
      }
    }),
    vscode.commands.registerCommand('trellis.checkLibrary', () => checkLibrary(languageClient, output, folderName)),
    vscode.commands.registerCommand('trellis.restartServer', async () => {
      log('Restarting the Trellis language server');
      restarts.reset();
      await languageClient.restart();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      output.appendLine('The workspace is trusted now: restarting the server out of Restricted Mode.');
      void languageClient.restart();
    }),
    // The folder names in the status bar follow renamed or added folders.
    vscode.workspace.onDidChangeWorkspaceFolders(render),
    registerGraphPanel(context, languageClient),
  );

  await languageClient.start();
  return {
    get libraries() {
      return libraries;
    },
    onDidChangeLibraries: changed.event,
    get statusBar() {
      const { text, tooltip, visible } = statusBar.current;
      return { text, tooltip, visible };
    },
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
