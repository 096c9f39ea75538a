/** Opening a pattern: the dangling-slug diagnostics, and the whole library's defects without opening anything else. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, diagnosticsOf, file, lineOf, open, revertAll, trellis, waitForDiagnostics } from '../helpers';

describe('diagnostics', () => {
  afterEach(revertAll);

  it('shows the dangling slug of compost-commons.md on the slug itself', async () => {
    await trellis();
    const uri = file('library', 'compost-commons.md');
    const editor = await open(uri);
    const [dangling] = await waitForDiagnostics(uri, () => {
      const found = diagnosticsOf(uri, 'dangling-reference');
      return found.length > 0 && found;
    }, 'the dangling-reference diagnostic on compost-commons.md');
    assert.equal(editor.document.getText(dangling!.range), 'soil-testing-protocol');
    assert.equal(dangling!.range.start.line + 1, lineOf(editor.document, 'slug: soil-testing-protocol'));
    assert.equal(dangling!.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(dangling!.message, /soil-testing-protocol/);
  });

  it('shows the typo compost-comons in harvest-sharing.md, and drops it as the text is fixed', async () => {
    const uri = file('library', 'harvest-sharing.md');
    const editor = await open(uri);
    const [typo] = await waitForDiagnostics(uri, () => {
      const found = diagnosticsOf(uri, 'dangling-reference');
      return found.length > 0 && found;
    }, 'the dangling-reference diagnostic on harvest-sharing.md');
    assert.equal(editor.document.getText(typo!.range), 'compost-comons');

    // Typing the missing letter (unsaved) resolves the reference.
    const fixed = await editor.edit((edit) => edit.insert(typo!.range.end.translate(0, -4), 'm'));
    assert.ok(fixed);
    assert.equal(editor.document.getText(typo!.range.with({ end: typo!.range.end.translate(0, 1) })), 'compost-commons');
    await waitForDiagnostics(uri, () => diagnosticsOf(uri, 'dangling-reference').length === 0, 'the diagnostic to go once the slug is right');
  });

  it('reports exactly the sample library’s six defects (DEFECTS.md), in files that were never opened', async () => {
    const expected = [
      'compost-commons.md:73 dangling-reference',
      'harvest-sharing.md:75 dangling-reference',
      'plot-allocation-lottery.md:127 confidence-mismatch',
      'shared-tool-library.md:48 overall-score',
      'skill-share-evening.md:30 dangling-reference',
      'work-party.md:164 missing-section',
    ];
    const library = file('library', '').toString();
    const actual = (): string[] =>
      vscode.languages
        .getDiagnostics()
        .filter(([uri]) => uri.toString().startsWith(library))
        // Defects are errors and warnings; hints (such as a missing mirror link) are suggestions.
        .flatMap(([uri, diagnostics]) => diagnostics.filter((d) => d.source === 'trellis' && d.severity <= vscode.DiagnosticSeverity.Warning).map((d) => `${uri.path.split('/').pop()}:${d.range.start.line + 1} ${codeOf(d)}`))
        .sort();
    await waitForDiagnostics(file('library', 'work-party.md'), () => actual().length === expected.length, 'the six defects');
    assert.deepEqual(actual(), expected);
  });
});
