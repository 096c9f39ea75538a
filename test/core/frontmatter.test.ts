import * as assert from 'node:assert/strict';
import { withDefaults } from '../../server/src/core/config';
import { isFenceLine, splitFrontmatter } from '../../server/src/core/frontmatter';
import { resolveLibrarySchemas } from '../../server/src/core/librarySchemas';
import { analyzePattern } from '../../server/src/core/pattern';
import { marked, assertRange, v7Pattern } from '../helpers';

const schemas = resolveLibrarySchemas(withDefaults({}));
const analyze = (text: string, name = 'a.md') => analyzePattern(`file:///lib/${name}`, text, name, schemas);
const codes = (text: string, name = 'a.md') => analyze(text, name)?.localDiagnostics.map((d) => d.code);

describe('reading a pattern file', () => {
  it('finds the frontmatter between fences, with LF or CRLF and a BOM', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = '\uFEFF---' + eol + 'slug: a' + eol + '---' + eol + 'Body' + eol;
      const split = splitFrontmatter(text);
      assert.equal(split.kind, 'frontmatter');
      if (split.kind !== 'frontmatter') return;
      assert.equal(text.slice(split.yamlStart, split.yamlEnd), 'slug: a' + eol);
      assert.equal(text.slice(split.bodyStart), 'Body' + eol);
    }
  });

  it('takes as a fence exactly the lines the fence expressions of YAML frontmatter match', () => {
    // Every string of up to five characters over the alphabet that matters (and one that does not), at an offset.
    const alphabet = ['-', '.', ' ', '\t', '\r', 'x'];
    const strings = [''];
    for (let length = 1, last = ['']; length <= 5; length++) {
      last = last.flatMap((s) => alphabet.map((c) => s + c));
      strings.push(...last);
    }
    for (const line of strings) {
      const text = `ab${line}cd`;
      assert.equal(isFenceLine(text, 2, 2 + line.length, false), /^---[ \t]*$/.test(line), JSON.stringify(line));
      assert.equal(isFenceLine(text, 2, 2 + line.length, true), /^(?:---|\.\.\.)[ \t]*$/.test(line), JSON.stringify(line));
    }
  });

  it('ignores files without frontmatter: they are not patterns', () => {
    assert.equal(analyze('# Just a README\n\nText.\n'), undefined);
    assert.equal(analyze(''), undefined);
    assert.equal(analyze('--- not a fence\n'), undefined);
  });

  it('reports a missing closing fence on the opening line, and keeps the slug', () => {
    const { text, ranges } = marked('[[---]]\nid: pat_01\nslug: a\ntitle: A\n');
    const doc = analyze(text)!;
    const diagnostic = doc.localDiagnostics.find((d) => d.code === 'yaml-syntax')!;
    assert.match(diagnostic.message, /no closing `---`/);
    assertRange(diagnostic.range, ranges[0]!);
    assert.equal(doc.slug, 'a');
  });

  it('reports empty frontmatter as missing required fields', () => {
    const doc = analyze('---\n---\nBody\n')!;
    assert.ok(doc.localDiagnostics.some((d) => d.code === 'schema'), JSON.stringify(doc.localDiagnostics));
  });

  it('reports frontmatter that is a list or a scalar at its first line', () => {
    for (const yaml of ['- a\n- b\n', 'just text\n']) {
      const doc = analyze(`---\n${yaml}---\n`)!;
      const schema = doc.localDiagnostics.filter((d) => d.code === 'schema');
      assert.equal(schema.length, 1, JSON.stringify(schema));
      assert.match(schema[0]!.message, /must be a mapping/);
      assert.equal(schema[0]!.range.start.line, 1);
    }
  });

  it('reports broken YAML at the parser position and still registers the pattern by its slug', () => {
    const text = v7Pattern('broken').replace('ontology:\n  domain: test-domain', 'ontology: {domain: test-domain, cross_domains: []\n  commons_domain2: x');
    const doc = analyze(text, 'broken.md')!;
    assert.equal(doc.hasSyntaxErrors, true);
    assert.equal(doc.slug, 'broken');
    const yaml = doc.localDiagnostics.filter((d) => d.code === 'yaml-syntax');
    assert.ok(yaml.length >= 1);
    assert.equal(yaml[0]!.range.start.line, 14);
    assert.deepEqual(doc.localDiagnostics.filter((d) => d.code === 'schema'), [], 'no schema noise on top of a syntax error');
  });

  it('reports duplicate keys as YAML errors', () => {
    assert.ok(codes('---\nslug: a\nslug: b\n---\n')!.includes('yaml-syntax'));
  });

  it('survives an alias bomb with a readable diagnostic', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) bomb.push(`${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(9).fill('*' + 'abcdefghij'[i - 1]).join(',')}]`);
    const doc = analyze(`---\n${bomb.join('\n')}\n---\n`)!;
    assert.ok(doc.localDiagnostics.some((d) => d.code === 'yaml-syntax' && /could not be read/.test(d.message)));
  });

  it('uses the v1 schema for files with a classification block, and v7 for the rest', () => {
    assert.equal(analyze('---\nid: pat_1\nslug: a\ntitle: A\nclassification: {}\n---\n')!.schemaName, 'commons-v1');
    assert.equal(analyze(v7Pattern('a'))!.schemaName, 'commons-v7');
    const fixed = resolveLibrarySchemas(withDefaults({ schemas: [...withDefaults({}).schemas.map((s) => (s.name === 'commons-v1' ? { ...s, files: ['old/**'] } : s))] }));
    assert.equal(analyzePattern('file:///lib/old/a.md', v7Pattern('a'), 'old/a.md', fixed)!.schemaName, 'commons-v1', 'config fixes the schema by path');
  });
});
