/**
 * The relationship graph: where a pattern sits in the library. Builds the
 * data the graph view draws, from the index alone: an ego graph (a pattern and
 * its neighbours to a depth, following references both ways) and the graph of
 * the whole library. Layout is not done here; positions come from the host.
 *
 * Edges point the way the frontmatter does, from the pattern that lists a
 * reference to the pattern it names; legacy `pat_…` ids resolve like slugs.
 * A reference that names no pattern ends at a ghost node in the ego graph.
 */
import type { LibrarySchemas } from './librarySchemas';
import type { PatternDocument, PatternReference } from './pattern';
import type { PatternIndex } from './patternIndex';
import { UNTYPED_RELATION, type GraphDepth, type GraphEdge, type GraphNode, type RelationshipGraph } from './graphData';

export { UNTYPED_RELATION, type GraphDepth, type GraphEdge, type GraphNode, type RelationshipGraph } from './graphData';

export interface EgoGraphOptions {
  depth: GraphDepth;
  /**
   * Keep at most this many nodes: the centre and the patterns most strongly
   * linked to it (see `buildEgoGraph`). Undefined: every node within the depth.
   * The graph says how many there were (`totalNodes`), so a view can say what it left out.
   */
  limit?: number;
  /** Relation names in the order the schemas declare them. */
  declaredRelations?: readonly string[];
  /** What the host keeps between requests for one library: the same graph, sooner. */
  cache?: GraphCache;
}

/**
 * The weight of a link that has none, when ranking nodes for a limit: between
 * a weak and a strong link, so that unweighted links neither win nor vanish.
 */
export const UNWEIGHTED_LINK = 0.5;

const ghostId = (reference: PatternReference): string => `missing:${reference.target}`;

export function relationOf(reference: PatternReference): string {
  return reference.relation ?? UNTYPED_RELATION;
}

/** The relation names a library's schemas declare, in declaration order. */
export function declaredRelations(schemas: LibrarySchemas): string[] {
  const names = new Set<string>();
  for (const schema of schemas.schemas) for (const name of schema.model.relations.keys()) names.add(name);
  return [...names];
}

/**
 * The pattern at `centerUri` and every pattern (or ghost) within `depth` links
 * of it, with every link among them. Undefined when the URI is not a pattern.
 *
 * With a `limit`, only the most strongly linked nodes stay. A node's strength
 * is that of its strongest path from the centre: the product of the link
 * weights along it (the strongest link between two nodes counts;
 * `UNWEIGHTED_LINK` for links without a weight). Ties go to the nearer node,
 * then the URI. A node is never stronger than the node before it on its
 * strongest path, and ranks after it on a tie, so the nodes kept always
 * connect to the centre.
 */
export function buildEgoGraph(index: PatternIndex, centerUri: string, options: EgoGraphOptions): RelationshipGraph | undefined {
  if (!options.cache) return walkEgoGraph(index, centerUri, options, new LinkTable(index));
  return options.cache.egoGraph(index, centerUri, options);
}

/**
 * Kept by a host between graph requests of one library (one index), so that
 * a request repeats as little work as the index allows:
 * - the answer to the same request while the index has not changed
 *   (the panel asks again for every batch of diagnostics an edit publishes);
 * - each reference's resolution while no identity changed, and each
 *   document's strongest link per target while that document stays the
 *   same, so that after an edit of relationships the walk only reads maps.
 * A cached answer is the very object returned before: callers must not change it.
 */
export class GraphCache {
  private links: LinkTable | undefined;
  private readonly answers = new Map<string, { revision: number; graph: RelationshipGraph | undefined }>();

  /** Answers kept at once: a few views (depths, limits) of the pattern being edited. */
  static readonly ANSWERS = 8;

  egoGraph(index: PatternIndex, centerUri: string, options: EgoGraphOptions): RelationshipGraph | undefined {
    const key = [centerUri, options.depth, options.limit ?? '', ...(options.declaredRelations ?? [])].join('\u0000');
    const known = this.answers.get(key);
    if (known && known.revision === index.revision) return known.graph;
    if (!this.links || !this.links.validFor(index)) this.links = new LinkTable(index);
    const graph = walkEgoGraph(index, centerUri, options, this.links);
    this.answers.delete(key);
    this.answers.set(key, { revision: index.revision, graph });
    // The oldest answer goes first (a map iterates in insertion order, and a hit is not reinserted: few views are in use).
    if (this.answers.size > GraphCache.ANSWERS) this.answers.delete(this.answers.keys().next().value as string);
    return graph;
  }
}

