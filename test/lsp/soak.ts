/**
 * The soak: thousands of edits to one open document over LSP, as an editor
 * sends them (incremental changes, each followed by the requests an editor
 * makes after a keystroke), on a library of real corpus files. Samples the
 * server's resident memory as it goes and its CPU at rest afterwards.
 * `test/lsp/soak.test.ts` runs a short one; `npm run soak` (bench/soak.ts)
 * the full 10,000 edits.
 */
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Position } from 'vscode-languageserver-protocol';
import { LineMap } from '../../server/src/core/text';
import { TestClient } from './lspClient';

/** The pattern edited: named by many others, so that changing its slug revalidates them. */
export const SOAK_DOCUMENT = 'active-listening-depth.md';

export interface SoakOptions {
  corpus: string;
  /** Corpus files to copy (by name); the soak document is always among them. */
  files: (name: string) => boolean;
  edits: number;
  /** Memory is sampled every this many edits. */
  sampleEvery: number;
}

export interface SoakResult {
  files: number;
  edits: number;
  seconds: number;
  /** VmRSS in MB, after edit 0, sampleEvery, 2·sampleEvery… */
  rss: number[];
  /** CPU milliseconds the server used over one quiet second after the last edit. */
  idleCpuMs: number;
  /** The slug's referrers that went dangling and came back on each rename. */
  referrers: number;
}

/** Resident memory of a process, in MB (Linux). */
export function rssOf(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/** CPU milliseconds a process has used (Linux: utime + stime, in clock ticks of 10 ms). */
export function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export async function soak(options: SoakOptions): Promise<SoakResult> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-soak-'));
  const client = new TestClient();
  try {
    const names = (await fs.readdir(options.corpus)).filter((n) => n.endsWith('.md') && (n === SOAK_DOCUMENT || options.files(n)));
    for (const name of names) await fs.copyFile(path.join(options.corpus, name), path.join(dir, name));
    await client.initialize(pathToFileURL(dir).href);
    await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'the library to be ready');
    const pid = client.pid!;
    const uri = pathToFileURL(path.join(dir, SOAK_DOCUMENT)).href;
    const original = await fs.readFile(path.join(dir, SOAK_DOCUMENT), 'utf8');
    const slug = SOAK_DOCUMENT.replace(/\.md$/, '');
    let text = original;
    let version = 1;
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version, text } });

    const reference = /^    - slug: (\S+)$/m.exec(original)!;
    const bodyAt = original.indexOf('\n### ') + 1;
    const titleAt = original.indexOf('\ntitle: "') + 9;
    const slugAt = original.indexOf(`\nslug: ${slug}\n`) + 7 + slug.length;
    const referenceEnd = reference.index + reference[0].length;
    /** The cycle of edits: each pair breaks something and mends it, so the text comes back to the original every 8 edits. */
    const cycle: Array<{ at: number; remove: number; insert: string }> = [
      { at: referenceEnd, remove: 0, insert: 'q' }, // a reference now dangles
      { at: referenceEnd, remove: 1, insert: '' },
      { at: bodyAt, remove: 0, insert: 'x' }, // typing in the body
      { at: bodyAt, remove: 1, insert: '' },
      { at: slugAt, remove: 0, insert: '-tmp' }, // its own slug: every referrer's link dangles
      { at: slugAt, remove: 4, insert: '' },
      { at: titleAt, remove: 0, insert: 'A ' }, // the title
      { at: titleAt, remove: 2, insert: '' },
    ];
    const position = (offset: number): Position => new LineMap(text).positionAt(offset);
    let referrers = 0;
    const rss: number[] = [rssOf(pid)];
    const started = performance.now();
    for (let i = 0; i < options.edits; i++) {
      const edit = cycle[i % cycle.length]!;
      const range = { start: position(edit.at), end: position(edit.at + edit.remove) };
      text = text.slice(0, edit.at) + edit.insert + text.slice(edit.at + edit.remove);
      version++;
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: edit.insert }] });
      // What an editor asks after a keystroke; each answer waits until the edit is applied.
      await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
      if (i % 4 === 0) {
        const cursor = position(edit.at);
        await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: cursor, end: cursor }, context: { diagnostics: client.diagnosticsOf(uri) } });
        await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: position(reference.index + 12) });
        await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: position(reference.index + 14) });
      }
      if (i % cycle.length === 4) {
        const dangling = [...client.diagnostics.values()].filter((p) => p.uri !== uri && p.diagnostics.some((d) => d.code === 'dangling-reference' && d.message.includes(`\`${slug}\``))).length;
        referrers = Math.max(referrers, dangling);
      }
      if ((i + 1) % options.sampleEvery === 0) rss.push(rssOf(pid));
    }
    const seconds = (performance.now() - started) / 1000;
    if (text !== original) throw new Error('the cycle of edits did not bring the text back');
    // Settled: the library has applied every edit. Then one quiet second, measured (not a wait for readiness).
    await client.connection.sendRequest('workspace/symbol', { query: slug });
    const before = cpuMsOf(pid);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idleCpuMs = cpuMsOf(pid) - before;
    return { files: names.length, edits: options.edits, seconds, rss, idleCpuMs, referrers };
  } finally {
    await client.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Growth of resident memory after the warm-up (the first `warmupSamples` samples), in MB: the highest later sample over the sample at the end of the warm-up. */
export function growthAfterWarmup(rss: number[], warmupSamples: number): number {
  const base = rss[warmupSamples]!;
  return Math.max(...rss.slice(warmupSamples)) - base;
}
