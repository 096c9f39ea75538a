/** The status bar: the libraries' patterns, errors and warnings, and a tooltip per folder. */
import * as assert from 'node:assert/strict';
import { libraryOf, readyLibraries, trellis, waitFor } from '../helpers';

describe('status bar', () => {
  it('shows every library’s patterns, errors and warnings once indexed', async () => {
    const api = await trellis();
    await readyLibraries(api);
    // The sample library's six defects are warnings; the recipes folder makes its one dangling reference an error.
    await waitFor(
      api.onDidChangeLibraries,
      () => {
        const [library, recipes] = [libraryOf(api, 'library'), libraryOf(api, 'recipes')];
        return library.warnings === 6 && library.errors === 0 && recipes.errors === 1 && recipes.warnings === 0;
      },
      'the counts of both libraries',
    );
    assert.equal(api.statusBar.text, '$(type-hierarchy) 19 patterns $(error) 1 $(warning) 6');
    assert.ok(api.statusBar.visible);
    assert.match(api.statusBar.tooltip, /\*\*library\*\*: 16 patterns, 0 errors, 6 warnings/);
    assert.match(api.statusBar.tooltip, /\*\*recipes\*\*: 3 patterns, 1 error, 0 warnings/);
    assert.match(api.statusBar.tooltip, /Click to open Problems/);
  });
});
