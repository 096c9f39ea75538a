/**
 * The fast block-YAML reader against the `yaml` parser: wherever it answers,
 * it must answer exactly as `yaml` does (plain value and tree with ranges);
 * where it cannot be sure, it must decline. Cases it must read are marked, so
 * a reader that declined everything would fail here.
 */
import * as assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { resolvePlain, scanBlockYaml } from '../../server/src/core/blockYaml';
import { treeFromYaml } from '../../server/src/core/frontmatterTree';
import { analyzePattern } from '../../server/src/core/pattern';
import { resolveLibrarySchemas } from '../../server/src/core/librarySchemas';
import { withDefaults } from '../../server/src/core/config';
import { rng } from '../helpers';

/** Compares the reader with `yaml` on `source`; `expect` says whether the reader must read it or must decline. */
function check(source: string, expect: 'reads' | 'declines' | 'either' = 'reads'): void {
  // A prefix, so that ranges are offsets into a larger text as in a real file.
  const text = '---\n' + source;
  const scanned = scanBlockYaml(text, 4, text.length);
  const doc = parseDocument(source, { uniqueKeys: true, logLevel: 'error' });
  if (expect === 'declines') assert.equal(scanned, undefined, `should decline:\n${source}`);
  if (expect === 'reads') assert.ok(scanned, `should read:\n${source}`);
  if (!scanned) return;
  assert.deepEqual(doc.errors.map((e) => e.message), [], `accepted YAML that has errors:\n${source}`);
  assert.deepStrictEqual(scanned.value, doc.toJS(), `value of:\n${source}`);
  assert.deepStrictEqual(scanned.tree, treeFromYaml(doc, 4), `tree of:\n${source}`);
}

