/**
 * A slug rename that also renames the file: when the editor applies it, it
 * asks willRenameFiles about that very move, which must then add nothing, or
 * every reference would be edited twice (VS Code drops such an edit; the
 * editor test test/editor/suite/workspace/rename.test.ts saw it).
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RenameFile, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { REPO, TestClient } from './lspClient';

describe('renaming a slug and its file', () => {
  it('answers willRenameFiles for the move it proposed with nothing, and for any other move with the edits', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-rename-'));
    await fs.cp(path.join(REPO, 'examples', 'library'), dir, { recursive: true });
    const client = new TestClient();
    try {
      const uri = (name: string): string => pathToFileURL(path.join(dir, name)).href;
      await client.initialize(pathToFileURL(dir).href);
      await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'ready');
      const text = await fs.readFile(path.join(dir, 'watering-rota.md'), 'utf8');
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri('watering-rota.md'), languageId: 'markdown', version: 1, text } });
      const line = text.split('\n').findIndex((l) => l.startsWith('slug: watering-rota'));
      const edit = (await client.connection.sendRequest('textDocument/rename', { textDocument: { uri: uri('watering-rota.md') }, position: { line, character: 8 }, newName: 'watering-roster' })) as WorkspaceEdit;
      const move = edit.documentChanges!.find((c): c is RenameFile => 'kind' in c && c.kind === 'rename')!;
      assert.equal(move.newUri, uri('watering-roster.md'));
      assert.ok(edit.documentChanges!.length > 2, 'the slug and its references');

      const files = [{ oldUri: move.oldUri, newUri: move.newUri }];
      assert.equal(await client.connection.sendRequest('workspace/willRenameFiles', { files }), null);
      // The same move made by hand later (say, in the explorer) gets the slug and reference edits.
      const byHand = (await client.connection.sendRequest('workspace/willRenameFiles', { files })) as WorkspaceEdit | null;
      assert.ok(byHand && byHand.documentChanges!.length > 1);
    } finally {
      await client.stop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
