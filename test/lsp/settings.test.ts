/**
 * The settings the server honours: package.json contributes exactly the ones
 * server/src/settings.ts knows, and the server reads them per workspace
 * folder, follows their changes, and honours Restricted Mode.
 */
import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIAGNOSTIC_CODES } from '../../server/src/core/diagnosticCodes';
import { parseInitializationOptions, parseSettings, SETTINGS, SEVERITY_NAMES } from '../../server/src/settings';
import { REPO, TestClient } from './lspClient';

interface ContributedSetting {
  type: string;
  default: unknown;
  enum?: string[];
  scope?: string;
  markdownDescription?: string;
  properties?: Record<string, { type: string; enum: string[]; markdownDescription?: string }>;
}

/** The last item that satisfies `predicate` (Node 20's lib target has no findLast). */
function latest<T>(items: readonly T[], predicate: (item: T) => unknown): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i]!)) return items[i];
  return undefined;
}

const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, ContributedSetting> } };
};

describe('settings', () => {
  it('package.json contributes exactly the settings the server and client know, with their defaults', () => {
    const contributed = manifest.contributes.configuration.properties;
    assert.deepEqual(Object.keys(contributed).sort(), Object.keys(SETTINGS).sort());
    for (const [key, known] of Object.entries(SETTINGS)) {
      const setting = contributed[key]!;
      assert.equal(setting.type, known.type, `${key} type`);
      assert.deepEqual(setting.default, known.default, `${key} default`);
      assert.ok(setting.markdownDescription && setting.markdownDescription.length > 20, `${key} has a markdownDescription`);
      assert.ok(setting.scope, `${key} has a scope`);
      if (known.type === 'string' && 'values' in known) assert.deepEqual(setting.enum, [...known.values], `${key} values`);
    }
    // The severity setting lists every diagnostic code, with every severity name.
    const severity = contributed['trellis.diagnostics.severity']!.properties!;
    assert.deepEqual(Object.keys(severity).sort(), Object.keys(DIAGNOSTIC_CODES).sort());
    for (const [code, property] of Object.entries(severity)) {
      assert.deepEqual(property.enum, [...SEVERITY_NAMES], code);
      assert.match(property.markdownDescription ?? '', new RegExp(`\`${code}\`.*\`${DIAGNOSTIC_CODES[code as keyof typeof DIAGNOSTIC_CODES]}\``), code);
    }
  });

  it('keeps the well-typed values of a settings section and the defaults for the rest', () => {
    assert.deepEqual(parseSettings(undefined), { diagnostics: { enable: true, severity: {} } });
    assert.deepEqual(parseSettings({ diagnostics: { enable: 'no', severity: { 'dangling-reference': 'error', schema: 'loud', nonsense: 'off' } } }), {
      diagnostics: { enable: true, severity: { 'dangling-reference': 'error' } },
    });
    assert.deepEqual(parseSettings({ diagnostics: { enable: false } }).diagnostics.enable, false);
    assert.deepEqual(parseInitializationOptions(undefined), { trusted: true });
    assert.deepEqual(parseInitializationOptions({ trusted: false }), { trusted: false });
  });
});

