/**
 * Restricted Mode: in an untrusted folder Trellis runs, but loads no schema
 * and no regular expression the workspace names, and says so.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, diagnosticsOf, file, open, readyLibraries, trellis, waitForDiagnostics } from '../helpers';

describe('Restricted Mode (an untrusted workspace)', () => {
  it('activates with limited support and says so in the status bar', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace is not trusted');
    const api = await trellis();
    await readyLibraries(api, 1);
    assert.match(api.statusBar.text, /^\$\(shield\) /);
    assert.match(api.statusBar.tooltip, /Restricted Mode/);
  });

  it('ignores the schemas the config names, with a notice on the config', async () => {
    const config = file('recipes', 'trellis.config.json');
    const [notice] = await waitForDiagnostics(config, () => {
      const found = diagnosticsOf(config, 'config');
      return found.length > 0 && found;
    }, 'the Restricted Mode notice on trellis.config.json');
    assert.equal(notice!.severity, vscode.DiagnosticSeverity.Information);
    assert.match(notice!.message, /^Restricted Mode: .*`schemas`/);
    const editor = await open(config);
    assert.equal(editor.document.getText(notice!.range), 'schemas');

    // Without the recipe schema, the built-in Commons schema checks soup.md: it misses Commons' required
    // keys, and its `uses` list is no relation (so compost-commons does not dangle).
    const soup = file('recipes', 'soup.md');
    const diagnostics = await waitForDiagnostics(soup, (all) => all.length > 0 && all, 'soup.md diagnostics');
    assert.ok(diagnostics.some((d) => codeOf(d) === 'schema' && /required property `id`/.test(d.message)), diagnostics.map((d) => d.message).join('\n'));
    assert.ok(!diagnostics.some((d) => codeOf(d) === 'dangling-reference'), 'uses is no reference without the recipe schema');
  });
});
