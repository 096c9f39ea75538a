// @ts-check
/**
 * A real VS Code on machines that cannot download one: code-server (the
 * browser-served VS Code) installed from the npm registry, started on
 * loopback. Used by `npm start` and `npm run test:editor`; see
 * ../../shared/real-editor.md for why each step is the way it is.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** The newest code-server whose engines.node is 20 (VS Code 1.100.3). Newer ones need Node 24. */
export const CODE_SERVER_VERSION = '4.100.3';
/** The @vscode/ripgrep postinstall looks for this file before it tries GitHub. */
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

/** Where code-server is installed: $TRELLIS_CODE_SERVER_DIR, else a folder of the user's cache. */
export function codeServerHome() {
  if (process.env.TRELLIS_CODE_SERVER_DIR) return path.resolve(process.env.TRELLIS_CODE_SERVER_DIR);
  const cache = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(cache, 'trellis', `code-server-${CODE_SERVER_VERSION}`);
}

/** The code-server executable: $CODE_SERVER, or our cached install; undefined when neither exists. */
export function findCodeServer() {
  if (process.env.CODE_SERVER) return process.env.CODE_SERVER;
  const bin = path.join(codeServerHome(), 'node_modules', '.bin', 'code-server');
  return existsSync(path.join(codeServerHome(), '.installed')) && existsSync(bin) ? bin : undefined;
}

/** The desktop `code` command when one is installed (and is not code-server's own `code` alias). */
export function findDesktopCode() {
  const probe = spawnSync('code', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0 || /code-server/i.test(probe.stdout)) return undefined;
  return 'code';
}

/**
 * Installs code-server into codeServerHome() unless it is there, and returns
 * its executable. Needs the Debian packages `ripgrep` and `libkrb5-dev`.
 * @param {(line: string) => void} log
 */
