// @ts-check
/**
 * `npm run test:editor`: the end-to-end tests in a real editor.
 *
 * 1. Packages the extension (`vsce package`, which builds) and bundles the
 *    mocha suite (test/editor/suite) for the extension host.
 * 2. Makes temp workspaces: a two-folder workspace (a copy of
 *    examples/library and of test/editor/fixtures/recipes) and an untrusted
 *    folder.
 * 3. Installs the .vsix into a clean editor (its own extensions folder) and
 *    runs the suite inside it, once per scenario, with the harness in
 *    test/editor/harness as the extension under development: so the tests
 *    exercise the installed package, not the source tree.
 *    - With @vscode/test-electron where VS Code can be downloaded;
 *    - otherwise in code-server driven by headless Chromium
 *      (../../../shared/real-editor.md): the suite's path travels in the
 *      workbench URL's `payload`, the page exposes `codeAutomationExit`.
 * 4. In code-server, walks through the editor with Playwright and keeps
 *    screenshots in .test-artifacts/editor/.
 *
 * Options: --editor=auto|electron|code-server (or TRELLIS_EDITOR), --keep
 * (keep the temp folder), --no-walkthrough, --scenario=NAME (only that
 * scenario), --grep=TEXT (only the tests whose titles match).
 */
import { spawnSync } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { ensureCodeServer, findCodeServer, installExtension, startCodeServer, workbenchUrl } from '../../scripts/codeServer.mjs';
import { restrictedWalkthrough, walkthrough } from './walkthrough.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ARTIFACTS = path.join(REPO, '.test-artifacts', 'editor');
const SUITE_OUT = path.join(REPO, 'out', 'editor', 'suite');
const HARNESS = path.join(REPO, 'test', 'editor', 'harness');
const SCENARIO_DEADLINE_MS = 5 * 60_000;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Settings for every editor of the run: quiet, offline, nothing restored or recommended. */
const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  // The web workbench saves after a delay by default; tests that edit a file revert it instead.
  'files.autoSave': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'update.mode': 'none',
};
/** The untrusted scenario turns workspace trust on and opens without asking. */
const RESTRICTED_SETTINGS = { ...USER_SETTINGS, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.untrustedFiles': 'open' };

/**
 * @typedef {object} Scenario
 * @property {string} name a folder of test/editor/suite
 * @property {{ workspace?: string, folder?: string }} open
 * @property {boolean} trusted
 */

/** @typedef {{ title: string, state: 'passed' | 'failed', durationMs: number, error?: string }} TestResult */
/** @typedef {{ scenario: string, durationMs: number, failures: number, tests: TestResult[] }} ScenarioResults */

const options = parseOptions(process.argv.slice(2));
const timings = /** @type {Record<string, number>} */ ({});

async function main() {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const vsix = await timed('package', () => packageExtension());
  await timed('bundle suite', () => bundleSuite());
  const runDir = mkdtempSync(path.join(tmpdir(), 'trellis-editor-'));
  const scenarios = makeWorkspaces(runDir).filter((s) => !options.scenario || s.name === options.scenario);
  console.log(`Workspaces in ${runDir}`);

  const editor = await chooseEditor(options.editor);
  console.log(`Editor: ${editor}`);
  /** @type {ScenarioResults[]} */
  let results;
  try {
    results = editor === 'electron' ? await runInElectron(vsix, runDir, scenarios) : await runInCodeServer(vsix, runDir, scenarios);
  } finally {
    if (!options.keep) rmSync(runDir, { recursive: true, force: true });
  }
  writeFileSync(path.join(ARTIFACTS, 'results.json'), JSON.stringify({ editor, timings, results }, null, 2));
  return report(results);
}

/** Builds the .vsix exactly as `npm run package` does. */
function packageExtension() {
  const vsix = path.join(ARTIFACTS, 'trellis.vsix');
  const vsce = path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
  const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--out', vsix], { cwd: REPO, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`vsce package failed:\n${result.stdout}\n${result.stderr}`);
  return vsix;
}

/** The suite as CommonJS the extension host can load: one file per test file, with mocha and vscode left external. */
async function bundleSuite() {
  const suite = path.join(REPO, 'test', 'editor', 'suite');
  const entryPoints = [path.join(suite, 'index.ts')];
  for (const entry of readdirSync(suite, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const file of readdirSync(path.join(suite, entry.name))) if (file.endsWith('.test.ts')) entryPoints.push(path.join(suite, entry.name, file));
  }
  rmSync(SUITE_OUT, { recursive: true, force: true });
  await build({
    entryPoints,
    outdir: SUITE_OUT,
    outbase: suite,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
}

/** @param {string} runDir @returns {Scenario[]} */
function makeWorkspaces(runDir) {
  const workspace = path.join(runDir, 'workspace');
  cpSync(path.join(REPO, 'examples', 'library'), path.join(workspace, 'library'), { recursive: true });
  cpSync(path.join(REPO, 'test', 'editor', 'fixtures', 'recipes'), path.join(workspace, 'recipes'), { recursive: true });
  const workspaceFile = path.join(workspace, 'trellis-e2e.code-workspace');
  writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: 'library' }, { path: 'recipes' }], settings: {} }, null, 2));
  const restricted = path.join(runDir, 'restricted', 'recipes');
  cpSync(path.join(REPO, 'test', 'editor', 'fixtures', 'recipes'), restricted, { recursive: true });
  cpSync(path.join(REPO, 'examples', 'library'), path.join(runDir, 'walkthrough', 'library'), { recursive: true });
  return [
    { name: 'workspace', open: { workspace: workspaceFile }, trusted: true },
    { name: 'restricted', open: { folder: restricted }, trusted: false },
  ];
}

