// Bundles the client, the server and the CLI with esbuild. `tsc -b` only typechecks.
import { build } from 'esbuild';
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

await Promise.all([
  build({ ...common, entryPoints: { server: 'server/src/serverMain.ts', cli: 'server/src/cli.ts', analysisWorker: 'server/src/analysisWorker.ts' }, outdir: 'dist' }),
  build({ ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir: 'dist', external: ['vscode'] }),
]);
if (watch) console.log('built');
