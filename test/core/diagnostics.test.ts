import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TrellisLibrary } from '../../server/src/core/library';
import { assertRange, marked, MemoryHost, ROOT, typeId, v1Pattern, v7Pattern } from '../helpers';

/**
 * Loads a library of `files` where `subject` holds `[[…]]` marks, and checks
 * that the subject's diagnostics of `code` are exactly at the marks, with
 * messages matching `messages` in order.
 */
async function check(subject: { name: string; source: string }, code: string, messages: RegExp[], others: Record<string, string> = {}): Promise<Diagnostic[]> {
  const { text, ranges } = marked(subject.source);
  const host = new MemoryHost({ ...others, [subject.name]: text });
  const library = new TrellisLibrary(ROOT, host);
  await library.load();
  const found = library.diagnostics(`${ROOT}/${subject.name}`).filter((d) => d.code === code);
  assert.equal(found.length, ranges.length, `expected ${ranges.length} ${code}, got ${JSON.stringify(found.map((d) => d.message))}`);
  found.forEach((d, i) => {
    assertRange(d.range, ranges[i]!, `${code} #${i}`);
    if (messages[i]) assert.match(d.message, messages[i]!);
  });
  return found;
}

const rel = (lines: string) => lines;

describe('diagnostics', () => {
  it('dangling-reference covers the target text of relationship entries, bare strings and inferred links', async () => {
    const source = v7Pattern('a', {
      relationships: rel('  requires:\n    - slug: [[emotional-safety]]\n      weight: 0.9\n  enables:\n    - b\n    - "[[nowhere]]"\n  complementary:\n    - id: [[also-nowhere]]\n      weight: 0.5'),
    }).replace('  inferred_links: []', '  inferred_links:\n    - target: [[ghost]]\n      type: enables\n      confidence: 0.5\n      reason: "r"\n    - target: b\n      type: enables\n      confidence: 0.5\n      reason: "r"');
    const found = await check({ name: 'a.md', source }, 'dangling-reference', [/`relationships.requires` points to `emotional-safety`, but no pattern has that slug/, /nowhere/, /slug or id/, /inferred enables link/], { 'b.md': v7Pattern('b') });
    assert.equal(found[0]!.severity, 2);
  });

  it('resolves legacy id lists by id, across generations', async () => {
    const b = v7Pattern('b');
    const bId = typeId('b');
    const source = v1Pattern('old', 'pat_d508c16cc7364a36a0fe4316', { enables: [bId, '[[pat_d508c16cc7364a36a0fe9999]]'] });
    await check({ name: 'old.md', source }, 'dangling-reference', [/`enables` points to `pat_d508c16cc7364a36a0fe9999`, but no pattern has that id/], { 'b.md': b });
  });

  it('duplicate-id and duplicate-slug mark every file involved and name the others', async () => {
    const shared = typeId('shared');
    const source = v7Pattern('a', { id: `[[${shared}]]` });
    const found = await check({ name: 'a.md', source }, 'duplicate-id', [/also used by b\.md, c\.md/], {
      'b.md': v7Pattern('b', { id: shared }),
      'c.md': v7Pattern('c', { id: shared }),
    });
    assert.equal(found[0]!.relatedInformation?.length, 2);
    await check({ name: 'x.md', source: v7Pattern('x').replace('slug: x', 'slug: [[y]]') }, 'duplicate-slug', [/The slug `y` is also used by y\.md/], { 'y.md': v7Pattern('y') });
  });

  it('slug-filename-mismatch is on the slug value', async () => {
    await check({ name: 'right-name.md', source: v7Pattern('x').replace('slug: x', 'slug: [[wrong-name]]') }, 'slug-filename-mismatch', [/`wrong-name` does not match the file name `right-name.md`/]);
  });

  it('self-reference and duplicate-reference', async () => {
    const duplicate = v7Pattern('a', { relationships: '  enables:\n    - slug: b\n      weight: 0.5\n    - slug: [[b]]\n      weight: 0.6\n  requires:\n    - slug: b\n      weight: 0.5' });
    const found = await check({ name: 'a.md', source: duplicate }, 'duplicate-reference', [/`b` is already listed under `enables`/], { 'b.md': v7Pattern('b') });
    const firstListing = duplicate.split('\n').findIndex((line) => line === '    - slug: b');
    assert.equal(found[0]!.relatedInformation?.[0]?.location.range.start.line, firstListing, 'points at the first listing');
    const self = v7Pattern('a', { relationships: '  enables:\n    - slug: b\n      weight: 0.5\n  complementary:\n    - [[a]]' });
    await check({ name: 'a.md', source: self }, 'self-reference', [/lists itself under `complementary`/], { 'b.md': v7Pattern('b') });
  });

  it('schema errors are worded for a person and placed on the node at fault', async () => {
    const fixture = v7Pattern('a', { confidence: 4 })
      .replace('confidence: 4', 'confidence: [[4]]')
      .replace('  status: draft\n', '  [[stauts]]: draft\n')
      .replace('lifecycle:\n', '[[lifecycle]]:\n');
    await check({ name: 'a.md', source: fixture }, 'schema', [
      /^`lifecycle` is missing the required property `status`\.$/,
      /^`stauts` is not a known property of `lifecycle`\. Did you mean `status`\?$/,
      /^`lifecycle\.confidence` must be 1, 2 or 3, not 4\.$/,
    ]);
    const types = v7Pattern('a').replace('aliases: []', 'aliases: [[{ a: 1 }]]').replace('  version: 0.1', '  version: "[[zero]]"');
    await check({ name: 'a.md', source: types }, 'schema', [/^`aliases` must be a list, not a mapping\.$/, /^`lifecycle\.version` must be a number, not the text `zero`\.$/]);
  });

  it('section template: missing, out of order, duplicated, lead lines', async () => {
    const base = v7Pattern('a');
    await check({ name: 'a.md', source: base.replace('### Section 6: Known Uses\nText.\n\n', '').replace('### Section 7: Cognitive Era', '[[### Section 7: Cognitive Era]]') }, 'missing-section', [/"Known Uses" is missing \(it belongs before "Cognitive Era"\)/]);
    const swapped = base.replace('### Section 1: Context\nText.\n', '').replace('### Section 5: Consequences', '[[### Section 1: Context]]\nText.\n\n### Section 5: Consequences');
    await check({ name: 'a.md', source: swapped }, 'section-order', [/"Context" should come before "Implementation"/]);
    await check({ name: 'a.md', source: base + '\n[[### Section 2: Problem]]\nAgain.\n' }, 'duplicate-section', [/"Problem" appears twice/]);
    await check({ name: 'a.md', source: base.replace('### Section 2: Problem\n\n> **The core conflict is Speed vs. Care.**', '[[### Section 2: Problem]]\n\nNo lead.') }, 'missing-core-conflict', [/core conflict/]);
    await check({ name: 'a.md', source: base.replace('### Section 3: Solution\n\n> **Therefore, test it.**', '[[### Section 3: Solution]]\n\nNo lead.') }, 'missing-therefore', [/Therefore/]);
  });

  it('accepts numbered headings and word-count suffixes as the same sections', async () => {
    const numbered = v7Pattern('a').replace(/### Section (\d): ([A-Za-z ]+)/g, (_, n: string, name: string) => `### ${n}. ${name} (100-200 words)`);
    await check({ name: 'a.md', source: numbered }, 'missing-section', []);
  });

  it('overall-score: not the mean to one decimal; both rounding conventions accepted', async () => {
    await check({ name: 'a.md', source: v7Pattern('a', { overall: '[[4.4]]' }) }, 'overall-score', [/is 4.4, but the mean of the 8 scores is 3.3 \(3.3125\)/]);
    // Mean 3.25: 3.2 (half to even) and 3.3 (half up) are both right.
    const tie = (o: string) => v7Pattern('a', { overall: o }).replace('value_creation: 4.0', 'value_creation: 3.5');
    await check({ name: 'a.md', source: tie('3.2') }, 'overall-score', []);
    await check({ name: 'a.md', source: tie('3.3') }, 'overall-score', []);
  });

  it('confidence-mismatch compares the stars of the note with lifecycle.confidence', async () => {
    const found = await check({ name: 'a.md', source: v7Pattern('a', { confidence: 1, stars: '[[★★★]]' }) }, 'confidence-mismatch', [/shows 3 stars, but `lifecycle.confidence` is 1/]);
    const fieldLine = v7Pattern('a').split('\n').findIndex((line) => line.startsWith('  confidence:'));
    assert.equal(found[0]!.relatedInformation?.[0]?.location.range.start.line, fieldLine);
    await check({ name: 'a.md', source: v7Pattern('a', { confidence: 2, stars: '★★☆' }) }, 'confidence-mismatch', []);
  });

  it('the config sets severities and turns codes off', async () => {
    const host = new MemoryHost({
      'trellis.config.json': JSON.stringify({ severity: { 'confidence-mismatch': 'off', 'dangling-reference': 'error' } }),
      'a.md': v7Pattern('a', { confidence: 1, stars: '★★★', relationships: '  enables:\n    - nowhere' }),
    });
    const library = new TrellisLibrary(ROOT, host);
    await library.load();
    const diagnostics = library.diagnostics(`${ROOT}/a.md`);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [['dangling-reference', 1]]);
  });

  it('a bad config gets located diagnostics and the defaults stand in', async () => {
    const host = new MemoryHost({ 'trellis.config.json': '{\n  "severity": { "dangling-reference": "loud" }\n}\n', 'a.md': v7Pattern('a', { relationships: '  enables:\n    - nowhere' }) });
    const library = new TrellisLibrary(ROOT, host);
    await library.load();
    const problems = library.diagnostics(`${ROOT}/trellis.config.json`);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /`severity.dangling-reference` must be `error`, `warning`, `information`, `hint` or `off`, not `loud`/);
    assert.equal(problems[0]!.range.start.line, 1);
    assert.equal(library.diagnostics(`${ROOT}/a.md`).filter((d) => d.code === 'dangling-reference').length, 1);
  });
});
