/**
 * The shortcuts for loading a library (analysis in worker threads, a cache of
 * analyzed documents) must give exactly the results of analyzing every file
 * inline. Compared on the whole real corpus.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TrellisLibrary } from '../../server/src/core/library';
import { NodeLibraryHost, pathToUri } from '../../server/src/nodeHost';
import { fileUriIn, pathOfFileUri, readStampedTextFileSync } from '../../server/src/nodeFiles';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.resolve(__dirname, '..', '..');
const WORKER = path.join(REPO, 'dist', 'analysisWorker.js');
const CORPUS = ['/work/shared/corpus/commons-os-patterns', path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns')].find((d) => existsSync(d));
const LIBRARY = CORPUS ?? path.join(REPO, 'examples', 'library');

async function snapshot(host: NodeLibraryHost, root = LIBRARY): Promise<{ snapshot: string; library: TrellisLibrary }> {
  const library = new TrellisLibrary(pathToUri(root), host);
  await library.load();
  await library.flushCache();
  return { snapshot: library.index.snapshot(), library };
}

describe('loading shortcuts give exactly the full analysis', function () {
  let cacheDir: string;
  let inline: string;

  before(async () => {
    assert.ok(existsSync(WORKER), 'the worker bundle is built (npm run build)');
    cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-cache-'));
    inline = (await snapshot(new NodeLibraryHost({ workers: false, cacheDir: false }))).snapshot;
  });

  after(async () => {
    await fs.rm(cacheDir, { recursive: true, force: true });
  });

  it(`analysis in worker threads equals inline analysis (${CORPUS ? 'the real corpus' : 'the sample library'})`, async () => {
    // Workers alone, then workers and the main thread together (the default).
    for (const analysisHelps of [false, true]) {
      const host = new NodeLibraryHost({ workerScript: WORKER, cacheDir: false, analysisHelps });
      let byWorkers = 0;
      const analyzeMany = host.analyzeMany.bind(host);
      host.analyzeMany = async (request) => {
        const answer = await analyzeMany(request);
        byWorkers += answer.documents.length;
        return answer;
      };
      try {
        const { snapshot: result, library } = await snapshot(host);
        assert.equal(result, inline);
        if (!analysisHelps) assert.ok(byWorkers >= library.index.size, `workers analyzed ${byWorkers} files of ${library.index.size}`);
        // Both take batches from one queue: on a library of many batches, each gets some.
        else if (library.index.size > 1000) assert.ok(byWorkers > 0 && byWorkers < library.index.size, `workers analyzed ${byWorkers} files of ${library.index.size}`);
      } finally {
        await host.dispose();
      }
    }
  });

  it('a warm start from the cache equals inline analysis, and a changed file is analyzed afresh', async () => {
    const cold = await snapshot(new NodeLibraryHost({ workers: false, cacheDir }));
    assert.equal(cold.snapshot, inline);
    assert.equal((await fs.readdir(cacheDir)).filter((f) => f.endsWith('.json')).length, 1, 'the cold run wrote a cache');
    const warm = await snapshot(new NodeLibraryHost({ workers: false, cacheDir }));
    assert.equal(warm.snapshot, inline);

    // A copy of the sample library, one file changed between runs: the cache must not answer for it.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-cache-lib-'));
    try {
      await fs.cp(path.join(REPO, 'examples', 'library'), dir, { recursive: true });
      await snapshot(new NodeLibraryHost({ workers: false, cacheDir }), dir);
      const file = path.join(dir, 'shared-tool-library.md');
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('overall_score: 4.4', 'overall_score: 3.6'));
      const after = await snapshot(new NodeLibraryHost({ workers: false, cacheDir }), dir);
      const expected = await snapshot(new NodeLibraryHost({ workers: false, cacheDir: false }), dir);
      assert.equal(after.snapshot, expected.snapshot);
      assert.deepEqual(after.library.diagnostics(pathToUri(file)).filter((d) => d.code === 'overall-score'), []);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('a cache encoded while loading (the workers answer with chunks of it, as for trellis check) gives a warm start equal to inline analysis, reading nothing', async () => {
    const ownCache = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-eager-cache-'));
    class CountingHost extends NodeLibraryHost {
      reads = 0;
      override async readFile(uri: string): Promise<string | undefined> {
        if (uri.endsWith('.md')) this.reads++;
        return super.readFile(uri);
      }
      override async readFileStamped(uri: string): Promise<{ text: string | undefined; stamp: string | undefined }> {
        if (uri.endsWith('.md')) this.reads++;
        return super.readFileStamped(uri);
      }
    }
    try {
      const host = new NodeLibraryHost({ workerScript: WORKER, cacheDir: ownCache });
      let chunks = 0;
      let answers = 0;
      const analyzeMany = host.analyzeMany.bind(host);
      host.analyzeMany = async (request) => {
        const answer = await analyzeMany(request);
        answers++;
        if (answer.cacheChunk !== undefined) chunks++;
        return answer;
      };
      const library = new TrellisLibrary(pathToUri(LIBRARY), host);
      try {
        await library.load(undefined, undefined, { encodeCacheWhileLoading: true });
      } finally {
        await host.dispose();
      }
      await library.flushCache();
      assert.equal(library.index.snapshot(), inline);
      // The corpus' files are old enough to be cached: every worker answer is a chunk of the cache.
      if (CORPUS) assert.ok(answers > 0 && chunks === answers, `${chunks} chunks in ${answers} worker answers`);

      const warm = new CountingHost({ workers: false, cacheDir: ownCache });
      assert.equal((await snapshot(warm)).snapshot, inline);
      assert.equal(warm.reads, 0, 'the warm start read pattern files: the cache lacked them');
    } finally {
      await fs.rm(ownCache, { recursive: true, force: true });
    }
  });

  it('a damaged cache file is ignored: the load starts afresh and gives the full analysis', async () => {
    const ownCache = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-damaged-cache-'));
    try {
      const sample = path.join(REPO, 'examples', 'library');
      const expected = (await snapshot(new NodeLibraryHost({ workers: false, cacheDir: false }), sample)).snapshot;
      await snapshot(new NodeLibraryHost({ workers: false, cacheDir: ownCache }), sample);
      const [file] = (await fs.readdir(ownCache)).filter((f) => f.endsWith('.json'));
      const full = await fs.readFile(path.join(ownCache, file!), 'utf8');
      for (const damaged of [full.slice(0, Math.floor(full.length * 0.6)), full.replace(/"uri"|file:/, '{'), '\u0000garbage', '']) {
        await fs.writeFile(path.join(ownCache, file!), damaged);
        assert.equal((await snapshot(new NodeLibraryHost({ workers: false, cacheDir: ownCache }), sample)).snapshot, expected);
      }
    } finally {
      await fs.rm(ownCache, { recursive: true, force: true });
    }
  });

  it('a save clears the half-written caches of processes that died while saving, not those of live ones', async () => {
    const ownCache = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-abandoned-cache-'));
    const copy = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-abandoned-lib-'));
    try {
      await fs.cp(path.join(REPO, 'examples', 'library'), copy, { recursive: true });
      // Files changed in the last 2 s are never cached (racy stamps): these are older.
      const past = new Date(Date.now() - 60_000);
      for (const name of await fs.readdir(copy)) await fs.utimes(path.join(copy, name), past, past);
      const host = () => new NodeLibraryHost({ workers: false, cacheDir: ownCache });
      await snapshot(host(), copy);
      const [file] = (await fs.readdir(ownCache)).filter((f) => f.endsWith('.json'));
      assert.ok(file, 'the first load saved a cache');
      // A process that has ended (its pid is free) and one that is running (this test's parent).
      const ended = spawnSync(process.execPath, ['-e', '0']).pid!;
      const abandoned = `${file}.${ended}.tmp`;
      const another = `${file}.${process.ppid}.tmp`;
      await fs.writeFile(path.join(ownCache, abandoned), '{"format":"half');
      await fs.writeFile(path.join(ownCache, another), '{"format":"in progress');
      // A changed file makes the next load save again.
      await fs.appendFile(path.join(copy, 'community-garden.md'), '\nOne more line.\n');
      await snapshot(host(), copy);
      const left = await fs.readdir(ownCache);
      assert.ok(!left.includes(abandoned), 'the dead process\'s half cache is gone');
      assert.ok(left.includes(another), 'a live process\'s is left to it');
      assert.deepEqual(left.filter((f) => f.endsWith('.tmp')), [another]);
    } finally {
      await fs.rm(ownCache, { recursive: true, force: true });
      await fs.rm(copy, { recursive: true, force: true });
    }
  });

  it('a warm start reads no file whose stamp is unchanged, and reads a file changed behind a restored modification time', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-stamp-lib-'));
    const ownCache = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-stamp-cache-'));
    /** A host that counts the files it reads (without workers, every miss is read through it). */
    class CountingHost extends NodeLibraryHost {
      reads: string[] = [];
      override async readFile(uri: string): Promise<string | undefined> {
        this.reads.push(uri);
        return super.readFile(uri);
      }
      override async readFileStamped(uri: string): Promise<{ text: string | undefined; stamp: string | undefined }> {
        this.reads.push(uri);
        return super.readFileStamped(uri);
      }
    }
    try {
      await fs.cp(path.join(REPO, 'examples', 'library'), dir, { recursive: true });
      const names = (await fs.readdir(dir)).filter((f) => f.endsWith('.md'));
      // Files modified a moment ago are never trusted by stamp; these look an hour old.
      const anHourAgo = new Date(Date.now() - 3_600_000);
      for (const name of names) await fs.utimes(path.join(dir, name), anHourAgo, anHourAgo);

      const cold = new CountingHost({ workers: false, cacheDir: ownCache });
      await snapshot(cold, dir);
      assert.equal(cold.reads.filter((u) => u.endsWith('.md')).length, names.length);
      const warm = new CountingHost({ workers: false, cacheDir: ownCache });
      const warmRun = await snapshot(warm, dir);
      assert.deepEqual(warm.reads.filter((u) => u.endsWith('.md')), [], 'a warm start read pattern files');

      // Same size, modification time set back: only the change time tells.
      const file = path.join(dir, 'shared-tool-library.md');
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('overall_score: 4.4', 'overall_score: 3.6'));
      await fs.utimes(file, anHourAgo, anHourAgo);
      const again = new CountingHost({ workers: false, cacheDir: ownCache });
      const afterChange = await snapshot(again, dir);
      assert.deepEqual(again.reads.filter((u) => u.endsWith('.md')), [pathToUri(file)]);
      assert.notEqual(afterChange.snapshot, warmRun.snapshot);
      assert.equal(afterChange.snapshot, (await snapshot(new NodeLibraryHost({ workers: false, cacheDir: false }), dir)).snapshot);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
      await fs.rm(ownCache, { recursive: true, force: true });
    }
  });
});

