/** The core's LibraryHost on Node's file system, shared by the server and the CLI. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AnalysisAnswer, AnalysisCacheStore, AnalysisRequest, LibraryHost } from './core/library';
import { defaultCacheDir } from './cacheDirectory';
import { AnalysisPool, FileAnalysisCache } from './nodeAnalysis';
import { fileUriIn, pathOfFileUri, readStampedTextFileSync, UNREADABLE } from './nodeFiles';
import { PublishedSnapshots } from './publishedSnapshot';

/**
 * Canonical form of a file URI, so that the editor's spelling of a path
 * (`%3A`, upper-case escapes) and ours name the same document.
 */
export function normalizeUri(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return pathToFileURL(fileURLToPath(uri)).href;
  } catch {
    return uri;
  }
}

export function pathToUri(filePath: string): string {
  return pathToFileURL(path.resolve(filePath)).href;
}

export function uriToPath(uri: string): string {
  return fileURLToPath(uri);
}

export interface NodeHostOptions {
  /**
   * Analyze in worker threads when the bundled worker is there (default: true),
   * as many as $TRELLIS_ANALYSIS_WORKERS says (0: none), else one per core but
   * one (the main thread analyzes too), at least one and up to three.
   */
  workers?: boolean;
  /** The worker bundle (default: analysisWorker.js beside this bundle). */
  workerScript?: string;
  /** Keep analyzed documents between runs in this folder; false for none (default: the user cache folder). */
  cacheDir?: string | false;
  /** Whether the library analyzes files on its own thread too while the workers do (default true; tests turn it off). */
  analysisHelps?: boolean;
}

/**
 * A file's text and stamp, from its URI. Synchronous on purpose: fs.promises.readFile reads in chunks through
 * the thread pool and costs several times the CPU of readFileSync for the small files a library is made of
 * (measured on the corpus).
 */
function readUri(uri: string): { text: string | undefined; stamp: string | undefined } {
  let file: string;
  try {
    file = pathOfFileUri(uri);
  } catch {
    return UNREADABLE;
  }
  return readStampedTextFileSync(file, Date.now());
}

export class NodeLibraryHost implements LibraryHost {
  readonly cache?: AnalysisCacheStore;
  /** The diagnostics last published per library, beside the analysis cache (none without one). */
  readonly published?: PublishedSnapshots;
  readonly analysisHelps: boolean;
  private readonly pool?: AnalysisPool;

  constructor(options: NodeHostOptions = {}) {
    const configured = Number.parseInt(process.env['TRELLIS_ANALYSIS_WORKERS'] ?? '', 10);
    const size = Number.isInteger(configured) && configured >= 0 ? Math.min(configured, 16) : undefined;
    const dir = options.cacheDir === undefined ? defaultCacheDir() : options.cacheDir;
    if (options.workers !== false && size !== 0 && AnalysisPool.available(options.workerScript)) this.pool = new AnalysisPool(options.workerScript, size, dir);
    this.analysisHelps = options.analysisHelps ?? true;
    if (dir !== false) {
      this.cache = new FileAnalysisCache(dir);
      this.published = new PublishedSnapshots(dir);
    }
  }

  /** Stops the analysis workers (they would otherwise idle until the process ends). */
  async dispose(): Promise<void> {
    await this.pool?.dispose();
  }

  /**
   * Called before a library loads: when it has no analysis cache yet, every
   * file will be analyzed, so the workers start loading their code now, while
   * this thread lists the files.
   */
  prepareToLoad(rootUri: string): void {
    if (this.pool && !(this.cache instanceof FileAnalysisCache && this.cache.has(rootUri))) this.pool.warmUp();
  }

  yieldToHost(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  get analysisThreads(): number {
    return this.pool?.size ?? 0;
  }

  analyzeMany(request: AnalysisRequest): Promise<AnalysisAnswer> {
    if (!this.pool) return Promise.reject(new Error('no analysis workers'));
    return this.pool.analyzeMany(request);
  }

  async readFile(uri: string): Promise<string | undefined> {
    return readUri(uri).text;
  }

  async readFileStamped(uri: string): Promise<{ text: string | undefined; stamp: string | undefined }> {
    return readUri(uri);
  }

  async listFiles(folderUri: string, exclude: (relativePath: string) => boolean): Promise<string[]> {
    let root: string;
    try {
      root = fileURLToPath(folderUri);
    } catch {
      return [];
    }
    const out: string[] = [];
    const seen = new Set<string>();
    const rootPrefix = root.endsWith(path.sep) ? root : root + path.sep;
    const walk = async (dir: string): Promise<void> => {
      let real: string;
      try {
        real = await fs.realpath(dir);
      } catch {
        return;
      }
      // A symlink loop would otherwise walk forever.
      if (seen.has(real)) return;
      seen.add(real);
      const dirUri = pathToFileURL(dir).href;
      let entries: import('node:fs').Dirent[];
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      // A name from readdir holds no separator and is never `.` or `..`: the folder normalized once, then
      // joined by hand, is what path.join gives, without its normalizing pass over each of thousands of names.
      const dirPrefix = path.join(dir, path.sep);
      for (const entry of entries) {
        const full = dirPrefix + entry.name;
        // `full` is `dir` (under `root`) joined with a name: slicing is exact, and path.relative
        // (which resolves both paths) was a tenth of a warm start on the corpus.
        const native = full.startsWith(rootPrefix) ? full.slice(rootPrefix.length) : path.relative(root, full);
        const relative = path.sep === '/' ? native : native.split(path.sep).join('/');
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          try {
            const stat = await fs.stat(full);
            isDir = stat.isDirectory();
            isFile = stat.isFile();
          } catch {
            continue;
          }
        }
        if (isDir) {
          if (exclude(relative) || exclude(relative + '/')) continue;
          await walk(full);
        } else if (isFile && !exclude(relative)) out.push(fileUriIn(dirUri, dir, entry.name));
      }
    };
    await walk(root);
    return out;
  }
}
