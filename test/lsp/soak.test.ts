/**
 * A short soak (1,000 edits) for every run; `npm run soak` runs 10,000.
 * Bounds, and why:
 * - Resident memory may grow at most 30 MB after the warm-up (the first 200
 *   edits, while V8 sizes its heap). Each version of the document is about
 *   30 KB of text and several times that once analyzed, so a server that
 *   kept every version's analysis would grow by well over 100 MB in the
 *   800 edits that follow. Measured: about 10 MB, all of it in the first
 *   samples after the warm-up, then flat.
 * - At rest afterwards the server uses at most 50 ms of CPU in a second
 *   (5 % of a core): no timers, no polling. Measured: 0–10 ms (one tick).
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { growthAfterWarmup, soak } from './soak';
import { REPO } from './lspClient';

const CORPUS = ['/work/shared/corpus/commons-os-patterns', path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns')].find((d) => existsSync(d));

describe('a long editing session over LSP', function () {
  this.timeout(300_000);

  it('1,000 edits to one document of a real library: memory flat after the warm-up, no CPU at rest', async function () {
    if (!CORPUS || process.platform !== 'linux') this.skip();
    const result = await soak({ corpus: CORPUS!, files: (name) => name.startsWith('a'), edits: 1000, sampleEvery: 100 });
    assert.ok(result.referrers >= 20, `renaming the slug left ${result.referrers} referrers dangling: the edits reached the library`);
    const growth = growthAfterWarmup(result.rss, 2);
    assert.ok(growth < 30, `RSS grew by ${growth.toFixed(1)} MB after the warm-up: ${result.rss.map((r) => r.toFixed(0)).join(' → ')} MB`);
    assert.ok(result.idleCpuMs <= 50, `${result.idleCpuMs} ms of CPU in a quiet second`);
  });
});