function walkEgoGraph(index: PatternIndex, centerUri: string, options: EgoGraphOptions, links: LinkTable): RelationshipGraph | undefined {
  const center = index.get(centerUri);
  if (!center) return undefined;
  const depth = Math.min(3, Math.max(1, Math.trunc(options.depth))) as GraphDepth;
  links.sync();

  // Nodes are the table's slots: a distance (-1 until reached) and a strength per slot, in arrays
  // (a depth-3 walk reaches most of the library and follows every link of it).
  let distanceOf = new Int8Array(links.slots + 64).fill(-1);
  let strengthOf = new Float64Array(distanceOf.length);
  const grow = (slot: number): void => {
    if (slot < distanceOf.length) return;
    const distances = new Int8Array(Math.max(slot + 1, distanceOf.length * 2)).fill(-1);
    distances.set(distanceOf);
    const strengths = new Float64Array(distances.length);
    strengths.set(strengthOf);
    distanceOf = distances;
    strengthOf = strengths;
  };
  /** Slots in the order they were reached: the order of the graph's nodes. */
  const order: number[] = [];
  const centerSlot = links.slotOf(center.uri);
  grow(centerSlot);
  distanceOf[centerSlot] = 0;
  strengthOf[centerSlot] = 1;
  order.push(centerSlot);
  let frontier = [centerSlot];
  for (let distance = 1; distance <= depth && frontier.length > 0; distance++) {
    const next: number[] = [];
    // Reaches `slot` from a node of the previous ring with strength `from`, along a link of weight `weight`.
    const reach = (slot: number, from: number, weight: number): void => {
      grow(slot);
      const known = distanceOf[slot]!;
      if (known >= 0) {
        // Found earlier on this ring: keep its strongest path (a node of an inner ring keeps its own).
        if (known === distance && from * weight > strengthOf[slot]!) strengthOf[slot] = from * weight;
        return;
      }
      distanceOf[slot] = distance;
      strengthOf[slot] = from * weight;
      order.push(slot);
      if (!links.isGhost(slot)) next.push(slot);
    };
    for (const slot of frontier) {
      const from = strengthOf[slot]!;
      const out = links.outgoing(slot);
      for (let i = 0; i < out.slots.length; i++) reach(out.slots[i]!, from, out.weights[i]!);
      const incoming = links.incoming(slot);
      for (let i = 0; i < incoming.slots.length; i++) reach(incoming.slots[i]!, from, incoming.weights[i]!);
    }
    frontier = next;
  }

  const totalNodes = order.length;
  let keptSlots = order;
  const limit = options.limit === undefined ? undefined : Math.max(1, Math.trunc(options.limit));
  if (limit !== undefined && totalNodes > limit) {
    const ranked = order.slice(1).sort((a, b) => strengthOf[b]! - strengthOf[a]! || distanceOf[a]! - distanceOf[b]! || compare(links.idOf(a), links.idOf(b)));
    const keep = new Set(ranked.slice(0, limit - 1));
    keptSlots = order.filter((slot, i) => i === 0 || keep.has(slot));
  }
  const kept = keptSlots.map((slot) => links.node(slot, distanceOf[slot]!));
  const patterns = keptSlots.map((slot) => links.documentOf(slot)).filter((doc): doc is PatternDocument => doc !== undefined);
  const edges = links.edgesAmong(patterns, indexOf(kept), true);
  return {
    view: 'ego',
    center: center.uri,
    depth,
    nodes: kept,
    edges,
    relations: relationNames(options.declaredRelations ?? [], edges),
    truncated: kept.length < totalNodes,
    totalNodes,
  };
}

/** Every pattern of the library and every link between two of them (dangling links are left out). */
export function buildLibraryGraph(index: PatternIndex, options: { declaredRelations?: readonly string[] } = {}): RelationshipGraph {
  const docs = [...index.documents()].sort((a, b) => compare(a.uri, b.uri));
  const nodes = docs.map((doc) => patternNode(doc));
  const edges = new LinkTable(index).edgesAmong(docs, indexOf(nodes), false);
  return { view: 'library', nodes, edges, relations: relationNames(options.declaredRelations ?? [], edges), truncated: false };
}

/** A node's links in a walk: the slots at their other ends, and their weights. */
interface Links {
  slots: number[];
  weights: number[];
}

function indexOf(nodes: GraphNode[]): Map<string, number> {
  return new Map(nodes.map((node, i) => [node.id, i]));
}

/**
 * The links of the library, resolved once per target name: a depth-3 graph
 * follows most references in the library, several times over. A table stays
 * valid for its index while no identity changes (`GraphCache` keeps it across
 * requests): resolutions are kept as file URIs, and documents are looked up
 * again once the index has changed.
 */
