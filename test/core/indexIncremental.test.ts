import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TrellisLibrary } from '../../server/src/core/library';
import { MemoryHost, ROOT, rng, typeId, v1Pattern, v7Pattern } from '../helpers';

const NAMES = ['a.md', 'b.md', 'c.md', 'sub/d.md', 'sub/e.md', 'old.md', 'notes.md'];
const SLUGS = ['a', 'b', 'c', 'd', 'e', 'old', 'ghost'];

/** File contents that exercise every kind of identity change and reference. */
function variant(name: string, pick: () => number): string {
  const choose = <T>(items: readonly T[]): T => items[Math.floor(pick() * items.length)]!;
  const fileSlug = name.replace(/^sub\//, '').replace(/\.md$/, '');
  const slug = pick() < 0.8 ? fileSlug : choose(SLUGS);
  const id = pick() < 0.85 ? typeId(slug) : typeId('shared');
  const kind = pick();
  if (kind < 0.08) return '# Not a pattern\n';
  if (kind < 0.14) return `---\nslug: ${slug}\nontology: {domain: x, cross_domains: []\n  broken: [\n---\nBody\n`;
  if (kind < 0.3) {
    const ids = [typeId(choose(SLUGS)), typeId(choose(SLUGS)), 'pat_d508c16cc7364a36a0fe4316'];
    return v1Pattern(slug, pick() < 0.5 ? 'pat_d508c16cc7364a36a0fe4316' : id, { enables: [choose(ids)], related: [choose(ids), choose(ids)] });
  }
  const entries: string[] = [];
  for (let i = Math.floor(pick() * 4); i > 0; i--) {
    const target = choose(SLUGS);
    entries.push(pick() < 0.7 ? `    - slug: ${target}\n      weight: 0.5` : pick() < 0.5 ? `    - ${target}` : `    - id: ${pick() < 0.5 ? target : typeId(target)}\n      weight: 0.5`);
  }
  const relationships = `  ${choose(['enables', 'requires', 'complementary'])}:${entries.length ? '\n' + entries.join('\n') : ' []'}`;
  return v7Pattern(slug, { id, relationships }).replace('slug: ' + slug + '\n', `slug: ${slug}\n`);
}

interface World {
  disk: Map<string, string>;
  open: Map<string, string>;
}

async function play(seed: number, awaitEach: boolean): Promise<void> {
  const pick = rng(seed);
  const host = new MemoryHost();
  const world: World = { disk: host.files, open: new Map() };
  for (const name of NAMES) if (pick() < 0.7) world.disk.set(`${ROOT}/${name}`, variant(name, pick));
  const library = new TrellisLibrary(ROOT, host);
  const published = new Map<string, Diagnostic[]>();
  const apply = (affected: Set<string>): void => {
    for (const uri of affected) published.set(uri, library.diagnostics(uri));
  };
  const pending: Array<Promise<void>> = [];
  const run = async (work: Promise<Set<string>>): Promise<void> => {
    const done = work.then(apply);
    if (awaitEach) await done;
    else pending.push(done);
  };
  await run(library.load());
  let version = 1;
  const log: string[] = [];
  for (let step = 0; step < 40; step++) {
    const name = NAMES[Math.floor(pick() * NAMES.length)]!;
    const uri = `${ROOT}/${name}`;
    const action = pick();
    if (action < 0.2) {
      const text = variant(name, pick);
      world.open.set(uri, text);
      log.push(`open/change ${name}`);
      await run(library.setDocumentText(uri, text, ++version));
    } else if (action < 0.3 && world.open.has(uri)) {
      world.open.delete(uri);
      log.push(`close ${name}`);
      await run(library.closeDocument(uri));
    } else if (action < 0.6) {
      world.disk.set(uri, variant(name, pick));
      log.push(`write ${name}`);
      await run(library.fileChanged(uri));
    } else if (action < 0.75) {
      world.disk.delete(uri);
      log.push(`delete ${name}`);
      await run(library.fileDeleted(uri));
    } else if (action < 0.9) {
      const to = NAMES[Math.floor(pick() * NAMES.length)]!;
      const text = world.disk.get(uri);
      if (text === undefined || to === name) continue;
      world.disk.delete(uri);
      world.disk.set(`${ROOT}/${to}`, text);
      log.push(`rename ${name} -> ${to}`);
      await run(library.fileDeleted(uri));
      await run(library.fileChanged(`${ROOT}/${to}`));
    } else {
      for (const key of [...world.disk.keys()]) if (key.startsWith(`${ROOT}/sub/`)) world.disk.delete(key);
      log.push('delete folder sub');
      await run(library.fileDeleted(`${ROOT}/sub`));
    }
  }
  await Promise.all(pending);

  // A fresh library on the final files, with the same documents open.
  const freshHost = new MemoryHost();
  for (const [uri, text] of world.disk) freshHost.files.set(uri, text);
  const fresh = new TrellisLibrary(ROOT, freshHost);
  for (const [uri, text] of world.open) void fresh.setDocumentText(uri, text, 1);
  await fresh.load();
  const context = `seed ${seed}, ${awaitEach ? 'sequential' : 'concurrent'}:\n  ${log.join('\n  ')}`;
  assert.equal(library.index.snapshot(), fresh.index.snapshot(), `index differs from a fresh build after ${context}`);
  // What was published is what a fresh build reports: no stale diagnostics anywhere.
  for (const [uri, diagnostics] of published) assert.deepEqual(diagnostics, fresh.diagnostics(uri), `stale diagnostics for ${uri} after ${context}`);
  for (const uri of fresh.index.uris()) assert.deepEqual(published.get(uri) ?? [], fresh.diagnostics(uri), `unpublished diagnostics for ${uri} after ${context}`);
}

describe('the incremental index', () => {
  it('equals a fresh build after random sequences of edits and file events (sequential)', async () => {
    for (let seed = 1; seed <= 150; seed++) await play(seed, true);
  });

  it('equals a fresh build when events arrive faster than they are processed', async () => {
    for (let seed = 1001; seed <= 1100; seed++) await play(seed, false);
  });

  it('updates only the files that reference a pattern whose slug changes', async () => {
    const host = new MemoryHost({
      'a.md': v7Pattern('a', { relationships: '  enables:\n    - slug: b\n      weight: 0.5' }),
      'b.md': v7Pattern('b'),
      'c.md': v7Pattern('c'),
    });
    const library = new TrellisLibrary(ROOT, host);
    await library.load();
    const affected = await library.setDocumentText(`${ROOT}/b.md`, v7Pattern('b').replace('slug: b', 'slug: b2'), 2);
    assert.deepEqual([...affected].sort(), [`${ROOT}/a.md`, `${ROOT}/b.md`]);
    assert.equal(library.diagnostics(`${ROOT}/a.md`).filter((d) => d.code === 'dangling-reference').length, 1);
    const unchanged = await library.setDocumentText(`${ROOT}/b.md`, v7Pattern('b').replace('slug: b', 'slug: b2').replace('Text.', 'More text.'), 3);
    assert.deepEqual([...unchanged], [`${ROOT}/b.md`], 'an edit that keeps the identity revalidates only the file itself');
  });
});
