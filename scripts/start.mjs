// @ts-check
/**
 * `npm start`: builds, then opens examples/library in a real VS Code with
 * Trellis loaded from this checkout: the desktop `code` when it is
 * installed, otherwise code-server on 127.0.0.1, whose address it prints.
 *
 *   npm start                      # examples/library
 *   npm start -- path/to/library   # another folder
 *   npm start -- --port 8080       # a fixed port for code-server
 *   npm start -- --code-server     # code-server even where `code` exists
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerHome, ensureCodeServer, findDesktopCode, startCodeServer, workbenchUrl } from './codeServer.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? Number(args[portArg + 1]) : process.env.PORT ? Number(process.env.PORT) : undefined;
const folderArg = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--port');
const folder = path.resolve(folderArg ?? path.join(REPO, 'examples', 'library'));

const built = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const desktop = args.includes('--code-server') ? undefined : findDesktopCode();
if (desktop) {
  console.log(`Opening ${path.relative(process.cwd(), folder) || '.'} in VS Code with Trellis from ${REPO}`);
  const child = spawn(desktop, ['--new-window', `--extensionDevelopmentPath=${REPO}`, folder], { stdio: 'inherit', detached: true });
  child.unref();
} else {
  const bin = ensureCodeServer();
  const server = await startCodeServer({
    bin,
    // One session folder, kept between runs: settings and window state survive a restart.
    runDir: path.join(path.dirname(codeServerHome()), 'start-session'),
    ...(port ? { port } : {}),
    userSettings: { 'files.autoSave': 'off' },
    output: 'ignore',
  });
  const url = workbenchUrl({ origin: server.origin, port: server.port, folder, extensionDevelopmentPath: REPO });
  console.log(`\nNo desktop VS Code here: Trellis runs in code-server (VS Code in the browser), on loopback only.\n`);
  console.log(`  Open ${url}\n`);
  console.log(`From another machine, forward the port first (ssh -L ${server.port}:127.0.0.1:${server.port} …), then open the same address.`);
  console.log('After `npm run build`, reload the window to load the new bundles. Ctrl+C stops code-server.');
  const stop = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  server.process.once('exit', (code) => {
    console.log(`code-server exited (${code})`);
    process.exit(code ?? 1);
  });
}
