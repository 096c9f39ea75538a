/**
 * A plain ego walk, written for clarity rather than speed, as the oracle for
 * `buildEgoGraph`'s faster walk (slots, arrays, links kept between requests):
 * the same nodes (with the same distances), in the same order, the same total,
 * straight from the index for every link.
 */
import { UNWEIGHTED_LINK } from '../server/src/core/graph';
import type { PatternIndex } from '../server/src/core/patternIndex';

export interface OracleNode {
  id: string;
  kind: 'pattern' | 'ghost';
  distance: number;
}

export function plainEgoWalk(index: PatternIndex, centerUri: string, depth: number, limit?: number): { nodes: OracleNode[]; totalNodes: number } {
  const center = index.get(centerUri)!;
  const nodes = new Map<string, OracleNode>([[center.uri, { id: center.uri, kind: 'pattern', distance: 0 }]]);
  const strength = new Map<string, number>([[center.uri, 1]]);
  let frontier = [center];
  for (let distance = 1; distance <= depth && frontier.length > 0; distance++) {
    const next: typeof frontier = [];
    const reach = (id: string, kind: OracleNode['kind'], value: number, doc: (typeof frontier)[number] | undefined): void => {
      const node = nodes.get(id);
      if (node) {
        if (node.distance === distance && value > strength.get(id)!) strength.set(id, value);
        return;
      }
      nodes.set(id, { id, kind, distance });
      strength.set(id, value);
      if (doc) next.push(doc);
    };
    for (const doc of frontier) {
      const from = strength.get(doc.uri)!;
      for (const reference of doc.references) {
        const targets = index.resolve(reference);
        if (targets.length === 0) reach(`missing:${reference.target}`, 'ghost', from * (reference.weight ?? UNWEIGHTED_LINK), undefined);
        for (const target of targets) reach(target.uri, 'pattern', from * (reference.weight ?? UNWEIGHTED_LINK), target);
      }
      for (const source of index.referrersOf(doc)) {
        // The strongest of the source's links to this pattern.
        let weight = 0;
        for (const reference of source.references) if (index.resolve(reference).some((t) => t.uri === doc.uri)) weight = Math.max(weight, reference.weight ?? UNWEIGHTED_LINK);
        reach(source.uri, 'pattern', from * (weight || UNWEIGHTED_LINK), source);
      }
    }
    frontier = next;
  }
  let kept = [...nodes.values()];
  if (limit !== undefined && kept.length > limit) {
    const ranked = kept.slice(1).sort((a, b) => strength.get(b.id)! - strength.get(a.id)! || a.distance - b.distance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const keep = new Set(ranked.slice(0, limit - 1).map((n) => n.id));
    kept = kept.filter((n, i) => i === 0 || keep.has(n.id));
  }
  return { nodes: kept, totalNodes: nodes.size };
}
