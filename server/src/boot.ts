/**
 * Starts a bundle (the CLI, the server, an analysis worker) through V8's code
 * cache, as Node 22's `module.enableCompileCache()` does (Node 20 has none):
 * the first run of a build saves the bytecode of every function it compiled,
 * and later runs load it instead of parsing and compiling 2 MB of JavaScript
 * again, in every process and in every worker.
 *
 * The cache is `<cache dir>/code/<bundle>-<key>.bin`, where the key hashes
 * Node's version, the architecture and the bundle's text, so another build or
 * another Node never reads it (V8's own check compares only the text's
 * length). The file carries a hash of its own bytes, so a torn or damaged one
 * is never handed to V8; V8's own rejection (other flags) is honoured too.
 * Whatever goes wrong with the cache, the bundle runs as it would have
 * without it; nothing here may stop it from starting.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';
import { defaultCacheDir } from './cacheDirectory';
import { setCodeCacheHook, type CodeCacheHook } from './codeCacheHook';

const MAGIC = 'trellis-code-cache/1\n';

export interface BootOptions {
  /** False: neither read nor write the code cache (`trellis check --no-cache`). */
  cache?: boolean;
  /** Default: defaultCacheDir(). */
  cacheDir?: string;
}

/**
 * How much bytecode V8's optimizing compiler may inline into one function
 * (V8's default is 920). Loading a library runs a few hundred mid-size
 * functions a few thousand times each, in every analysis thread: with the
 * default, TurboFan spent about as much CPU compiling them (0.76 s per half
 * of the corpus, on background threads that take the same two cores) as the
 * analysis took to run, and less inlining does not make the analysis itself
 * slower (BENCHMARKS.md, session 7). The user's own `--max-inlined…` flag wins.
 */
export const INLINING_FLAG = '--max-inlined-bytecode-size-cumulative=150';

export function runBundle(file: string, options: BootOptions = {}): void {
  // Before any of the bundle is compiled (the flag is part of what V8's code cache is checked against),
  // once per process: workers share the main thread's flags.
  if (isMainThread && !process.execArgv.some((arg) => arg.startsWith('--max-inlined'))) v8.setFlagsFromString(INLINING_FLAG);
  const source = readFileSync(file, 'utf8');
  const wrapped = Module.wrap(source);
  let cacheFile: string | undefined;
  let cached: Buffer | undefined;
  if (options.cache !== false) {
    try {
      const key = createHash('sha1').update(`${process.version}\0${process.arch}\0`).update(wrapped).digest('hex');
      const name = path.basename(file, '.js');
      cacheFile = path.join(options.cacheDir ?? defaultCacheDir(), 'code', `${name}-${key}.bin`);
      cached = readCache(cacheFile);
    } catch {
      cacheFile = undefined;
    }
  }
  const script = new vm.Script(wrapped, { filename: file, ...(cached ? { cachedData: cached } : {}) });
  const fromCache = cached !== undefined && script.cachedDataRejected !== true;
  let saved = fromCache || cacheFile === undefined;
  const hook: CodeCacheHook = {
    fromCache,
    save: () => {
      if (saved) return;
      saved = true;
      try {
        writeCache(cacheFile!, script.createCachedData());
      } catch {
        // A read-only or full disk: the next run compiles, as this one did.
      }
    },
  };
  setCodeCacheHook(hook);
  if (isMainThread) process.once('exit', hook.save);

  const module = new Module(file);
  module.filename = file;
  const require = createRequire(file);
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, require, module, file, path.dirname(file));
}

function readCache(file: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return undefined;
  }
  const headerEnd = MAGIC.length + 41;
  if (data.length <= headerEnd || data.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
  const payload = data.subarray(headerEnd);
  const expected = data.toString('latin1', MAGIC.length, MAGIC.length + 40);
  return createHash('sha1').update(payload).digest('hex') === expected ? payload : undefined;
}

/** Written aside and renamed over, so a reader sees the old file or the whole new one; other keys of the bundle go. */
function writeCache(file: string, payload: Buffer): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temp, Buffer.concat([Buffer.from(`${MAGIC}${createHash('sha1').update(payload).digest('hex')}\n`, 'latin1'), payload]));
  renameSync(temp, file);
  const bundle = path.basename(file).replace(/-[0-9a-f]{40}\.bin$/, '');
  for (const name of readdirSync(dir)) {
    const other = /^(.*)-[0-9a-f]{40}\.bin$/.exec(name);
    if (other?.[1] === bundle && name !== path.basename(file)) rmSync(path.join(dir, name), { force: true });
  }
}
