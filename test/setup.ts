/** Mocha root hooks: every process a test starts caches into a folder of this run, removed at the end. */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'trellis-test-cache-'));
process.env['TRELLIS_CACHE_DIR'] = cacheDir;

export const mochaHooks = {
  afterAll(): void {
    rmSync(cacheDir, { recursive: true, force: true });
  },
};
