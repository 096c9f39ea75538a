/**
 * The entry point the editor's extension host loads (`extensionTestsPath`):
 * runs the mocha tests of one scenario and writes their results to a file,
 * which is more reliable than the editor's log channel.
 *
 * Scenarios are folders next to this file, chosen by TRELLIS_EDITOR_SCENARIO:
 * `workspace` (a trusted two-folder workspace) and `restricted` (an untrusted
 * folder). Every `*.test.js` in the folder runs, in name order, or those
 * whose titles match TRELLIS_EDITOR_GREP.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

interface TestResult {
  title: string;
  state: 'passed' | 'failed';
  durationMs: number;
  error?: string;
}

export function run(): Promise<void> {
  const scenario = process.env['TRELLIS_EDITOR_SCENARIO'] ?? 'workspace';
  const resultsFile = process.env['TRELLIS_EDITOR_RESULTS'];
  const grep = process.env['TRELLIS_EDITOR_GREP'];
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  const dir = path.join(__dirname, scenario);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(dir, file));

  const results: TestResult[] = [];
  const started = Date.now();
  return new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (resultsFile) {
        writeFileSync(resultsFile, JSON.stringify({ scenario, durationMs: Date.now() - started, failures, tests: results }, null, 2));
      }
      if (failures > 0) reject(new Error(`${failures} editor test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => results.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 }));
    runner.on('fail', (test, error: Error) => {
      results.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0, error: error.stack ?? String(error) });
    });
  });
}
