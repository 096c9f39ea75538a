/** The editing features through the real server, on a temp copy of the sample library plus real corpus files. */
import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CompletionList, DocumentSymbol, Hover, LocationLink, Location, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { applyEdits } from '../textEdits';
import { REPO, TestClient } from './lspClient';

const CORPUS = ['/work/shared/corpus/commons-os-patterns', path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns')].find((d) => existsSync(d));
const CORPUS_FILES = ['therapeutic-relationship-building.md', 'active-listening-depth.md', 'acceptance-and-commitment.md', 'accountability-partnership.md'];

describe('editing features over LSP', function () {
  let dir: string;
  let client: TestClient;
  const uri = (name: string) => pathToFileURL(path.join(dir, name)).href;
  const open = async (name: string, text?: string) => {
    const content = text ?? (await fs.readFile(path.join(dir, name), 'utf8'));
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(name), languageId: 'markdown', version: 1, text: content } });
    return content;
  };
  const lineOf = (text: string, needle: string) => {
    const line = text.split('\n').findIndex((l) => l.includes(needle));
    return { line, character: text.split('\n')[line]!.indexOf(needle) + needle.length };
  };

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-features-'));
    await fs.cp(path.join(REPO, 'examples', 'library'), dir, { recursive: true });
    if (CORPUS) for (const name of CORPUS_FILES) await fs.copyFile(path.join(CORPUS, name), path.join(dir, name));
    client = new TestClient();
    await client.initialize(pathToFileURL(dir).href);
    await client.waitFor(() => client.status.find((s) => s.libraries[0]?.state === 'ready'), 'ready');
  });

  after(async () => {
    await client.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('completes a slug with titles while typing', async () => {
    const text = (await fs.readFile(path.join(dir, 'harvest-sharing.md'), 'utf8')).replace('    - slug: compost-comons\n', '    - slug: compost-comons\n      weight: 0.6\n    - slug: wat\n');
    await open('harvest-sharing.md', text);
    const list = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: uri('harvest-sharing.md') }, position: lineOf(text, '- slug: wat') })) as CompletionList;
    assert.equal(list.items[0]!.label, 'watering-rota');
    assert.equal(list.items[0]!.detail, 'Watering Rota');
  });

  it('hovers, goes to definition and finds references', async () => {
    const text = await open('work-party.md');
    const position = lineOf(text, 'slug: compost-comm');
    const found = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: uri('work-party.md') }, position })) as Hover;
    assert.match((found.contents as { value: string }).value, /\*\*Compost Commons\*\*/);
    const [link] = (await client.connection.sendRequest('textDocument/definition', { textDocument: { uri: uri('work-party.md') }, position })) as LocationLink[];
    assert.equal(link!.targetUri, uri('compost-commons.md'));
    const refs = (await client.connection.sendRequest('textDocument/references', { textDocument: { uri: uri('work-party.md') }, position, context: { includeDeclaration: true } })) as Location[];
    assert.ok(refs.some((r) => r.uri === uri('community-garden.md')));
    assert.ok(refs.some((r) => r.uri === uri('compost-commons.md')), 'includes the declaration');
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: uri('work-party.md') } })) as DocumentSymbol[];
    assert.equal(symbols[0]!.name, 'Frontmatter');
    const workspace = (await client.connection.sendRequest('workspace/symbol', { query: 'compost' })) as Array<{ name: string }>;
    assert.equal(workspace[0]!.name, 'Compost Commons');
  });

  it('quick-fixes a typo with the exact bytes, and refuses a rename to a taken slug with a message', async () => {
    const text = await fs.readFile(path.join(dir, 'harvest-sharing.md'), 'utf8');
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri('harvest-sharing.md'), version: 2 }, contentChanges: [{ text }] });
    const published = await client.waitFor(() => {
      const p = client.diagnostics.get(uri('harvest-sharing.md'));
      return p?.version === 2 && p.diagnostics.find((d) => d.code === 'dangling-reference');
    }, 'the dangling diagnostic for version 2');
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: uri('harvest-sharing.md') }, range: published.range, context: { diagnostics: [published] } })) as CodeAction[];
    const fix = actions[0]!;
    assert.equal(fix.title, 'Change to `compost-commons` (Compost Commons)');
    const change = fix.edit!.documentChanges![0] as TextDocumentEdit;
    assert.equal(change.textDocument.version, 2);
    assert.equal(applyEdits(text, change.edits), text.replace('compost-comons', 'compost-commons'));

    const wateringText = await open('watering-rota.md');
    const position = lineOf(wateringText, 'slug: wat');
    await assert.rejects(client.connection.sendRequest('textDocument/rename', { textDocument: { uri: uri('watering-rota.md') }, position, newName: 'work-party' }), /already used by work-party\.md/);
    const edit = (await client.connection.sendRequest('textDocument/rename', { textDocument: { uri: uri('watering-rota.md') }, position, newName: 'watering-roster' })) as WorkspaceEdit;
    assert.ok(edit.documentChanges!.some((c) => 'kind' in c && c.kind === 'rename'));
  });

  it('offers sensible fixes for emotional-safety in a real corpus file', async function () {
    if (!CORPUS) this.skip();
    const text = await open('therapeutic-relationship-building.md');
    const diagnostic = await client.waitFor(() => client.diagnosticsOf(uri('therapeutic-relationship-building.md'), 'dangling-reference').find((d) => /relationships.requires.*emotional-safety/.test(d.message)), 'the dangling emotional-safety');
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: uri('therapeutic-relationship-building.md') }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as CodeAction[];
    const remove = actions.find((a) => a.title === 'Remove this reference')!;
    const edits = (remove.edit!.documentChanges![0] as TextDocumentEdit).edits;
    assert.equal(applyEdits(text, edits), text.replace('  requires:\n    - slug: emotional-safety\n      weight: 0.92\n', '  requires: []\n'));
    assert.ok(actions.some((a) => a.title === 'Create pattern `emotional-safety`'));
  });

  it('creates the text of a new pattern with a fresh id', async () => {
    const result = (await client.connection.sendRequest('trellis/newPattern', { folderUri: pathToFileURL(dir).href, title: 'Seed Library Swap' })) as { uri: string; text: string };
    assert.equal(result.uri, uri('seed-library-swap.md'));
    assert.match(result.text, /\nid: pat_01[0-9a-hjkmnp-tv-z]{24}\nslug: seed-library-swap\ntitle: "Seed Library Swap"\n/);
    await assert.rejects(client.connection.sendRequest('trellis/newPattern', { folderUri: pathToFileURL(dir).href, title: 'Work Party' }), /already exists/);
  });

  it('renaming a file in the explorer renames its slug and the references to it', async () => {
    const edit = (await client.connection.sendRequest('workspace/willRenameFiles', { files: [{ oldUri: uri('seed-saving-circle.md'), newUri: uri('seed-circle.md') }] })) as WorkspaceEdit;
    const files = (edit.documentChanges as TextDocumentEdit[]).map((c) => path.basename(c.textDocument.uri));
    assert.ok(files.includes('seed-saving-circle.md'));
    const self = (edit.documentChanges as TextDocumentEdit[]).find((c) => c.textDocument.uri === uri('seed-saving-circle.md'))!;
    const before = await fs.readFile(path.join(dir, 'seed-saving-circle.md'), 'utf8');
    assert.equal(applyEdits(before, self.edits), before.replace('slug: seed-saving-circle', 'slug: seed-circle'));
  });
});
