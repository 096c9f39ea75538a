/**
 * Edits never corrupt: every quick fix, Fix All and rename, applied to real
 * corpus files, gives exactly the original bytes with only the change. Each
 * expected text is built here from the original bytes by a plain string
 * operation on the lines concerned (an oracle independent of yamlEdits.ts),
 * so comments, banner lines, quoting and indentation elsewhere must survive.
 * Several natural instances of each diagnostic are checked, in file order.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, TextDocumentEdit } from 'vscode-languageserver-types';
import { codeActions } from '../../server/src/core/languageFeatures/codeActions';
import { editsForFileRenames, rename } from '../../server/src/core/languageFeatures/rename';
import { TrellisLibrary } from '../../server/src/core/library';
import { NodeLibraryHost } from '../../server/src/nodeHost';
import { applyEdits } from '../textEdits';

const REPO = path.resolve(__dirname, '..', '..');
const CORPUS = ['/work/shared/corpus/commons-os-patterns', path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns')].find((d) => existsSync(d));
/** Instances of each diagnostic checked (the first ones in file order). */
const PER_CODE = 6;

const lineStart = (text: string, line: number): number => {
  let offset = 0;
  for (let l = 0; l < line; l++) offset = text.indexOf('\n', offset) + 1;
  return offset;
};
const indentOf = (line: string): number => /^ */.exec(line)![0].length;

/** The text with lines [from, to) replaced by `replacement` (whole lines, each ending in \n). */
function spliceLines(text: string, from: number, to: number, replacement: string): string {
  return text.slice(0, lineStart(text, from)) + replacement + text.slice(lineStart(text, to));
}

/** The oracle for removing the list item whose dash is on `line`: its lines go; an emptied block list becomes `key: []`. */
function withoutItem(text: string, line: number): string {
  const lines = text.split('\n');
  const dash = /^( *)- /.exec(lines[line]!);
  assert.ok(dash, `line ${line + 1} starts a list item: ${lines[line]}`);
  const column = dash[1]!.length;
  let end = line + 1;
  while (end < lines.length && lines[end]!.trim() !== '' && !lines[end]!.trimStart().startsWith('#') && indentOf(lines[end]!) > column) end++;
  let key = line - 1;
  while (!/^ *[\w-]+:\s*$/.test(lines[key]!) || indentOf(lines[key]!) > column) key--;
  const isItem = (l: string) => indentOf(l) === column && l.slice(column).startsWith('- ');
  let others = 0;
  for (let l = key + 1; l < lines.length && (lines[l]!.trim() === '' || lines[l]!.trimStart().startsWith('#') || indentOf(lines[l]!) > indentOf(lines[key]!) || isItem(lines[l]!)); l++) {
    if (l !== line && isItem(lines[l]!)) others++;
  }
  const removed = spliceLines(text, line, end, '');
  if (others > 0) return removed;
  return spliceLines(removed, key, key + 1, lines[key]!.replace(/:\s*$/, ': []') + '\n');
}

/** The oracle for changing `from` to `to` at a range on one line. */
function replacedOnLine(text: string, line: number, character: number, from: string, to: string): string {
  const start = lineStart(text, line) + character;
  assert.equal(text.slice(start, start + from.length), from);
  return text.slice(0, start) + to + text.slice(start + from.length);
}

