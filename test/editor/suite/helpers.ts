/**
 * Helpers for the tests that run inside a real editor's extension host.
 * Every wait is for an event (diagnostics, library status), with a deadline
 * that names what was awaited; none sleeps.
 *
 * The workspace (see test/editor/run.mjs) is a temp copy: folder `library`
 * (examples/library) and folder `recipes` (test/editor/fixtures/recipes).
 * A test that edits a file restores it (`revertAll`) before it ends, so the
 * steps stay independent of their order.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrellisApi } from '../../../client/src/api';
import type { LibraryStatus } from '../../../server/src/protocol';

export const EXTENSION_ID = 'trellis.trellis';
/** The checkout the suite was bundled from (out/editor/suite/<scenario>/*.js). */
export const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const DEFAULT_DEADLINE_MS = 30_000;

/** The Trellis extension, activated, and its API. */
export async function trellis(): Promise<TrellisApi> {
  const extension = vscode.extensions.getExtension<TrellisApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return extension.isActive ? extension.exports : await extension.activate();
}

export function folder(name: string): vscode.WorkspaceFolder {
  const found = vscode.workspace.workspaceFolders?.find((f) => f.name === name);
  assert.ok(found, `the workspace has a folder named ${name}`);
  return found;
}

/** A file of a workspace folder: `file('library', 'compost-commons.md')`. */
export function file(folderName: string, relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(folder(folderName).uri, relativePath);
}

export async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false });
}

/**
 * Resolves once `predicate` returns a value, re-checking whenever `event`
 * fires; rejects with `what` when the deadline passes first.
 */
export function waitFor<T, E>(event: vscode.Event<E>, predicate: () => T | undefined | false, what: string, deadlineMs = DEFAULT_DEADLINE_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const first = predicate();
    if (first) return resolve(first);
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`Timed out after ${deadlineMs / 1000} s waiting for ${what}`));
    }, deadlineMs);
    const subscription = event(() => {
      const value = predicate();
      if (!value) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    });
  });
}

/** Trellis diagnostics of a file (other extensions, such as the JSON service, are left out unless `source` says so). */
export function diagnosticsOf(uri: vscode.Uri, code?: string, source = 'trellis'): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === source && (code === undefined || codeOf(d) === code));
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code ?? '');
}

/** Waits until the diagnostics of `uri` satisfy `predicate`. */
export function waitForDiagnostics<T>(uri: vscode.Uri, predicate: (diagnostics: vscode.Diagnostic[]) => T | undefined | false, what: string): Promise<T> {
  return waitFor(vscode.languages.onDidChangeDiagnostics, () => predicate(vscode.languages.getDiagnostics(uri)), what);
}

/** Waits until every library (one per workspace folder) is indexed, and returns their states. */
export async function readyLibraries(api: TrellisApi, count = vscode.workspace.workspaceFolders?.length ?? 1): Promise<readonly LibraryStatus[]> {
  return waitFor(api.onDidChangeLibraries, () => api.libraries.length === count && api.libraries.every((l) => l.state === 'ready') && api.libraries, `${count} libraries to be ready`);
}

export function libraryOf(api: TrellisApi, folderName: string): LibraryStatus {
  const root = folder(folderName).uri.toString();
  const library = api.libraries.find((l) => vscode.Uri.parse(l.rootUri).toString() === root);
  assert.ok(library, `a library for folder ${folderName} (${root}) among ${api.libraries.map((l) => l.rootUri).join(', ')}`);
  return library;
}

/** Undoes unsaved edits in every open editor and closes them. */
export async function revertAll(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (!document.isDirty) continue;
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The position just after the first occurrence of `text` in a document. */
export function after(document: vscode.TextDocument, text: string): vscode.Position {
  const offset = document.getText().indexOf(text);
  assert.ok(offset >= 0, `${document.uri.path} contains ${text}`);
  return document.positionAt(offset + text.length);
}

/** The 1-based line of the first occurrence of `text` in a document, as DEFECTS.md counts lines. */
export function lineOf(document: vscode.TextDocument, text: string): number {
  const offset = document.getText().indexOf(text);
  assert.ok(offset >= 0, `${document.uri.path} contains ${text}`);
  return document.positionAt(offset).line + 1;
}
