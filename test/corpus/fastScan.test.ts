/**
 * The differential test of the fast path (issue 6): on every file of the real
 * Commons library, the fast block-YAML reader gives exactly the PatternDocument
 * of the full `yaml` parse, and where it reads a file, exactly its value and
 * tree. It must read nearly all of them, or it would be no shortcut.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseDocument } from 'yaml';
import { scanBlockYaml } from '../../server/src/core/blockYaml';
import { withDefaults } from '../../server/src/core/config';
import { splitFrontmatter } from '../../server/src/core/frontmatter';
import { treeFromYaml } from '../../server/src/core/frontmatterTree';
import { resolveLibrarySchemas } from '../../server/src/core/librarySchemas';
import { analyzePattern } from '../../server/src/core/pattern';

const REPO = path.resolve(__dirname, '..', '..');
const CORPUS =
  process.env['TRELLIS_CORPUS'] ??
  [path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns'), '/work/shared/corpus/commons-os-patterns'].find((dir) => existsSync(dir)) ??
  path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns');

describe('the fast path on the real Commons library', function () {
  this.timeout(120_000);

  it('gives every file exactly the document of the full parse, and reads at least 99.5% of the files itself (all but 2 today: flow maps over several lines)', () => {
    const schemas = resolveLibrarySchemas(withDefaults({}));
    const files = readdirSync(CORPUS).filter((f) => f.endsWith('.md')).sort();
    assert.ok(files.length > 3000, `the corpus at ${CORPUS} is missing`);
    const differing: string[] = [];
    let read = 0;
    for (const file of files) {
      const text = readFileSync(path.join(CORPUS, file), 'utf8');
      const uri = `file:///library/${encodeURIComponent(file)}`;
      const fast = analyzePattern(uri, text, file, schemas);
      const full = analyzePattern(uri, text, file, schemas, { fastScan: false });
      if (!isDeepStrictEqual(fast, full)) differing.push(file);

      const split = splitFrontmatter(text);
      if (split.kind !== 'frontmatter' || !split.close) continue;
      const scanned = scanBlockYaml(text, split.yamlStart, split.yamlEnd);
      if (!scanned) continue;
      read++;
      const doc = parseDocument(text.slice(split.yamlStart, split.yamlEnd), { uniqueKeys: true, logLevel: 'error' });
      assert.equal(doc.errors.length, 0, `${file}: read although the full parser finds errors`);
      assert.deepStrictEqual(scanned.value, doc.toJS(), `${file}: value`);
      assert.deepStrictEqual(scanned.tree, treeFromYaml(doc, split.yamlStart), `${file}: tree`);
    }
    assert.deepEqual(differing, []);
    assert.ok(read >= files.length * 0.995, `the fast reader read only ${read} of ${files.length} files`);
  });
});