class LinkTable {
  private readonly identityRevision: number;
  private readonly resolvedUris: Record<PatternReference['targetKind'], Map<string, string[]>> = { slug: new Map(), id: new Map(), 'slug-or-id': new Map() };
  private resolvedDocs: Record<PatternReference['targetKind'], Map<string, PatternDocument[]>> = { slug: new Map(), id: new Map(), 'slug-or-id': new Map() };
  private docsRevision: number;
  /** Per source document, the weight of its strongest link to each target URI. Documents are replaced, never changed, when their file changes. */
  private readonly weights = new WeakMap<PatternDocument, Map<string, number>>();

  constructor(private readonly index: PatternIndex) {
    this.identityRevision = index.identityRevision;
    this.docsRevision = index.revision;
  }

  validFor(index: PatternIndex): boolean {
    return index === this.index && index.identityRevision === this.identityRevision;
  }

  resolve(reference: PatternReference): PatternDocument[] {
    if (this.docsRevision !== this.index.revision) {
      this.docsRevision = this.index.revision;
      this.resolvedDocs = { slug: new Map(), id: new Map(), 'slug-or-id': new Map() };
    }
    const byTarget = this.resolvedDocs[reference.targetKind];
    let targets = byTarget.get(reference.target);
    if (!targets) {
      const uris = this.resolvedUris[reference.targetKind];
      const known = uris.get(reference.target);
      if (known) {
        targets = [];
        for (const uri of known) {
          const doc = this.index.get(uri);
          if (doc) targets.push(doc);
        }
      } else {
        targets = this.index.resolve(reference);
        uris.set(reference.target, targets.map((doc) => doc.uri));
      }
      byTarget.set(reference.target, targets);
    }
    return targets;
  }

  /**
   * Slots: every pattern and every ghost (a name no pattern has) gets a number, so that a walk keeps its
   * state in arrays. A slot's links are kept until its document is replaced (`sync`).
   */
  private readonly slotByUri = new Map<string, number>();
  private readonly ids: string[] = [];
  /** Per slot: the document as last seen (undefined for a ghost), or the ghost's name. */
  private readonly documents: Array<PatternDocument | undefined> = [];
  private readonly ghostNames: Array<string | undefined> = [];
  private readonly out: Array<Links | undefined> = [];
  private readonly in: Array<Links | undefined> = [];
  private syncedRevision = -1;

  get slots(): number {
    return this.ids.length;
  }

  slotOf(id: string, ghostName?: string): number {
    let slot = this.slotByUri.get(id);
    if (slot === undefined) {
      slot = this.ids.length;
      this.slotByUri.set(id, slot);
      this.ids.push(id);
      this.documents.push(ghostName === undefined ? this.index.get(id) : undefined);
      this.ghostNames.push(ghostName);
    }
    return slot;
  }

  idOf(slot: number): string {
    return this.ids[slot]!;
  }

  isGhost(slot: number): boolean {
    return this.ghostNames[slot] !== undefined;
  }

  documentOf(slot: number): PatternDocument | undefined {
    return this.documents[slot];
  }

  node(slot: number, distance: number): GraphNode {
    const ghost = this.ghostNames[slot];
    return ghost !== undefined ? { id: this.ids[slot]!, kind: 'ghost', label: ghost, distance } : patternNode(this.documents[slot]!, distance);
  }

  /**
   * Catches up with the index: a document replaced since the last walk (same identities, or the table
   * would be a new one) gets its links read again, and so do the back-links of what it linked to before
   * and links to now.
   */
  sync(): void {
    if (this.syncedRevision === this.index.revision) return;
    this.syncedRevision = this.index.revision;
    for (const [uri, slot] of this.slotByUri) {
      const known = this.documents[slot];
      if (known === undefined) continue;
      const doc = this.index.get(uri);
      if (doc === known) continue;
      // What it linked to (read from the old document if no walk needed it yet: a back-link list may hold it).
      for (const target of this.outgoing(slot).slots) this.in[target] = undefined;
      this.documents[slot] = doc;
      this.out[slot] = undefined;
      // Its own back-links come from other files: they stay.
      for (const target of this.outgoing(slot).slots) this.in[target] = undefined;
    }
  }