/**
 * `auto`: @vscode/test-electron when its download host resolves and there is
 * a display for it (Linux without one needs xvfb-run), else code-server.
 * @param {string} wanted
 */
async function chooseEditor(wanted) {
  if (wanted === 'electron' || wanted === 'code-server') return wanted;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'code-server';
  try {
    await lookup('update.code.visualstudio.com');
    return 'electron';
  } catch {
    return 'code-server';
  }
}

/**
 * @param {string} vsix @param {string} runDir @param {Scenario[]} scenarios
 * @returns {Promise<ScenarioResults[]>}
 */
async function runInCodeServer(vsix, runDir, scenarios) {
  const installedBefore = Boolean(findCodeServer());
  const bin = await timed(installedBefore ? 'code-server (cached)' : 'code-server install', () => ensureCodeServer());
  const browser = await chromium.launchPersistentContext(path.join(runDir, 'chromium-profile'), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
  });
  /** @type {ScenarioResults[]} */
  const results = [];
  /** @type {TestResult[]} */
  const walks = [];
  try {
    for (const scenario of scenarios) {
      const serverDir = path.join(runDir, `code-server-${scenario.name}`);
      const resultsFile = path.join(runDir, `results-${scenario.name}.json`);
      await timed(`install .vsix (${scenario.name})`, () => installExtension(bin, serverDir, vsix));
      const server = await timed(`start code-server (${scenario.name})`, () =>
        startCodeServer({
          bin,
          runDir: serverDir,
          workspaceTrust: !scenario.trusted,
          userSettings: scenario.trusted ? USER_SETTINGS : RESTRICTED_SETTINGS,
          env: { TRELLIS_EDITOR_SCENARIO: scenario.name, TRELLIS_EDITOR_RESULTS: resultsFile, ...grepEnv() },
        }),
      );
      try {
        const url = workbenchUrl({
          origin: server.origin,
          port: server.port,
          ...scenario.open,
          extensionDevelopmentPath: HARNESS,
          extensionTestsPath: path.join(SUITE_OUT, 'index.js'),
        });
        const exitCode = await timed(`suite (${scenario.name})`, () => runSuitePage(browser, url, scenario.name));
        results.push(readResults(resultsFile, scenario.name, exitCode));
        if (options.walkthrough && scenario.name === 'workspace') {
          const folder = path.join(runDir, 'walkthrough', 'library');
          walks.push(await walk('the sample library: status bar, Problems from the status bar, a diagnostic hover, the graph beside a pattern, slug completion, F2 rename', () => walkthrough(browser, server, folder, ARTIFACTS)));
        }
        if (options.walkthrough && scenario.name === 'restricted' && scenario.open.folder) {
          const folder = scenario.open.folder;
          walks.push(await walk('Restricted Mode: the shield in the status bar, the notice on the config', () => restrictedWalkthrough(browser, server, folder, ARTIFACTS)));
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    await browser.close();
  }
  if (walks.length > 0) {
    results.push({ scenario: 'walkthrough (Playwright)', durationMs: walks.reduce((n, w) => n + w.durationMs, 0), failures: walks.filter((w) => w.state === 'failed').length, tests: walks });
  }
  return results;
}

/**
 * Runs one walk-through and records it as a test, so that a failure is reported with the others.
 * @param {string} title @param {() => Promise<void>} work
 * @returns {Promise<TestResult>}
 */
async function walk(title, work) {
  const started = Date.now();
  try {
    await timed(`walkthrough: ${title.split(':')[0]}`, work);
    return { title, state: 'passed', durationMs: Date.now() - started };
  } catch (error) {
    return { title, state: 'failed', durationMs: Date.now() - started, error: /** @type {Error} */ (error).stack ?? String(error) };
  }
}

/**
 * Opens the workbench with the suite and resolves with the code it passes to codeAutomationExit.
 * @param {import('playwright-core').BrowserContext} browser @param {string} url @param {string} name
 * @returns {Promise<number>}
 */
async function runSuitePage(browser, url, name) {
  const page = await browser.newPage();
  const log = /** @type {string[]} */ ([]);
  try {
    /** @type {(code: number) => void} */
    let exit = () => undefined;
    const exited = new Promise((resolve) => (exit = resolve));
    await page.exposeFunction('codeAutomationExit', (/** @type {number} */ code) => exit(code));
    await page.exposeFunction('codeAutomationLog', (/** @type {string} */ type, /** @type {unknown[]} */ args) => log.push(`${type} ${args.map(String).join(' ')}`));
    page.on('pageerror', (error) => log.push(`pageerror ${error.message}`));
    await page.goto(url);
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    const deadline = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`the ${name} suite did not finish within ${SCENARIO_DEADLINE_MS / 1000} s`)), SCENARIO_DEADLINE_MS)));
    try {
      return /** @type {number} */ (await Promise.race([exited, deadline]));
    } finally {
      clearTimeout(timer);
    }
  } finally {
    writeFileSync(path.join(ARTIFACTS, `${name}.log`), log.join('\n'));
    await page.close().catch(() => undefined);
  }
}

