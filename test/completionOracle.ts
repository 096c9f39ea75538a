/**
 * Reference completion and workspace symbols as they were before the search
 * structure (server/src/core/patternSearch.ts): every pattern in the index
 * scored in turn with the fuzzy scorer, the best kept. The oracle for the
 * differential tests in core/patternSearch.test.ts: the structure, which
 * scores only the patterns its pruning leaves, must give exactly these items,
 * in this order.
 */
import { SymbolKind, type CompletionItem, type Range, type SymbolInformation } from 'vscode-languageserver-types';
import { fuzzyQuery, fuzzyScoreLowered } from '../server/src/core/candidates';
import { referenceCandidate, referenceItem } from '../server/src/core/languageFeatures/completion';
import type { TrellisLibrary } from '../server/src/core/library';
import type { PatternDocument } from '../server/src/core/pattern';
import type { ReferenceTarget } from '../server/src/core/schemaModel';

function searchTexts(doc: PatternDocument): Array<[string, number]> {
  const texts: Array<[string, number]> = [[(doc.slug ?? doc.fileSlug).toLowerCase(), 1]];
  if (doc.title) texts.push([doc.title.toLowerCase(), 0.9]);
  for (const alias of doc.aliases) texts.push([alias.toLowerCase(), 0.8]);
  return texts;
}

export function oracleScorer(query: string): (doc: PatternDocument) => number {
  const q = fuzzyQuery(query);
  return (doc) => {
    let best = -1;
    for (const [text, weight] of searchTexts(doc)) {
      const score = fuzzyScoreLowered(q, text);
      if (score >= 0) best = Math.max(best, score * weight);
    }
    return best;
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function oracleReferenceItems(
  library: TrellisLibrary,
  uri: string,
  target: ReferenceTarget,
  prefix: string,
  range: Range,
  listed: Set<string>,
  max: number,
): { items: CompletionItem[]; isIncomplete: boolean } {
  const query = prefix.trim();
  const best: Array<[PatternDocument, number]> = [];
  const before = (a: [PatternDocument, number], b: [PatternDocument, number]): boolean =>
    a[1] > b[1] || (a[1] === b[1] && compareText(a[0].title ?? a[0].fileSlug, b[0].title ?? b[0].fileSlug) < 0);
  let matches = 0;
  const scoreOf = oracleScorer(query);
  const include = referenceCandidate(uri, target, listed);
  for (const doc of library.index.documents()) {
    if (!include(doc)) continue;
    const score = query ? Math.max(scoreOf(doc), target !== 'slug' && doc.id?.startsWith(query) ? 10 : -1) : 0;
    if (score < 0) continue;
    matches++;
    const candidate: [PatternDocument, number] = [doc, score];
    if (best.length === max && (max === 0 || !before(candidate, best[max - 1]!))) continue;
    let low = 0;
    let high = best.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (before(candidate, best[mid]!)) high = mid;
      else low = mid + 1;
    }
    best.splice(low, 0, candidate);
    if (best.length > max) best.pop();
  }
  const items = best.map(([doc], rank) => referenceItem(doc, rank, target, query, range));
  return { items, isIncomplete: matches > max || query.length === 0 };
}

export function oracleWorkspaceSymbols(library: TrellisLibrary, query: string, max = 200): SymbolInformation[] {
  const scored: Array<[number, SymbolInformation]> = [];
  const scoreOf = oracleScorer(query);
  for (const doc of library.index.documents()) {
    const score = query ? scoreOf(doc) : 0;
    if (score < 0) continue;
    const range = doc.slugRange ?? doc.frontmatterRange;
    scored.push([score, { name: doc.title ?? doc.fileSlug, kind: SymbolKind.File, containerName: doc.slug ?? doc.fileSlug, location: { uri: doc.uri, range } }]);
  }
  scored.sort((a, b) => b[0] - a[0] || a[1].name.localeCompare(b[1].name) || (a[1].location.uri < b[1].location.uri ? -1 : a[1].location.uri > b[1].location.uri ? 1 : 0));
  return scored.slice(0, max).map(([, symbol]) => symbol);
}