  /** The slots a pattern links to, each once, in the order its references first name them, with the strongest link's weight. */
  outgoing(slot: number): Links {
    let links = this.out[slot];
    if (!links) {
      links = { slots: [], weights: [] };
      const doc = this.documents[slot];
      const at = new Map<number, number>();
      const put = (target: number, weight: number): void => {
        const i = at.get(target);
        if (i === undefined) {
          at.set(target, links!.slots.length);
          links!.slots.push(target);
          links!.weights.push(weight);
        } else if (weight > links!.weights[i]!) links!.weights[i] = weight;
      };
      for (const reference of doc?.references ?? []) {
        const weight = reference.weight ?? UNWEIGHTED_LINK;
        const targets = this.resolve(reference);
        if (targets.length === 0) put(this.slotOf(ghostId(reference), reference.target), weight);
        for (const target of targets) put(this.slotOf(target.uri), weight);
      }
      this.out[slot] = links;
    }
    return links;
  }

  /** The patterns with a reference to a pattern, sorted by URI so that a graph never depends on the order of past updates, with their strongest link's weight. */
  incoming(slot: number): Links {
    let links = this.in[slot];
    if (!links) {
      links = { slots: [], weights: [] };
      const doc = this.documents[slot];
      if (doc) {
        for (const source of this.index.referrersOf(doc)) {
          links.slots.push(this.slotOf(source.uri));
          links.weights.push(this.weight(source, doc));
        }
      }
      this.in[slot] = links;
    }
    return links;
  }

  /** The weight of the strongest link from `source` to `target` (`UNWEIGHTED_LINK` for one without a weight); each source's links resolved once. */
  weight(source: PatternDocument, target: PatternDocument): number {
    let byTarget = this.weights.get(source);
    if (!byTarget) {
      byTarget = new Map();
      for (const reference of source.references) {
        const weight = reference.weight ?? UNWEIGHTED_LINK;
        for (const uri of this.resolvedUrisOf(reference)) byTarget.set(uri, Math.max(weight, byTarget.get(uri) ?? 0));
      }
      this.weights.set(source, byTarget);
    }
    return byTarget.get(target.uri) ?? UNWEIGHTED_LINK;
  }

  private resolvedUrisOf(reference: PatternReference): string[] {
    const uris = this.resolvedUris[reference.targetKind];
    let known = uris.get(reference.target);
    if (!known) {
      known = this.index.resolve(reference).map((doc) => doc.uri);
      uris.set(reference.target, known);
    }
    return known;
  }

  /**
   * The links from each of `sources` to nodes in `nodeIndex`, one per source,
   * target, relation and kind (curated or inferred). Links to self are left
   * out: a graph cannot show them, and `self-reference` reports them.
   */
  edgesAmong(sources: Iterable<PatternDocument>, nodeIndex: Map<string, number>, ghosts: boolean): GraphEdge[] {
    const edges: GraphEdge[] = [];
    // Edges by source and target; the few between one pair differ in relation or kind.
    const byPair = new Map<number, GraphEdge[]>();
    const put = (sourceId: string, targetId: string, reference: PatternReference): void => {
      const source = nodeIndex.get(sourceId);
      const target = nodeIndex.get(targetId);
      if (source === undefined || target === undefined || source === target) return;
      const relation = relationOf(reference);
      const pair = source * nodeIndex.size + target;
      let list = byPair.get(pair);
      if (!list) byPair.set(pair, (list = []));
      const existing = list.find((e) => e.relation === relation && e.inferred === reference.inferred);
      if (existing) {
        if (reference.weight !== undefined && (existing.weight === undefined || reference.weight > existing.weight)) existing.weight = reference.weight;
        return;
      }
      const edge: GraphEdge = { source, target, relation, inferred: reference.inferred };
      if (reference.weight !== undefined) edge.weight = reference.weight;
      list.push(edge);
      edges.push(edge);
    };
    for (const doc of sources) {
      if (doc.hasSyntaxErrors) continue;
      for (const reference of doc.references) {
        const targets = this.resolve(reference);
        if (targets.length === 0 && ghosts) put(doc.uri, ghostId(reference), reference);
        for (const target of targets) put(doc.uri, target.uri, reference);
      }
    }
    return edges;
  }
}

function patternNode(doc: PatternDocument, distance?: number): GraphNode {
  const node: GraphNode = { id: doc.uri, kind: 'pattern', label: doc.title || doc.slug || doc.fileSlug };
  if (doc.slug !== undefined) node.slug = doc.slug;
  if (doc.summary !== undefined) node.summary = doc.summary;
  if (doc.domain !== undefined) node.domain = doc.domain;
  if (doc.status !== undefined) node.status = doc.status;
  if (distance !== undefined) node.distance = distance;
  return node;
}

function relationNames(declared: readonly string[], edges: GraphEdge[]): string[] {
  const names = new Set(declared);
  const found = new Set<string>();
  for (const edge of edges) if (!names.has(edge.relation)) found.add(edge.relation);
  return [...names, ...[...found].sort(compare)];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
