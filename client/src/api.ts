/**
 * What the extension returns from `activate`: the library state it shows,
 * for other extensions and for the end-to-end tests (test/editor).
 */
import type * as vscode from 'vscode';
import type { LibraryStatus } from '../../server/src/protocol';

export interface TrellisApi {
  /** The latest state of each library (one per workspace folder), as the server last reported it; empty while the server (re)starts. */
  readonly libraries: readonly LibraryStatus[];
  readonly onDidChangeLibraries: vscode.Event<readonly LibraryStatus[]>;
  /** What the status bar item shows now. */
  readonly statusBar: { readonly text: string; readonly tooltip: string; readonly visible: boolean };
}