/**
 * @param {string} vsix @param {string} runDir @param {Scenario[]} scenarios
 * @returns {Promise<ScenarioResults[]>}
 */
async function runInElectron(vsix, runDir, scenarios) {
  const { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } = await import('@vscode/test-electron');
  const vscodeExecutablePath = await timed('download VS Code', () => downloadAndUnzipVSCode('stable'));
  /** @type {ScenarioResults[]} */
  const results = [];
  for (const scenario of scenarios) {
    const dir = path.join(runDir, `vscode-${scenario.name}`);
    const [extensionsDir, userDataDir] = [path.join(dir, 'extensions'), path.join(dir, 'user-data')];
    mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(scenario.trusted ? USER_SETTINGS : RESTRICTED_SETTINGS, null, 2));
    const profile = [`--extensions-dir=${extensionsDir}`, `--user-data-dir=${userDataDir}`];
    const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath);
    const install = spawnSync(/** @type {string} */ (cli), [...cliArgs.filter((a) => !/^--(extensions|user-data)-dir/.test(a)), ...profile, '--install-extension', vsix, '--force'], {
      encoding: 'utf8',
      shell: process.platform === 'win32',
    });
    if (install.status !== 0) throw new Error(`installing the .vsix failed:\n${install.stdout}\n${install.stderr}`);
    const resultsFile = path.join(runDir, `results-${scenario.name}.json`);
    const target = /** @type {string} */ (scenario.open.workspace ?? scenario.open.folder);
    let exitCode = 0;
    try {
      exitCode = await timed(`suite (${scenario.name})`, () =>
        runTests({
          vscodeExecutablePath,
          extensionDevelopmentPath: HARNESS,
          extensionTestsPath: path.join(SUITE_OUT, 'index.js'),
          extensionTestsEnv: { TRELLIS_EDITOR_SCENARIO: scenario.name, TRELLIS_EDITOR_RESULTS: resultsFile, ...grepEnv() },
          launchArgs: [target, ...profile, ...(scenario.trusted ? ['--disable-workspace-trust'] : []), '--disable-gpu'],
        }),
      );
    } catch (error) {
      exitCode = /** @type {{ code?: number }} */ (error).code ?? 1;
    }
    results.push(readResults(resultsFile, scenario.name, exitCode));
  }
  return results;
}

