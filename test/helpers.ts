/** Shared test helpers: an in-memory library host and fixtures marked with ranges. */
import * as assert from 'node:assert/strict';
import type { Range } from 'vscode-languageserver-types';
import type { LibraryHost } from '../server/src/core/library';
import { LineMap } from '../server/src/core/text';

export const ROOT = 'file:///lib';

export class MemoryHost implements LibraryHost {
  readonly files = new Map<string, string>();

  constructor(files: Record<string, string> = {}) {
    for (const [name, text] of Object.entries(files)) this.files.set(`${ROOT}/${name}`, text);
  }

  async readFile(uri: string): Promise<string | undefined> {
    return this.files.get(uri);
  }

  async listFiles(folderUri: string, exclude: (relativePath: string) => boolean): Promise<string[]> {
    const prefix = folderUri.replace(/\/+$/, '') + '/';
    return [...this.files.keys()].filter((uri) => uri.startsWith(prefix) && !exclude(uri.slice(ROOT.length + 1)));
  }
}

/**
 * A fixture with ranges marked as `[[…]]`: returns the text without the marks
 * and the ranges they enclosed, in order.
 */
export function marked(source: string): { text: string; ranges: Range[] } {
  let text = '';
  const starts: number[] = [];
  const spans: Array<[number, number]> = [];
  for (let i = 0; i < source.length; i++) {
    if (source.startsWith('[[', i)) {
      starts.push(text.length);
      i++;
    } else if (source.startsWith(']]', i) && starts.length > 0) {
      spans.push([starts.pop()!, text.length]);
      i++;
    } else text += source[i];
  }
  const lines = new LineMap(text);
  spans.sort((a, b) => a[0] - b[0]);
  return { text, ranges: spans.map(([s, e]) => lines.range(s, e)) };
}

export function assertRange(actual: Range, expected: Range, what = 'range'): void {
  assert.deepEqual(actual, expected, `${what}: expected ${fmt(expected)}, got ${fmt(actual)}`);
}

function fmt(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** A complete, valid current-generation pattern; `overrides` replaces whole lines by their key. */
export function v7Pattern(slug: string, options: { id?: string; relationships?: string; extraBody?: string; confidence?: number; stars?: string; overall?: string } = {}): string {
  const id = options.id ?? typeId(slug);
  return `---
# ═══ GROUP 1: CORE IDENTITY ═══
id: ${id}
slug: ${slug}
title: "${slug.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ')}"
aliases: []
summary: >-
  A pattern called ${slug}, written for tests.
context_labels:
  corporate: "Corporate"
  government: "Government"
  activist: "Activist"
  tech: "Tech"
ontology:
  domain: test-domain
  cross_domains: []
  commons_domain:
    - life
  search_hints:
    primary_tension: "Speed vs. Care"
    vector_keywords: ["test"]
  commons_assessment:
    stakeholder_architecture: 3.0
    value_creation: 4.0
    resilience: 3.0
    ownership: 3.0
    autonomy: 3.0
    composability: 3.0
    fractal_value: 4.0
    vitality: 3.5
    vitality_reasoning: "Steady."
    overall_score: ${options.overall ?? '3.3'}
lifecycle:
  usage_stage: application
  adoption_stage: growth
  status: draft
  version: 0.1
  confidence: ${options.confidence ?? 2}
relationships:
${options.relationships ?? '  enables: []'}
graph_garden:
  last_pruned: 2026-02-19
  entities: []
  communities: []
  inferred_links: []
contributors: ["tester"]
sources: []
license: CC-BY-SA-4.0
attribution: "tests"
---

One line.

> [!NOTE] Confidence Rating: ${options.stars ?? '★★☆'} (Tested)

### Section 1: Context
Text.

### Section 2: Problem

> **The core conflict is Speed vs. Care.**

### Section 3: Solution

> **Therefore, test it.**

### Section 4: Implementation
Text.
${options.extraBody ?? ''}
### Section 5: Consequences
Text.

### Section 6: Known Uses
Text.

### Section 7: Cognitive Era
Text.

### Section 8: Vitality
Text.
`;
}

/** A deterministic, well-formed TypeID for a slug (tests only). */
export function typeId(seed: string): string {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  let h = 2166136261;
  let out = '01';
  for (let i = 0; out.length < 26; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i % seed.length) ^ i, 16777619) >>> 0;
    out += alphabet[h % 32];
  }
  return `pat_${out}`;
}

export function v1Pattern(slug: string, id: string, lists: Partial<Record<'generalizes_from' | 'specializes_to' | 'enables' | 'requires' | 'related', string[]>> = {}): string {
  const list = (name: keyof typeof lists): string => {
    const items = lists[name] ?? [];
    return items.length ? `${name}:\n${items.map((i) => `- ${i}`).join('\n')}` : `${name}: []`;
  };
  return `---
id: ${id}
title: ${slug}
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
  - startup-ecosystem
  status: draft
  commons_alignment: 4
  commons_domain:
  - startup
${list('generalizes_from')}
${list('specializes_to')}
${list('enables')}
${list('requires')}
${list('related')}
version: 1.0.0
created: 2026-02-01
modified: 2026-02-01
page_url: https://example.org/${slug}/
github_url: https://github.com/example/${slug}.md
contributors:
- name: Tester
  role: author
license: CC-BY-SA-4.0
attribution: Tests
repository: https://github.com/example/patterns
---

# ${slug}

### 1. Overview

Text.
`;
}

/** A small deterministic PRNG (mulberry32), so a failing random run can be replayed from its seed. */
export function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
