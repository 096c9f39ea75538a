import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { matchSection } from '../../server/src/core/bodyTemplate';
import { withDefaults } from '../../server/src/core/config';
import { resolveLibrarySchemas } from '../../server/src/core/librarySchemas';
import { readHeadings } from '../../server/src/core/markdownBody';
import { analyzePattern } from '../../server/src/core/pattern';

const REPO = path.resolve(__dirname, '..', '..');
const snippets = JSON.parse(readFileSync(path.join(REPO, 'snippets', 'pattern.code-snippets'), 'utf8')) as Record<string, { prefix: string[]; body: string[] }>;

/** Expands a snippet as an editor would with every default accepted. */
function expand(body: string[], variables: Record<string, string>): string {
  let text = body.join('\n');
  for (let i = 0; i < 5; i++) {
    text = text
      .replace(/\$\{([A-Z_]+)\/\(\^\|-\)\(\[a-z\]\)\/\$\{1:\+ \}\$\{2:\/upcase\}\/g\}/g, (_, name: string) => variables[name]!.replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => (sep ? ' ' : '') + c.toUpperCase()))
      .replace(/\$\{(\d+)\|([^,|]*)[^|]*\|\}/g, '$2')
      .replace(/\$\{(\d+):([^${}]*)\}/g, '$2')
      .replace(/\$\{(\d+)\}/g, '')
      .replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => variables[name] ?? '')
      .replace(/\$\d+/g, '');
  }
  return text;
}

describe('snippets', () => {
  it('are generated from the body template and up to date', () => {
    execFileSync(process.execPath, [path.join(REPO, 'scripts', 'snippets.mjs'), '--check']);
    const config = withDefaults({});
    const sections = config.schemas[0]!.body!.sections.map((s) => s.name);
    assert.deepEqual(Object.keys(snippets).filter((k) => k.startsWith('Trellis: section ')).map((k) => k.slice('Trellis: section '.length)), sections);
  });

  it('a new pattern from the snippet is a valid pattern once its id is filled in', () => {
    const text = expand(snippets['Trellis: new pattern']!.body, { TM_FILENAME_BASE: 'seed-swap', CURRENT_YEAR: '2026', CURRENT_MONTH: '11', CURRENT_DATE: '23' }).replace('id: pat_', 'id: pat_01kmt8y7q2f3xz9v4w6b5c8d0e');
    assert.match(text, /\ntitle: "Seed Swap"\n/);
    const doc = analyzePattern('file:///lib/seed-swap.md', text, 'seed-swap.md', resolveLibrarySchemas(withDefaults({})))!;
    assert.deepEqual(doc.localDiagnostics.map((d) => `${d.code}: ${d.message}`), []);
    const template = withDefaults({}).schemas[0]!.body!;
    const headings = readHeadings(text, text.indexOf('\n---', 4) + 4);
    assert.equal(headings.filter((h) => matchSection(h, template.sections) >= 0).length, 8);
  });

  it('every snippet has tab stops numbered without gaps', () => {
    for (const [name, snippet] of Object.entries(snippets)) {
      const stops = [...new Set([...snippet.body.join('\n').matchAll(/\$\{?(\d+)/g)].map((m) => Number(m[1])).filter((n) => n > 0))].sort((a, b) => a - b);
      assert.deepEqual(stops, stops.map((_, i) => i + 1), `${name}: ${stops.join(',')}`);
    }
  });
});

/**
 * Inserts a snippet at `offset` as VS Code does: the lines after the first
 * take the indentation of the line the cursor is on; tab stops get their
 * defaults, or the text given for them in `typed`.
 */
function insertSnippet(text: string, offset: number, body: string[], typed: Record<number, string> = {}): string {
  const lineIndent = /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset))![0];
  let filled = body.join('\n');
  for (const [stop, value] of Object.entries(typed)) filled = filled.replace(new RegExp(`\\$\\{${stop}(:[^}]*)?\\}`, 'g'), value);
  const expansion = expand(filled.split('\n'), {}).split('\n').join('\n' + lineIndent);
  return text.slice(0, offset) + expansion + text.slice(offset);
}

