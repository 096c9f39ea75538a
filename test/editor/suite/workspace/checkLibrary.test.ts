/** "Trellis: Check the Library" reads every library again and answers with the counts by code. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LibraryStatus } from '../../../../server/src/protocol';
import { folder, readyLibraries, trellis } from '../helpers';

describe('Trellis: Check the Library', () => {
  it('checks every folder and returns each library’s counts by code', async () => {
    const api = await trellis();
    await readyLibraries(api);
    const libraries = await vscode.commands.executeCommand<LibraryStatus[]>('trellis.checkLibrary');
    assert.equal(libraries.length, 2);
    const library = libraries.find((l) => vscode.Uri.parse(l.rootUri).toString() === folder('library').uri.toString());
    assert.ok(library, libraries.map((l) => l.rootUri).join(', '));
    assert.deepEqual(library.byCode, { 'confidence-mismatch': 1, 'dangling-reference': 3, 'missing-section': 1, 'overall-score': 1 });
    assert.deepEqual([library.patterns, library.errors, library.warnings], [16, 0, 6]);
  });
});
