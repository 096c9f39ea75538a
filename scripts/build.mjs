// Bundles the client, the server, the CLI and the graph webview with esbuild. `tsc -b` only typechecks.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  define: { VERSION: JSON.stringify(version) },
};

// The built-in schemas compiled ahead of time (server/src/core/generated/builtinValidators.js), before the bundles that import them.
await build({ ...common, sourcemap: false, entryPoints: [new URL('generateValidators.ts', import.meta.url).pathname], outfile: new URL('../out/build/generateValidators.js', import.meta.url).pathname, define: {} });
execFileSync(process.execPath, ['out/build/generateValidators.js'], { stdio: 'inherit', cwd: new URL('..', import.meta.url) });

// Whitespace and syntax minified, names kept (stack traces read as the source does): V8 scans a third less
// text before the first run of a build has a code cache (compiling the CLI bundle 50 → 37 ms).
const node = { ...common, minifyWhitespace: true, minifySyntax: true, outdir: 'dist' };
// The analysis worker first: its bundle is the core's analysis exactly as built (with yaml, ajv and the
// compiled schemas), so its hash names the analysis cache's version in every bundle. The server, `trellis lsp`
// and `trellis check` of one build then share a library's cache; another build starts a new one.
await build({ ...node, entryPoints: { analysisWorker: 'server/src/analysisWorker.ts' } });
const analysisVersion = createHash('sha1').update(readFileSync(new URL('../dist/analysisWorker.js', import.meta.url))).digest('hex');

await Promise.all([
  build({ ...node, define: { ...common.define, ANALYSIS_VERSION: JSON.stringify(analysisVersion) }, entryPoints: { server: 'server/src/serverMain.ts', cli: 'server/src/cli.ts', boot: 'server/src/boot.ts', serverBoot: 'server/src/serverBoot.ts', workerBoot: 'server/src/workerBoot.ts' } }),
  build({ ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir: 'dist', external: ['vscode'] }),
  // The graph webview: one script and one stylesheet in media/, the only folder the webview may load from.
  build({
    // main.ts imports graph.css, so esbuild writes media/graph.css next to media/graph.js.
    entryPoints: { graph: 'client/webview/main.ts' },
    outdir: 'media',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome114',
    minify: true,
    sourcemap: false,
    logLevel: 'warning',
  }),
]);
if (watch) console.log('built');
