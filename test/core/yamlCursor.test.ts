import * as assert from 'node:assert/strict';
import { cursorAt } from '../../server/src/core/yamlCursor';

/** `|` marks the cursor. */
function place(source: string) {
  const offset = source.indexOf('|');
  const text = source.slice(0, offset) + source.slice(offset + 1);
  const cursor = cursorAt(text, offset);
  return cursor && { kind: cursor.place.kind, path: cursor.place.path.join('.'), prefix: cursor.place.prefix };
}

const doc = (body: string) => `---\n${body}\n---\nBody\n`;

describe('the cursor in frontmatter, from indentation alone', () => {
  const cases: Array<[string, string, { kind: string; path: string; prefix: string } | undefined]> = [
    ['a key at the top', doc('id: x\nsl|'), { kind: 'key', path: '', prefix: 'sl' }],
    ['a blank line in a nested map', doc('lifecycle:\n  status: draft\n  |'), { kind: 'key', path: 'lifecycle', prefix: '' }],
    ['a value', doc('lifecycle:\n  status: dr|'), { kind: 'value', path: 'lifecycle.status', prefix: 'dr' }],
    ['a quoted value', doc('title: "Ab|c"'), { kind: 'value', path: 'title', prefix: 'Ab' }],
    ['a relationship slug', doc('relationships:\n  enables:\n    - slug: act|\n      weight: 0.9'), { kind: 'value', path: 'relationships.enables.0.slug', prefix: 'act' }],
    ['a key in a list entry', doc('relationships:\n  enables:\n    - slug: a\n      we|'), { kind: 'key', path: 'relationships.enables.0', prefix: 'we' }],
    ['the first key of a new entry', doc('relationships:\n  enables:\n    - slug: a\n    - sl|'), { kind: 'item', path: 'relationships.enables.0', prefix: 'sl' }],
    ['a compact list under its key', doc('relationships:\n  requires:\n  - slug: a\n    weight: 1\n  - slug: b|'), { kind: 'value', path: 'relationships.requires.0.slug', prefix: 'b' }],
    ['a bare string item', doc('enables:\n- pat_01|'), { kind: 'item', path: 'enables.0', prefix: 'pat_01' }],
    ['an inferred link target', doc('graph_garden:\n  inferred_links:\n    - target: x\n      type: en|\n'), { kind: 'value', path: 'graph_garden.inferred_links.0.type', prefix: 'en' }],
    ['a list under a key of an entry', doc('a:\n  - labels:\n      - x|'), { kind: 'item', path: 'a.0.labels.0', prefix: 'x' }],
    ['invalid YAML around the cursor', doc('relationships:\n  enables:\n    - slug: {broken\n    - slug: |\nlifecycle: [x'), { kind: 'value', path: 'relationships.enables.0.slug', prefix: '' }],
  ];
  for (const [name, source, expected] of cases) {
    it(name, () => assert.deepEqual(place(source), expected));
  }

  it('is undefined in the body', () => {
    assert.equal(place('---\nid: x\n---\nBo|dy\n'), undefined);
  });
});
