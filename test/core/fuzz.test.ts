/**
 * Mutations of real pattern files: every feature must answer without throwing
 * or hanging, the fast reader must agree with the full parser, and the index
 * after all the edits must equal a fresh build.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TrellisLibrary } from '../../server/src/core/library';
import { codeActions } from '../../server/src/core/languageFeatures/codeActions';
import { complete } from '../../server/src/core/languageFeatures/completion';
import { hover } from '../../server/src/core/languageFeatures/hover';
import { definition, documentLinks, references } from '../../server/src/core/languageFeatures/navigation';
import { documentSymbols } from '../../server/src/core/languageFeatures/symbols';
import { analyzePattern } from '../../server/src/core/pattern';
import { LineMap } from '../../server/src/core/text';
import { MemoryHost, ROOT, rng } from '../helpers';

const REPO = path.resolve(__dirname, '..', '..');
const CORPUS = ['/work/shared/corpus/commons-os-patterns', path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns')].find((d) => existsSync(d));
const ITERATIONS = Number(process.env['TRELLIS_FUZZ_ITERATIONS'] ?? 2000);

const FRAGMENTS = [':', ': ', '-', '- ', '"', "'", '[', ']', '{', '}', '\n', '\r\n', '  ', '\t', '&a ', '*a', '!!str ', '\u0000', '---\n', '...', '#', '|', '>-', '? ', '%YAML 1.2\n', '\uFEFF', '😀', '\uD800', 'pat_', 'slug: ', 'relationships:\n', '  enables:\n    - ', '    - slug: x\n', '<img src=x onerror=alert(1)>'];

function mutate(text: string, pick: () => number): string {
  const at = Math.floor(pick() * (text.length + 1));
  switch (Math.floor(pick() * 7)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(pick() * 40));
    case 1:
      return text.slice(0, at) + FRAGMENTS[Math.floor(pick() * FRAGMENTS.length)] + text.slice(at);
    case 2: {
      const lines = text.split('\n');
      const i = Math.floor(pick() * lines.length);
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    }
    case 3: {
      const lines = text.split('\n');
      const i = Math.floor(pick() * lines.length);
      const j = Math.floor(pick() * lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }
    case 4:
      return text.slice(0, at);
    case 5:
      return text.slice(0, at) + ' '.repeat(1 + Math.floor(pick() * 6)) + text.slice(at);
    default:
      return text.replace(/\n/g, pick() < 0.5 ? '\r\n' : '\n');
  }
}

describe('fuzzing real files', function () {
  it(`${ITERATIONS} mutations: no crash, no hang, well-formed answers, and the index equals a fresh build`, async () => {
    const files: Record<string, string> = {};
    for (const name of readdirSync(path.join(REPO, 'examples', 'library'))) if (name.endsWith('.md')) files[name] = readFileSync(path.join(REPO, 'examples', 'library', name), 'utf8');
    if (CORPUS) for (const name of ['therapeutic-relationship-building.md', '360-degree-feedback.md', 'animal-communication-practice.md', 'adaptive-learning.md']) files[name] = readFileSync(path.join(CORPUS, name), 'utf8');
    const names = Object.keys(files);
    const host = new MemoryHost(files);
    const library = new TrellisLibrary(ROOT, host);
    await library.load();
    const pick = rng(20261123);
    const current = new Map(Object.entries(files));
    let slowest = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const name = names[Math.floor(pick() * names.length)]!;
      const uri = `${ROOT}/${name}`;
      let text = current.get(name)!;
      for (let m = 1 + Math.floor(pick() * 3); m > 0; m--) text = mutate(text, pick);
      // Now and then a file goes back to its original, so mutations do not pile up into noise.
      if (pick() < 0.1) text = files[name]!;
      current.set(name, text);
      const started = performance.now();
      try {
        await library.setDocumentText(uri, text, i + 2);
        const offset = Math.floor(pick() * (text.length + 1));
        const position = new LineMap(text).positionAt(offset);
        const document = { uri, text, version: i + 2 };
        const list = complete(library, document, offset);
        assert.ok(Array.isArray(list.items));
        for (const item of list.items) assert.equal(typeof item.label, 'string');
        const h = hover(library, document, position);
        if (h) assert.equal(typeof (h.contents as { value: string }).value, 'string');
        definition(library, uri, position);
        references(library, uri, position, true);
        documentLinks(library, uri);
        documentSymbols(text);
        const actions = await codeActions(library, document, library.diagnostics(uri), { readText: async (u) => current.get(u.slice(ROOT.length + 1)) });
        for (const action of actions) assert.ok(action.edit?.documentChanges, action.title);
        JSON.stringify(library.diagnostics(uri));
        // The fast reader and the full parser must agree on every mutation.
        assert.deepStrictEqual(analyzePattern(uri, text, name, library.librarySchemas), analyzePattern(uri, text, name, library.librarySchemas, { fastScan: false }), 'fast and full analysis differ');
      } catch (error) {
        throw new Error(`iteration ${i} on ${name} failed: ${(error as Error).stack}\n--- text ---\n${text.slice(0, 4000)}`);
      }
      slowest = Math.max(slowest, performance.now() - started);
    }
    assert.ok(slowest < 2000, `the slowest iteration took ${slowest.toFixed(0)} ms`);
    const fresh = new TrellisLibrary(ROOT, new MemoryHost(Object.fromEntries(current)));
    await fresh.load();
    assert.equal(library.index.snapshot(), fresh.index.snapshot());
  });
});