describe('edits on real corpus files, byte for byte', function () {
  this.timeout(300_000);
  let library: TrellisLibrary;
  let names: string[];
  const uriOf = (name: string) => pathToFileURL(path.join(CORPUS!, name)).href;
  const original = (name: string) => readFileSync(path.join(CORPUS!, name), 'utf8');

  before(async function () {
    if (!CORPUS) this.skip();
    library = new TrellisLibrary(pathToFileURL(CORPUS!).href, new NodeLibraryHost());
    await library.load();
    names = readdirSync(CORPUS!).filter((n) => n.endsWith('.md')).sort();
  });

  /** The files (in name order) with a diagnostic of `code` matching `where`, and those diagnostics. */
  const instances = (code: string, where: (d: Diagnostic) => boolean = () => true, count = PER_CODE): Array<{ name: string; diagnostic: Diagnostic }> => {
    const found: Array<{ name: string; diagnostic: Diagnostic }> = [];
    for (const name of names) {
      const diagnostic = library.diagnostics(uriOf(name)).find((d) => d.code === code && where(d));
      if (diagnostic) found.push({ name, diagnostic });
      if (found.length === count) break;
    }
    assert.ok(found.length > 0, `no ${code} in the corpus`);
    return found;
  };

  const actionsFor = async (name: string, diagnostic: Diagnostic, text = original(name)): Promise<CodeAction[]> =>
    codeActions(library, { uri: uriOf(name), text, version: 1 }, [diagnostic], { readText: async (uri) => readFileSync(new URL(uri), 'utf8'), now: new Date(Date.UTC(2026, 10, 23)), random: () => new Uint8Array(16) });

  const applied = (action: CodeAction | undefined, uri: string, text: string): string => {
    assert.ok(action, 'the action exists');
    const change = action.edit?.documentChanges?.find((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === uri);
    assert.ok(change, `${action.title} edits ${uri}`);
    return applyEdits(text, change.edits);
  };

  /** Runs `check` on a temporarily edited document, restoring the disk text after. */
  const withOpen = async <T>(name: string, text: string, check: () => Promise<T>): Promise<T> => {
    await library.setDocumentText(uriOf(name), text, 1);
    try {
      return await check();
    } finally {
      await library.closeDocument(uriOf(name));
    }
  };

  it('dangling reference: "Change to" rewrites only the name, "Remove this reference" only its entry', async () => {
    let changes = 0;
    for (const { name, diagnostic } of instances('dangling-reference', (d) => /slug/.test(d.message), 12)) {
      const text = original(name);
      const target = String((diagnostic.data as { target: string }).target);
      const actions = await actionsFor(name, diagnostic);
      for (const action of actions.filter((a) => a.title.startsWith('Change to'))) {
        const value = /`([^`]+)`/.exec(action.title)![1]!;
        assert.equal(applied(action, uriOf(name), text), replacedOnLine(text, diagnostic.range.start.line, diagnostic.range.start.character, target, value), `${name}: ${action.title}`);
        changes++;
      }
      const remove = actions.find((a) => a.title === 'Remove this reference');
      if (remove) assert.equal(applied(remove, uriOf(name), text), withoutItem(text, diagnostic.range.start.line), `${name}: remove ${target}`);
    }
    assert.ok(changes > 0, 'some "Change to" offers were checked');
  });

  it('self-reference: removes only the entry (flow-style entries too)', async () => {
    for (const { name, diagnostic } of instances('self-reference')) {
      const text = original(name);
      const remove = (await actionsFor(name, diagnostic)).find((a) => a.title === 'Remove this reference');
      assert.equal(applied(remove, uriOf(name), text), withoutItem(text, diagnostic.range.start.line), name);
    }
  });

  it('duplicate reference: removing the repeat gives back the original file', async () => {
    let checked = 0;
    for (const name of names.slice(0, 400)) {
      const text = original(name);
      // Repeat the first curated entry at the end of its list.
      const entry = /^(  ([a-z_]+):\n)((?:    - slug: \S+\n      weight: \S+\n))((?:    .*\n)*)/m.exec(text);
      if (!entry || checked >= PER_CODE) continue;
      const listEnd = entry.index + entry[0].length;
      const mutated = text.slice(0, listEnd) + entry[3] + text.slice(listEnd);
      await withOpen(name, mutated, async () => {
        const duplicate = library.diagnostics(uriOf(name)).find((d) => d.code === 'duplicate-reference');
        assert.ok(duplicate, `${name}: a duplicate-reference after repeating ${entry[3]!.trim()}`);
        const remove = (await actionsFor(name, duplicate, mutated)).find((a) => a.title === 'Remove this reference');
        assert.equal(applied(remove, uriOf(name), mutated), text, name);
      });
      checked++;
    }
    assert.equal(checked, PER_CODE);
  });

  it('missing mirror: adds one entry to the other file, shaped like its entries', async () => {
    let checked = 0;
    for (const { name, diagnostic } of instances('missing-mirror', () => true, 40)) {
      if (checked >= PER_CODE) break;
      const data = diagnostic.data as { targetUri: string; mirror: string };
      const targetName = path.basename(new URL(data.targetUri).pathname);
      const actions = await actionsFor(name, diagnostic);
      const fix = actions[0];
      if (!fix) continue;
      const target = original(targetName);
      const lines = target.split('\n');
      const self = library.index.get(uriOf(name))!;
      const keyLine = lines.findIndex((l) => l.startsWith(`  ${data.mirror}:`));
      if (keyLine < 0 || !/^  [a-z_]+:( \[\])?$/.test(lines[keyLine]!)) continue;
      const sourceLines = original(name).split('\n');
      const weight = /^\s+weight: (\S+)$/.exec(sourceLines[diagnostic.range.start.line + 1] ?? '')?.[1];
      const entry = `    - slug: ${self.slug}\n${weight !== undefined ? `      weight: ${Number(weight)}\n` : ''}`;
      let expected: string;
      if (lines[keyLine]!.endsWith('[]')) expected = spliceLines(target, keyLine, keyLine + 1, `  ${data.mirror}:\n${entry}`);
      else {
        let end = keyLine + 1;
        while (end < lines.length && lines[end]!.startsWith('    ')) end++;
        expected = spliceLines(target, end, end, entry);
      }
      assert.equal(applied(fix, data.targetUri, target), expected, `${name} → ${targetName}: ${fix.title}`);
      checked++;
    }
    assert.ok(checked >= 3, `checked ${checked} mirror fixes`);
  });

  it('overall score, confidence field and stars: only the number or the stars change', async () => {
    for (const { name, diagnostic } of instances('overall-score')) {
      const text = original(name);
      const expected = String((diagnostic.data as { expected: string }).expected);
      const current = text.split('\n')[diagnostic.range.start.line]!.slice(diagnostic.range.start.character, diagnostic.range.end.character);
      const [fix] = await actionsFor(name, diagnostic);
      assert.equal(applied(fix, uriOf(name), text), replacedOnLine(text, diagnostic.range.start.line, diagnostic.range.start.character, current, expected), name);
    }
    for (const { name, diagnostic } of instances('confidence-mismatch', (d) => (d.data as { fieldRange?: unknown }).fieldRange !== undefined)) {
      const text = original(name);
      const data = diagnostic.data as { stars: number; value: number; fieldRange: Diagnostic['range'] };
      const actions = await actionsFor(name, diagnostic);
      const field = actions.find((a) => a.title.startsWith('Set `'));
      assert.equal(applied(field, uriOf(name), text), replacedOnLine(text, data.fieldRange.start.line, data.fieldRange.start.character, String(data.value), String(data.stars)), `${name}: ${field?.title}`);
      const stars = actions.find((a) => a.title.startsWith('Show '));
      if (stars) {
        const shown = text.split('\n')[diagnostic.range.start.line]!.slice(diagnostic.range.start.character, diagnostic.range.end.character);
        assert.match(shown, /^[★☆]+$/);
        const wanted = '★'.repeat(data.value) + '☆'.repeat(shown.length - data.value);
        assert.equal(applied(stars, uriOf(name), text), replacedOnLine(text, diagnostic.range.start.line, diagnostic.range.start.character, shown, wanted), `${name}: ${stars.title}`);
      }
    }
  });

  it('missing section: one insertion of the section, in the file’s heading style; every other byte stays', async () => {
    for (const { name, diagnostic } of instances('missing-section')) {
      const text = original(name);
      const [fix] = await actionsFor(name, diagnostic);
      const edits = (fix!.edit!.documentChanges![0] as TextDocumentEdit).edits;
      assert.equal(edits.length, 1);
      assert.deepEqual(edits[0]!.range.start, edits[0]!.range.end, 'an insertion');
      const inserted = edits[0]!.newText;
      const at = lineStart(text, edits[0]!.range.start.line) + edits[0]!.range.start.character;
      assert.equal(applied(fix, uriOf(name), text), text.slice(0, at) + inserted + text.slice(at), name);
      const section = String((diagnostic.data as { section: string }).section);
      const level = /^(#+) /m.exec(text.slice(text.indexOf('\n---', 4) + 4))![1]!;
      assert.match(inserted, new RegExp(`(^|\\n)${level} [^\\n]*${section.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`), `${name}: ${JSON.stringify(inserted)}`);
    }
  });

  it('missing required field: one line added at the end of its mapping, in its indentation', async () => {
    for (const { name, diagnostic } of instances('schema', (d) => typeof (d.data as { missingProperty?: unknown })?.missingProperty === 'string')) {
      const text = original(name);
      const data = diagnostic.data as { missingProperty: string; path: string[] };
      const fix = (await actionsFor(name, diagnostic)).find((a) => a.title === `Add \`${data.missingProperty}\``);
      const result = applied(fix, uriOf(name), text);
      // The oracle: the mapping's last line, then the new key at the indentation of its siblings.
      const lines = text.split('\n');
      let line = diagnostic.range.start.line;
      const keyIndent = data.path.length === 0 ? 0 : indentOf(lines[line]!) + 2;
      let last = line;
      for (let l = line + 1; l < lines.length && (lines[l]!.trim() === '' || indentOf(lines[l]!) >= keyIndent) && lines[l] !== '---'; l++) if (lines[l]!.trim() !== '' && !lines[l]!.trimStart().startsWith('#')) last = l;
      line = last + 1;
      const added = result.split('\n')[line]!;
      assert.match(added, new RegExp(`^ {${keyIndent}}${data.missingProperty}: \\S`), `${name}: ${added}`);
      assert.equal(result, spliceLines(text, line, line, added + '\n'), name);
    }
  });

  it('slug and file name: changing the slug back gives the original file', async () => {
    for (const name of names.filter((n) => /^[a-c]/.test(n)).slice(0, PER_CODE)) {
      const text = original(name);
      const slug = library.index.get(uriOf(name))?.slug;
      if (!slug) continue;
      const mutated = text.replace(`\nslug: ${slug}\n`, `\nslug: ${slug}-x\n`);
      assert.notEqual(mutated, text);
      await withOpen(name, mutated, async () => {
        const mismatch = library.diagnostics(uriOf(name)).find((d) => d.code === 'slug-filename-mismatch')!;
        const change = (await actionsFor(name, mismatch, mutated)).find((a) => a.title.startsWith('Change the slug'));
        assert.equal(applied(change, uriOf(name), mutated), text, name);
      });
    }
  });

  it('Fix All: only the safe fixes, each exactly as its quick fix', async () => {
    for (const { name, diagnostic } of instances('overall-score')) {
      const text = original(name);
      if (library.diagnostics(uriOf(name)).some((d) => d.code === 'missing-section' || d.code === 'duplicate-reference')) continue;
      const [fixAll] = await codeActions(library, { uri: uriOf(name), text, version: 1 }, [], { only: ['source.fixAll'], readText: async () => undefined });
      const current = text.split('\n')[diagnostic.range.start.line]!.slice(diagnostic.range.start.character, diagnostic.range.end.character);
      assert.equal(applied(fixAll, uriOf(name), text), replacedOnLine(text, diagnostic.range.start.line, diagnostic.range.start.character, current, String((diagnostic.data as { expected: string }).expected)), name);
    }
  });

  it('with CRLF line endings (and a BOM), every fix gives the LF result with CRLF line endings', async () => {
    const crlf = (text: string) => text.replace(/\n/g, '\r\n');
    const codes = ['dangling-reference', 'self-reference', 'overall-score', 'missing-section', 'confidence-mismatch', 'missing-mirror', 'schema'];
    let compared = 0;
    for (const code of codes) {
      for (const { name, diagnostic } of instances(code, (d) => code !== 'schema' || typeof (d.data as { missingProperty?: unknown }).missingProperty === 'string', 2)) {
        const text = original(name);
        const lfActions = await actionsFor(name, diagnostic);
        for (const bom of ['', '\uFEFF']) {
          const windows = bom + crlf(text);
          await withOpen(name, windows, async () => {
            const twin = library.diagnostics(uriOf(name)).find((d) => d.code === code && d.range.start.line === diagnostic.range.start.line && d.message === diagnostic.message);
            assert.ok(twin, `${name}: the same ${code} with CRLF line endings`);
            const actions = await codeActions(library, { uri: uriOf(name), text: windows, version: 1 }, [twin], {
              readText: async (uri) => bom + crlf(readFileSync(new URL(uri), 'utf8')),
              now: new Date(Date.UTC(2026, 10, 23)),
              random: () => new Uint8Array(16),
            });
            assert.deepEqual(actions.map((a) => a.title), lfActions.map((a) => a.title), `${name}: the same fixes`);
            for (const [i, action] of actions.entries()) {
              for (const change of (action.edit?.documentChanges ?? []).filter((c): c is TextDocumentEdit => 'textDocument' in c && c.edits.length > 0)) {
                if (action.title.startsWith('Create pattern')) continue;
                const lfChange = lfActions[i]!.edit!.documentChanges!.find((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === change.textDocument.uri)!;
                const before = change.textDocument.uri === uriOf(name) ? text : readFileSync(new URL(change.textDocument.uri), 'utf8');
                assert.equal(applyEdits(bom + crlf(before), change.edits), bom + crlf(applyEdits(before, lfChange.edits)), `${name}: ${action.title}${bom ? ' (with a BOM)' : ''}`);
                compared++;
              }
            }
          });
        }
      }
    }
    assert.ok(compared >= 20, `compared ${compared} edits`);
  });

  it('"Create pattern" makes a valid pattern of the source\'s domain and touches no other file; "Rename the file" only renames', async () => {
    for (const { name, diagnostic } of instances('dangling-reference', (d) => /slug/.test(d.message), 3)) {
      const target = String((diagnostic.data as { target: string }).target);
      const create = (await actionsFor(name, diagnostic)).find((a) => a.title === `Create pattern \`${target}\``);
      if (!create) continue;
      const changes = create.edit!.documentChanges!;
      const newUri = uriOf(`${target}.md`);
      assert.deepEqual(changes.map((c) => ('kind' in c ? `${c.kind} ${'uri' in c ? c.uri : c.oldUri}` : `edit ${c.textDocument.uri}`)), [`create ${newUri}`, `edit ${newUri}`]);
      const created = (changes[1] as TextDocumentEdit).edits[0]!.newText;
      await withOpen(`${target}.md`, created, async () => {
        const doc = library.index.get(newUri)!;
        assert.equal(doc.slug, target);
        assert.equal(doc.domain, library.index.get(uriOf(name))!.domain);
        assert.deepEqual(library.diagnostics(newUri).filter((d) => d.code === 'schema' || d.code === 'yaml-syntax').map((d) => d.message), [], `${target}.md is valid`);
      });
    }
    const name = names[0]!;
    const text = original(name);
    const slug = library.index.get(uriOf(name))!.slug!;
    const mutated = text.replace(`\nslug: ${slug}\n`, `\nslug: ${slug}-y\n`);
    await withOpen(name, mutated, async () => {
      const mismatch = library.diagnostics(uriOf(name)).find((d) => d.code === 'slug-filename-mismatch')!;
      const renameFile = (await actionsFor(name, mismatch, mutated)).find((a) => a.title.startsWith('Rename the file'))!;
      assert.deepEqual(renameFile.edit!.documentChanges, [{ kind: 'rename', oldUri: uriOf(name), newUri: uriOf(`${slug}-y.md`), options: { overwrite: false, ignoreIfExists: false } }]);
    });
  });

  it('rename and file rename: every reference to the slug changes, nothing else', async () => {
    // Patterns of the current generation that others name by slug.
    const hubs = [...library.index.documents()].filter((d) => d.slug && d.slugRange && library.index.backlinks(d).length >= 3).sort((a, b) => (a.uri < b.uri ? -1 : 1)).slice(0, 4);
    assert.ok(hubs.length > 0);
    for (const hub of hubs) {
      const newSlug = `${hub.slug}-renamed`;
      const edit = rename(library, hub.uri, hub.slugRange!.start, newSlug);
      const fileRename = editsForFileRenames(library, [{ oldUri: hub.uri, newUri: hub.uri.replace(/[^/]+\.md$/, `${newSlug}.md`) }]).edit;
      for (const workspaceEdit of [edit, fileRename]) {
        for (const change of workspaceEdit.documentChanges!.filter((c): c is TextDocumentEdit => 'textDocument' in c)) {
          const text = readFileSync(new URL(change.textDocument.uri), 'utf8');
          const slug = hub.slug!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          // The oracle: the value of a `slug:` / `target:` key or a bare list item (plain or quoted) that is exactly the old slug.
          const expected = text.replace(new RegExp(`^(\\s*(?:- )?(?:slug|target|id): ?["']?|\\s*- ["']?)${slug}(["']?\\s*$)`, 'gm'), `$1${newSlug}$2`);
          const flow = text.replace(new RegExp(`([{,] *(?:slug|target|id): *)${slug}( *[,}])`, 'g'), `$1${newSlug}$2`);
          const result = applyEdits(text, change.edits);
          assert.ok(result === expected || result === flow || result === flow.replace(new RegExp(`^(\\s*(?:- )?(?:slug|target|id): ?["']?|\\s*- ["']?)${slug}(["']?\\s*$)`, 'gm'), `$1${newSlug}$2`), `${path.basename(change.textDocument.uri)} renaming ${hub.slug}`);
          assert.notEqual(result, text);
        }
      }
    }
  });
});
