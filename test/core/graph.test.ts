import * as assert from 'node:assert/strict';
import { buildEgoGraph, buildLibraryGraph, declaredRelations, GraphCache, type GraphDepth, type RelationshipGraph } from '../../server/src/core/graph';
import { TrellisLibrary } from '../../server/src/core/library';
import { AffectedFiles } from '../../server/src/core/patternIndex';
import { plainEgoWalk } from '../egoOracle';
import { MemoryHost, ROOT, typeId, v1Pattern, v7Pattern } from '../helpers';

const uri = (slug: string): string => `${ROOT}/${slug}.md`;

function withInferred(text: string, links: Array<{ target: string; type?: string; confidence?: number; strength?: number }>): string {
  const yaml = links
    .map((l) => `    - target: ${l.target}\n${l.type ? `      type: ${l.type}\n` : ''}${l.confidence !== undefined ? `      confidence: ${l.confidence}\n` : ''}${l.strength !== undefined ? `      strength: ${l.strength}\n` : ''}      reason: "Tests."`)
    .join('\n');
  return text.replace('  inferred_links: []', `  inferred_links:\n${yaml}`);
}

async function libraryOf(files: Record<string, string>): Promise<TrellisLibrary> {
  const library = new TrellisLibrary(ROOT, new MemoryHost(files));
  await library.load();
  return library;
}

function ego(library: TrellisLibrary, slug: string, depth: GraphDepth, limit?: number): RelationshipGraph {
  const graph = buildEgoGraph(library.index, uri(slug), { depth, declaredRelations: declaredRelations(library.librarySchemas), ...(limit ? { limit } : {}) });
  assert.ok(graph, `an ego graph for ${slug}`);
  return graph;
}

/** Edges as `source -relation-> target`, with `~` for inferred links and the weight when there is one. */
function edges(graph: RelationshipGraph): string[] {
  return graph.edges
    .map((e) => `${name(graph, e.source)} -${e.relation}${e.inferred ? '~' : ''}-> ${name(graph, e.target)}${e.weight !== undefined ? ` ${e.weight}` : ''}`)
    .sort();
}

function name(graph: RelationshipGraph, index: number): string {
  const node = graph.nodes[index]!;
  return node.kind === 'ghost' ? `?${node.label}` : (node.slug ?? node.label);
}

function nodes(graph: RelationshipGraph): string[] {
  return graph.nodes.map((n) => `${n.kind === 'ghost' ? '?' : ''}${n.slug ?? n.label}@${n.distance}`).sort();
}

/** A small library: hub → (enables) a, a → (requires) hub, b → hub, a → ghost, c two links away. */
const FILES = {
  'hub.md': v7Pattern('hub', { relationships: '  enables:\n    - slug: a\n      weight: 0.8\n  complementary:\n    - slug: missing-one\n      weight: 0.2' }),
  'a.md': withInferred(v7Pattern('a', { relationships: '  requires:\n    - slug: hub\n      weight: 0.5\n  enables:\n    - slug: c\n      weight: 1' }), [{ target: 'hub', type: 'complementary', confidence: 0.6 }]),
  'b.md': v7Pattern('b', { relationships: '  generalizes_from:\n    - hub' }),
  'c.md': v7Pattern('c', { relationships: '  enables:\n    - slug: d\n      weight: 0.4' }),
  'd.md': v7Pattern('d'),
  'lonely.md': v7Pattern('lonely'),
};

