/**
 * The Node host's fast paths for loading a library: analysis spread over
 * worker threads, and a persistent cache of analyzed documents keyed by file
 * stamp (size, times, inode). Both give exactly the documents the core computes inline
 * (test/core/loadPaths.test.ts compares them on the whole corpus).
 */
import { createHash } from 'node:crypto';
import { existsSync, promises as fs, readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { decodeDocuments, encodeCacheChunk, type EncodedDocuments } from './core/documentCodec';
import type { AnalysisAnswer, AnalysisCacheStore, AnalysisRequest } from './core/library';
import type { PatternDocument } from './core/pattern';
import { pathOfFileUri, stampOf } from './nodeFiles';
import { defaultCacheDir } from './cacheDirectory';

/** Defined by scripts/build.mjs in the server's and the CLI's bundles. */
declare const ANALYSIS_VERSION: string | undefined;

export class FileAnalysisCache implements AnalysisCacheStore {
  readonly codeVersion: string;

  constructor(private readonly dir: string) {
    // Any change to the code that analyzes files starts a new cache, and so does another Node. A build names
    // its analysis code (scripts/build.mjs: the hash of the analysis worker's bundle), the same in the server's
    // and the CLI's bundles, which then share a library's cache; unbundled (tests), the running code itself.
    const code = typeof ANALYSIS_VERSION === 'string' ? ANALYSIS_VERSION : createHash('sha1').update(readFileSync(__filename)).digest('hex');
    this.codeVersion = `${code}:${process.version}:${process.arch}`;
  }

  async stamps(uris: string[]): Promise<Array<string | undefined>> {
    const now = Date.now();
    // Synchronous on purpose: a stat from the page cache takes microseconds, far less than a trip through libuv's thread pool.
    return uris.map((uri) => {
      try {
        return stampOf(statSync(pathOfFileUri(uri)), now);
      } catch {
        return undefined;
      }
    });
  }

  /** Whether a cache was written for this library (whatever its fingerprint). */
  has(rootUri: string): boolean {
    return existsSync(this.fileFor(rootUri));
  }

  private fileFor(rootUri: string): string {
    return path.join(this.dir, `${createHash('sha1').update(rootUri).digest('hex')}.json`);
  }

  /**
   * The file is JSON lines: a header with the fingerprint, then the documents
   * in chunks. Read and written a chunk at a time, so a library of 100,000
   * patterns never holds its whole cache as one string (hundreds of MB).
   */
  async load(rootUri: string, fingerprint: string): Promise<Map<string, PatternDocument | null>> {
    const out = new Map<string, PatternDocument | null>();
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(this.fileFor(rootUri), 'r');
      let header = true;
      for await (const line of readLines(handle)) {
        if (header) {
          const head = JSON.parse(line) as { format?: string; fingerprint?: string };
          if (head.format !== CACHE_FORMAT || head.fingerprint !== fingerprint) return new Map();
          header = false;
          continue;
        }
        for (const [key, doc] of decodeDocuments(JSON.parse(line) as EncodedDocuments)) out.set(key, doc);
      }
      return out;
    } catch {
      return new Map();
    } finally {
      await handle?.close();
    }
  }

  async save(rootUri: string, fingerprint: string, entries: Map<string, PatternDocument | null>, chunks: readonly string[] = []): Promise<void> {
    await writeAtomically(this.fileFor(rootUri), async (handle) => {
      await handle.write(JSON.stringify({ format: CACHE_FORMAT, fingerprint }) + '\n');
      for (const line of chunks) await handle.write(line + '\n');
      let chunk: Array<[string, PatternDocument | null]> = [];
      for (const entry of entries) {
        chunk.push(entry);
        if (chunk.length === CACHE_CHUNK) {
          await handle.write(encodeCacheChunk(chunk) + '\n');
          chunk = [];
        }
      }
      if (chunk.length) await handle.write(encodeCacheChunk(chunk) + '\n');
    });
  }
}

/**
 * Writes a cache file aside (`<file>.<pid>.tmp`, once those of processes that
 * died while writing are gone) and renames it over `file`, so that a reader
 * sees the old file or the whole new one. A failed write leaves no temp file.
 */
export async function writeAtomically(file: string, write: (handle: fs.FileHandle) => Promise<void>): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await removeAbandonedTemps(file);
  const handle = await fs.open(temp, 'w');
  let written = false;
  try {
    await write(handle);
    written = true;
  } finally {
    await handle.close();
    if (!written) await fs.rm(temp, { force: true });
  }
  await fs.rename(temp, file);
}

/**
 * Half-written caches of processes that ended while writing (a server killed
 * during its save): `<file>.<pid>.tmp` whose process is gone. Those of live
 * processes (another window saving the same library) are left alone.
 */