describe('the server with settings and several folders', function () {
  const dirs: string[] = [];
  let client: TestClient;

  async function copyLibrary(): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-settings-'));
    await fs.cp(path.join(REPO, 'examples', 'library'), dir, { recursive: true });
    dirs.push(dir);
    return dir;
  }
  const fileUri = (dir: string, name: string): string => pathToFileURL(path.join(dir, name)).href;

  beforeEach(() => {
    client = new TestClient();
  });

  afterEach(async () => {
    await client.stop();
    for (const dir of dirs.splice(0)) await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps one library per folder, reads each folder’s settings, and follows their changes', async () => {
    const [a, b] = [await copyLibrary(), await copyLibrary()];
    const [rootA, rootB] = [pathToFileURL(a).href, pathToFileURL(b).href];
    client.settings.set(rootA, { diagnostics: { severity: { 'dangling-reference': 'error', 'missing-section': 'off' } } });
    client.settings.set(rootB, { diagnostics: { enable: false } });
    await client.initialize([rootA, rootB], { configuration: true });

    const ready = await client.waitFor(
      () => latest(client.status, (s) => s.libraries.length === 2 && s.libraries.every((l) => l.state === 'ready')),
      'both libraries to be ready',
    );
    const [statusA, statusB] = [ready.libraries.find((l) => l.rootUri === rootA)!, ready.libraries.find((l) => l.rootUri === rootB)!];
    assert.equal(statusA.patterns, 16);
    assert.equal(statusB.patterns, 16);
    // Three dangling references are errors now; work-party's missing section is off; hints (missing mirrors) are not problems.
    assert.deepEqual(statusA.byCode, { 'dangling-reference': 3, 'overall-score': 1, 'confidence-mismatch': 1 });
    assert.equal(statusA.errors, 3);
    assert.equal(statusA.warnings, 2);
    assert.deepEqual([statusB.errors, statusB.warnings, statusB.diagnosticsEnabled], [0, 0, false]);
    await client.waitFor(() => client.diagnosticsOf(fileUri(a, 'compost-commons.md'), 'dangling-reference')[0]?.severity === 1, 'an error in folder A');
    assert.deepEqual(client.diagnosticsOf(fileUri(b, 'compost-commons.md')), []);
    const scopes = client.configurationRequests.flatMap((r) => (r as { items: Array<{ scopeUri: string }> }).items.map((i) => i.scopeUri));
    assert.deepEqual([...new Set(scopes)].sort(), [rootA, rootB].sort());
    assert.ok(
      client.registrations.some((r) => JSON.stringify(r).includes('workspace/didChangeConfiguration')),
      'registers for configuration changes',
    );

    // The user turns diagnostics back on in folder B.
    client.settings.set(rootB, { diagnostics: { enable: true } });
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const warning = await client.waitFor(() => client.diagnosticsOf(fileUri(b, 'compost-commons.md'), 'dangling-reference')[0], 'folder B to report again');
    assert.equal(warning.severity, 2);
    const after = await client.waitFor(() => latest(client.status, (s) => s.libraries.some((l) => l.rootUri === rootB && l.state === 'ready' && l.diagnosticsEnabled)), 'the status of B');
    // The first status after the change already counts both libraries afresh.
    assert.equal(after.libraries.find((l) => l.rootUri === rootB)!.warnings, 6);
    assert.equal(after.libraries.find((l) => l.rootUri === rootA)!.errors, 3);
  });

  it('republishes closed files whose mirror findings changed when they are published (missing-mirror as a warning)', async () => {
    const dir = await copyLibrary();
    const root = pathToFileURL(dir).href;
    client.settings.set(root, { diagnostics: { severity: { 'missing-mirror': 'warning' } } });
    await client.initialize(root, { configuration: true });
    await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'ready');
    // compost-commons (closed) lists harvest-sharing as complementary; harvest-sharing misspells it back.
    const compost = fileUri(dir, 'compost-commons.md');
    const mirror = (): boolean => client.diagnosticsOf(compost, 'missing-mirror').some((d) => /harvest-sharing/.test(d.message) && d.severity === 2);
    await client.waitFor(mirror, 'the warning on the closed file');
    const harvest = fileUri(dir, 'harvest-sharing.md');
    const text = await fs.readFile(path.join(dir, 'harvest-sharing.md'), 'utf8');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: harvest, languageId: 'markdown', version: 1, text: text.replace('compost-comons', 'compost-commons') } });
    await client.waitFor(() => client.diagnostics.has(compost) && !mirror(), 'the warning gone once harvest-sharing lists compost-commons back');
  });

  it('answers trellis/checkLibrary by reading the library again from disk', async () => {
    const dir = await copyLibrary();
    await client.initialize(pathToFileURL(dir).href);
    await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'ready');
    // A file that appears without a file event (a watcher that missed it).
    const created = (await fs.readFile(path.join(dir, 'watering-rota.md'), 'utf8'))
      .replace(/^id: .*$/m, 'id: pat_01kk9zzzzzzzzzzzzzzzzzzzzz')
      .replace('slug: watering-rota', 'slug: soil-testing-protocol');
    await fs.writeFile(path.join(dir, 'soil-testing-protocol.md'), created);
    const result = (await client.connection.sendRequest('trellis/checkLibrary')) as { libraries: Array<{ patterns: number; byCode: Record<string, number> }> };
    assert.equal(result.libraries.length, 1);
    assert.equal(result.libraries[0]!.patterns, 17);
    assert.equal(result.libraries[0]!.byCode['dangling-reference'], 2, 'soil-testing-protocol resolves now');
    assert.deepEqual(client.diagnosticsOf(fileUri(dir, 'compost-commons.md'), 'dangling-reference'), []);
  });

  it('in Restricted Mode loads no schema the workspace names, and says so on its config', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-restricted-'));
    dirs.push(dir);
    await fs.writeFile(path.join(dir, 'trellis.config.json'), JSON.stringify({ schemas: [{ name: 'recipe', schema: './recipe.schema.json' }] }, null, 2));
    await fs.writeFile(path.join(dir, 'recipe.schema.json'), JSON.stringify({ type: 'object', required: ['servings'], properties: { servings: { type: 'integer', description: 'How many.' } } }));
    await fs.writeFile(path.join(dir, 'soup.md'), '---\nslug: soup\n---\nBoil.\n');
    await client.initialize(pathToFileURL(dir).href, { initializationOptions: { trusted: false } });
    const notice = await client.waitFor(() => client.diagnosticsOf(fileUri(dir, 'trellis.config.json'))[0], 'the Restricted Mode notice');
    assert.equal(notice.severity, 3);
    assert.match(notice.message, /Restricted Mode/);
    await client.waitFor(() => client.diagnostics.has(fileUri(dir, 'soup.md')), 'soup diagnostics');
    assert.ok(!client.diagnosticsOf(fileUri(dir, 'soup.md'), 'schema').some((d) => /servings/.test(d.message)), 'the workspace schema is not used');
  });
});
