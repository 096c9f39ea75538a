/**
 * The VS Code side of Trellis: starts the language server and shows the
 * library's state in the status bar. Everything about patterns lives in the server.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { LibraryStatusNotification, type LibraryStatus } from '../../server/src/protocol';
import { registerGraphPanel } from './graphPanel';
import { registerNewPatternCommand } from './newPattern';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'markdown' }, { scheme: 'file', pattern: '**/trellis.config.json' }],
    progressOnInitialization: true,
  };
  client = new LanguageClient('trellis', 'Trellis', serverOptions, clientOptions);

  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  status.command = 'workbench.actions.view.problems';
  status.text = '$(sync~spin) Trellis';
  status.tooltip = 'Trellis is indexing the pattern library';
  status.show();
  context.subscriptions.push(status);

  context.subscriptions.push(
    client.onNotification(LibraryStatusNotification, ({ libraries }) => updateStatus(status, libraries)),
    registerNewPatternCommand(() => client),
    vscode.commands.registerCommand('trellis.restartServer', async () => {
      await client?.restart();
    }),
    registerGraphPanel(context, client),
  );
  await client.start();
}

function updateStatus(item: vscode.StatusBarItem, libraries: LibraryStatus[]): void {
  const indexing = libraries.some((l) => l.state === 'indexing');
  const patterns = libraries.reduce((n, l) => n + l.patterns, 0);
  const errors = libraries.reduce((n, l) => n + l.errors, 0);
  const warnings = libraries.reduce((n, l) => n + l.warnings, 0);
  item.text = indexing ? '$(sync~spin) Trellis: indexing…' : `$(type-hierarchy) ${patterns} patterns $(error) ${errors} $(warning) ${warnings}`;
  item.tooltip = indexing ? 'Trellis is indexing the pattern library' : `${patterns} patterns, ${errors} errors, ${warnings} warnings. Click to open Problems.`;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
