/**
 * Bundles start through V8's code cache (server/src/boot.ts): the second run
 * of a build loads its compiled code; a damaged, stale or unwritable cache is
 * never used and never stops a bundle; `--no-cache` writes nothing.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs, readdirSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnalysisPool } from '../../server/src/nodeAnalysis';
import { defaultConfig } from '../../server/src/core/config';
import { pathToUri } from '../../server/src/nodeHost';

const REPO = path.resolve(__dirname, '..', '..');
const BOOT = path.join(REPO, 'dist', 'boot.js');
const CLI = path.join(REPO, 'bin', 'trellis.js');

/** A bundle that reports how it was started and that its module scope is the one Node gives. */
function toyBundle(marker: string): string {
  return `'use strict';
const state = globalThis[Symbol.for('trellis.codeCache')];
function work(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }
module.exports.answer = work(1000);
process.stdout.write(JSON.stringify({
  marker: ${JSON.stringify(marker)},
  fromCache: state ? state.fromCache : null,
  filename: __filename,
  dirname: __dirname,
  sep: require('node:path').sep,
  exportsIsModuleExports: exports === module.exports,
  answer: module.exports.answer,
}));
`;
}

function boot(file: string, cacheDir: string, options = ''): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(BOOT)}).runBundle(${JSON.stringify(file)}, { cacheDir: ${JSON.stringify(cacheDir)}${options} })`], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function report(run: { status: number | null; stdout: string; stderr: string }): { marker: string; fromCache: boolean; filename: string; dirname: string; sep: string; exportsIsModuleExports: boolean; answer: number } {
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

function cacheFiles(dir: string): string[] {
  const code = path.join(dir, 'code');
  return existsSync(code) ? readdirSync(code).sort() : [];
}

describe('code cache (boot)', function () {
  this.timeout(60_000);
  let dir: string;
  let bundle: string;
  let cacheDir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-boot-'));
    bundle = path.join(dir, 'toy.js');
    cacheDir = path.join(dir, 'cache');
    await fs.writeFile(bundle, toyBundle('first build'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('compiles on the first run, saves at exit, and loads the saved code on the next', () => {
    const first = report(boot(bundle, cacheDir));
    assert.equal(first.fromCache, false);
    assert.deepEqual({ filename: first.filename, dirname: first.dirname, sep: first.sep, exports: first.exportsIsModuleExports, answer: first.answer }, { filename: bundle, dirname: dir, sep: path.sep, exports: true, answer: 2997 });
    assert.equal(cacheFiles(cacheDir).length, 1);
    assert.match(cacheFiles(cacheDir)[0]!, /^toy-[0-9a-f]{40}\.bin$/);
    const second = report(boot(bundle, cacheDir));
    assert.equal(second.fromCache, true);
    assert.equal(second.answer, 2997);
  });

  it('never runs the code cached for another build of the bundle, and drops it', async () => {
    report(boot(bundle, cacheDir));
    const [old] = cacheFiles(cacheDir);
    // Same length, other text: V8's own check would not tell them apart.
    await fs.writeFile(bundle, toyBundle('other build'));
    const run = report(boot(bundle, cacheDir));
    assert.equal(run.marker, 'other build');
    assert.equal(run.fromCache, false);
    const now = cacheFiles(cacheDir);
    assert.equal(now.length, 1);
    assert.notEqual(now[0], old);
    assert.equal(report(boot(bundle, cacheDir)).fromCache, true);
  });

  it('ignores a damaged or cut cache file and writes a good one', async () => {
    report(boot(bundle, cacheDir));
    const file = path.join(cacheDir, 'code', cacheFiles(cacheDir)[0]!);
    const good = await fs.readFile(file);
    assert.ok(good.length > 100);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 10] ^= 0xff;
    for (const damaged of [flipped, good.subarray(0, good.length >> 1), Buffer.from('garbage'), Buffer.alloc(0)]) {
      await fs.writeFile(file, damaged);
      const run = report(boot(bundle, cacheDir));
      assert.equal(run.fromCache, false);
      assert.equal(run.answer, 2997);
      // Replaced by a whole one, which the next run loads.
      assert.notDeepEqual(await fs.readFile(file), damaged);
      assert.equal(report(boot(bundle, cacheDir)).fromCache, true);
    }
  });

  it('runs without a cache when the cache folder cannot be written', async () => {
    // A file where the folder should be: neither reading nor writing can work.
    await fs.writeFile(cacheDir, 'not a folder');
    const run = report(boot(bundle, cacheDir));
    assert.equal(run.fromCache, false);
    assert.equal(run.answer, 2997);
  });

  it('reads and writes nothing with cache: false', () => {
    const run = report(boot(bundle, cacheDir, ', cache: false'));
    assert.equal(run.fromCache, false);
    assert.equal(run.answer, 2997);
    assert.deepEqual(cacheFiles(cacheDir), []);
  });

  it('the CLI and its analysis worker keep their code in the cache folder, and --no-cache keeps none', async () => {
    const library = path.join(dir, 'library');
    await fs.cp(path.join(REPO, 'examples', 'library'), library, { recursive: true });
    const env = { ...process.env, TRELLIS_CACHE_DIR: cacheDir, TRELLIS_ANALYSIS_WORKERS: '1' };
    const check = (...extra: string[]) => spawnSync(process.execPath, [CLI, 'check', library, '--format', 'json', ...extra], { encoding: 'utf8', env });
    const none = check('--no-cache');
    assert.deepEqual(cacheFiles(cacheDir), []);
    const first = check();
    // The sample library is too small to send to a worker: only the CLI's own code is cached.
    assert.deepEqual(cacheFiles(cacheDir).map((f) => f.replace(/-[0-9a-f]{40}\.bin$/, '')), ['cli']);
    const second = check();
    for (const run of [first, second]) {
      assert.equal(run.status, none.status, run.stderr);
      assert.equal(run.stdout, none.stdout);
    }
  });

  it('an analysis worker saves its code after its first answer, and a worker of the next pool analyzes the same from it', async () => {
    const files = ['community-garden.md', 'compost-commons.md', 'conflict-circle.md'].map((name) => {
      const file = path.join(REPO, 'examples', 'library', name);
      return { uri: pathToUri(file), relativePath: name };
    });
    const request = { config: defaultConfig(), external: {}, files };
    const answers: unknown[] = [];
    for (let run = 0; run < 2; run++) {
      const pool = new AnalysisPool(path.join(REPO, 'dist', 'analysisWorker.js'), 1, cacheDir);
      try {
        answers.push(await pool.analyzeMany(request));
        // A worker answers in order: by the second answer, what it did after the first (saving) is done.
        answers.push(await pool.analyzeMany(request));
      } finally {
        await pool.dispose();
      }
      assert.deepEqual(cacheFiles(cacheDir).map((f) => f.replace(/-[0-9a-f]{40}\.bin$/, '')), ['analysisWorker']);
    }
    for (const answer of answers.slice(1)) assert.deepEqual(answer, answers[0]);
    assert.ok((answers[0] as { documents: unknown[] }).documents.every((doc) => doc !== undefined));
  });
});

