/**
 * `trellis check` on the real Commons library, against counts derived
 * independently: gray-matter (js-yaml, a different YAML parser) and a plain
 * walk of the frontmatter that knows the format, not our schemas.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import matter from 'gray-matter';

const REPO = path.resolve(__dirname, '..', '..');
const CORPUS =
  process.env['TRELLIS_CORPUS'] ??
  [path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns'), '/work/shared/corpus/commons-os-patterns'].find((dir) => existsSync(dir)) ??
  path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns');

interface Expected {
  patterns: number;
  brokenYaml: Set<string>;
  references: number;
  /** "file target" for each dangling reference. */
  dangling: string[];
  duplicateIdFiles: Set<string>;
}

/** The independent scan. */
function scan(): Expected {
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.md'));
  const parsed = new Map<string, Record<string, unknown>>();
  const brokenYaml = new Set<string>();
  const slugs = new Set<string>();
  const ids = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(path.join(CORPUS, file), 'utf8');
    try {
      const data = matter(text, {}).data as Record<string, unknown>;
      parsed.set(file, data);
      if (typeof data['slug'] === 'string') slugs.add(data['slug']);
      if (typeof data['id'] === 'string') ids.set(data['id'], [...(ids.get(data['id']) ?? []), file]);
    } catch {
      brokenYaml.add(file);
      // A broken file still names itself on its own lines.
      const slug = /^slug:\s*(\S+)\s*$/m.exec(text)?.[1];
      if (slug) slugs.add(slug);
    }
  }
  let references = 0;
  const dangling: string[] = [];
  const note = (file: string, target: string, resolves: boolean): void => {
    references++;
    if (!resolves) dangling.push(`${file} ${target}`);
  };
  for (const [file, data] of parsed) {
    const relationships = data['relationships'];
    if (relationships && typeof relationships === 'object') {
      for (const entries of Object.values(relationships as Record<string, unknown>)) {
        for (const entry of Array.isArray(entries) ? entries : []) {
          if (typeof entry === 'string') note(file, entry, slugs.has(entry));
          else if (entry && typeof entry === 'object') {
            const { slug, id } = entry as { slug?: unknown; id?: unknown };
            if (typeof slug === 'string') note(file, slug, slugs.has(slug));
            // `id` entries hold slugs in practice, and sometimes ids.
            if (typeof id === 'string') note(file, id, slugs.has(id) || ids.has(id));
          }
        }
      }
      const garden = data['graph_garden'] as { inferred_links?: unknown } | undefined;
      for (const link of Array.isArray(garden?.inferred_links) ? garden!.inferred_links : []) {
        const target = (link as { target?: unknown }).target;
        if (typeof target === 'string') note(file, target, slugs.has(target));
      }
    } else {
      for (const list of ['generalizes_from', 'specializes_to', 'enables', 'requires', 'related']) {
        for (const id of Array.isArray(data[list]) ? (data[list] as unknown[]) : []) if (typeof id === 'string') note(file, id, ids.has(id));
      }
    }
  }
  const duplicateIdFiles = new Set([...ids.values()].filter((f) => f.length > 1).flat());
  return { patterns: files.length, brokenYaml, references, dangling, duplicateIdFiles };
}

describe('the real Commons library', function () {
  before(function () {
    if (!existsSync(CORPUS)) {
      console.warn(`    (skipped: no corpus at ${CORPUS}; set TRELLIS_CORPUS)`);
      this.skip();
    }
  });

  it('trellis check --format json reports exactly the dangling references, broken files and duplicate ids a plain scan finds', () => {
    const expected = scan();
    const run = spawnSync(process.execPath, [path.join(REPO, 'bin', 'trellis.js'), 'check', CORPUS, '--format', 'json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    assert.equal(run.status, 1, run.stderr);
    const results = JSON.parse(run.stdout) as Array<{ file: string; code: string; message: string; line: number }>;
    const base = (r: { file: string }) => path.basename(r.file);

    // Sanity of the oracle itself, so that a broken scan cannot pass.
    assert.equal(expected.patterns, 3616);
    assert.ok(expected.references > 36000, `references: ${expected.references}`);

    const dangling = results.filter((r) => r.code === 'dangling-reference').map((r) => `${base(r)} ${/points to `([^`]+)`/.exec(r.message)![1]}`);
    assert.deepEqual([...dangling].sort(), [...expected.dangling].sort());
    assert.ok(dangling.length > 1200 && dangling.length < 1400, `dangling: ${dangling.length}`);

    const broken = new Set(results.filter((r) => r.code === 'yaml-syntax').map(base));
    assert.deepEqual(broken, expected.brokenYaml);
    assert.equal(broken.size, 2);

    const duplicateIds = new Set(results.filter((r) => r.code === 'duplicate-id').map(base));
    assert.deepEqual(duplicateIds, expected.duplicateIdFiles);

    // No generation's rules leak into the other, and the schemas describe the library as used.
    const schema = results.filter((r) => r.code === 'schema');
    assert.ok(schema.length <= 100, `schema diagnostics: ${schema.length}`);
    assert.equal(results.filter((r) => r.code === 'slug-filename-mismatch').length, 0);
  });
});
