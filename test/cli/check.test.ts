import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const trellis = (args: string[], cwd = REPO) => spawnSync(process.execPath, [path.join(REPO, 'bin', 'trellis.js'), ...args], { cwd, encoding: 'utf8' });

describe('trellis check', () => {
  it('prints path:line:col severity code message and a summary by code; exit 0 with warnings only', () => {
    const run = trellis(['check', 'examples/library']);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.ok(lines.includes('examples/library/compost-commons.md:73:13 warning dangling-reference `relationships.requires` points to `soil-testing-protocol`, but no pattern has that slug.'), run.stdout);
    assert.ok(lines.includes('6 problems in 6 files:'), run.stdout);
    assert.ok(lines.some((l) => /^\s+dangling-reference\s+3 warnings$/.test(l)), run.stdout);
  });

  it('--format json prints one array of located results, paths relative to the current folder', () => {
    const run = trellis(['check', 'library', '--format', 'json'], path.join(REPO, 'examples'));
    assert.equal(run.status, 0, run.stderr);
    const results = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    assert.equal(results.length, 6);
    const missing = results.find((r) => r['code'] === 'missing-section')!;
    assert.deepEqual(Object.keys(missing).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity']);
    assert.equal(missing['file'], path.join('library', 'work-party.md'));
    assert.equal(missing['line'], 164);
    assert.equal(missing['column'], 1);
  });

  it('names each file by its path from the current folder, wherever that folder is (inside the library, beside it, above it)', async () => {
    const base = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-cli-names-'));
    try {
      const lib = path.join(base, 'lib');
      await fs.cp(path.join(REPO, 'examples', 'library'), lib, { recursive: true });
      // A subfolder, and a name that a file URI must escape.
      await fs.mkdir(path.join(lib, 'sub dir'));
      await fs.rename(path.join(lib, 'work-party.md'), path.join(lib, 'sub dir', 'work party 100%.md'));
      await fs.mkdir(path.join(base, 'beside'));
      const expected = (cwd: string): string[] =>
        ['compost-commons.md', path.join('sub dir', 'work party 100%.md')].map((name) => path.relative(cwd, path.join(lib, name)));
      for (const [cwd, folder] of [
        [base, 'lib'],
        [path.join(base, 'beside'), path.join('..', 'lib')],
        [lib, '.'],
        [path.join(lib, 'sub dir'), '..'],
        [path.join(lib, 'sub dir'), lib],
      ] as const) {
        const run = trellis(['check', folder, '--format', 'json'], cwd);
        // The moved file's slug no longer matches its name: an error, so exit 1.
        assert.equal(run.status, 1, run.stderr);
        const files = new Set((JSON.parse(run.stdout) as Array<{ file: string }>).map((r) => r.file));
        for (const file of expected(cwd)) assert.ok(files.has(file), `from ${cwd}: ${file} not among ${[...files].join(', ')}`);
      }
    } finally {
      await fs.rm(base, { recursive: true, force: true });
    }
  });

  it('exits 1 when an error is reported', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-cli-'));
    try {
      await fs.cp(path.join(REPO, 'examples', 'library'), dir, { recursive: true });
      await fs.writeFile(path.join(dir, 'broken.md'), '---\nslug: broken\ntitle: [unclosed\n---\n');
      const run = trellis(['check', dir, '--format=json']);
      assert.equal(run.status, 1);
      const results = JSON.parse(run.stdout) as Array<{ file: string; code: string; severity: string }>;
      assert.ok(results.some((r) => r.file.endsWith('broken.md') && r.code === 'yaml-syntax' && r.severity === 'error'));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 with a clear message for bad usage or an unreadable folder', () => {
    const missing = trellis(['check', 'no/such/folder']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read the folder "no\/such\/folder": it does not exist/);
    const file = trellis(['check', 'package.json']);
    assert.equal(file.status, 2);
    assert.match(file.stderr, /"package.json" is not a folder/);
    const format = trellis(['check', '--format', 'xml']);
    assert.equal(format.status, 2);
    assert.match(format.stderr, /--format must be "human" or "json"/);
    const option = trellis(['check', '--frobnicate']);
    assert.equal(option.status, 2);
    assert.match(option.stderr, /unknown option "--frobnicate"/);
    const command = trellis(['chek']);
    assert.equal(command.status, 2);
    assert.match(command.stderr, /unknown command "chek"/);
  });

  it('loads none of the language server: its bundle holds no server code, and `trellis lsp` from that bundle still starts the server', async () => {
    const bundle = await fs.readFile(path.join(REPO, 'dist', 'cli.js'), 'utf8');
    for (const serverCode of ['vscode-languageserver', 'vscode-jsonrpc', 'createConnection']) assert.ok(!bundle.includes(serverCode), `dist/cli.js holds ${serverCode}`);
    // Run as the CLI bundle itself (not through bin/trellis.js, which starts the server's bundle directly): it answers initialize.
    const frame = (message: object): string => {
      const body = JSON.stringify({ jsonrpc: '2.0', ...message });
      return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    };
    const server = spawn(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'lsp'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    server.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const answered = new Promise<void>((resolve) =>
      server.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        if (/"id":1,"result":\{"capabilities":/.test(stdout)) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
    server.stdin.write(frame({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
    await Promise.race([answered, exited.then(() => assert.fail(`the server exited without answering initialize: ${stderr}`))]);
    server.stdin.write(frame({ id: 2, method: 'shutdown' }) + frame({ method: 'exit' }));
    assert.equal(await exited, 0, 'exit after shutdown');
  });
});
