/**
 * Security, as one suite (the browser half is test/webview/security.test.ts):
 * - what a workspace holds is data, never code: JSON Schemas (which ajv
 *   compiles to JavaScript), the config, YAML with other languages' tags;
 * - Restricted Mode reads nothing the config names;
 * - no network, ever: the CLI and the server run under a preload that makes
 *   every way out throw and records it, over a library with remote `$ref`s,
 *   `$id`s and URLs everywhere;
 * - the source reaches for no way to run code (eval, Function, vm, child
 *   processes).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { complete } from '../../server/src/core/languageFeatures/completion';
import { hover } from '../../server/src/core/languageFeatures/hover';
import { TrellisLibrary } from '../../server/src/core/library';
import { MemoryHost, ROOT, v7Pattern } from '../helpers';
import { REPO, TestClient } from '../lsp/lspClient';
import { compromised, hostileLibrary, POLLUTING_CONFIG, REMOTE_CONFIG } from './fixtures';

const PRELOAD = path.join(__dirname, 'noNetwork.cjs');

class RecordingHost extends MemoryHost {
  readonly reads: string[] = [];
  override async readFile(uri: string): Promise<string | undefined> {
    this.reads.push(uri.slice(ROOT.length + 1));
    return super.readFile(uri);
  }
}

async function writeLibrary(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-security-'));
  for (const [name, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), text);
  }
  return dir;
}

describe('security: the workspace is data, never code', () => {
  afterEach(() => {
    delete (globalThis as { __pwned?: unknown }).__pwned;
    delete (Object.prototype as { polluted?: unknown }).polluted;
  });

  it('a JSON Schema whose names, patterns, messages, $id, defaults and enums are code compiles and validates without running any of it', async () => {
    const host = new RecordingHost(hostileLibrary());
    const library = new TrellisLibrary(ROOT, host);
    await library.load();
    assert.equal(compromised(), undefined);
    assert.deepEqual(library.librarySchemas.schemas.map((s) => s.name).slice(0, 1), ['hostile'], 'the hostile schema was compiled and is in use');
    const uri = `${ROOT}/hostile/hostile-one.md`;
    const messages = library.diagnostics(uri).map((d) => `${d.code}: ${d.message}`);
    assert.ok(messages.some((m) => m.startsWith('schema: ') && m.includes('level')), `the schema validates: ${messages.join('\n')}`);
    // The editing features walk the same schema: its enum of code is offered as values, its description shown as text.
    const text = hostileLibrary()['hostile/hostile-one.md']!;
    await library.setDocumentText(uri, text, 1);
    const offered = complete(library, { uri, text, version: 1 }, text.indexOf('level: ') + 7).items.map((i) => i.label);
    assert.ok(offered.length > 0, 'the enum is offered');
    const titleLine = text.split('\n').findIndex((l) => l.startsWith('title:'));
    const shown = hover(library, { uri, text, version: 1 }, { line: titleLine, character: 2 });
    assert.ok(shown && JSON.stringify(shown.contents).includes('globalThis.__pwned'), 'the description is shown as text');
    assert.equal(compromised(), undefined);
  });

  it('a remote $ref is reported, not fetched: the library falls back to the built-in schemas', async () => {
    const library = new TrellisLibrary(ROOT, new MemoryHost({ ...hostileLibrary(), 'trellis.config.json': REMOTE_CONFIG }));
    await library.load();
    const problems = library.diagnostics(library.configUri).map((d) => d.message);
    assert.ok(problems.some((m) => /203\.0\.113\.7|resolve|reference/i.test(m)), problems.join('\n'));
    assert.equal(compromised(), undefined);
  });

  it('the config cannot pollute prototypes, and YAML tags of other languages stay unknown tags', async () => {
    const library = new TrellisLibrary(ROOT, new MemoryHost({ ...hostileLibrary(), 'trellis.config.json': POLLUTING_CONFIG }));
    await library.load();
    assert.equal(compromised(), undefined);
    assert.ok(library.diagnostics(library.configUri).some((d) => /__proto__/.test(d.message)), 'the keys are reported as unknown');
    // The YAML: `__proto__` keys, a merge of one, and !!js / !!python tags.
    const uri = `${ROOT}/hostile/hostile-one.md`;
    const doc = library.index.get(uri);
    assert.ok(doc, 'the hostile file is a pattern of the library');
    assert.equal(compromised(), undefined);
  });

  it('in Restricted Mode the schema files the config names are never even read', async () => {
    const host = new RecordingHost(hostileLibrary());
    const library = new TrellisLibrary(ROOT, host, { trusted: false });
    await library.load();
    assert.ok(host.reads.includes('trellis.config.json'));
    assert.deepEqual(host.reads.filter((r) => r.endsWith('.schema.json')), []);
    assert.deepEqual(library.librarySchemas.schemas.map((s) => s.name), ['commons-v7', 'commons-v1']);
    assert.equal(compromised(), undefined);
  });

  it('the source has no way to run code: no eval, Function, vm or child processes in the server, CLI or client', () => {
    const files = ['server/src', 'client/src', 'client/webview'].flatMap((dir) =>
      (readdirSync(path.join(REPO, dir), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f)),
    );
    assert.ok(files.length > 40);
    // One exception: boot.ts compiles the package's own bundles with `vm` (to use V8's code cache). It runs
    // only files its callers name from their own folder (__dirname), never anything from a workspace.
    const BOOT = path.join('server', 'src', 'boot.ts');
    const VM_IMPORT = "import * as vm from 'node:vm';\n";
    for (const file of files) {
      let text = readFileSync(path.join(REPO, file), 'utf8');
      if (file === BOOT) {
        assert.ok(text.includes(VM_IMPORT), 'boot.ts imports vm as the exception says');
        text = text.replace(VM_IMPORT, '');
      }
      assert.doesNotMatch(text, /\beval\s*\(|new\s+Function\s*\(|\bFunction\s*\(\s*['"`]|from ['"](?:node:)?(?:vm|child_process)['"]|require\(\s*['"](?:node:)?(?:vm|child_process)/, file);
    }
    const bootCalls = [...files.map((f) => path.join(REPO, f)), path.join(REPO, 'bin', 'trellis.js')].flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/runBundle\(((?:[^()]|\([^()]*\))*)\)/g)].map((m) => `${path.relative(REPO, file)}: ${m[1]}`),
    );
    assert.deepEqual(bootCalls.sort(), [
      "bin/trellis.js: path.join(__dirname, '..', 'dist', process.argv[2] === 'lsp' ? 'server.js' : 'cli.js'), { cache: !process.argv.includes('--no-cache') }",
      'server/src/boot.ts: file: string, options: BootOptions = {}',
      "server/src/cli.ts: path.join(__dirname, 'server.js'), { cache: !rest.includes('--no-cache') }",
      "server/src/serverBoot.ts: path.join(__dirname, 'server.js')",
      // The bundle an AnalysisPool names: analysisWorker.js beside it, or a host option set in code (tests).
      'server/src/workerBoot.ts: data.trellisBundle, options',
    ]);
  });
});

describe('security: no network access, ever', function () {
  this.timeout(120_000);
  let dir: string;
  let log: string;
  const env = () => ({ ...process.env, NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --require ${PRELOAD}`.trim(), TRELLIS_NETWORK_LOG: log });
  const attempts = async () => (existsSync(log) ? (await fs.readFile(log, 'utf8')).split('\n').filter(Boolean) : []);

  before(async () => {
    const files = hostileLibrary();
    // Enough plain patterns that the analysis runs in worker threads too.
    for (let i = 0; i < 80; i++) files[`patterns/p-${i}.md`] = v7Pattern(`p-${i}`, { relationships: `  enables:\n    - slug: https://203.0.113.7/p/${i}\n      weight: 0.5` });
    dir = await writeLibrary({
      ...Object.fromEntries(Object.entries(files).map(([name, text]) => [`hostile/${name}`, text])),
      // A second library whose only schema is a remote $ref.
      ...Object.fromEntries(Object.entries({ ...hostileLibrary(), 'trellis.config.json': REMOTE_CONFIG }).map(([name, text]) => [`remote/${name}`, text])),
    });
    log = path.join(dir, 'network.log');
  });

  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('the preload catches a way out (so an empty log means something)', async () => {
    const result = spawnSync(process.execPath, ['-e', "fetch('http://203.0.113.7/').catch(() => {}); require('node:dns').lookup('example.org', () => {}); require('node:net').connect(80, '203.0.113.7')"], { env: env(), encoding: 'utf8' });
    assert.notEqual(result.status, 0);
    const seen = (await attempts()).map((l) => (JSON.parse(l) as { what: string }).what);
    assert.ok(seen.includes('fetch'), seen.join());
    await fs.rm(log, { force: true });
  });

  it('trellis check, with worker threads and the cache, attempts nothing', async () => {
    const result = spawnSync(process.execPath, [path.join(REPO, 'bin', 'trellis.js'), 'check', path.join(dir, 'hostile'), path.join(dir, 'remote'), '--format', 'json'], { env: env(), encoding: 'utf8' });
    assert.ok(result.status === 0 || result.status === 1, result.stderr);
    const reported = JSON.parse(result.stdout) as Array<{ file: string }>;
    assert.ok(reported.some((r) => r.file.includes('hostile-one.md')), 'the hostile file was checked');
    assert.ok(reported.some((r) => r.file.endsWith(path.join('remote', 'trellis.config.json')) && /203\.0\.113\.7/.test(JSON.stringify(r))), 'the remote $ref is reported');
    assert.deepEqual(await attempts(), []);
  });

  it('the language server, answering every kind of request on that library, attempts nothing', async () => {
    const client = new TestClient('stdio', env());
    try {
      await client.initialize([pathToFileURL(path.join(dir, 'hostile')).href, pathToFileURL(path.join(dir, 'remote')).href]);
      await client.waitFor(() => client.status.find((s) => s.libraries.length === 2 && s.libraries.every((l) => l.state === 'ready')), 'ready');
      const uri = pathToFileURL(path.join(dir, 'hostile', 'hostile', 'hostile-one.md')).href;
      const text = await fs.readFile(path.join(dir, 'hostile', 'hostile', 'hostile-one.md'), 'utf8');
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
      const lines = text.split('\n');
      for (let line = 0; line < lines.length; line += 3) {
        const position = { line, character: Math.min(4, lines[line]!.length) };
        await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
        await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position });
        await client.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position });
      }
      await client.connection.sendRequest('textDocument/documentLink', { textDocument: { uri } });
      await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: client.diagnosticsOf(uri) } });
      await client.connection.sendRequest('workspace/symbol', { query: 'http' });
      await client.connection.sendRequest('trellis/graph', { view: 'ego', uri, depth: 2 });
      await client.connection.sendRequest('trellis/graph', { view: 'library', uri });
      await client.connection.sendRequest('trellis/checkLibrary');
      assert.ok(client.diagnosticsOf(pathToFileURL(path.join(dir, 'remote', 'trellis.config.json')).href).some((d) => /203\.0\.113\.7/.test(d.message)), 'the remote $ref is reported on the config');
      assert.ok(client.diagnosticsOf(uri).some((d) => d.code === 'schema'), 'the hostile schema validates in the server');
    } finally {
      await client.stop();
    }
    assert.deepEqual(await attempts(), []);
    assert.doesNotMatch(client.stderr, /network access refused/);
  });
});

