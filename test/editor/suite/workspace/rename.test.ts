/**
 * Renaming a slug renames it in every file that references it, and the file
 * with it; renaming it back restores the library byte for byte.
 *
 * The edit is applied in two steps, its text edits and then its file move.
 * Through the extension API, VS Code 1.100 refuses the combined edit ("Unable
 * to read file …/watering-rota.md") although F2 in the editor applies it; the
 * walk-through (test/editor/walkthrough.mjs) renames with F2 as a person does,
 * and test/lsp/renameFile.test.ts checks the server's part of that: asked
 * about the move its rename proposed, willRenameFiles adds nothing.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { after, diagnosticsOf, file, open, revertAll, trellis, waitForDiagnostics, REPO } from '../helpers';

const REFERRERS = ['harvest-sharing.md', 'work-party.md', 'compost-commons.md', 'garden-charter.md'];

async function renameSlug(from: string, to: string): Promise<void> {
  const uri = file('library', `${from}.md`);
  const editor = await open(uri);
  const position = after(editor.document, `slug: ${from.slice(0, 3)}`);
  const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', uri, position, to);
  const files = edit.entries().map(([u]) => path.basename(u.fsPath)).sort();
  assert.deepEqual(files, [`${from}.md`, ...REFERRERS].sort(), 'the slug and every reference to it');
  for (const [, edits] of edit.entries()) for (const e of edits) assert.equal(e.newText, to);

  // The documents, held open, so that an editor closed by the test before cannot take an edit away with it.
  const documents = await Promise.all(edit.entries().map(([u]) => vscode.workspace.openTextDocument(u)));
  const text = new vscode.WorkspaceEdit();
  for (const [u, edits] of edit.entries()) text.set(u, edits);
  assert.ok(await vscode.workspace.applyEdit(text), `the text edits of ${from} → ${to}`);
  for (const document of documents) {
    assert.ok(document.getText().includes(to), `${path.basename(document.uri.fsPath)} is edited`);
    assert.ok(await document.save(), `${path.basename(document.uri.fsPath)} is saved`);
  }
  const move = new vscode.WorkspaceEdit();
  move.renameFile(uri, file('library', `${to}.md`));
  assert.ok(await vscode.workspace.applyEdit(move), `the move of ${from}.md`);
  assert.ok(await vscode.workspace.saveAll(false));
}

describe('rename', () => {
  afterEach(revertAll);

  it('renames watering-rota across the library, file included, and back again', async () => {
    await trellis();
    await renameSlug('watering-rota', 'watering-roster');
    const renamed = file('library', 'watering-roster.md');
    assert.ok(existsSync(renamed.fsPath), 'the file follows its slug');
    assert.ok(!existsSync(file('library', 'watering-rota.md').fsPath));
    assert.match(readFileSync(renamed.fsPath, 'utf8'), /^slug: watering-roster$/m);
    for (const name of REFERRERS) {
      const text = readFileSync(file('library', name).fsPath, 'utf8');
      assert.match(text, /: watering-roster$/m, `${name}: ${text.split('\n').filter((l) => /watering-ro/.test(l)).join(' | ')}`);
      assert.doesNotMatch(text, /watering-rota\b/, `${name} has no reference left to the old slug, nor one edited twice`);
    }
    // Nothing dangles: harvest-sharing keeps only its typo.
    const harvest = file('library', 'harvest-sharing.md');
    await waitForDiagnostics(harvest, () => diagnosticsOf(harvest, 'dangling-reference').length === 1, 'harvest-sharing to keep one dangling reference');

    await renameSlug('watering-roster', 'watering-rota');
    for (const name of ['watering-rota.md', ...REFERRERS]) {
      assert.equal(readFileSync(file('library', name).fsPath, 'utf8'), readFileSync(path.join(REPO, 'examples', 'library', name), 'utf8'), name);
    }
  });
});
