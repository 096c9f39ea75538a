/**
 * The .vsix that `npm run package` builds holds the bundles, schemas,
 * snippets and media, and nothing else (`.vscodeignore` is an allowlist);
 * the bundles need no node_modules at run time.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yauzl from 'yauzl';

const REPO = path.resolve(__dirname, '..', '..');

/** Every entry of a zip file, with its text for the small ones we read. */
function zipEntries(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('the .vsix', function () {
  let dir: string;
  let entries: Map<string, Buffer>;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-vsix-'));
    const vsix = path.join(dir, 'trellis.vsix');
    const vsce = path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
    const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--out', vsix], { cwd: REPO, encoding: 'utf8' });
    assert.equal(result.status, 0, `vsce package failed:\n${result.stdout}\n${result.stderr}`);
    entries = await zipEntries(vsix);
  });

  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('holds only the bundles, schemas, snippets, media and the manifest files', () => {
    const allowed = [
      /^\[Content_Types\]\.xml$/,
      /^extension\.vsixmanifest$/,
      /^extension\/(package\.json|readme\.md|LICENSE\.txt|changelog\.md)$/,
      /^extension\/dist\/(?!cli\.js$)[\w-]+\.js$/,
      /^extension\/schemas\/[\w.-]+\.json$/,
      /^extension\/(snippets|media)\//,
    ];
    const names = [...entries.keys()].sort();
    assert.deepEqual(names.filter((name) => !allowed.some((re) => re.test(name))), [], 'entries outside the allowlist');
    for (const required of ['extension/package.json', 'extension/readme.md', 'extension/LICENSE.txt', 'extension/dist/client.js', 'extension/dist/server.js', 'extension/dist/analysisWorker.js', 'extension/dist/serverBoot.js', 'extension/dist/workerBoot.js', 'extension/schemas/trellis.config.schema.json']) {
      assert.ok(entries.has(required), `${required} is packaged`);
    }
  });

  it('holds every file its manifest points at', () => {
    const manifest = JSON.parse(entries.get('extension/package.json')!.toString('utf8')) as {
      main: string;
      contributes: { jsonValidation: Array<{ url: string }>; snippets?: Array<{ path: string }> };
    };
    const inPackage = (relative: string): string => `extension/${path.posix.normalize(relative).replace(/^\.\//, '')}`;
    assert.ok(entries.has(inPackage(manifest.main.endsWith('.js') ? manifest.main : `${manifest.main}.js`)), manifest.main);
    for (const { url } of manifest.contributes.jsonValidation) if (!/^https?:/.test(url)) assert.ok(entries.has(inPackage(url)), url);
    for (const { path: snippets } of manifest.contributes.snippets ?? []) assert.ok(entries.has(inPackage(snippets)), snippets);
  });

  it('has self-contained bundles: they require only Node built-ins (and the client, vscode)', () => {
    // Every bundle the server starts is packaged: the analysis worker is found next to the server.
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    assert.ok(!entries.has('extension/dist/cli.js'), 'the CLI is not part of the extension');
    for (const [bundle, external] of [['extension/dist/server.js', []], ['extension/dist/analysisWorker.js', []], ['extension/dist/serverBoot.js', []], ['extension/dist/workerBoot.js', []], ['extension/dist/client.js', ['vscode']]] as const) {
      const text = entries.get(bundle)!.toString('utf8');
      // Calls, not strings: ajv keeps `'require("ajv/dist/runtime/…")'` as text for standalone code it never generates here.
      const required = new Set([...text.matchAll(/(?<!['"`])\brequire\("([^"]+)"\)/g)].map((m) => m[1]!));
      assert.ok(required.size > 0, `${bundle}: the scan finds requires`);
      const foreign = [...required].filter((name) => !builtins.has(name) && !(external as readonly string[]).includes(name));
      assert.deepEqual(foreign, [], `${bundle} requires modules that are not packaged`);
    }
  });
});