describe('relationship graph', () => {
  it('an ego graph holds the pattern, what it names, what names it, and ghosts for names no pattern has', async () => {
    const library = await libraryOf(FILES);
    const graph = ego(library, 'hub', 1);
    assert.equal(graph.view, 'ego');
    assert.equal(graph.center, uri('hub'));
    assert.deepEqual(nodes(graph), ['?missing-one@1', 'a@1', 'b@1', 'hub@0']);
    const ghost = graph.nodes.find((n) => n.kind === 'ghost')!;
    assert.equal(ghost.id, 'missing:missing-one');
    assert.equal(ghost.slug, undefined, 'a ghost is not a pattern');
    // Every link among the nodes, in the direction the frontmatter writes it, typed, weighted; inferred marked.
    assert.deepEqual(edges(graph), [
      'a -complementary~-> hub 0.6',
      'a -requires-> hub 0.5',
      'b -generalizes_from-> hub',
      'hub -complementary-> ?missing-one 0.2',
      'hub -enables-> a 0.8',
    ]);
    const hub = graph.nodes.find((n) => n.slug === 'hub')!;
    assert.equal(hub.label, 'Hub');
    assert.equal(hub.summary, 'A pattern called hub, written for tests.');
    assert.equal(hub.domain, 'test-domain');
    assert.equal(hub.status, 'draft');
    assert.equal(graph.truncated, false);
  });

  it('goes as deep as asked (1 to 3), following links either way, and no further', async () => {
    const library = await libraryOf(FILES);
    assert.deepEqual(nodes(ego(library, 'hub', 2)), ['?missing-one@1', 'a@1', 'b@1', 'c@2', 'hub@0']);
    assert.deepEqual(nodes(ego(library, 'hub', 3)), ['?missing-one@1', 'a@1', 'b@1', 'c@2', 'd@3', 'hub@0']);
    // From the far end, back-links lead home.
    assert.deepEqual(nodes(ego(library, 'd', 3)), ['a@2', 'c@1', 'd@0', 'hub@3']);
    assert.deepEqual(edges(ego(library, 'd', 1)), ['c -enables-> d 0.4']);
    // Depth is clamped to 1–3.
    assert.equal(buildEgoGraph(library.index, uri('hub'), { depth: 7 as GraphDepth })!.depth, 3);
    assert.deepEqual(nodes(ego(library, 'lonely', 2)), ['lonely@0']);
    assert.equal(buildEgoGraph(library.index, `${ROOT}/nothing.md`, { depth: 1 }), undefined);
  });

  it('resolves legacy `pat_…` id links to their patterns, in both generations', async () => {
    const oldId = 'pat_0123456789abcdef01234567';
    const library = await libraryOf({
      'legacy.md': v1Pattern('legacy', oldId, { enables: [typeId('modern')], related: ['pat_nothingnothingnothing00'] }),
      'modern.md': v7Pattern('modern', { relationships: `  requires:\n    - id: ${oldId}\n      weight: 0.9` }),
    });
    const graph = ego(library, 'legacy', 1);
    assert.deepEqual(nodes(graph), ['?pat_nothingnothingnothing00@1', 'legacy@0', 'modern@1']);
    assert.deepEqual(edges(graph), ['legacy -enables-> modern', 'legacy -related-> ?pat_nothingnothingnothing00', 'modern -requires-> legacy 0.9']);
  });

  it('draws one edge per relation and kind between two patterns, never a loop, with the larger weight of a repeat', async () => {
    const library = await libraryOf({
      'x.md': withInferred(
        v7Pattern('x', { relationships: '  enables:\n    - slug: y\n      weight: 0.3\n    - slug: y\n      weight: 0.7\n  complementary:\n    - slug: y\n      weight: 0.5\n    - slug: x\n      weight: 1' }),
        [{ target: 'y', type: 'enables', confidence: 0.9 }, { target: 'y', strength: 3 }],
      ),
      'y.md': v7Pattern('y'),
    });
    assert.deepEqual(edges(ego(library, 'x', 1)), ['x -complementary-> y 0.5', 'x -enables-> y 0.7', 'x -enables~-> y 0.9', 'x -untyped~-> y 0.6']);
  });

  it('a link to a slug two files claim reaches both', async () => {
    const library = await libraryOf({
      'p.md': v7Pattern('p', { relationships: '  enables:\n    - slug: twin\n      weight: 0.5' }),
      'twin.md': v7Pattern('twin'),
      'sub/twin.md': v7Pattern('twin'),
    });
    assert.deepEqual(ego(library, 'p', 1).nodes.map((n) => n.id).sort(), [uri('p'), uri('sub/twin'), uri('twin')]);
  });

  it('with a limit, keeps the most strongly linked nodes, connected to the centre, and says how many there were', async () => {
    const library = await libraryOf(FILES);
    const all = ego(library, 'hub', 3);
    assert.equal(all.truncated, false);
    assert.equal(all.totalNodes, all.nodes.length);
    assert.deepEqual(nodes(all), ['?missing-one@1', 'a@1', 'b@1', 'c@2', 'd@3', 'hub@0']);
    // Strengths: a 0.8 (the strongest link between hub and a), b 0.5 (unweighted), missing-one 0.2,
    // c 0.8 × 1, d 0.8 × 0.4. Ties go to the nearer node: a before c.
    const four = ego(library, 'hub', 3, 4);
    assert.deepEqual(nodes(four), ['a@1', 'b@1', 'c@2', 'hub@0']);
    assert.equal(four.truncated, true);
    assert.equal(four.totalNodes, 6);
    assert.equal(four.nodes[0]!.id, uri('hub'), 'the centre comes first');
    for (const edge of four.edges) assert.ok(edge.source < 4 && edge.target < 4);
    assert.deepEqual(nodes(ego(library, 'hub', 3, 2)), ['a@1', 'hub@0']);
    assert.deepEqual(nodes(ego(library, 'hub', 3, 1)), ['hub@0']);
    // Every node kept reaches the centre through kept nodes.
    for (const limit of [2, 3, 4, 5]) {
      const graph = ego(library, 'hub', 3, limit);
      const seen = new Set([0]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const e of graph.edges) {
          if (seen.has(e.source) !== seen.has(e.target)) {
            seen.add(e.source).add(e.target);
            grew = true;
          }
        }
      }
      assert.equal(seen.size, graph.nodes.length, `limit ${limit}: connected`);
    }
  });

  it('the library graph has every pattern and the links between them, without ghosts', async () => {
    const library = await libraryOf(FILES);
    const graph = buildLibraryGraph(library.index, { declaredRelations: declaredRelations(library.librarySchemas) });
    assert.equal(graph.view, 'library');
    assert.deepEqual(graph.nodes.map((n) => n.slug), ['a', 'b', 'c', 'd', 'hub', 'lonely']);
    assert.deepEqual(edges(graph), [
      'a -complementary~-> hub 0.6',
      'a -enables-> c 1',
      'a -requires-> hub 0.5',
      'b -generalizes_from-> hub',
      'c -enables-> d 0.4',
      'hub -enables-> a 0.8',
    ]);
    // Declared relations first, in schema order (both generations), then any other name found in the links.
    assert.deepEqual(graph.relations.slice(0, 4), ['generalizes_from', 'specializes_to', 'enables', 'requires']);
    assert.ok(graph.relations.includes('related'));
  });

  it('relation names the schema does not declare (misspelt inferred types) are listed after the declared ones', async () => {
    const library = await libraryOf({
      'x.md': withInferred(v7Pattern('x'), [{ target: 'y', type: 'enabler', confidence: 0.5 }]),
      'y.md': v7Pattern('y'),
    });
    const graph = ego(library, 'x', 1);
    assert.equal(graph.relations[graph.relations.length - 1], 'enabler');
    assert.deepEqual(edges(graph), ['x -enabler~-> y 0.5']);
  });

  it('follows edits: a link added in the editor appears, a link removed disappears', async () => {
    const library = await libraryOf(FILES);
    assert.ok(!nodes(ego(library, 'lonely', 1)).includes('d@1'));
    await library.setDocumentText(uri('lonely'), v7Pattern('lonely', { relationships: '  tools:\n    - slug: d\n      weight: 0.25' }), 2);
    assert.deepEqual(edges(ego(library, 'lonely', 1)), ['lonely -tools-> d 0.25']);
    assert.ok(edges(ego(library, 'd', 1)).includes('lonely -tools-> d 0.25'), 'and the back-link shows from the other side');
    await library.setDocumentText(uri('lonely'), v7Pattern('lonely'), 3);
    assert.deepEqual(nodes(ego(library, 'lonely', 1)), ['lonely@0']);
  });

  it('with a cache, answers exactly what a fresh walk and a plain walk answer, after any sequence of edits, slug changes and closes', async () => {
    // A small library where every pattern links to a few others, some by slugs nobody has yet.
    const slugs = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const names = [...slugs, 'ghost', 'b2', 'c2'];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const relations = ['enables', 'requires', 'complementary', 'tools'];
    const text = (slug: string, fileSlug = slug): string => {
      const links = Array.from({ length: 1 + random(4) }, () => `  ${relations[random(relations.length)]}:\n    - slug: ${names[random(names.length)]}\n      weight: ${(1 + random(9)) / 10}`);
      // One list per relation: later duplicates of a key would be a YAML error.
      const byRelation = new Map(links.map((l) => [l.slice(2, l.indexOf(':')), l]));
      return v7Pattern(slug, { id: typeId(fileSlug), relationships: [...byRelation.values()].join('\n') });
    };
    const library = await libraryOf(Object.fromEntries(slugs.map((slug) => [`${slug}.md`, text(slug)])));
    const cache = new GraphCache();
    const check = (step: string): void => {
      const declared = declaredRelations(library.librarySchemas);
      for (const slug of slugs) {
        for (const depth of [1, 2, 3] as const) {
          for (const limit of [undefined, 2, 4]) {
            const options = { depth, declaredRelations: declared, ...(limit ? { limit } : {}) };
            const fresh = buildEgoGraph(library.index, uri(slug), options);
            const cached = buildEgoGraph(library.index, uri(slug), { ...options, cache });
            assert.deepEqual(cached, fresh, `${step}: ${slug}, depth ${depth}, limit ${limit ?? 'none'}`);
            const plain = plainEgoWalk(library.index, uri(slug), depth, limit);
            assert.deepEqual(
              { nodes: cached!.nodes.map((n) => ({ id: n.id, kind: n.kind, distance: n.distance })), totalNodes: cached!.totalNodes },
              plain,
              `${step}: ${slug}, depth ${depth}, limit ${limit ?? 'none'}, against a plain walk`,
            );
          }
        }
      }
    };
    check('loaded');
    let version = 1;
    for (let step = 0; step < 40; step++) {
      const slug = slugs[random(slugs.length)]!;
      const what = random(4);
      if (what === 0) {
        // Another slug for the file: links to its old slug dangle, links to the new one resolve.
        await library.setDocumentText(uri(slug), text(names[random(names.length)]!, slug), ++version);
      } else if (what === 1) {
        await library.closeDocument(uri(slug));
      } else {
        await library.setDocumentText(uri(slug), text(slug), ++version);
      }
      check(`step ${step} (${what} on ${slug})`);
    }
  });

  it('with a cache, forgets a back-link removed by a file on the outer ring, whose own links no walk had read', async () => {
    // c names t; x names t too, and sits on the outer ring of c's depth-2 graph, so the walk reads who names t but never what x names.
    const library = await libraryOf({
      'c.md': v7Pattern('c', { relationships: '  enables:\n    - slug: t\n      weight: 0.5' }),
      't.md': v7Pattern('t'),
      'x.md': v7Pattern('x', { relationships: '  tools:\n    - slug: t\n      weight: 0.5' }),
    });
    const cache = new GraphCache();
    assert.deepEqual(nodes(buildEgoGraph(library.index, uri('c'), { depth: 2, cache })!), ['c@0', 't@1', 'x@2']);
    await library.setDocumentText(uri('x'), v7Pattern('x'), 2);
    assert.deepEqual(nodes(buildEgoGraph(library.index, uri('c'), { depth: 2, cache })!), ['c@0', 't@1']);
  });

  it('an edit of links tells which files could change only in their mirror findings', async () => {
    const library = await libraryOf(FILES);
    const affected = await library.setDocumentText(uri('d'), v7Pattern('d', { relationships: '  tools:\n    - slug: lonely\n      weight: 0.25' }), 2);
    assert.ok(affected instanceof AffectedFiles);
    const referrers = library.index.referrersOf(library.index.get(uri('d'))!).map((doc) => doc.uri);
    assert.ok(referrers.length > 0);
    assert.deepEqual([...affected.mirrorsOnly].sort(), [...referrers].sort());
    assert.ok(affected.has(uri('d')) && !affected.mirrorsOnly.has(uri('d')));
    // A new slug: links to the old one dangle, so the files that reference it may change in every way.
    const renamed = await library.setDocumentText(uri('d'), v7Pattern('d-renamed', { id: typeId('d') }), 3);
    assert.ok(renamed instanceof AffectedFiles);
    for (const referrer of referrers) assert.ok(renamed.has(referrer) && !renamed.mirrorsOnly.has(referrer), referrer);
  });

  it('with a cache, answers the same graph again while the index is unchanged, and a new one after an edit', async () => {
    const library = await libraryOf(FILES);
    const cache = new GraphCache();
    const options = { depth: 2 as const, cache };
    const first = buildEgoGraph(library.index, uri('lonely'), options);
    assert.equal(buildEgoGraph(library.index, uri('lonely'), options), first);
    await library.setDocumentText(uri('lonely'), v7Pattern('lonely', { relationships: '  tools:\n    - slug: d\n      weight: 0.25' }), 2);
    const second = buildEgoGraph(library.index, uri('lonely'), options);
    assert.notEqual(second, first);
    assert.ok(second && nodes(second).includes('d@1'));
  });
});