describe('reading pattern files', () => {
  it('a FIFO named like a pattern is absent, never waited on', async function () {
    if (process.platform === 'win32') this.skip();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-fifo-'));
    try {
      const fifo = path.join(dir, 'pipe.md');
      assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
      assert.deepEqual(readStampedTextFileSync(fifo, Date.now()), { text: undefined, stamp: undefined });
      // As a file event would have it read (the listing skips what is not a regular file).
      assert.equal(await new NodeLibraryHost({ workers: false, cacheDir: false }).readFile(pathToUri(fifo)), undefined);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('file URIs and paths on the fast path', () => {
  it('are exactly what pathToFileURL and fileURLToPath give', () => {
    const names = ['a.md', 'A-b_c.9.md', 'with space.md', 'é.md', '100%.md', 'hash#.md', 'q?.md', 'semi;colon.md', "it's.md", '[x].md', 'tilde~.md', '.hidden.md'];
    for (const dir of ['/lib', '/lib/sub dir', '/', '/ü/x']) {
      for (const name of names) {
        const expected = pathToFileURL(path.join(dir, name)).href;
        assert.equal(fileUriIn(pathToFileURL(dir).href, dir, name), expected, `${dir} ${name}`);
        assert.equal(pathOfFileUri(expected), fileURLToPath(expected), expected);
      }
    }
  });
});
