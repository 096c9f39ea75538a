/** "Trellis: New Pattern": asks for a title, creates `{slug}.md` from the library's template, opens it. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { NewPatternRequest } from '../../server/src/protocol';

export function registerNewPatternCommand(getClient: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.commands.registerCommand('trellis.newPattern', async (folder?: vscode.Uri) => {
    const client = getClient();
    if (!client) return;
    const target = folder ?? (await pickFolder());
    if (!target) return;
    const title = await vscode.window.showInputBox({
      title: 'Trellis: New Pattern',
      prompt: 'The title of the new pattern; its slug and file name are made from it.',
      placeHolder: 'Seed Library Swap',
      validateInput: (value) => (/[a-z0-9]/i.test(value) ? undefined : 'A title needs at least one letter or digit.'),
    });
    if (!title) return;
    try {
      const result = await client.sendRequest(NewPatternRequest, { folderUri: target.toString(), title });
      if (!result) return;
      const uri = vscode.Uri.parse(result.uri);
      const edit = new vscode.WorkspaceEdit();
      edit.createFile(uri, { overwrite: false, contents: new TextEncoder().encode(result.text) });
      if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not create ${uri.fsPath}`);
      await vscode.window.showTextDocument(uri);
    } catch (error) {
      void vscode.window.showErrorMessage(`Trellis: ${(error as Error).message}`);
    }
  });
}

/** The folder of the active pattern, or the workspace folder (asked when there are several). */
async function pickFolder(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && active.path.endsWith('.md')) return vscode.Uri.joinPath(active, '..');
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0]?.uri;
  return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'The library to create the pattern in' }))?.uri;
}
