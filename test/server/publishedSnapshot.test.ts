/**
 * The store of published diagnostics, and the counts a restored set feeds:
 * what comes back is exactly what was saved, under exactly the key it was
 * saved with, and anything damaged is no snapshot at all.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { PublishedCounts, tally } from '../../server/src/libraryStatus';
import { PublishedSnapshots } from '../../server/src/publishedSnapshot';

const ROOT = 'file:///library';
const range = (line: number) => ({ start: { line, character: 2 }, end: { line, character: 9 } });
const files: Array<{ uri: string; diagnostics: Diagnostic[] }> = [
  {
    uri: `${ROOT}/a.md`,
    diagnostics: [
      { range: range(3), severity: 2, code: 'dangling-reference', source: 'trellis', message: '`related` points to `x`, "quoted"\tand tabbed', data: { target: 'x', path: ['related', 0] } },
      { range: range(8), severity: 1, code: 'schema', source: 'trellis', message: 'Ünïcode — and a line\nbreak' },
    ],
  },
  { uri: `${ROOT}/b with space.md`, diagnostics: [] },
  { uri: `${ROOT}/c.md`, diagnostics: [{ range: range(1), severity: 3, code: 'missing-section', source: 'trellis', message: 'info' }, { range: range(2), severity: 4, code: 'missing-mirror', source: 'trellis', message: 'hint' }] },
];

describe('published diagnostics snapshots', () => {
  let dir: string;
  beforeEach(async () => (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-published-store-'))));
  afterEach(async () => fs.rm(dir, { recursive: true, force: true }));

  it('gives back each file with diagnostics as saved: the parameters, their diagnostics\' JSON and sums', async () => {
    const store = new PublishedSnapshots(dir);
    await store.save(ROOT, 'state', { enable: true, severity: {} }, files);
    const loaded = await store.load(ROOT, 'state', { enable: true, severity: {} });
    assert.ok(loaded);
    assert.deepEqual(loaded.map((e) => e.uri), [`${ROOT}/a.md`, `${ROOT}/c.md`], 'a file without diagnostics needs no line');
    for (const entry of loaded) {
      const { diagnostics } = files.find((f) => f.uri === entry.uri)!;
      assert.deepEqual(JSON.parse(entry.params), { uri: entry.uri, diagnostics });
      assert.equal(entry.json, JSON.stringify(diagnostics));
      assert.equal(entry.length, diagnostics.length);
      assert.deepEqual(entry.tally, tally(diagnostics));
    }
  });

  it('answers only for the same state and the same settings', async () => {
    const store = new PublishedSnapshots(dir);
    await store.save(ROOT, 'state', { enable: true, severity: {} }, files);
    assert.equal(await store.load(ROOT, 'state 2', { enable: true, severity: {} }), undefined);
    assert.equal(await store.load(ROOT, 'state', { enable: true, severity: { schema: 'off' } }), undefined);
    assert.equal(await store.load(`${ROOT}2`, 'state', { enable: true, severity: {} }), undefined);
    assert.ok(await store.load(ROOT, 'state', { enable: true, severity: {} }));
  });

  it('a damaged file is no snapshot', async () => {
    const store = new PublishedSnapshots(dir);
    await store.save(ROOT, 'state', {}, files);
    const [name] = await fs.readdir(dir);
    const full = await fs.readFile(path.join(dir, name!), 'utf8');
    const lines = full.split('\n');
    const damages = [
      full.slice(0, Math.floor(full.length * 0.7)),
      lines[0]!.slice(0, 20),
      // Whole lines, without the last: cut between two writes.
      lines.slice(0, -2).join('\n') + '\n',
      lines.map((l, i) => (i === 1 ? l.replace('\t', ' ') : l)).join('\n'),
      full.replace('"diagnostics":', '"diagnostic":'),
      // Text that would go out as it is, no longer JSON, every line's frame intact.
      full.replace('"message":', '"message"'),
      full.replace('"severity":2', '"severity":3'),
      full + full.split('\n').at(-2) + '\n',
      '\u0000garbage',
      '',
    ];
    for (const damaged of damages) {
      await fs.writeFile(path.join(dir, name!), damaged);
      assert.equal(await store.load(ROOT, 'state', {}), undefined, JSON.stringify(damaged.slice(0, 60)));
    }
  });

  it('a set recorded from its saved text counts and compares as the same set recorded as objects', async () => {
    const store = new PublishedSnapshots(dir);
    await store.save(ROOT, 'state', {}, files);
    const fromText = new PublishedCounts(() => ROOT);
    const fromObjects = new PublishedCounts(() => ROOT);
    for (const entry of (await store.load(ROOT, 'state', {}))!) fromText.recordSerialized(entry.uri, entry.json, entry.length, entry.tally);
    for (const { uri, diagnostics } of files) fromObjects.record(uri, diagnostics);
    const library = { rootUri: ROOT, index: { size: 3 } } as unknown as Parameters<PublishedCounts['status']>[0];
    assert.deepEqual(fromText.status(library, 'ready', true), fromObjects.status(library, 'ready', true));
    for (const { uri, diagnostics } of files) {
      assert.equal(fromText.signatureOf(uri), fromObjects.signatureOf(uri));
      assert.equal(fromText.isLastPublished(uri, structuredClone(diagnostics), undefined), true);
      assert.equal(fromText.isLastPublished(uri, structuredClone(diagnostics), 3), false, 'another version is another set');
    }
    const changed = structuredClone(files[0]!.diagnostics);
    changed[0]!.message = 'another message';
    assert.equal(fromText.isLastPublished(files[0]!.uri, changed, undefined), false);
  });
});
