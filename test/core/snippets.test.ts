import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
