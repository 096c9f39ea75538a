/**
 * The relationship graph on the real Commons library, against neighbours
 * found independently: gray-matter (js-yaml) and a plain walk of the fields
 * that hold links, knowing the format, not our schemas.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import matter from 'gray-matter';
import { buildEgoGraph, buildLibraryGraph, declaredRelations, GraphCache } from '../../server/src/core/graph';
import { plainEgoWalk } from '../egoOracle';
import { TrellisLibrary } from '../../server/src/core/library';
import { NodeLibraryHost, pathToUri } from '../../server/src/nodeHost';

const REPO = path.resolve(__dirname, '..', '..');
const CORPUS =
  process.env['TRELLIS_CORPUS'] ??
  [path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns'), '/work/shared/corpus/commons-os-patterns'].find((dir) => existsSync(dir)) ??
  path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns');
const CENTER = 'therapeutic-relationship-building';

/** Every link target a file writes (slugs and ids), read plainly. */
function targetsOf(data: Record<string, unknown>): string[] {
  const out: string[] = [];
  const relationships = data['relationships'];
  if (relationships && typeof relationships === 'object') {
    for (const entries of Object.values(relationships as Record<string, unknown>)) {
      for (const entry of Array.isArray(entries) ? entries : []) {
        if (typeof entry === 'string') out.push(entry);
        else if (entry && typeof entry === 'object') {
          const { slug, id } = entry as { slug?: unknown; id?: unknown };
          if (typeof slug === 'string') out.push(slug);
          if (typeof id === 'string') out.push(id);
        }
      }
    }
  }
  const garden = data['graph_garden'] as { inferred_links?: unknown } | undefined;
  for (const link of Array.isArray(garden?.inferred_links) ? garden!.inferred_links : []) {
    const target = (link as { target?: unknown }).target;
    if (typeof target === 'string') out.push(target);
  }
  if (!relationships) {
    for (const list of ['generalizes_from', 'specializes_to', 'enables', 'requires', 'related']) {
      for (const id of Array.isArray(data[list]) ? (data[list] as unknown[]) : []) if (typeof id === 'string') out.push(id);
    }
  }
  return out;
}

describe('the relationship graph of the real Commons library', function () {
  let library: TrellisLibrary;

  before(async function () {
    if (!existsSync(CORPUS)) {
      console.warn(`    (skipped: no corpus at ${CORPUS}; set TRELLIS_CORPUS)`);
      this.skip();
    }
    library = new TrellisLibrary(pathToUri(CORPUS), new NodeLibraryHost());
    await library.load();
  });

  it(`the ego graph of ${CENTER} holds exactly the patterns it names, the patterns that name it, and ghosts for the rest`, () => {
    const files = new Map<string, Record<string, unknown>>();
    for (const file of readdirSync(CORPUS).filter((f) => f.endsWith('.md'))) {
      try {
        files.set(file, matter(readFileSync(path.join(CORPUS, file), 'utf8'), {}).data as Record<string, unknown>);
      } catch {
        // Broken YAML: the core registers such a file by its slug but reads no links from it.
      }
    }
    const bySlug = new Map<string, string>();
    const byId = new Map<string, string>();
    for (const [file, data] of files) {
      if (typeof data['slug'] === 'string') bySlug.set(data['slug'], file);
      if (typeof data['id'] === 'string') byId.set(data['id'], file);
    }
    const center = files.get(`${CENTER}.md`)!;
    const expected = new Set<string>();
    for (const target of targetsOf(center)) {
      const file = bySlug.get(target) ?? byId.get(target);
      expected.add(file ? file.replace(/\.md$/, '') : `?${target}`);
    }
    for (const [file, data] of files) {
      if (targetsOf(data).some((t) => t === CENTER || t === center['id'])) expected.add(file.replace(/\.md$/, ''));
    }
    expected.delete(CENTER);
    assert.ok(expected.has('?emotional-safety'), 'the oracle sees the dangling link');

    const uri = library.index.bySlug(CENTER)[0]!.uri;
    const graph = buildEgoGraph(library.index, uri, { depth: 1, declaredRelations: declaredRelations(library.librarySchemas) })!;
    const actual = new Set(graph.nodes.filter((n) => n.id !== uri).map((n) => (n.kind === 'ghost' ? `?${n.label}` : n.id.slice(n.id.lastIndexOf('/') + 1).replace(/\.md$/, ''))));
    assert.deepEqual([...actual].sort(), [...expected].sort());
    const ghost = graph.nodes.findIndex((n) => n.id === 'missing:emotional-safety');
    assert.deepEqual(
      graph.edges.filter((e) => e.target === ghost).map((e) => [graph.nodes[e.source]!.id, e.relation, e.weight, e.inferred]),
      // Curated by the authors, and inferred by the garden as well.
      [
        [uri, 'requires', 0.92, false],
        [uri, 'requires', 0.92, true],
      ],
    );
  });

  it('ego graphs around hubs and ordinary patterns, at depths 1 to 3, with and without the limit, are those of a plain walk, also after edits', async () => {
    const cache = new GraphCache();
    const check = (slug: string): void => {
      const uri = pathToUri(path.join(CORPUS, `${slug}.md`));
      for (const depth of [1, 2, 3] as const) {
        for (const limit of [100, undefined]) {
          const graph = buildEgoGraph(library.index, uri, { depth, cache, ...(limit ? { limit } : {}) })!;
          const plain = plainEgoWalk(library.index, uri, depth, limit);
          assert.deepEqual({ nodes: graph.nodes.map((n) => ({ id: n.id, kind: n.kind, distance: n.distance })), totalNodes: graph.totalNodes }, plain, `${slug}, depth ${depth}, limit ${limit ?? 'none'}`);
        }
      }
    };
    const slugs = ['acceptance-and-commitment', CENTER];
    for (const slug of slugs) check(slug);
    // The benchmark's edit: a link added to the first empty relation list, and removed again.
    const file = path.join(CORPUS, `${CENTER}.md`);
    const text = readFileSync(file, 'utf8');
    const linked = text.replace(/^( {2}[a-z_]+): \[\]$/m, '$1:\n    - slug: adaptive-facilitation\n      weight: 0.9');
    assert.notEqual(linked, text);
    await library.setDocumentText(pathToUri(file), linked, 2);
    for (const slug of slugs) check(slug);
    await library.closeDocument(pathToUri(file));
    for (const slug of slugs) check(slug);
  });

  it('the library graph has every pattern, only links that resolve, and no ghosts', () => {
    const graph = buildLibraryGraph(library.index, { declaredRelations: declaredRelations(library.librarySchemas) });
    assert.equal(graph.nodes.length, 3616);
    assert.ok(graph.nodes.every((n) => n.kind === 'pattern'));
    assert.ok(graph.edges.length > 30000, `${graph.edges.length} links`);
    assert.ok(graph.edges.every((e) => e.source !== e.target && graph.nodes[e.source] && graph.nodes[e.target]));
    // Legacy files link by `pat_…` id, and those links resolve.
    const legacyLinks = graph.edges.filter((e) => ['related'].includes(e.relation));
    assert.ok(legacyLinks.length > 1000, `legacy links: ${legacyLinks.length}`);
    assert.ok(graph.edges.some((e) => e.inferred) && graph.edges.some((e) => e.weight !== undefined));
  });
});
