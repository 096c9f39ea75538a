/**
 * Hover: a key shows its schema documentation; a reference shows the pattern
 * it names (title, summary, domain, status, link counts, a link to open it),
 * or, when it names none, the nearest candidates.
 */
import type { Hover, Position } from 'vscode-languageserver-types';
import { suggestTargets } from '../candidates';
import type { TrellisLibrary } from '../library';
import type { PatternDocument } from '../pattern';
import { schemasAtPath } from '../schemaModel';
import { ancestors, readLine } from '../yamlCursor';
import { splitFrontmatter } from '../frontmatter';
import { LineMap } from '../text';
import { schemaForLines, type FeatureDocument } from './featureContext';
import { referenceAt } from './locate';

export function hover(library: TrellisLibrary, document: FeatureDocument, position: Position): Hover | undefined {
  const doc = library.index.get(document.uri);
  const reference = doc && referenceAt(doc, position);
  if (doc && reference) {
    const targets = library.index.resolve(reference);
    if (targets.length === 0) {
      const near = suggestTargets(library.index, reference.target, 3, doc.uri);
      const what = reference.targetKind === 'id' ? 'id' : reference.targetKind === 'slug' ? 'slug' : 'slug or id';
      const lines = [`**No pattern has the ${what} \`${reference.target}\`.**`];
      if (near.length) lines.push('', 'Nearest: ' + near.map((s) => `[\`${s.doc.slug ?? s.doc.fileSlug}\`](${s.doc.uri}) (${escapeMarkdown(s.doc.title ?? '')})`).join(', '));
      return { contents: { kind: 'markdown', value: lines.join('\n') }, range: reference.range };
    }
    const sections = targets.map((target) => describePattern(library, target, reference.relation, reference.inferred));
    if (targets.length > 1) sections.unshift(`**\`${reference.target}\` names ${targets.length} patterns** (a duplicate):`);
    return { contents: { kind: 'markdown', value: sections.join('\n\n---\n\n') }, range: reference.range };
  }
  return keyHover(library, document, position);
}

export function describePattern(library: TrellisLibrary, target: PatternDocument, relation?: string, inferred?: boolean): string {
  const incoming = library.index.backlinks(target).length;
  const outgoing = target.references.length;
  const lines = [`**${escapeMarkdown(target.title ?? target.fileSlug)}** \`${target.slug ?? target.fileSlug}\``];
  if (relation) lines.push(`*${inferred ? 'inferred ' : ''}${relation.replace(/_/g, ' ')}*`);
  if (target.summary) lines.push('', escapeMarkdown(target.summary));
  const facts = [target.domain && `domain \`${target.domain}\``, target.status && `status \`${target.status}\``, `${incoming} incoming`, `${outgoing} outgoing`].filter(Boolean);
  lines.push('', facts.join(' · '), '', `[Open ${target.fileSlug}.md](${target.uri})`);
  return lines.join('\n');
}

function keyHover(library: TrellisLibrary, document: FeatureDocument, position: Position): Hover | undefined {
  const split = splitFrontmatter(document.text);
  if (split.kind === 'none') return undefined;
  const map = new LineMap(document.text);
  const first = map.positionAt(split.yamlStart).line;
  const end = split.close ? map.positionAt(split.close.start).line : map.lineCount;
  if (position.line < first || position.line >= end) return undefined;
  const lines = [];
  for (let l = first; l < end; l++) lines.push(readLine(map.lineText(l), l));
  const line = lines[position.line - first]!;
  if (line.key === undefined || position.character < line.keyColumn! || position.character > line.keyColumn! + line.key.length) return undefined;
  const inItem = line.dash !== undefined;
  const path = [...ancestors(lines, position.line - first, inItem ? line.dash! : line.keyColumn!, inItem), line.key];
  const schema = schemaForLines(library, document.uri, lines);
  const description = schemasAtPath(schema.schema, path)
    .map((s) => (typeof s['markdownDescription'] === 'string' ? s['markdownDescription'] : s['description']))
    .find((d): d is string => typeof d === 'string');
  if (!description) return undefined;
  return {
    contents: { kind: 'markdown', value: `**${line.key}**\n\n${description}` },
    range: { start: { line: position.line, character: line.keyColumn! }, end: { line: position.line, character: line.keyColumn! + line.key.length } },
  };
}

/** Text from pattern files is shown as text: Markdown and HTML in it do nothing. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}\[\]<>()#+!|~]/g, (c) => `\\${c}`);
}
