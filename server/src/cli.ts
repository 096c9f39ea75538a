/**
 * The `trellis` command: `trellis check [folder…]` validates libraries with the
 * same core the language server uses; `trellis lsp` starts the server.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { TrellisLibrary } from './core/library';
import { NodeLibraryHost, pathToUri, uriToPath } from './nodeHost';
import { runBundle } from './boot';

const USAGE = `Usage:
  trellis check [folder…] [--format human|json] [--hints] [--no-cache]
      Check the pattern libraries in the folders (default: the current folder).
      Hints (such as a missing mirror relation) are left out unless --hints.
      Analyzed files are cached by size, times and inode in $TRELLIS_CACHE_DIR (default
      ~/.cache/trellis); --no-cache reads everything afresh and writes nothing.
      Exit status: 0 when no error is reported, 1 when any is, 2 on bad usage.
  trellis lsp [--stdio | --node-ipc | --socket=PORT]
      Run the language server (stdio by default), for any LSP editor.
  trellis --help | --version`;

export interface CheckResult {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
}

class UsageError extends Error {}

const SEVERITY_NAMES = ['error', 'error', 'warning', 'information', 'hint'] as const;

export async function check(folders: string[], cwd: string, options: { hints?: boolean; cache?: boolean } = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const host = new NodeLibraryHost(options.cache === false ? { cacheDir: false } : {});
  for (const folder of folders) {
    const absolute = path.resolve(cwd, folder);
    let stat;
    try {
      stat = await fs.stat(absolute);
    } catch (error) {
      throw new UsageError(`trellis: cannot read the folder "${folder}": ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message}`);
    }
    if (!stat.isDirectory()) throw new UsageError(`trellis: "${folder}" is not a folder.`);
    try {
      await fs.readdir(absolute);
    } catch (error) {
      throw new UsageError(`trellis: cannot read the folder "${folder}": ${(error as Error).message}`);
    }
    const library = new TrellisLibrary(pathToUri(absolute), host);
    host.prepareToLoad(library.rootUri);
    // The cache is saved right after the load: the workers encode their part of it with their answers.
    const uris = await library.load(undefined, undefined, { encodeCacheWhileLoading: true });
    // The workers' memory (a heap each) goes back while the cache is written and the results are made.
    const disposed = host.dispose();
    await library.flushCache();
    await disposed;
    const fileName = namesFrom(cwd, library);
    for (const uri of [...uris].sort()) {
      const diagnostics = library.diagnostics(uri, {}, { hints: options.hints === true });
      if (diagnostics.length === 0) continue;
      const file = fileName(uri);
      for (const d of diagnostics) {
        results.push({
          file,
          line: d.range.start.line + 1,
          column: d.range.start.character + 1,
          endLine: d.range.end.line + 1,
          endColumn: d.range.end.character + 1,
          severity: SEVERITY_NAMES[d.severity ?? 1],
          code: String(d.code ?? ''),
          message: d.message,
        });
      }
    }
  }
  results.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  return results;
}

/**
 * How the results name a library's files: their paths from `cwd`. Below a
 * root that `cwd` is not inside, that is the root's path from `cwd` joined
 * with the file's own path in the library (nothing to fold), without
 * resolving a URI and two paths per file.
 */
function namesFrom(cwd: string, library: TrellisLibrary): (uri: string) => string {
  const exact = (uri: string): string => path.relative(cwd, uriToPath(uri)) || path.basename(uriToPath(uri));
  const root = path.relative(cwd, uriToPath(library.rootUri));
  if (root.split(path.sep).every((segment) => segment === '..')) return exact;
  return (uri) => (library.contains(uri) ? path.join(root, library.relativePath(uri)) : exact(uri));
}

export function formatHuman(results: CheckResult[]): string {
  const lines = results.map((r) => `${r.file}:${r.line}:${r.column} ${r.severity} ${r.code} ${r.message}`);
  const byCode = new Map<string, { error: number; warning: number; information: number; hint: number }>();
  for (const r of results) {
    const counts = byCode.get(r.code) ?? { error: 0, warning: 0, information: 0, hint: 0 };
    counts[r.severity]++;
    byCode.set(r.code, counts);
  }
  const files = new Set(results.map((r) => r.file)).size;
  lines.push('');
  if (results.length === 0) lines.push('No problems found.');
  else {
    lines.push(`${results.length} problem${results.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}:`);
    const width = Math.max(...[...byCode.keys()].map((c) => c.length));
    for (const [code, counts] of [...byCode.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
      const parts = (['error', 'warning', 'information', 'hint'] as const).filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}${counts[s] === 1 || s === 'information' ? '' : 's'}`);
      lines.push(`  ${code.padEnd(width)}  ${parts.join(', ')}`);
    }
  }
  return lines.join('\n') + '\n';
}

function write(text: string): Promise<void> {
  return new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
}

/**
 * The results as `JSON.stringify(results, null, 2)` prints them, written a
 * thousand at a time: on a large library one string of them all would be
 * hundreds of megabytes.
 */
async function writeJson(results: CheckResult[]): Promise<void> {
  if (results.length === 0) return write('[]\n');
  const CHUNK = 1000;
  for (let i = 0; i < results.length; i += CHUNK) {
    const items = results.slice(i, i + CHUNK).map((result) => '  ' + JSON.stringify(result, null, 2).split('\n').join('\n  '));
    await write((i === 0 ? '[\n' : ',\n') + items.join(',\n') + (i + CHUNK >= results.length ? '\n]\n' : ''));
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command === 'lsp') {
    // bin/trellis.js starts the server's bundle itself; this is for the CLI bundle run directly. The server
    // bundle (serverMain.ts) picks the transport, so the CLI's holds no server code for `check` to load.
    runBundle(path.join(__dirname, 'server.js'), { cache: !rest.includes('--no-cache') });
    return -1;
  }
  if (command !== 'check') throw new UsageError(`trellis: unknown command "${command}".\n\n${USAGE}`);

  let format = 'human';
  let hints = false;
  let cache = true;
  const folders: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--format') format = rest[++i] ?? '';
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
    else if (arg === '--hints') hints = true;
    else if (arg === '--no-cache') cache = false;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE + '\n');
      return 0;
    } else if (arg.startsWith('-')) throw new UsageError(`trellis: unknown option "${arg}".\n\n${USAGE}`);
    else folders.push(arg);
  }
  if (format !== 'human' && format !== 'json') throw new UsageError(`trellis: --format must be "human" or "json", not "${format}".`);
  const results = await check(folders.length ? folders : ['.'], process.cwd(), { hints, cache });
  if (format === 'json') await writeJson(results);
  else await write(formatHuman(results));
  return results.some((r) => r.severity === 'error') ? 1 : 0;
}

declare const VERSION: string;

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(error.message + '\n');
      process.exitCode = 2;
    } else {
      process.stderr.write(`trellis: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 3;
    }
  },
);