/**
 * @param {string} file @param {string} name @param {number} exitCode
 * @returns {ScenarioResults}
 */
function readResults(file, name, exitCode) {
  if (!existsSync(file)) {
    return { scenario: name, durationMs: 0, failures: 1, tests: [{ title: `${name}: the suite wrote no results (editor exit code ${exitCode}); see .test-artifacts/editor/${name}.log`, state: 'failed', durationMs: 0 }] };
  }
  const results = /** @type {ScenarioResults} */ (JSON.parse(readFileSync(file, 'utf8')));
  if (exitCode !== 0 && results.failures === 0) {
    results.failures = 1;
    results.tests.push({ title: `${name}: the editor exited with ${exitCode}`, state: 'failed', durationMs: 0 });
  }
  return results;
}

/** @param {ScenarioResults[]} results */
function report(results) {
  let passed = 0;
  let failed = 0;
  for (const scenario of results) {
    console.log(`\n${scenario.scenario} (${(scenario.durationMs / 1000).toFixed(1)} s${scenario.scenario.startsWith('walkthrough') ? '' : ' in the extension host'})`);
    for (const test of scenario.tests) {
      console.log(`  ${test.state === 'passed' ? '✔' : '✘'} ${test.title} (${test.durationMs} ms)`);
      if (test.error) console.log(test.error.replace(/^/gm, '      '));
      if (test.state === 'passed') passed++;
      else failed++;
    }
  }
  console.log('\nTimings:');
  for (const [step, ms] of Object.entries(timings)) console.log(`  ${step.padEnd(36)} ${(ms / 1000).toFixed(1)} s`);
  console.log(`\n${passed} passing, ${failed} failing. Artifacts: ${path.relative(REPO, ARTIFACTS)}/`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

/**
 * @template T
 * @param {string} step @param {() => T | Promise<T>} work
 * @returns {Promise<T>}
 */
async function timed(step, work) {
  const started = Date.now();
  try {
    return await work();
  } finally {
    timings[step] = Date.now() - started;
  }
}

/** @returns {Record<string, string>} */
function grepEnv() {
  return options.grep ? { TRELLIS_EDITOR_GREP: options.grep } : {};
}

/** @param {string[]} argv */
function parseOptions(argv) {
  const editor = argv.find((a) => a.startsWith('--editor='))?.slice('--editor='.length) ?? process.env.TRELLIS_EDITOR ?? 'auto';
  if (!['auto', 'electron', 'code-server'].includes(editor)) throw new Error(`--editor must be auto, electron or code-server, not ${editor}`);
  const grep = argv.find((a) => a.startsWith('--grep='))?.slice('--grep='.length);
  const scenario = argv.find((a) => a.startsWith('--scenario='))?.slice('--scenario='.length);
  return { editor, keep: argv.includes('--keep'), walkthrough: !argv.includes('--no-walkthrough'), grep, scenario };
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