describe('fast block-YAML reader', () => {
  it('reads the block YAML that pattern files are written in', () => {
    check('id: pat_01\ntitle: "Able-Bodied Privilege"\nslug: able\naliases: []\n');
    check('# banner\n# ═══\nid: x # trailing comment\n\n\nslug: y\n');
    check('a:\n  b:\n    c: 1\n  d: [x, "y, z", \'w\', 3]\n');
    check('list:\n- a\n- b\nnext: 1\n');
    check('list:\n  - a\n  -   b\n  - c: 1\n    d: 2\n  - e: [1, 2]\n');
    check('rel:\n  - slug: x\n    weight: 0.82\n  - slug: y\n    weight: 1\nother: []\n');
    check('nested:\n- - a\n', 'declines');
    check('empty:\nafter: 1\nlast:\n');
    check('c: # comment only\n  # indented comment\nd: 2\n');
    check('s: >-\n  For able-bodied people: understanding\n  systemic advantages.\n\n# next group\nt: 1\n');
    check('s: >\n  folded\n\n  with a blank line\n\n\nt: |\n  literal\n    more indented\n  # not a comment\n\nu: |-\n  x\n');
    check('n: [1, -2, 0.5, 1e3, .5, 0o17, 0x1F, +7, 1.0.0, 2026-02-01, .inf, -.Inf, .nan, ~, null, Null, TRUE, false, yes, on, 1_000]\n', 'either');
    check('n1: 1\nn2: -2\nn3: 0.50\nn4: 1e3\nn5: 0o17\nn6: 0x1F\nn7: +7\nv: 1.0.0\nd: 2026-02-01\ni: .inf\nj: -.Inf\nk: .nan\nl: ~\nm: Null\nt: TRUE\nf: false\ny: yes\no: on\nu: 1_000\nz: -0\n');
    check('q: "esc \\" \\\\ \\n \\t \\u00e9 \\x41 \\U0001F600 \\/ \\_"\nr: \'it\'\'s\'\n');
    check('url: https://example.org/a#b?c=d\ncolon: a:b\nhash: C#\nquote: it\'s "fine"\ndash: -x\n');
    check('crlf: 1\r\nlist:\r\n  - a\r\n  - b\r\ns: >-\r\n  x\r\n  y\r\n');
    check('k: v  \nw: "x"   # c\n');
    check('unicode: Ωmega 😀\n"quoted key": 1\n', 'declines');
    // Scalars over several lines: plain and single-quoted, as the corpus writes long titles and sources.
    check('a: plain\n  continued\n  over lines\nb: 1\n');
    check('a: plain\n\n  after a blank\n\n\n  and two\n\nb: 1\n');
    check('a: plain\n  # a comment ends it\nb: 1\n');
    check('list:\n- first item\n  continued\n- second: item\n    continued too\n  third: 3\n');
    check('a: 12\n  34\nb: true\n  false\n');
    check("a: 'single\n  continued ''quoted''\n\n  after a blank'  # c\nb: 'one line'\n");
    check("sources:\n- 'Brennan, D. (2021). Long\n  title: with a colon.'\n- 'x'\n");
    check("a: 'ends''\n  ''here'\n");
    // Frontmatter larger than the shared line tables, then a small one that uses them again.
    check('big:\n' + Array.from({ length: 12000 }, (_, i) => `- item-${i} # note\n`).join('') + 'after: 1\n');
    check('small: [a]\nlist:\n- x\n');
    check('labels: {corporate: "A, b", tech: C d}\nrel:\n  - {id: x, weight: 0.9, description: "It\'s: fine"}\n  - {id: y, tags: [a, "b"], nested: {k: 1}}\nempty: {}\n');
  });

  it('declines what it does not fully understand, and never accepts an error', () => {
    const declined = [
      'a: b: c\n',
      'a: 1\na: 2\n',
      'a:\tb\n',
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: "unclosed\n  continued"\n',
      'a: plain\n  - dash continued\n',
      'a: plain\n  b: c\n',
      "a: 'single\nat the margin'\n",
      "- 'in a list\n'\n",
      'a: [1,\n  2]\n',
      'a: |+\n  keep\n\n',
      'a: |2\n   x\n',
      'a: >\n\n  leading blank\n',
      'a: >\n  x\n    more indented\n',
      '- top\n- level list\n',
      '  a: indented root\n',
      'a: 1\n  b: 2\n',
      'a:\n  - x\n  b: 1\n',
      '%YAML 1.2\n---\na: 1\n',
      'a: "x" y\n',
      'a: [x,]\n',
      'a: [x, , y]\n',
      'a: {b: 1,}\n',
      'a: {b: 1, b: 2}\n',
      'a: {b}\n',
      'a: {b: }\n',
      'a: {b:1}\n',
      'a: {"b": 1}\n',
      'a: {b: 1\n  , c: 2}\n',
      'a: {b: c: d}\n',
      '? complex\n: key\n',
      '1: numeric key\n',
      'true: bool key\n',
      '__proto__: x\n',
      'a: "bad \\q escape"\n',
      'a: x\rb: y\n',
      'a: "x"#c\n',
      'a: -\n',
      'a:\n- x\n  - y\n',
      // Control characters, DEL and a BOM, anywhere: left to yaml, whatever it makes of them.
      'a: x\u0001y\n',
      'a: 1\nb: x\u001f\n',
      'a: x\u007fy\n',
      'a: 1\n# comment \u007f\n',
      '\ufeffa: 1\n',
      'a: "x\ufeffy"\n',
      'a: x\u000by\n',
    ];
    for (const source of declined) check(source, 'declines');
  });

  it('resolves plain scalars (numbers, booleans, null, dates, versions) exactly as yaml does', () => {
    const pick = rng(11);
    const alphabet = '0123456789+-.eExXoabcdfABCDFinNIa_: ~t';
    const samples = ['007', '+1', '-0', '.5', '1.', '0.', '-.inf', '+.INF', '.Inf', '.NaN', '.nan', '.NAN', 'nan', '0x1F', '0x', '0o17', '0o8', '1e5', '1e+5', '2e-3', '2e-3x', 'e5', '1.0.0', '1-2', '2026-02-01', '+', '-', '.', 'Null', 'NULL', 'nULL', 'TRUE', 'True', 'tRUE', 'False', '~', '~~', '12:30', '1_000', '0b101', '9007199254740993', '1e400', '-1e400'];
    // Either side of the 15 digits the reader turns into a number itself (past them, parseFloat does).
    samples.push('0.1', '0.3', '-0.0', '+0.5', '123456789012345', '-123456789012345', '1234567890123456', '0.123456789012345', '1.23456789012345', '12345678.9012345', '1.2345678901234567', '99999999999999.9', '0.000000000000001', '4.35', '2.675', '1.005');
    for (let n = 0; n < 5000; n++) {
      let raw = '';
      for (let k = 1 + Math.floor(pick() * 6); k > 0; k--) raw += alphabet[Math.floor(pick() * alphabet.length)]!;
      samples.push(raw.trim());
    }
    let numbers = 0;
    for (const raw of samples) {
      const doc = parseDocument(`k: ${raw}\n`, { logLevel: 'error' });
      // Only what reads as a plain scalar in `k: …` (not a list item, comment, tag, anchor or flow).
      if (doc.errors.length > 0 || raw === '' || raw === '-' || /[:#]|^- |^[?!&*|>'"%@`,[\]{}]/.test(raw)) continue;
      const expected = (doc.toJS() as { k: unknown }).k;
      if (typeof expected !== 'string') numbers++;
      assert.deepStrictEqual(resolvePlain(raw), expected, `plain scalar ${JSON.stringify(raw)}`);
    }
    assert.ok(numbers > 300, `only ${numbers} samples resolved to something other than a string`);
  });

  it('reads every key right when thousands of different keys share its table of keys seen before', () => {
    const pick = rng(5);
    const letters = 'abcdefghijklmnopqrstuvwxyz_$0123456789';
    for (let n = 0; n < 300; n++) {
      const lines: string[] = [];
      const used = new Set<string>();
      for (let k = 0; k < 12; k++) {
        let key = letters[Math.floor(pick() * 26)]!;
        for (let len = 1 + Math.floor(pick() * 8); len > 0; len--) key += letters[Math.floor(pick() * letters.length)]!;
        if (used.has(key)) continue;
        used.add(key);
        // The same keys again, nested: a key the table holds must read the same at any depth.
        lines.push(pick() < 0.3 ? `${key}:\n  ${key}: ${n}\n  other_${key}: x` : `${key}: v${k}`);
      }
      check(lines.join('\n') + '\n');
    }
  });

  it('agrees with yaml on thousands of random documents, valid and broken', () => {
    const pick = rng(7);
    const choose = <T,>(items: readonly T[]): T => items[Math.floor(pick() * items.length)]!;
    const scalars = ['a', 'slug-x', 'x y', "it's", '"q \\" q"', "'s''s'", '1', '-1', '0.5', '1e3', 'true', 'null', '~', '', 'http://x/a#b', 'é 😀', 'C#', '"a: b"', '[a, "b", 3]', '[]', 'a # comment', '2026-02-01'];
    const fragments = [':', ': ', '- ', '"', "'", '[', ']', '{', '\n', '  ', '\t', '&a ', '*a', '#', '|', '>-', '? ', '\r'];
    const block = (indent: number, depth: number): string[] => {
      const pad = ' '.repeat(indent);
      const lines: string[] = [];
      const keys = 1 + Math.floor(pick() * 4);
      for (let k = 0; k < keys; k++) {
        const key = `${choose(['k', 'slug', 'list', 'x'])}${k}`;
        const roll = pick();
        const shape = roll < 0.08 ? 5 : depth > 2 ? 0 : Math.floor(roll * 7) === 5 ? 6 : Math.floor(roll * 7);
        if (shape === 0) lines.push(`${pad}${key}: ${choose(scalars)}`);
        else if (shape === 1) lines.push(`${pad}${key}:`, ...block(indent + 2, depth + 1));
        else if (shape === 2 || shape === 3) {
          const itemPad = shape === 2 ? pad : pad + '  ';
          lines.push(`${pad}${key}:`);
          for (let i = 0, n = 1 + Math.floor(pick() * 3); i < n; i++) {
            if (pick() < 0.5) lines.push(`${itemPad}- ${choose(scalars)}`);
            else {
              const inner = block(itemPad.length + 2, depth + 1);
              lines.push(`${itemPad}- ${inner[0]!.trimStart()}`, ...inner.slice(1));
            }
          }
        } else if (shape === 4) lines.push(`${pad}${key}: ${choose(['>-', '>', '|', '|-'])}`, `${pad}  ${choose(scalars)}`, ...(pick() < 0.5 ? ['', `${pad}  ${choose(scalars)}`] : []));
        else if (shape === 5) {
          // A scalar over several lines, plain or single-quoted, continued at random indentations (some too shallow).
          const quoted = pick() < 0.4;
          lines.push(`${pad}${key}: ${quoted ? "'" : ''}${choose(['words', "it''s", 'a: b', 'x #c', '1', ''])}`);
          for (let n = 1 + Math.floor(pick() * 3); n > 0; n--) {
            if (pick() < 0.3) lines.push(choose(['', ' '.repeat(indent + 1), '  # c']));
            lines.push(' '.repeat(Math.max(0, indent - 1 + Math.floor(pick() * 4))) + choose(['more words', "it''s", 'C#', '- dash', 'k: v', '42', "''"]));
          }
          if (quoted) lines[lines.length - 1] += choose(["'", "' # c", "'x", '']);
        } else lines.push(`${pad}# ${choose(scalars)}`, `${pad}${key}: ${choose(scalars)}`, '');
      }
      return lines;
    };
    let read = 0;
    let folded = 0;
    for (let n = 0; n < 4000; n++) {
      let source = block(0, 0).join(choose(['\n', '\n', '\r\n'])) + '\n';
      if (pick() < 0.3) {
        const at = Math.floor(pick() * source.length);
        source = source.slice(0, at) + choose(fragments) + source.slice(at);
      }
      check(source, 'either');
      const scanned = scanBlockYaml(source, 0, source.length);
      if (scanned) read++;
      if (scanned && /\S( |\\n)+(more words|it's|42|C#)/.test(JSON.stringify(scanned.value))) folded++;
    }
    // Most of these documents are valid block YAML: a reader that declined them would be no use.
    assert.ok(read > 1600, `the reader read only ${read} of 4000 documents`);
    assert.ok(folded > 100, `the reader read only ${folded} documents with a scalar over several lines`);
  });

  it('gives the same PatternDocument as the full parser, schema errors included', () => {
    const schemas = resolveLibrarySchemas(withDefaults({}));
    const files = [
      '---\nid: pat_1\nslug: a\ntitle: A\nrelationships:\n  enables:\n    - slug: b\n      weight: 0.8\n---\n# A\n',
      '---\nid: pat_1\nslug: a\ntitle: A\nunknown_key: 1\nrelationships:\n  enables: [b]\n---\n',
      '---\nslug: 12\ntitle: [not, a, string]\n---\n',
    ];
    for (const text of files) {
      assert.deepStrictEqual(analyzePattern('file:///lib/a.md', text, 'a.md', schemas), analyzePattern('file:///lib/a.md', text, 'a.md', schemas, { fastScan: false }));
    }
  });
});