async function removeAbandonedTemps(file: string): Promise<void> {
  const prefix = `${path.basename(file)}.`;
  for (const name of await fs.readdir(path.dirname(file)).catch(() => [] as string[])) {
    const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? Number(name.slice(prefix.length, -'.tmp'.length)) : NaN;
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    await fs.rm(path.join(path.dirname(file), name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A worker's answer to the request `id`: the documents encoded (encodeDocuments,
 * one entry per file in order), or as the JSON text of a cache chunk when the
 * request asked for one and every file has a cache entry; or why it failed.
 */
export interface WorkerAnswer {
  id: number;
  encoded?: EncodedDocuments | string;
  /** When the request asked for them (AnalysisAnswer.stamps). */
  stamps?: Array<string | undefined>;
  error?: string;
}

const CACHE_FORMAT = 'trellis-analysis-cache/3';
/** How long analysis workers stay after their last request. */
const IDLE_MS = 3000;
/**
 * Documents per line of the cache. Encoding a line is work on the main thread
 * between two writes: at 250 it is a few milliseconds, so edits made while a
 * large library's cache is written wait no longer than that.
 */
const CACHE_CHUNK = 250;

/** The lines of a file, read a megabyte at a time. */
async function* readLines(handle: fs.FileHandle): AsyncGenerator<string> {
  const buffer = Buffer.alloc(1 << 20);
  let carry: Buffer[] = [];
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) break;
    let start = 0;
    for (let nl = buffer.indexOf(10, 0); nl !== -1 && nl < bytesRead; nl = buffer.indexOf(10, start)) {
      carry.push(buffer.subarray(start, nl));
      yield Buffer.concat(carry).toString('utf8');
      carry = [];
      start = nl + 1;
    }
    // The rest of the buffer is reused by the next read: keep a copy.
    if (start < bytesRead) carry.push(Buffer.from(buffer.subarray(start, bytesRead)));
  }
  if (carry.length) yield Buffer.concat(carry).toString('utf8');
}

interface Pending {
  resolve(answer: AnalysisAnswer): void;
  reject(error: Error): void;
}

/**
 * A small pool of analysis workers, created on first use; idle workers do not
 * keep the process alive. Each request goes whole to the worker with the
 * fewest in hand. By default one worker per core but one, up to three: the
 * library analyzes on the main thread too while they work.
 */
export class AnalysisPool {
  private workers: Worker[] = [];
  private readonly load = new Map<Worker, number>();
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private idleTimer: NodeJS.Timeout | undefined;

  /**
   * `codeCacheDir`: where workers keep their code cache (false: none). They
   * start through workerBoot.js, beside the script, when it is there.
   */
  constructor(
    private readonly script = path.join(__dirname, 'analysisWorker.js'),
    readonly size = Math.max(1, Math.min(os.availableParallelism() - 1, 3)),
    private readonly codeCacheDir: string | false = defaultCacheDir(),
  ) {}

  static available(script = path.join(__dirname, 'analysisWorker.js')): boolean {
    return existsSync(script);
  }

  async analyzeMany(request: AnalysisRequest): Promise<AnalysisAnswer> {
    clearTimeout(this.idleTimer);
    this.start();
    let worker = this.workers[0]!;
    for (const candidate of this.workers) if ((this.load.get(candidate) ?? 0) < (this.load.get(worker) ?? 0)) worker = candidate;
    const chosen = worker;
    this.load.set(chosen, (this.load.get(chosen) ?? 0) + 1);
    try {
      return await new Promise<AnalysisAnswer>((resolve, reject) => {
        const id = this.nextId++;
        this.pending.set(id, { resolve, reject });
        chosen.ref();
        chosen.postMessage({ id, request });
      });
    } finally {
      this.load.set(chosen, Math.max(0, (this.load.get(chosen) ?? 1) - 1));
      // Several requests may be in flight: the workers keep the process alive until the last is answered.
      if (this.pending.size === 0) {
        for (const worker of this.workers) worker.unref();
        // Workers are for loads: once one is over, their memory (a heap each) goes back after a while.
        this.idleTimer = setTimeout(() => void this.dispose(), IDLE_MS);
        this.idleTimer.unref();
      }
    }
  }

  async dispose(): Promise<void> {
    clearTimeout(this.idleTimer);
    const workers = this.workers;
    // Emptied first, so the exits that follow are not taken for failures.
    this.workers = [];
    this.load.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  /**
   * Starts the workers now (loading their code takes a while), ahead of the
   * work they are expected to get; they stop again if none comes.
   */
  warmUp(): void {
    if (this.workers.length) return;
    this.start();
    this.idleTimer = setTimeout(() => void this.dispose(), IDLE_MS);
    this.idleTimer.unref();
  }

  private start(): void {
    if (this.workers.length) return;
    const boot = path.join(path.dirname(this.script), 'workerBoot.js');
    const booted = existsSync(boot);
    for (let i = 0; i < this.size; i++) {
      const worker = booted
        ? new Worker(boot, { workerData: { trellisBundle: this.script, ...(this.codeCacheDir === false ? { cache: false } : { cacheDir: this.codeCacheDir }) } })
        : new Worker(this.script);
      worker.on('message', ({ id, encoded, stamps, error }: WorkerAnswer) => {
        const pending = this.pending.get(id);
        this.pending.delete(id);
        if (!pending) return;
        if (error !== undefined || encoded === undefined) {
          pending.reject(new Error(error ?? 'an analysis worker answered nothing'));
          return;
        }
        try {
          // Text is a chunk of the cache, asked for: it is also the answer.
          const documents = [...decodeDocuments(typeof encoded === 'string' ? (JSON.parse(encoded) as EncodedDocuments) : encoded).values()].map((doc) => doc ?? undefined);
          pending.resolve({ documents, ...(typeof encoded === 'string' ? { cacheChunk: encoded } : {}), ...(stamps ? { stamps } : {}) });
        } catch (failure) {
          pending.reject(failure as Error);
        }
      });
      // A worker that fails or exits (out of memory, killed) fails the work in flight, which the
      // library then does inline; the pool starts afresh next time.
      const fail = (error: Error): void => {
        for (const [id, pending] of this.pending) {
          this.pending.delete(id);
          pending.reject(error);
        }
        const workers = this.workers;
        this.workers = [];
        this.load.clear();
        for (const w of workers) if (w !== worker) void w.terminate();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (this.workers.includes(worker)) fail(new Error(`an analysis worker exited (${code})`));
      });
      worker.unref();
      this.workers.push(worker);
    }
  }
}
