// Writes snippets/pattern.code-snippets from the default body template, so the
// section snippets and the template cannot drift apart (a test checks the file is current).
import { readFileSync, writeFileSync } from 'node:fs';

const config = JSON.parse(readFileSync(new URL('../schemas/trellis.default-config.json', import.meta.url), 'utf8'));
const body = config.schemas.find((s) => s.name === 'commons-v7').body;
const BANNER = '# ═══════════════════════════════════════════════════════════════════';
const banner = (title) => [BANNER, `# ${title}`, BANNER];
const words = (s) => (s.words ? `_${s.words[0]}–${s.words[1]} words._` : '');

let stop = 1;
const sectionLines = (s, i, numbered) => {
  const lines = [`### Section ${numbered ? '${' + stop++ + ':' + (i + 1) + '}' : i + 1}: ${s.name}`, ''];
  if (s.lead?.example) {
    // Tab stops for the parts an author fills in, numbered in order.
    const lead = s.lead.example.replace(/X vs\. Y|…/g, (part) => (part === '…' ? '${' + stop++ + ':…}' : '${' + stop++ + ':X} vs. ${' + stop++ + ':Y}'));
    lines.push(lead, '');
  }
  lines.push('${' + stop++ + ':' + words(s) + '}');
  return lines;
};

const snippets = {};
stop = 1;
const scores = ['stakeholder_architecture', 'value_creation', 'resilience', 'ownership', 'autonomy', 'composability', 'fractal_value', 'vitality'];
const pattern = [
  '---',
  ...banner('GROUP 1: CORE IDENTITY'),
  'id: ${1:pat_}',
  'slug: ${TM_FILENAME_BASE}',
  'title: "${2:${TM_FILENAME_BASE/(^|-)([a-z])/${1:+ }${2:/upcase}/g}}"',
  'aliases: []',
  'summary: >-',
  '  ${3:One or two sentences: what this pattern does, and for whom.}',
  '',
  ...banner('GROUP 2: CONTEXTUAL TRANSLATION (The Navigator Engine)'),
  'context_labels:',
  '  corporate: "${4}"',
  '  government: "${5}"',
  '  activist: "${6}"',
  '  tech: "${7}"',
  '',
  ...banner('GROUP 3: ONTOLOGY & SEARCH OPTIMIZATION (The RAG Fuel)'),
  'ontology:',
  '  domain: ${8:domain}',
  '  cross_domains: []',
  '  commons_domain:',
  '    - life',
  '  search_hints:',
  '    primary_tension: "${9:X} vs. ${10:Y}"',
  '    vector_keywords: []',
  '  commons_assessment:',
  ...scores.map((s) => `    ${s}: 3.0`),
  '    vitality_reasoning: >-',
  '      ${11:How this pattern keeps a living system healthy.}',
  '    overall_score: 3.0',
  '',
  ...banner('GROUP 4: LIFECYCLE & CONFIDENCE'),
  'lifecycle:',
  '  usage_stage: ${12|ideation,design,implementation,operation,recognition,application|}',
  '  adoption_stage: ${13|emerging,early_adopters,growth,mature|}',
  '  status: draft',
  '  version: 0.1',
  '  confidence: 1',
  '',
  ...banner('GROUP 5: HARD RELATIONSHIPS (Human-Curated Graph)'),
  'relationships:',
  ...['generalizes_from', 'specializes_to', 'enables', 'requires', 'alternatives', 'complementary', 'tools'].map((r) => `  ${r}: []`),
  '',
  ...banner('GROUP 6: GRAPH GARDEN (Machine-Written Graph)'),
  'graph_garden:',
  '  last_pruned: ${CURRENT_YEAR}-${CURRENT_MONTH}-${CURRENT_DATE}',
  '  entities: []',
  '  communities: []',
  '  inferred_links: []',
  '',
  ...banner('GROUP 7: PROVENANCE'),
  'contributors: []',
  'sources: []',
  'license: CC-BY-SA-4.0',
  'attribution: "${14:Commons pattern library contributors}"',
  '---',
  '',
  '${15:A one-line summary.}',
  '',
  '> [!NOTE] Confidence Rating: ★☆☆ (Emerging)',
  '> ${16:What this rating rests on.}',
  '',
];
stop = 17;
body.sections.forEach((s, i) => pattern.push('---', '', ...sectionLines(s, i, false), ''));
pattern.push('$0');
snippets['Trellis: new pattern'] = { prefix: ['pattern', 'trellis-pattern'], description: 'A whole new pattern: the seven frontmatter groups and the eight body sections. Complete `id:` for a fresh TypeID, or use "Trellis: New Pattern".', body: pattern };

body.sections.forEach((s, i) => {
  stop = 1;
  const lines = sectionLines(s, i, false);
  lines.push('', '$0');
  snippets[`Trellis: section ${s.name}`] = { prefix: [`section-${s.name.toLowerCase().replace(/\s+/g, '-')}`], description: `Section ${i + 1}: ${s.name}${s.words ? ` (${s.words[0]}–${s.words[1]} words)` : ''}.`, body: lines };
});

snippets['Trellis: relationship entry'] = { prefix: ['rel', 'relationship'], description: 'A relationship entry: the other pattern by slug, and a weight from 0 to 1. Complete the slug.', body: ['- slug: ${1}', '  weight: ${2:0.8}$0'] };
snippets['Trellis: commons assessment'] = {
  prefix: ['assessment', 'commons-assessment'],
  description: 'The commons assessment block: seven scores and vitality from 1 to 5, the reasoning, and overall_score, the mean of the eight (a quick fix writes it).',
  body: ['commons_assessment:', ...scores.map((s, i) => `  ${s}: \${${i + 1}:3.0}`), '  vitality_reasoning: >-', '    ${9:Why.}', '  overall_score: ${10:3.0}$0'],
};
snippets['Trellis: confidence note'] = {
  prefix: ['confidence-note'],
  description: 'The confidence callout. Its stars must match lifecycle.confidence (1 ★☆☆, 2 ★★☆, 3 ★★★).',
  body: ['> [!NOTE] Confidence Rating: ${1|★☆☆,★★☆,★★★|} (${2|Emerging,Developing,Established|})', '> ${3:What this rating rests on.}$0'],
};

const out = JSON.stringify(snippets, null, 2) + '\n';
if (process.argv.includes('--check')) {
  const current = readFileSync(new URL('../snippets/pattern.code-snippets', import.meta.url), 'utf8');
  if (current !== out) {
    console.error('snippets/pattern.code-snippets is out of date: run `node scripts/snippets.mjs`.');
    process.exit(1);
  }
} else writeFileSync(new URL('../snippets/pattern.code-snippets', import.meta.url), out);
