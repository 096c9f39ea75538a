/**
 * The text of a new pattern: the frontmatter skeleton of its schema (the
 * Commons one with its seven groups and banners; for other schemas, the
 * identity fields and required keys) and the body template's sections.
 */
import type { BodyTemplate } from './config';
import { BUILTIN_SCHEMAS } from './builtinSchemas';
import type { ResolvedSchema } from './librarySchemas';
import { isObject } from './schemaModel';

export interface NewPatternFields {
  id: string;
  slug: string;
  title: string;
  /** YYYY-MM-DD */
  date: string;
  domain?: string;
  eol?: string;
}

/** A title from a slug: `shared-tool-library` → `Shared Tool Library`. */
export function titleFromSlug(slug: string): string {
  return slug
    .split('-')
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** A slug from a title: `Shared Tool Library!` → `shared-tool-library`. */
export function slugFromTitle(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const BANNER = '# ═══════════════════════════════════════════════════════════════════';
const banner = (title: string): string => `${BANNER}\n# ${title}\n${BANNER}`;

function commonsFrontmatter(f: NewPatternFields): string {
  const score = (name: string): string => `    ${name}: 3.0`;
  return [
    banner('GROUP 1: CORE IDENTITY'),
    `id: ${f.id}`,
    `slug: ${f.slug}`,
    `title: ${JSON.stringify(f.title)}`,
    'aliases: []',
    'summary: >-',
    '  One or two sentences: what this pattern does, and for whom.',
    '',
    banner('GROUP 2: CONTEXTUAL TRANSLATION (The Navigator Engine)'),
    'context_labels:',
    '  corporate: ""',
    '  government: ""',
    '  activist: ""',
    '  tech: ""',
    '',
    banner('GROUP 3: ONTOLOGY & SEARCH OPTIMIZATION (The RAG Fuel)'),
    'ontology:',
    `  domain: ${f.domain ?? 'unsorted'}`,
    '  cross_domains: []',
    '  commons_domain:',
    '    - life',
    '  search_hints:',
    '    primary_tension: "X vs. Y"',
    '    vector_keywords: []',
    '  commons_assessment:',
    ...['stakeholder_architecture', 'value_creation', 'resilience', 'ownership', 'autonomy', 'composability', 'fractal_value', 'vitality'].map(score),
    '    vitality_reasoning: >-',
    '      How this pattern keeps a living system healthy, or fails to.',
    '    overall_score: 3.0',
    '',
    banner('GROUP 4: LIFECYCLE & CONFIDENCE'),
    'lifecycle:',
    '  usage_stage: ideation',
    '  adoption_stage: emerging',
    '  status: draft',
    '  version: 0.1',
    '  confidence: 1',
    '',
    banner('GROUP 5: HARD RELATIONSHIPS (Human-Curated Graph)'),
    'relationships:',
    '  generalizes_from: []',
    '  specializes_to: []',
    '  enables: []',
    '  requires: []',
    '  alternatives: []',
    '  complementary: []',
    '  tools: []',
    '',
    banner('GROUP 6: GRAPH GARDEN (Machine-Written Graph)'),
    'graph_garden:',
    `  last_pruned: ${f.date}`,
    '  entities: []',
    '  communities: []',
    '  inferred_links: []',
    '',
    banner('GROUP 7: PROVENANCE'),
    'contributors: []',
    'sources: []',
    'license: CC-BY-SA-4.0',
    'attribution: "Commons pattern library contributors"',
  ].join('\n');
}

/** For a library's own schema: the identity fields, then each other required top-level key. */
function genericFrontmatter(schema: ResolvedSchema, f: NewPatternFields): string {
  const lines: string[] = [];
  const written = new Set<string>();
  for (const [kind, value] of [['id', f.id], ['slug', f.slug], ['title', JSON.stringify(f.title)]] as const) {
    const path = schema.model.identity.get(kind);
    if (path && path.length === 1) {
      lines.push(`${path[0]}: ${value}`);
      written.add(path[0]!);
    }
  }
  const required = Array.isArray(schema.schema['required']) ? schema.schema['required'] : [];
  const properties = isObject(schema.schema['properties']) ? schema.schema['properties'] : {};
  for (const key of required) {
    if (typeof key !== 'string' || written.has(key)) continue;
    const sub = properties[key];
    const type = isObject(sub) ? sub['type'] : undefined;
    lines.push(type === 'array' ? `${key}: []` : type === 'object' ? `${key}: {}` : `${key}: ""`);
  }
  return lines.join('\n');
}

export function bodyText(template: BodyTemplate | undefined, title: string): string {
  const parts = [`A one-line summary of ${title}.`, '', '> [!NOTE] Confidence Rating: ★☆☆ (Emerging)', '> What this rating rests on.', ''];
  if (!template) return parts.slice(0, 1).join('\n') + '\n';
  template.sections.forEach((section, i) => parts.push('---', '', sectionText(section, i, 'Section N: Name'), ''));
  return parts.join('\n');
}

/** A section as a new pattern or a quick fix writes it, in a heading style like `Section N: Name`, `N. Name` or `Name`. */
export function sectionText(section: BodyTemplate['sections'][number], index: number, style: string, level = 3): string {
  const number = index + 1;
  const heading = /^Section \d+:/i.test(style) ? `Section ${number}: ${section.name}` : /^\d+\./.test(style) ? `${number}. ${section.name}` : section.name;
  const lines = [`${'#'.repeat(level)} ${heading}`, ''];
  if (section.lead?.example) lines.push(section.lead.example, '');
  lines.push(section.words ? `_${section.words[0]}–${section.words[1]} words._` : '_Write this section._');
  return lines.join('\n');
}

export function newPatternText(schema: ResolvedSchema, fields: NewPatternFields): string {
  // The Commons skeleton keeps its banner comments; any other schema gets one built from its annotations.
  const frontmatter = schema.schema === BUILTIN_SCHEMAS['commons-v7'] ? commonsFrontmatter(fields) : genericFrontmatter(schema, fields);
  const text = `---\n${frontmatter}\n---\n\n${bodyText(schema.body, fields.title)}`;
  return fields.eol && fields.eol !== '\n' ? text.replace(/\n/g, fields.eol) : text;
}
