/** A multi-root workspace: one library per folder, each with its own config and folder settings. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsOf, file, libraryOf, open, readyLibraries, revertAll, trellis, waitForDiagnostics } from '../helpers';

describe('multi-root workspace', () => {
  afterEach(revertAll);

  it('keeps one library per folder', async () => {
    const api = await trellis();
    await readyLibraries(api, 2);
    assert.equal(libraryOf(api, 'library').patterns, 16);
    assert.equal(libraryOf(api, 'recipes').patterns, 3, 'the recipes config excludes its README');
  });

  it('resolves references within a folder only, and applies that folder’s schema and settings', async () => {
    const soup = file('recipes', 'soup.md');
    const editor = await open(soup);
    // compost-commons is a pattern of the other folder: it dangles here, as an error by the folder's settings.
    const [dangling] = await waitForDiagnostics(soup, () => {
      const found = diagnosticsOf(soup, 'dangling-reference');
      return found.length > 0 && found;
    }, 'the dangling reference in recipes/soup.md');
    assert.equal(editor.document.getText(dangling!.range), 'compost-commons');
    assert.equal(dangling!.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnosticsOf(soup).length, 1, 'stock resolves within the folder');

    // The folder's own schema: servings must be at least 1.
    await editor.edit((edit) => edit.replace(new vscode.Range(3, 10, 3, 11), '0'));
    const [schema] = await waitForDiagnostics(soup, () => {
      const found = diagnosticsOf(soup, 'schema');
      return found.length > 0 && found;
    }, 'the recipe schema error');
    assert.match(schema!.message, /servings.*at least 1/);
  });
});
