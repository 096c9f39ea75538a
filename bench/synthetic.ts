/**
 * Synthetic pattern libraries with the real corpus' shape: 57 % current and
 * 43 % older generation, frontmatter of about 6 KB, about 7 curated and 9
 * inferred links per current pattern and 2 id links per older one, about
 * 3.5 % of links dangling, bodies of about 18 KB. One "hub" pattern is
 * referenced by exactly 100 others, for the rename benchmark.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { rng } from '../test/helpers';

const RELATIONS = ['generalizes_from', 'specializes_to', 'enables', 'requires', 'alternatives', 'complementary', 'tools'];
const WORDS = 'commons garden tool library seed circle rota compost charter council harvest share trust mutual care repair learning signal practice ritual map budget ledger forum steward'.split(' ');
const SENTENCE = 'Members of the commons tend this pattern together, adjusting it as the season and the people change, and they write down what they learn so that newcomers can pick it up without starting again. ';

export const HUB_SLUG = 'hub-pattern';

function typeIdFor(i: number): string {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  let n = BigInt(i) * 2654435761n + 0x1f2e3d4c5bn;
  let out = '01';
  while (out.length < 26) {
    out += alphabet[Number(n % 32n)];
    n = n / 32n + BigInt(out.length * 7919);
  }
  return `pat_${out}`;
}

export async function generateLibrary(dir: string, count: number, seed = 1): Promise<{ slugs: string[] }> {
  await fs.mkdir(dir, { recursive: true });
  const pick = rng(seed);
  const slugs = Array.from({ length: count }, (_, i) => (i === 0 ? HUB_SLUG : `${WORDS[i % WORDS.length]}-${WORDS[(i * 7) % WORDS.length]}-${i}`));
  const ids = slugs.map((_, i) => typeIdFor(i));
  // The hub and its 100 referrers are of the current generation; the rest as in the corpus.
  const isV7 = (i: number) => i <= 100 || pick() < 0.573;
  const generations = slugs.map((_, i) => isV7(i));
  const target = (self: number): string => {
    if (pick() < 0.035) return `missing-${Math.floor(pick() * 1e9)}`;
    let t = Math.floor(pick() * count);
    if (t === self) t = (t + 1) % count;
    return slugs[t]!;
  };
  const body = SENTENCE.repeat(80);
  const writes: Array<Promise<void>> = [];
  for (let i = 0; i < count; i++) {
    const slug = slugs[i]!;
    let text: string;
    if (generations[i]) {
      const relationships = RELATIONS.map((relation) => {
        const n = relation === 'complementary' ? 3 : pick() < 0.5 ? 1 : 0;
        const entries: string[] = [];
        for (let k = 0; k < n; k++) entries.push(`    - slug: ${target(i)}\n      weight: ${(0.5 + pick() / 2).toFixed(2)}`);
        // The first 100 patterns after the hub each name it once.
        if (relation === 'complementary' && i >= 1 && i <= 100) entries.push(`    - slug: ${HUB_SLUG}\n      weight: 0.7`);
        return `  ${relation}:${entries.length ? '\n' + entries.join('\n') : ' []'}`;
      }).join('\n');
      const inferred = Array.from({ length: 9 }, () => `    - target: ${target(i)}\n      type: complementary\n      confidence: 0.8\n      reason: "Both rely on members tending shared resources over time."`).join('\n');
      const entities = Array.from({ length: 8 }, (_, k) => `    - id: entity-${k}\n      type: concept\n      label: "Entity ${k}"\n      relevance: 0.8`).join('\n');
      text = `---
# ═══════════════════════════════════════════════════════════════════
# GROUP 1: CORE IDENTITY
# ═══════════════════════════════════════════════════════════════════
id: ${ids[i]}
slug: ${slug}
title: "${slug.replace(/-/g, ' ')}"
aliases: []
summary: >-
  A synthetic pattern about ${slug.replace(/-/g, ' ')}, shaped like the real
  library's patterns for benchmarks.
context_labels:
  corporate: "Corporate"
  government: "Government"
  activist: "Activist"
  tech: "Tech"
ontology:
  domain: ${WORDS[i % 12]}-domain
  cross_domains: []
  commons_domain:
    - life
  search_hints:
    primary_tension: "Speed vs. Care"
    vector_keywords: ["${WORDS[i % WORDS.length]}", "commons"]
  commons_assessment:
    stakeholder_architecture: 3.0
    value_creation: 4.0
    resilience: 3.0
    ownership: 3.0
    autonomy: 3.0
    composability: 3.0
    fractal_value: 4.0
    vitality: 3.5
    vitality_reasoning: >-
      Steady, renewed by the people who keep it.
    overall_score: 3.3
lifecycle:
  usage_stage: application
  adoption_stage: growth
  status: draft
  version: 0.1
  confidence: 2
relationships:
${relationships}
graph_garden:
  last_pruned: 2026-02-19
  entities:
${entities}
  communities: []
  inferred_links:
${inferred}
contributors: ["bench"]
sources: []
license: CC-BY-SA-4.0
attribution: "benchmarks"
---

One line.

> [!NOTE] Confidence Rating: ★★☆ (Developing)

${['Context', 'Problem', 'Solution', 'Implementation', 'Consequences', 'Known Uses', 'Cognitive Era', 'Vitality']
  .map((name, k) => `### Section ${k + 1}: ${name}\n\n${name === 'Problem' ? '> **The core conflict is Speed vs. Care.**\n\n' : name === 'Solution' ? '> **Therefore, tend it together.**\n\n' : ''}${body.slice(0, 2200)}\n`)
  .join('\n---\n\n')}`;
    } else {
      const idList = (n: number) => {
        const items: string[] = [];
        for (let k = 0; k < n; k++) items.push(pick() < 0.035 ? `- pat_${Math.floor(pick() * 1e12).toString(16).padStart(24, '0')}` : `- ${ids[Math.floor(pick() * count)]}`);
        return items.length ? '\n' + items.join('\n') : ' []';
      };
      text = `---
id: ${ids[i]}
title: ${slug.replace(/-/g, ' ')}
slug: ${slug}
aliases: []
classification:
  universality: domain
  domain: startup
  category:
  - team
  era:
  - cognitive
  origin:
  - bench
  status: draft
  commons_alignment: 4
  commons_domain:
  - startup
generalizes_from:${idList(0)}
specializes_to:${idList(0)}
enables:${idList(pick() < 0.3 ? 1 : 0)}
requires: []
related:${idList(2)}
version: 1.0.0
created: 2026-02-01
modified: 2026-02-01
page_url: https://example.org/${slug}/
github_url: https://github.com/example/${slug}.md
contributors:
- name: Bench
  role: author
license: CC-BY-SA-4.0
attribution: Bench
repository: https://github.com/example/patterns
---

# ${slug}

### 1. Overview

${body}
`;
    }
    writes.push(fs.writeFile(path.join(dir, `${slug}.md`), text));
    if (writes.length >= 256) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  return { slugs };
}
