/** Hostile files on disk: the CLI and the server must finish, stay up and say where the trouble is. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from '../lsp/lspClient';
import { v7Pattern } from '../helpers';

const REPO = path.resolve(__dirname, '..', '..');

async function hostileLibrary(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-hostile-'));
  const write = (name: string, content: string | Buffer) => fs.writeFile(path.join(dir, name), content);
  await write('fine.md', v7Pattern('fine'));
  await write('huge.md', v7Pattern('huge') + 'A long body line of prose. '.repeat(400_000));
  await write('long-line.md', v7Pattern('long-line').replace(/summary: >-\n.*\n/, `summary: "${'x'.repeat(1_000_000)}"\n`));
  const binary = Buffer.alloc(200_000);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 7919) % 256;
  await write('binary.md', binary);
  await write('binary-fence.md', Buffer.concat([Buffer.from('---\n'), binary]));
  await write('bad-utf8.md', Buffer.concat([Buffer.from('---\nid: pat_01kk0000000000000000000000\nslug: bad-utf8\ntitle: "Caf'), Buffer.from([0xe9, 0xff, 0xfe]), Buffer.from('"\n---\n')]));
  await write('deep.md', `---\nslug: deep\nontology: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n---\n`);
  await write('bomb.md', '---\nslug: bomb\n' + ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefghij'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill('*' + 'abcdefghij'[i]).join(', ')}]`)].join('\n') + '\n---\n');
  await write('tabs.md', '---\nslug: tabs\nlifecycle:\n\tstatus: draft\n---\n');
  await write('dupkeys.md', v7Pattern('dupkeys').replace('slug: dupkeys', 'slug: dupkeys\nslug: dupkeys'));
  await write('empty.md', '');
  await write('only-fence.md', '---\n');
  await write('wrong-types.md', v7Pattern('wrong-types').replace('aliases: []', 'aliases: {a: 1}').replace('  enables: []', '  enables:\n    - slug: 42\n    - ~\n    - slug: [a, b]'));
  await fs.symlink(dir, path.join(dir, 'loop'));
  return dir;
}

describe('hostile input on disk', function () {
  let dir: string;
  before(async () => {
    dir = await hostileLibrary();
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('trellis check finishes with located diagnostics and no crash', () => {
    const started = Date.now();
    const run = spawnSync(process.execPath, [path.join(REPO, 'bin', 'trellis.js'), 'check', dir, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
    assert.equal(run.status, 1, run.stderr);
    assert.ok(Date.now() - started < 120_000);
    const results = JSON.parse(run.stdout) as Array<{ file: string; code: string; line: number; message: string }>;
    const codesOf = (name: string) => new Set(results.filter((r) => path.basename(r.file) === name).map((r) => r.code));
    assert.deepEqual(codesOf('fine.md'), new Set());
    assert.ok(codesOf('deep.md').has('schema') || codesOf('deep.md').has('yaml-syntax'), JSON.stringify([...codesOf('deep.md')]));
    assert.ok(codesOf('bomb.md').has('yaml-syntax'));
    assert.ok(codesOf('tabs.md').has('yaml-syntax'));
    assert.ok(codesOf('dupkeys.md').has('yaml-syntax'));
    assert.ok(codesOf('only-fence.md').has('yaml-syntax'));
    assert.ok(codesOf('bad-utf8.md').has('schema'), 'the broken title still reads as a pattern');
    assert.ok(codesOf('wrong-types.md').has('schema'));
    assert.deepEqual(codesOf('binary.md'), new Set(), 'a binary file is not a pattern');
    assert.deepEqual(codesOf('empty.md'), new Set());
    assert.ok(!results.some((r) => r.file.includes(`loop${path.sep}`)), 'the symlink loop is not followed');
    for (const r of results) assert.ok(r.line >= 1 && r.message.length > 0);
  });

  it('the language server indexes them and stays up', async () => {
    const client = new TestClient();
    try {
      await client.initialize(pathToFileURL(dir).href);
      const ready = await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'ready');
      assert.ok(ready.libraries[0]!.patterns >= 10);
      await client.waitFor(() => client.diagnosticsOf(pathToFileURL(path.join(dir, 'bomb.md')).href, 'yaml-syntax').length > 0, 'the alias bomb diagnostic');
      const hover = await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: pathToFileURL(path.join(dir, 'deep.md')).href } });
      assert.equal(hover, null, 'not open: no symbols, and no crash');
    } finally {
      await client.stop();
    }
  });
});
