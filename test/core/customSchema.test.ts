import * as assert from 'node:assert/strict';
import { complete } from '../../server/src/core/languageFeatures/completion';
import { TrellisLibrary } from '../../server/src/core/library';
import { buildSchemaModel } from '../../server/src/core/schemaModel';
import commonsV7 from '../../schemas/commons-v7.schema.json';
import { MemoryHost, ROOT } from '../helpers';

/** A library unlike Commons: recipes that link to other recipes, described only by its own schema. */
const recipeSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['key', 'name'],
  properties: {
    key: { type: 'string', 'x-trellis-identity': 'slug', description: 'The recipe key.' },
    uid: { type: 'string', 'x-trellis-identity': 'id', description: 'A unique id.' },
    name: { type: 'string', 'x-trellis-identity': 'title', description: 'The name.' },
    servings: { type: 'integer', minimum: 1, description: 'How many people it feeds.' },
    uses: {
      type: 'array',
      description: 'Recipes this one uses.',
      'x-trellis-relation': { name: 'uses', mirror: 'used_by' },
      items: { type: 'object', properties: { recipe: { type: 'string', 'x-trellis-reference': 'slug-or-id', description: 'A recipe key or uid.' } } },
    },
    pairs: { type: 'object', description: 'Suggested pairings by course.', additionalProperties: { type: 'string', 'x-trellis-reference': 'slug', 'x-trellis-relation': { name: 'pairs_with', mirror: 'pairs_with' } } },
  },
};

describe('a library with its own schema', () => {
  it('gets identity, references, dangling links and located schema errors from its annotations alone', async () => {
    const host = new MemoryHost({
      'trellis.config.json': JSON.stringify({ schemas: [{ name: 'recipe', schema: './recipe.schema.json' }], patterns: ['recipes/**/*.md'] }),
      'recipe.schema.json': JSON.stringify(recipeSchema),
      'recipes/bread.md': '---\nkey: bread\nuid: r-1\nname: Bread\n---\n',
      'recipes/soup.md': '---\nkey: soup\nname: Soup\nservings: 0\nuses:\n  - recipe: r-1\n  - recipe: stock\npairs:\n  side: bread\n  dessert: tart\n---\n',
      'notes/ignored.md': '---\nkey: ignored\n---\n',
    });
    const library = new TrellisLibrary(ROOT, host);
    await library.load();
    assert.deepEqual([...library.index.uris()].sort(), [`${ROOT}/recipes/bread.md`, `${ROOT}/recipes/soup.md`]);
    const soup = library.index.get(`${ROOT}/recipes/soup.md`)!;
    assert.deepEqual(soup.references.map((r) => [r.relation, r.target, r.mirror]), [
      ['uses', 'r-1', 'used_by'],
      ['uses', 'stock', 'used_by'],
      ['pairs_with', 'bread', 'pairs_with'],
      ['pairs_with', 'tart', 'pairs_with'],
    ]);
    const bread = library.index.get(`${ROOT}/recipes/bread.md`)!;
    assert.equal(library.index.backlinks(bread).length, 2, 'by uid and by key');
    const diagnostics = library.diagnostics(soup.uri).map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character} ${d.message}`);
    assert.deepEqual(diagnostics, [
      'schema 3:10 `servings` must be at least 1, not 0.',
      'dangling-reference 6:12 `uses` points to `stock`, but no pattern has that slug or id.',
      'dangling-reference 9:11 `pairs.dessert` points to `tart`, but no pattern has that slug.',
      'missing-mirror 8:8 This pattern lists `bread` under `pairs_with`, but bread.md does not list it back under `pairs_with`.',
    ]);
    // `uses` mirrors to `used_by`, which this schema does not declare: no hint for it.
    // No body template configured: no section diagnostics.
    assert.ok(!diagnostics.some((d) => d.startsWith('missing-section')));
  });

  it('the Commons schema declares every relation with its mirror, so nothing about relations is hard-coded', () => {
    const model = buildSchemaModel(commonsV7 as Record<string, unknown>);
    const mirrors = Object.fromEntries([...model.relations].map(([name, spec]) => [name, spec.mirror ?? null]));
    assert.deepEqual(mirrors, {
      generalizes_from: 'specializes_to',
      specializes_to: 'generalizes_from',
      enables: 'requires',
      requires: 'enables',
      alternatives: 'alternatives',
      complementary: 'complementary',
      tools: null,
      manifests_as: null,
    });
    assert.ok(model.references.some((r) => r.path.join('.') === 'graph_garden.inferred_links.*.target' && r.relation.nameFrom === 'type' && r.relation.inferred));
  });
});

describe('a recursive schema', () => {
  it('completes keys at any depth without walking forever', async () => {
    const schema = {
      type: 'object',
      properties: { key: { type: 'string', 'x-trellis-identity': 'slug', description: 'Key.' }, tree: { $ref: '#/definitions/node' } },
      definitions: { node: { type: 'object', description: 'A node.', properties: { label: { type: 'string', description: 'Its label.' }, child: { $ref: '#/definitions/node' } } } },
    };
    const host = new MemoryHost({ 'trellis.config.json': JSON.stringify({ schemas: [{ name: 'tree', schema: './tree.schema.json' }] }), 'tree.schema.json': JSON.stringify(schema) });
    const library = new TrellisLibrary(ROOT, host);
    await library.load();
    const text = '---\nkey: a\ntree:\n  child:\n    child:\n      \n---\n';
    const offset = text.indexOf('      \n') + 6;
    const labels = complete(library, { uri: `${ROOT}/a.md`, text }, offset).items.map((i) => i.label).sort();
    assert.deepEqual(labels, ['child', 'label']);
  });
});
