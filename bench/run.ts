/**
 * The performance benchmark: on the real corpus and on synthetic libraries of
 * the corpus' shape, it measures what an author feels, through the bundled
 * server over stdio with a real LSP client, and `trellis check`.
 *
 *   npm run bench -- [--sizes 1000,10000,100000] [--no-corpus] [--samples N] [--starts N] [--json]
 *
 * Starts (cold, warm, `trellis check`) are timed `--starts` times each and
 * reported as the median with the range: on these VMs one start differs from
 * the next by a fifth. By default 5 for libraries under 20,000 files, 1 above
 * (a cold start of 100,000 files takes half a minute).
 */
import { spawn } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from '../test/lsp/lspClient';
import { generateLibrary, HUB_SLUG } from './synthetic';

const REPO = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const sizes = (option('--sizes') ?? '1000,10000').split(',').map(Number).filter((n) => n > 0);
const samples = Number(option('--samples') ?? 200);
const startsOption = option('--starts');
const startsFor = (files: number): number => (startsOption !== undefined ? Math.max(1, Number(startsOption) || 1) : files < 20_000 ? 5 : 1);
const asJson = args.includes('--json');
const CORPUS = [path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns'), '/work/shared/corpus/commons-os-patterns'].find((d) => existsSync(d));

type Row = Record<string, string | number>;
const rows: Row[] = [];

function stats(values: number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  return { p50: at(50), p95: at(95), p99: at(99) };
}

/** Peak resident memory of a process, in MB (Linux). */
function peakRss(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024;
  } catch {
    return NaN;
  }
}

/** CPU seconds a process has used (Linux). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, in clock ticks of 1/100 s on Linux.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `median` alone for one value, else `median (min–max)`, in whole milliseconds. */
function spread(values: number[]): string {
  const round = (n: number): number => Math.round(n);
  if (values.length === 1) return String(round(values[0]!));
  return `${round(median(values))} (${round(Math.min(...values))}–${round(Math.max(...values))})`;
}

async function readFloor(dir: string): Promise<number> {
  const started = performance.now();
  const names = (await fs.readdir(dir)).filter((f) => f.endsWith('.md'));
  // Synchronous reads, the fastest way Node has to read many small files (fs.promises costs several times more).
  for (const name of names) readFileSync(path.join(dir, name), 'utf8');
  return performance.now() - started;
}

/** `trellis check` wall time and peak RSS, polling /proc while it runs. */
function runCheck(dir: string, env: NodeJS.ProcessEnv): Promise<{ ms: number; rssMb: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(REPO, 'bin', 'trellis.js'), 'check', dir, '--format', 'json'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let rss = 0;
    const timer = setInterval(() => (rss = Math.max(rss, peakRss(child.pid) || 0)), 20);
    child.on('error', reject);
    child.on('exit', () => {
      clearInterval(timer);
      resolve({ ms: performance.now() - started, rssMb: rss });
    });
  });
}

/**
 * Time from initialize to the library ready (indexed, its diagnostics all
 * sent: the status says so), and to the last diagnostics received before
 * that. They differ when a warm start sends the diagnostics it kept before
 * the documents are indexed.
 */
async function startServer(dir: string, env: NodeJS.ProcessEnv): Promise<{ client: TestClient; ms: number; diagnosticsMs: number }> {
  const client = new TestClient('stdio', env);
  const started = performance.now();
  await client.initialize(pathToFileURL(dir).href);
  await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'all diagnostics');
  const ms = performance.now() - started;
  return { client, ms, diagnosticsMs: (client.publishedAt.at(-1) ?? started) - started };
}

