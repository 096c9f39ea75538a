import * as assert from 'node:assert/strict';
import { TrellisLibrary } from '../../server/src/core/library';
import { MemoryHost, ROOT } from '../helpers';

/** A library whose config names its own schema and a body template with its own regular expression. */
function customLibrary(): MemoryHost {
  return new MemoryHost({
    'trellis.config.json': JSON.stringify(
      {
        patterns: ['recipes/**/*.md'],
        schemas: [{ name: 'recipe', schema: './recipe.schema.json', body: { sections: [{ name: 'Method', lead: { pattern: '^Serves', code: 'missing-therefore', message: 'Say how many it serves.' } }] } }],
        severity: { 'missing-section': 'off' },
      },
      null,
      2,
    ),
    'recipe.schema.json': JSON.stringify({ type: 'object', required: ['key'], properties: { key: { type: 'string', 'x-trellis-identity': 'slug', description: 'The key.' } } }),
    'recipes/soup.md': '---\nkey: soup\n---\n## Method\nBoil.\n',
  });
}

describe('a library in an untrusted workspace (Restricted Mode)', () => {
  it('uses its own schemas and templates when trusted', async () => {
    const library = new TrellisLibrary(ROOT, customLibrary());
    await library.load();
    assert.deepEqual(library.librarySchemas.schemas.map((s) => s.name), ['recipe']);
    assert.deepEqual(library.diagnostics(`${ROOT}/recipes/soup.md`).map((d) => d.code), ['missing-therefore']);
    assert.deepEqual(library.diagnostics(library.configUri), []);
  });

  it('compiles no schema and no expression the workspace names, keeps its globs and severities, and says so on the config', async () => {
    const library = new TrellisLibrary(ROOT, customLibrary(), { trusted: false });
    await library.load();
    assert.deepEqual(library.librarySchemas.schemas.map((s) => s.name), ['commons-v7', 'commons-v1']);
    assert.deepEqual([...library.index.uris()], [`${ROOT}/recipes/soup.md`], 'the config still picks the pattern files');
    const codes = library.diagnostics(`${ROOT}/recipes/soup.md`).map((d) => d.code);
    assert.ok(!codes.includes('missing-therefore'), 'the workspace template is not used');
    assert.ok(!codes.includes('missing-section'), 'the workspace severities still apply');
    const notices = library.diagnostics(library.configUri);
    assert.deepEqual(notices.map((d) => [d.severity, d.range.start.line, d.range.start.character]), [[3, 4, 3]]);
    assert.match(notices[0]!.message, /^Restricted Mode: .*`schemas`/);
  });
});

describe('severity overrides (the editor user’s settings)', () => {
  it('win over the library config, including turning a code back on', async () => {
    const library = new TrellisLibrary(ROOT, customLibrary(), { trusted: false });
    await library.load();
    const soup = `${ROOT}/recipes/soup.md`;
    const before = library.diagnostics(soup);
    assert.ok(!before.some((d) => d.code === 'missing-section'));
    const after = library.diagnostics(soup, { 'missing-section': 'error' });
    assert.ok(after.some((d) => d.code === 'missing-section' && d.severity === 1));
    assert.deepEqual(library.diagnostics(library.configUri, { config: 'off' }), []);
    assert.deepEqual(library.diagnostics(library.configUri, { config: 'hint' }).map((d) => d.severity), [4]);
  });
});
