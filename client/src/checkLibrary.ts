/**
 * "Trellis: Check the Library": the server reads every library again from
 * disk; the client writes a summary by code to the Trellis output channel,
 * opens Problems, and says the totals. The progress notification can cancel it.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CheckLibraryRequest, type LibraryStatus } from '../../server/src/protocol';
import { plural } from './statusBar';

export async function checkLibrary(client: LanguageClient, output: vscode.OutputChannel, folderName: (rootUri: string) => string): Promise<LibraryStatus[]> {
  // Cancellable: the server stops reading and leaves each library as it was.
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Trellis: checking the library', cancellable: true }, (_progress, token) =>
    client.sendRequest(CheckLibraryRequest, token).then(
      (answer) => answer,
      (error: unknown) => {
        if (token.isCancellationRequested) return undefined;
        throw error;
      },
    ),
  );
  if (!result) {
    output.appendLine(`[${new Date().toLocaleTimeString()}] Check the library: cancelled; the libraries are as they were.`);
    return [];
  }
  const { libraries } = result;
  output.appendLine(summary(libraries, folderName, new Date()));
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  const errors = libraries.reduce((n, l) => n + l.errors, 0);
  const warnings = libraries.reduce((n, l) => n + l.warnings, 0);
  const patterns = libraries.reduce((n, l) => n + l.patterns, 0);
  // Not awaited: the message stays until dismissed, and the command is done.
  void vscode.window
    .showInformationMessage(`Trellis: ${plural(patterns, 'pattern')}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}.`, 'Show Summary')
    .then((choice) => choice && output.show(true));
  return libraries;
}

export function summary(libraries: readonly LibraryStatus[], folderName: (rootUri: string) => string, when: Date): string {
  const lines = [`[${when.toLocaleTimeString()}] Check the library`];
  if (libraries.length === 0) lines.push('  No workspace folder is open.');
  for (const library of libraries) {
    lines.push(`  ${folderName(library.rootUri)} (${library.rootUri}): ${plural(library.patterns, 'pattern')}, ${plural(library.errors, 'error')}, ${plural(library.warnings, 'warning')}`);
    if (!library.diagnosticsEnabled) lines.push('    Diagnostics are off (trellis.diagnostics.enable).');
    const codes = Object.entries(library.byCode).sort(([a], [b]) => a.localeCompare(b));
    const width = Math.max(0, ...codes.map(([code]) => code.length));
    for (const [code, count] of codes) lines.push(`    ${code.padEnd(width)}  ${count}`);
  }
  return lines.join('\n');
}