async function latencies(client: TestClient, dir: string): Promise<Record<string, number[]>> {
  const names = (await fs.readdir(dir)).filter((f) => f.endsWith('.md')).sort();
  const timings: Record<string, number[]> = { completion: [], hover: [], definition: [], references: [] };
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  while (timings['completion']!.length < samples) {
    const name = names[Math.floor(random() * names.length)]!;
    const text = await fs.readFile(path.join(dir, name), 'utf8');
    const lines = text.split('\n');
    const refs = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s+- (slug|target): \S/.test(l));
    if (refs.length === 0) continue;
    const uri = pathToFileURL(path.join(dir, name)).href;
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
    for (let k = 0; k < 4 && timings['completion']!.length < samples; k++) {
      const [line, index] = refs[Math.floor(random() * refs.length)]!;
      const position = { line: index, character: line.indexOf(': ') + 5 };
      for (const [name, method, extra] of [
        ['completion', 'textDocument/completion', {}],
        ['hover', 'textDocument/hover', {}],
        ['definition', 'textDocument/definition', {}],
        ['references', 'textDocument/references', { context: { includeDeclaration: false } }],
      ] as const) {
        const t = performance.now();
        await client.connection.sendRequest(method, { textDocument: { uri }, position, ...extra });
        timings[name]!.push(performance.now() - t);
      }
    }
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }
  return timings;
}

/**
 * Keystroke to updated diagnostics, dependants included: change the hub's slug
 * (its 100 referrers turn dangling), then change it back (they recover).
 */
async function keystrokes(client: TestClient, dir: string, hubFile: string): Promise<number[]> {
  const uri = pathToFileURL(path.join(dir, hubFile)).href;
  const text = await fs.readFile(path.join(dir, hubFile), 'utf8');
  const slug = /^slug: (.*)$/m.exec(text)![1]!;
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
  const dependants = (await client.connection.sendRequest('textDocument/references', { textDocument: { uri }, position: { line: text.split('\n').findIndex((l) => l.startsWith('slug:')), character: 7 }, context: { includeDeclaration: false } })) as Array<{ uri: string; range: { start: { line: number; character: number }; end: { character: number } } }>;
  // Only the files that name it by slug: one that names it by id still resolves when the slug breaks.
  const bySlug = dependants.filter((d) => {
    const line = readFileSync(new URL(d.uri), 'utf8').split('\n')[d.range.start.line] ?? '';
    return line.slice(d.range.start.character, d.range.end.character) === slug;
  });
  const files = [...new Set(bySlug.map((d) => d.uri))];
  const times: number[] = [];
  let version = 1;
  // 30 rounds, 60 edits: with fewer, one garbage collection pause on a large heap decides the p95.
  for (let round = 0; round < 30; round++) {
    for (const broken of [true, false]) {
      const next = broken ? text.replace(`slug: ${slug}`, `slug: ${slug}x`) : text;
      const t = performance.now();
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ text: next }] });
      await client.waitFor(() => files.every((f) => client.diagnosticsOf(f, 'dangling-reference').some((d) => d.message.includes(`\`${slug}\``)) === broken) && client.diagnostics.get(uri)?.version === version, 'dependants');
      times.push(performance.now() - t);
    }
  }
  return times;
}