describe('snippets in a real corpus file, byte for byte', () => {
  const CORPUS = ['/work/shared/corpus/commons-os-patterns', path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns')].find((d) => existsSync(d));
  const NAME = 'therapeutic-relationship-building.md';
  let text: string;
  const schemas = resolveLibrarySchemas(withDefaults({}));
  const codes = (t: string) => analyzePattern(`file:///lib/${NAME}`, t, NAME, schemas)!.localDiagnostics.map((d) => `${d.code}: ${d.message}`).sort();

  before(function () {
    if (!CORPUS) this.skip();
    text = readFileSync(path.join(CORPUS!, NAME), 'utf8');
  });

  it('rel: a new entry at the end of a list, indented like the list', () => {
    const anchor = '    - slug: active-imagination-technique\n      weight: 0.75\n';
    const at = text.indexOf(anchor) + anchor.length;
    // The author opens a line in the list and types the prefix.
    const withLine = text.slice(0, at) + '    \n' + text.slice(at);
    const result = insertSnippet(withLine, at + 4, snippets['Trellis: relationship entry']!.body, { 1: 'adaptive-facilitation' });
    assert.equal(result, text.slice(0, at) + '    - slug: adaptive-facilitation\n      weight: 0.8\n' + text.slice(at));
    assert.deepEqual(codes(result), codes(text), 'no new problem');
    const doc = analyzePattern(`file:///lib/${NAME}`, result, NAME, schemas)!;
    assert.ok(doc.references.some((r) => r.target === 'adaptive-facilitation' && r.relation === 'tools' && r.weight === 0.8));
  });

  it('assessment: replaces a removed commons_assessment block at its indentation', () => {
    const block = /^  commons_assessment:\n(?:    .*\n)+/m.exec(text)!;
    const at = block.index + 2;
    const without = text.slice(0, block.index) + '  \n' + text.slice(block.index + block[0].length);
    const result = insertSnippet(without, at, snippets['Trellis: commons assessment']!.body);
    const expected = `  commons_assessment:
    stakeholder_architecture: 3.0
    value_creation: 3.0
    resilience: 3.0
    ownership: 3.0
    autonomy: 3.0
    composability: 3.0
    fractal_value: 3.0
    vitality: 3.0
    vitality_reasoning: >-
      Why.
    overall_score: 3.0
`;
    assert.equal(result, text.slice(0, block.index) + expected + text.slice(block.index + block[0].length));
    assert.deepEqual(codes(result), codes(text));
  });

  it('confidence-note: a note whose stars agree with the file (confidence 1)', () => {
    const note = /^> \[!NOTE\] Confidence Rating: .*\n/m.exec(text)!;
    assert.ok(codes(text).some((c) => c.startsWith('confidence-mismatch')), 'the corpus file disagrees with itself');
    const without = text.slice(0, note.index) + '\n' + text.slice(note.index + note[0].length);
    const result = insertSnippet(without, note.index, snippets['Trellis: confidence note']!.body);
    assert.equal(result, text.slice(0, note.index) + '> [!NOTE] Confidence Rating: ★☆☆ (Emerging)\n> What this rating rests on.\n' + text.slice(note.index + note[0].length));
    assert.deepEqual(codes(result), codes(text).filter((c) => !c.startsWith('confidence-mismatch')));
  });

  it('section-*: each section, removed from the file and inserted again by its snippet, is back in place', () => {
    const sections = Object.keys(snippets).filter((k) => k.startsWith('Trellis: section '));
    assert.equal(sections.length, 8);
    for (const key of sections) {
      const name = key.slice('Trellis: section '.length);
      const heading = new RegExp(`^### Section \\d: ${name}\\n[\\s\\S]*?(?=^---\\n|(?![\\s\\S]))`, 'm').exec(text);
      assert.ok(heading, `${NAME} has the section ${name}`);
      // The author deletes the section, leaving the cursor at the start of the `---` line that followed it.
      const without = text.slice(0, heading.index) + text.slice(heading.index + heading[0].length);
      assert.ok(codes(without).some((c) => c.startsWith('missing-section') && c.includes(name)), `removing ${name} is noticed`);
      const result = insertSnippet(without, heading.index, snippets[key]!.body);
      const template = new RegExp(`^### Section \\d: ${name}\\n\\n(> \\*\\*.*\\*\\*\\n\\n)?_\\d+–\\d+ words\\._\\n\\n`).exec(result.slice(heading.index));
      assert.ok(template, `${name}: the heading, its lead line if any, and the placeholder, at column 0`);
      assert.equal(result, text.slice(0, heading.index) + template[0] + text.slice(heading.index + heading[0].length), name);
      assert.ok(!codes(result).some((c) => c.startsWith('missing-section') || c.startsWith('section-order')), `${name}: ${codes(result).join('; ')}`);
    }
  });
});
