/**
 * Completion and hover latency on a real library, measured as an editor sees
 * it: the bundled server over stdio, a JSON-RPC client, requests at random
 * reference, key and value positions of open documents.
 *
 *   npx tsx bench/editing.ts [library folder] [--samples N] [--json]
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from '../test/lsp/lspClient';

const args = process.argv.slice(2);
const folder = path.resolve(args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? path.join(__dirname, '..', '..', 'shared', 'corpus', 'commons-os-patterns'));
const samples = Number(args[args.indexOf('--samples') + 1]) || 400;
const asJson = args.includes('--json');

function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const client = new TestClient();
  const started = performance.now();
  await client.initialize(pathToFileURL(folder).href);
  await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'the index');
  const indexed = performance.now() - started;
  const files = (await fs.readdir(folder)).filter((f) => f.endsWith('.md')).sort();
  const random = rng(42);
  const timings: Record<string, number[]> = { 'completion (reference)': [], 'completion (key)': [], hover: [] };
  let opened = 0;
  while (Object.values(timings).some((t) => t.length < samples)) {
    const name = files[Math.floor(random() * files.length)]!;
    const text = await fs.readFile(path.join(folder, name), 'utf8');
    const uri = pathToFileURL(path.join(folder, name)).href;
    const lines = text.split('\n');
    const refs = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s+- (slug|target): \S/.test(l));
    const keys = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*[a-z_]+: /.test(l)).slice(0, 60);
    if (refs.length === 0 || keys.length === 0) continue;
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
    opened++;
    for (let k = 0; k < 5; k++) {
      const [refLine, refIndex] = refs[Math.floor(random() * refs.length)]!;
      const valueStart = refLine.indexOf(': ') + 2;
      const position = { line: refIndex, character: valueStart + Math.min(3, refLine.length - valueStart) };
      let t = performance.now();
      await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position });
      timings['completion (reference)']!.push(performance.now() - t);
      t = performance.now();
      await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
      timings['hover']!.push(performance.now() - t);
      const [keyLine, keyIndex] = keys[Math.floor(random() * keys.length)]!;
      t = performance.now();
      await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: keyIndex, character: keyLine.search(/\S/) + 2 } });
      timings['completion (key)']!.push(performance.now() - t);
    }
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }
  await client.stop();
  const rows = Object.entries(timings).map(([op, values]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { op, n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1]! };
  });
  if (asJson) {
    console.log(JSON.stringify({ folder, files: files.length, indexMs: indexed, documentsOpened: opened, rows }, null, 2));
    return;
  }
  console.log(`library: ${folder} (${files.length} files), indexed in ${(indexed / 1000).toFixed(1)} s; ${opened} documents opened; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})`);
  console.log('| request | n | p50 ms | p95 ms | p99 ms | max ms |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.op} | ${r.n} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