async function measure(label: string, dir: string): Promise<void> {
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.md')).length;
  const starts = startsFor(files);
  const cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-bench-cache-'));
  const env = { ...process.env, TRELLIS_CACHE_DIR: cacheDir };
  const row: Row = { library: label, files, starts };
  row['read floor ms'] = Math.round(await readFloor(dir));
  const stage = (what: string): void => void console.error(`  ${label}: ${what}`);
  // Each cold start has a cache folder of its own, empty (no analysis cache, no code cache); the first one's
  // is kept for the warm starts.
  const cold = { diagnostics: [] as number[], ready: [] as number[], rssMb: 0 };
  for (let i = 0; i < starts; i++) {
    stage(`cold start ${i + 1} of ${starts}`);
    const own = i === 0 ? cacheDir : await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-bench-cache-'));
    const start = await startServer(dir, { ...env, TRELLIS_CACHE_DIR: own });
    cold.diagnostics.push(start.diagnosticsMs);
    cold.ready.push(start.ms);
    cold.rssMb = Math.max(cold.rssMb, peakRss(start.client.pid) || 0);
    await start.client.stop();
    if (own !== cacheDir) await fs.rm(own, { recursive: true, force: true });
  }
  row['cold start ms: diagnostics / ready'] = `${spread(cold.diagnostics)} / ${spread(cold.ready)}`;
  const warm = { diagnostics: [] as number[], ready: [] as number[] };
  let client: TestClient | undefined;
  for (let i = 0; i < starts; i++) {
    stage(`warm start ${i + 1} of ${starts}`);
    const start = await startServer(dir, env);
    warm.diagnostics.push(start.diagnosticsMs);
    warm.ready.push(start.ms);
    // The last one stays up for the requests.
    if (i < starts - 1) await start.client.stop();
    else client = start.client;
  }
  row['warm start ms: diagnostics / ready'] = `${spread(warm.diagnostics)} / ${spread(warm.ready)}`;
  if (!client) throw new Error('no warm start');
  stage('request latencies');
  const timings = await latencies(client, dir);
  for (const [name, values] of Object.entries(timings)) {
    const s = stats(values);
    row[`${name} p50/p95/p99 ms`] = `${s.p50.toFixed(1)} / ${s.p95.toFixed(1)} / ${s.p99.toFixed(1)}`;
  }
  const hub = existsSync(path.join(dir, `${HUB_SLUG}.md`)) ? `${HUB_SLUG}.md` : 'therapeutic-relationship-building.md';
  stage('keystrokes');
  const keys = stats(await keystrokes(client, dir, hub));
  row['keystroke→diagnostics p50/p95 ms'] = `${keys.p50.toFixed(0)} / ${keys.p95.toFixed(0)}`;
  const hubText = await fs.readFile(path.join(dir, hub), 'utf8');
  const t = performance.now();
  const edit = (await client.connection.sendRequest('textDocument/rename', { textDocument: { uri: pathToFileURL(path.join(dir, hub)).href }, position: { line: hubText.split('\n').findIndex((l) => l.startsWith('slug:')), character: 7 }, newName: 'renamed-hub' })) as { documentChanges: unknown[] };
  row['rename ms (files)'] = `${(performance.now() - t).toFixed(0)} (${edit.documentChanges.length - 1})`;
  // The larger of a cold start's (every file analyzed, workers included) and the warm server's after the requests.
  row['server peak RSS MB'] = Math.round(Math.max(cold.rssMb, peakRss(client.pid) || 0));
  const cpuBefore = cpuSeconds(client.pid);
  const idleStart = performance.now();
  await new Promise((r) => setTimeout(r, 5000)); // Measuring CPU at rest needs wall time to pass.
  row['idle CPU %'] = (((cpuSeconds(client.pid) - cpuBefore) / ((performance.now() - idleStart) / 1000)) * 100).toFixed(1);
  await client.stop();
  const check = { cold: [] as number[], warm: [] as number[], rssMb: 0 };
  for (let i = 0; i < starts; i++) {
    stage(`trellis check ${i + 1} of ${starts}`);
    const own = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-bench-check-'));
    const checkCold = await runCheck(dir, { ...env, TRELLIS_CACHE_DIR: own });
    await fs.rm(own, { recursive: true, force: true });
    const checkWarm = await runCheck(dir, env);
    check.cold.push(checkCold.ms);
    check.warm.push(checkWarm.ms);
    check.rssMb = Math.max(check.rssMb, checkCold.rssMb, checkWarm.rssMb);
  }
  row['check cold/warm ms'] = `${spread(check.cold)} / ${spread(check.warm)}`;
  row['check peak RSS MB'] = Math.round(check.rssMb);
  rows.push(row);
  await fs.rm(cacheDir, { recursive: true, force: true });
  // Each row as soon as it is measured, so a run cut short still reports what it measured.
  console.error(`measured ${label}: ${JSON.stringify(row)}`);
}

async function main(): Promise<void> {
  if (CORPUS && !args.includes('--no-corpus')) await measure('Commons corpus', CORPUS);
  for (const size of sizes) {
    const dir = path.join(os.tmpdir(), `trellis-synthetic-${size}`);
    if (!existsSync(path.join(dir, `${HUB_SLUG}.md`))) await generateLibrary(dir, size);
    await measure(`synthetic ${size >= 1000 ? `${size / 1000}k` : size}`, dir);
  }
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  if (asJson) {
    console.log(JSON.stringify({ machine, rows }, null, 2));
    return;
  }
  console.log(`machine: ${machine}`);
  const columns = Object.keys(rows[0] ?? {});
  console.log(`| ${columns.join(' | ')} |`);
  console.log(`|${columns.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${columns.map((c) => row[c]).join(' | ')} |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
