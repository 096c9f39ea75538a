/**
 * `npm run soak`: 10,000 edits to one open document over LSP, on real corpus
 * files, printing the server's memory as it goes and its CPU at rest after.
 *
 *   npm run soak -- [--edits N] [--files PREFIXES] [--json]
 *
 * `--files`: the corpus files whose names start with one of these letters
 * (default `a`, 219 files, 52 of them naming the edited pattern).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { growthAfterWarmup, soak, SOAK_DOCUMENT } from '../test/lsp/soak';

const REPO = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const edits = Number(option('--edits') ?? 10_000);
const prefixes = (option('--files') ?? 'a').split(',');
const CORPUS = [path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns'), '/work/shared/corpus/commons-os-patterns'].find((d) => existsSync(d));

async function main(): Promise<void> {
  if (!CORPUS) throw new Error('The corpus (../shared/corpus/commons-os-patterns) is not here.');
  const sampleEvery = Math.max(1, Math.round(edits / 20));
  const warmup = 2;
  const result = await soak({ corpus: CORPUS, files: (name) => prefixes.some((p) => name.startsWith(p)), edits, sampleEvery });
  if (args.includes('--json')) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log(`Soak: ${result.edits} edits to ${SOAK_DOCUMENT} in a library of ${result.files} corpus files (${result.referrers} of them name it), ${result.seconds.toFixed(1)} s (${((result.seconds * 1000) / result.edits).toFixed(1)} ms per edit with its requests)\n`);
  console.log('| after edit | RSS (MB) |');
  console.log('|---:|---:|');
  result.rss.forEach((rss, i) => console.log(`| ${i * sampleEvery} | ${rss.toFixed(1)} |`));
  console.log(`\nRSS growth after the warm-up (edit ${warmup * sampleEvery} on): ${growthAfterWarmup(result.rss, warmup).toFixed(1)} MB; first to last: ${(result.rss.at(-1)! - result.rss[0]!).toFixed(1)} MB`);
  console.log(`CPU at rest (one quiet second after the last edit): ${result.idleCpuMs} ms`);
  // The bounds of test/lsp/soak.test.ts, so that a CI job running the soak fails on a leak or a busy server.
  if (growthAfterWarmup(result.rss, warmup) >= 30 || result.idleCpuMs > 50) {
    console.error('\nOver the bounds: RSS growth after the warm-up must stay under 30 MB, CPU at rest at most 50 ms a second.');
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