export function ensureCodeServer(log = console.log) {
  const found = findCodeServer();
  if (found) return found;
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) throw new Error('code-server needs ripgrep: apt-get install ripgrep libkrb5-dev');
  const home = codeServerHome();
  const partial = `${home}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  // @vscode/ripgrep downloads a binary from GitHub unless this tarball is in $TMPDIR.
  const tmp = mkdtempSync(path.join(partial, 'tmp-'));
  mkdirSync(path.join(tmp, RIPGREP_CACHE));
  const staging = mkdtempSync(path.join(tmp, 'rg-'));
  spawnSync('cp', [rg, path.join(staging, 'rg')], { stdio: 'inherit' });
  const tar = spawnSync('tar', ['-czf', path.join(tmp, RIPGREP_CACHE, RIPGREP_TARBALL), '-C', staging, 'rg'], { stdio: 'inherit' });
  if (tar.status !== 0) throw new Error('could not pack ripgrep for the code-server install');

  log(`Installing code-server@${CODE_SERVER_VERSION} into ${home} (about a minute)…`);
  const started = Date.now();
  writeFileSync(path.join(partial, 'package.json'), JSON.stringify({ private: true }));
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: partial,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, TMPDIR: tmp, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
  });
  if (install.status !== 0) throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${install.status})`);
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(path.join(partial, '.installed'), `${CODE_SERVER_VERSION}\n`);
  rmSync(home, { recursive: true, force: true });
  renameSync(partial, home);
  log(`code-server installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return /** @type {string} */ (findCodeServer());
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * @typedef {object} CodeServerOptions
 * @property {string} bin the code-server executable
 * @property {string} runDir a folder of this run: user data, extensions, TMPDIR and the XDG config, data and cache folders go here
 * @property {number} [port]
 * @property {boolean} [workspaceTrust] false (the default) disables workspace trust
 * @property {Record<string, unknown>} [userSettings]
 * @property {Record<string, string>} [env] extra environment for the server and its extension hosts
 * @property {'inherit' | 'ignore' | 'pipe'} [output]
 */

/**
 * @typedef {object} RunningCodeServer
 * @property {number} port
 * @property {string} origin e.g. http://127.0.0.1:8080
 * @property {string} extensionsDir
 * @property {import('node:child_process').ChildProcess} process
 * @property {() => Promise<void>} stop ends the server and everything it started
 */

/** Folders of a run, created on demand. @param {string} runDir */
export function runFolders(runDir) {
  const folders = {
    userData: path.join(runDir, 'user-data'),
    extensions: path.join(runDir, 'extensions'),
    tmp: path.join(runDir, 'tmp'),
    config: path.join(runDir, 'xdg-config'),
    data: path.join(runDir, 'xdg-data'),
    // Caches of the run, the Trellis server's analysis cache among them.
    cache: path.join(runDir, 'xdg-cache'),
  };
  for (const dir of Object.values(folders)) mkdirSync(dir, { recursive: true });
  return folders;
}

/**
 * Installs a .vsix into the run's own extensions folder.
 * @param {string} bin @param {string} runDir @param {string} vsix
 */
export function installExtension(bin, runDir, vsix) {
  const folders = runFolders(runDir);
  const result = spawnSync(bin, ['--extensions-dir', folders.extensions, '--user-data-dir', folders.userData, '--install-extension', vsix, '--force'], {
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: folders.tmp, XDG_CONFIG_HOME: folders.config, XDG_DATA_HOME: folders.data, XDG_CACHE_HOME: folders.cache },
  });
  if (result.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout.trim();
}

/**
 * Starts code-server on 127.0.0.1 in its own process group and resolves once /healthz answers.
 * @param {CodeServerOptions} options
 * @returns {Promise<RunningCodeServer>}
 */
export async function startCodeServer(options) {
  const folders = runFolders(options.runDir);
  const port = options.port ?? (await freePort());
  const settingsDir = path.join(folders.userData, 'User');
  mkdirSync(settingsDir, { recursive: true });
  writeFileSync(
    path.join(settingsDir, 'settings.json'),
    JSON.stringify({ 'telemetry.telemetryLevel': 'off', 'workbench.startupEditor': 'none', ...options.userSettings }, null, 2),
  );
  const args = [
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--ignore-last-opened',
    '--user-data-dir', folders.userData,
    '--extensions-dir', folders.extensions,
  ];
  if (!options.workspaceTrust) args.push('--disable-workspace-trust');
  const child = spawn(options.bin, args, {
    detached: true,
    stdio: ['ignore', options.output ?? 'ignore', options.output ?? 'ignore'],
    env: { ...process.env, TMPDIR: folders.tmp, XDG_CONFIG_HOME: folders.config, XDG_DATA_HOME: folders.data, XDG_CACHE_HOME: folders.cache, ...options.env },
  });
  const origin = `http://127.0.0.1:${port}`;
  /** @type {Promise<void> | undefined} */
  let stopping;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.pid) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
        const timer = setTimeout(() => {
          try {
            if (child.pid) process.kill(-child.pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }, 5000);
        await exited;
        clearTimeout(timer);
      }
    })();
    return stopping;
  };
  await waitForHealth(origin, child, 60_000);
  return { port, origin, extensionsDir: folders.extensions, process: child, stop };
}

/**
 * Polls /healthz until code-server answers, it exits, or the deadline passes.
 * @param {string} origin @param {import('node:child_process').ChildProcess} child @param {number} timeoutMs
 */
async function waitForHealth(origin, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before it listened`);
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`code-server did not answer ${origin}/healthz within ${timeoutMs / 1000} s`);
}

/**
 * The workbench address that opens a folder or a .code-workspace file, with an
 * extension under development and, optionally, a test suite: code-server's
 * command line rejects --extensionDevelopmentPath and --extensionTestsPath,
 * so they travel in the `payload` query parameter.
 * @param {{ origin: string, port: number, folder?: string, workspace?: string, extensionDevelopmentPath?: string, extensionTestsPath?: string }} options
 */
export function workbenchUrl(options) {
  const url = new URL(options.origin);
  if (options.workspace) url.searchParams.set('workspace', options.workspace);
  else if (options.folder) url.searchParams.set('folder', options.folder);
  /** @type {Array<[string, string]>} */
  const payload = [];
  const remote = (/** @type {string} */ p) => `vscode-remote://127.0.0.1:${options.port}${p}`;
  if (options.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]);
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  if (payload.length > 0) url.searchParams.set('payload', JSON.stringify(payload));
  return url.href;
}

// `node scripts/codeServer.mjs install` installs code-server into the cache (used by .ci/run).
if (import.meta.url === `file://${process.argv[1]}` && process.argv[2] === 'install') {
  console.log(ensureCodeServer());
}
