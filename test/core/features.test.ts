import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, Position, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { TrellisLibrary } from '../../server/src/core/library';
import { codeActions } from '../../server/src/core/languageFeatures/codeActions';
import { complete, resolveCompletionItem } from '../../server/src/core/languageFeatures/completion';
import { hover } from '../../server/src/core/languageFeatures/hover';
import { definition, documentLinks, references } from '../../server/src/core/languageFeatures/navigation';
import { editsForFileRenames, prepareRename, rename } from '../../server/src/core/languageFeatures/rename';
import { documentSymbols, workspaceSymbols } from '../../server/src/core/languageFeatures/symbols';
import { LineMap } from '../../server/src/core/text';
import { MemoryHost, ROOT } from '../helpers';
import { applyEdits } from '../textEdits';

const REPO = path.resolve(__dirname, '..', '..');
const SAMPLE = path.join(REPO, 'examples', 'library');

async function sampleLibrary(extra: Record<string, string> = {}): Promise<{ library: TrellisLibrary; host: MemoryHost }> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(SAMPLE)) if (name.endsWith('.md')) files[name] = readFileSync(path.join(SAMPLE, name), 'utf8');
  const host = new MemoryHost({ ...files, ...extra });
  const library = new TrellisLibrary(ROOT, host);
  await library.load();
  return { library, host };
}

/** Opens `name` with `|` marking the cursor (the mark is removed); returns the document and the cursor. */
async function openAt(library: TrellisLibrary, name: string, text: string): Promise<{ uri: string; text: string; position: Position; offset: number; version: number }> {
  const offset = text.indexOf('|');
  const clean = text.slice(0, offset) + text.slice(offset + 1);
  const uri = `${ROOT}/${name}`;
  await library.setDocumentText(uri, clean, 7);
  return { uri, text: clean, offset, position: new LineMap(clean).positionAt(offset), version: 7 };
}

const sample = (name: string) => readFileSync(path.join(SAMPLE, name), 'utf8');
const withCursor = (text: string, before: string) => text.replace(before, before + '|');

function editOf(action: CodeAction, uri: string): TextDocumentEdit {
  const change = action.edit!.documentChanges!.find((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === uri);
  assert.ok(change, `no edit of ${uri} in ${action.title}`);
  return change!;
}

describe('completion', () => {
  it('offers patterns by slug with their titles, fuzzy on title words, leaving out this pattern', async () => {
    const { library } = await sampleLibrary();
    const entry = (query: string) => sample('harvest-sharing.md').replace('    - slug: compost-comons\n      weight: 0.6\n', `    - slug: compost-comons\n      weight: 0.6\n    - slug: ${query}|\n`);
    const doc = await openAt(library, 'harvest-sharing.md', entry('comp'));
    const list = complete(library, doc, doc.offset);
    const labels = list.items.map((i) => i.label);
    assert.equal(labels[0], 'compost-commons');
    assert.equal(list.items[0]!.detail, 'Compost Commons');
    assert.match((resolveCompletionItem(library, list.items[0]!).documentation as { value: string }).value, /shared system/);
    assert.ok(!labels.includes('harvest-sharing'), 'not itself');
    const byTitle = await openAt(library, 'harvest-sharing.md', entry('toollib'));
    assert.equal(complete(library, byTitle, byTitle.offset).items[0]?.label, 'shared-tool-library');
  });

  it('leaves out targets already listed in the same relation', async () => {
    const { library } = await sampleLibrary();
    const base = sample('work-party.md');
    const listed = /^  requires:\n((?:    .*\n)+)/m.exec(base)![1]!;
    const firstTarget = /slug: (\S+)/.exec(listed)![1]!;
    const text = base.replace(listed, listed + '    - slug: |\n');
    const doc = await openAt(library, 'work-party.md', text);
    const labels = complete(library, doc, doc.offset, { maxReferences: 1000 }).items.map((i) => i.label);
    assert.ok(labels.length > 5);
    assert.ok(!labels.includes(firstTarget), `${firstTarget} is already listed`);
  });

  it('in a legacy id list shows titles and inserts ids', async () => {
    const { library } = await sampleLibrary();
    const text = sample('rainwater-harvesting.md').replace(/^related:.*$/m, 'related:\n- |');
    const doc = await openAt(library, 'rainwater-harvesting.md', text);
    const item = complete(library, doc, doc.offset, { maxReferences: 1000 }).items.find((i) => i.label === 'Watering Rota')!;
    assert.ok(item, 'offers Watering Rota by title');
    assert.match(item.textEdit!.newText, /^pat_[0-9a-z]{26}$/);
    assert.equal(item.textEdit!.newText, library.index.bySlug('watering-rota')[0]!.id);
  });

  it('offers keys not yet present, required first, with their documentation, as snippets', async () => {
    const { library } = await sampleLibrary();
    const text = sample('watering-rota.md').replace(/^  confidence: \d\n/m, '  |\n');
    const doc = await openAt(library, 'watering-rota.md', text);
    const items = complete(library, doc, doc.offset).items;
    assert.deepEqual(items.map((i) => i.label), ['confidence']);
    assert.equal(items[0]!.detail, 'required');
    assert.match(items[0]!.textEdit!.newText, /^confidence: \$\{1\|1,2,3\|\}$/);
    const top = await openAt(library, 'watering-rota.md', sample('watering-rota.md').replace(/^aliases: .*\n/m, 'al|\n'));
    const topItems = complete(library, top, top.offset).items;
    assert.deepEqual(topItems.map((i) => i.label).sort(), ['aliases', 'commons_domain', 'provenance'].sort().filter((l) => topItems.some((i) => i.label === l)));
    assert.ok(topItems.some((i) => i.label === 'aliases'));
    assert.ok(!topItems.some((i) => i.label === 'slug'), 'slug is present already');
  });

  it('completes values: enums, relation names for an inferred link type, today for dates, a fresh id, the file slug', async () => {
    const { library } = await sampleLibrary();
    const statusDoc = await openAt(library, 'watering-rota.md', sample('watering-rota.md').replace(/^  status: .*$/m, '  status: |'));
    assert.deepEqual(complete(library, statusDoc, statusDoc.offset).items.map((i) => i.label).sort(), ['deprecated', 'draft', 'published', 'revised', 'stable']);
    const withLink = sample('watering-rota.md').replace(/^  inferred_links:.*$/m, '  inferred_links:\n    - target: work-party\n      type: en|');
    const typeDoc = await openAt(library, 'watering-rota.md', withLink);
    assert.ok(complete(library, typeDoc, typeDoc.offset).items.some((i) => i.label === 'enables'));
    const dateDoc = await openAt(library, 'watering-rota.md', sample('watering-rota.md').replace(/^  last_pruned: .*$/m, '  last_pruned: |'));
    assert.deepEqual(complete(library, dateDoc, dateDoc.offset, { now: new Date('2026-11-23T10:00:00Z') }).items.map((i) => i.label), ['2026-11-23']);
    const idDoc = await openAt(library, 'watering-rota.md', sample('watering-rota.md').replace(/^id: .*$/m, 'id: |'));
    const id = complete(library, idDoc, idDoc.offset, { now: new Date(Date.UTC(2026, 10, 23)), random: () => new Uint8Array(16).fill(255) }).items[0]!.label;
    assert.match(id, /^pat_01[0-9a-hjkmnp-tv-z]{24}$/);
    const slugDoc = await openAt(library, 'watering-rota.md', sample('watering-rota.md').replace(/^slug: .*$/m, 'slug: |'));
    assert.deepEqual(complete(library, slugDoc, slugDoc.offset).items.map((i) => i.label), ['watering-rota']);
  });

  it('works while the YAML is half-typed and invalid', async () => {
    const { library } = await sampleLibrary();
    // A quote left open above, and an entry with no weight yet: not valid YAML.
    const text = sample('watering-rota.md').replace(/^title: .*$/m, 'title: "Watering Ro').replace(/^  enables:.*$/m, '  enables:\n    - slug: seed|');
    const doc = await openAt(library, 'watering-rota.md', text);
    assert.equal(complete(library, doc, doc.offset).items[0]?.label, 'seed-saving-circle');
  });
});

describe('hover', () => {
  it('shows a reference target with its summary, facts and link counts, and the nearest candidates for a dangling one', async () => {
    const { library } = await sampleLibrary();
    const text = sample('harvest-sharing.md');
    const doc = await openAt(library, 'harvest-sharing.md', withCursor(text, '    - slug: compost-co'));
    const dangling = hover(library, doc, doc.position)!;
    assert.match((dangling.contents as { value: string }).value, /No pattern has the slug `compost-comons`[\s\S]*Nearest: \[`compost-commons`\]/);
    // An id nowhere near any pattern's: no "nearest" (ids are opaque; a pattern listed there would be any).
    const v1 = sample('skill-share-evening.md');
    const idDoc = await openAt(library, 'skill-share-evening.md', withCursor(v1, '- pat_f15bd'));
    const far = (hover(library, idDoc, idDoc.position)!.contents as { value: string }).value;
    assert.match(far, /No pattern has the id `pat_f15bd3b02bf3ac784567579b`/);
    assert.doesNotMatch(far, /Nearest/);
    const line = text.split('\n').findIndex((l) => /^\s+- slug: watering-rota/.test(l));
    const found = hover(library, { uri: doc.uri, text }, { line, character: 16 })!;
    const value = (found.contents as { value: string }).value;
    assert.match(value, /\*\*Watering Rota\*\* `watering-rota`/);
    assert.match(value, /domain `[a-z-]+` · status `[a-z]+` · \d+ incoming · \d+ outgoing/);
    assert.match(value, /\[Open watering-rota\.md\]\(file:\/\/\/lib\/watering-rota\.md\)/);
  });

  it('shows a key’s schema documentation', async () => {
    const { library } = await sampleLibrary();
    const doc = await openAt(library, 'watering-rota.md', sample('watering-rota.md').replace('  adoption_stage:', '  adopt|ion_stage:'));
    assert.match((hover(library, doc, doc.position)!.contents as { value: string }).value, /^\*\*adoption_stage\*\*\n\n.*early_adopters/s);
  });
});

describe('navigation', () => {
  it('goes to the definition by slug and by legacy id, across generations', async () => {
    const { library } = await sampleLibrary();
    const text = sample('watering-rota.md');
    const doc = await openAt(library, 'watering-rota.md', withCursor(text, 'slug: rainwater-har'));
    const [link] = definition(library, doc.uri, doc.position);
    assert.equal(link!.targetUri, `${ROOT}/rainwater-harvesting.md`);
    const rain = sample('rainwater-harvesting.md');
    const wateringId = library.index.bySlug('watering-rota')[0]!.id!;
    const rainDoc = await openAt(library, 'rainwater-harvesting.md', rain.replace(`- ${wateringId}`, `- ${wateringId.slice(0, 6)}|${wateringId.slice(6)}`));
    assert.equal(definition(library, rainDoc.uri, rainDoc.position)[0]!.targetUri, `${ROOT}/watering-rota.md`);
    assert.ok(documentLinks(library, rainDoc.uri).some((l) => l.target === `${ROOT}/watering-rota.md`));
  });

  it('finds all references from the slug line and from a reference, in both generations', async () => {
    const { library } = await sampleLibrary();
    const text = sample('watering-rota.md');
    const doc = await openAt(library, 'watering-rota.md', withCursor(text, 'slug: wat'));
    const refs = references(library, doc.uri, doc.position, false);
    const files = new Set(refs.map((r) => r.uri.slice(ROOT.length + 1)));
    assert.ok(files.has('rainwater-harvesting.md'), 'the v1 pattern that lists its id');
    assert.ok(files.has('harvest-sharing.md'));
    const fromReference = await openAt(library, 'harvest-sharing.md', withCursor(sample('harvest-sharing.md'), 'slug: watering-r'));
    assert.deepEqual(references(library, fromReference.uri, fromReference.position, false).length, refs.length);
  });

  it('lists frontmatter groups and body sections as symbols, and patterns as workspace symbols', async () => {
    const { library } = await sampleLibrary();
    const symbols = documentSymbols(sample('watering-rota.md'));
    assert.equal(symbols[0]!.name, 'Frontmatter');
    assert.ok(symbols[0]!.children!.some((s) => s.name === 'relationships' && s.children!.some((c) => c.name === 'enables')));
    assert.ok(symbols.some((s) => s.name === 'Section 2: Problem'));
    const found = await workspaceSymbols(library, 'rain water');
    assert.equal(found[0]!.name, 'Rainwater Harvesting');
    assert.equal((await workspaceSymbols(library, 'Shared Compost Bays'))[0]!.containerName, 'compost-commons', 'finds by alias');
  });
});

describe('rename', () => {
  it('renames a slug everywhere and the file with it, as one edit; refuses invalid or taken slugs', async () => {
    const { library } = await sampleLibrary();
    const doc = await openAt(library, 'watering-rota.md', withCursor(sample('watering-rota.md'), 'slug: water'));
    assert.equal(prepareRename(library, doc.uri, doc.position).placeholder, 'watering-rota');
    assert.throws(() => rename(library, doc.uri, doc.position, 'Watering Rota'), /not a valid slug/);
    assert.throws(() => rename(library, doc.uri, doc.position, 'work-party'), /already used by work-party\.md/);
    const edit = rename(library, doc.uri, doc.position, 'watering-roster');
    const changes = edit.documentChanges!;
    const last = changes[changes.length - 1]!;
    assert.deepEqual(last, { kind: 'rename', oldUri: `${ROOT}/watering-rota.md`, newUri: `${ROOT}/watering-roster.md`, options: { overwrite: false, ignoreIfExists: false } });
    const textEdits = changes.filter((c): c is TextDocumentEdit => 'textDocument' in c);
    const self = textEdits.find((c) => c.textDocument.uri === doc.uri)!;
    assert.equal(self.textDocument.version, 7, 'carries the open version');
    assert.equal(applyEdits(doc.text, self.edits), doc.text.replace('slug: watering-rota', 'slug: watering-roster'));
    const harvest = textEdits.find((c) => c.textDocument.uri === `${ROOT}/harvest-sharing.md`)!;
    const harvestText = sample('harvest-sharing.md');
    assert.equal(applyEdits(harvestText, harvest.edits), harvestText.replace(/(slug|target): watering-rota\b/g, '$1: watering-roster'));
    assert.ok(!textEdits.some((c) => c.textDocument.uri.endsWith('rainwater-harvesting.md')), 'ids do not change');
  });

  it('gives a renamed file its new slug and updates the references', async () => {
    const { library } = await sampleLibrary();
    const { edit, problems } = editsForFileRenames(library, [{ oldUri: `${ROOT}/work-party.md`, newUri: `${ROOT}/work-day.md` }]);
    assert.deepEqual(problems, []);
    const files = (edit.documentChanges as TextDocumentEdit[]).map((c) => c.textDocument.uri.slice(ROOT.length + 1)).sort();
    assert.ok(files.includes('work-party.md') && files.includes('compost-commons.md'), files.join());
    const taken = editsForFileRenames(library, [{ oldUri: `${ROOT}/work-party.md`, newUri: `${ROOT}/watering-rota.md` }]);
    assert.match(taken.problems[0]!, /already used by watering-rota\.md/);
  });
});

describe('quick fixes', () => {
  const actionsFor = async (library: TrellisLibrary, name: string, code: string, text = sample(name), readText?: (uri: string) => Promise<string | undefined>) => {
    const uri = `${ROOT}/${name}`;
    await library.setDocumentText(uri, text, 3);
    const diagnostics = library.diagnostics(uri).filter((d) => d.code === code);
    assert.ok(diagnostics.length > 0, `no ${code} on ${name}`);
    return { uri, text, actions: await codeActions(library, { uri, text, version: 3 }, diagnostics, { readText: readText ?? (async (u) => library.openText(u)?.text), now: new Date(Date.UTC(2026, 10, 23)) }) };
  };

  it('changes a typo to the intended slug first, and can remove the reference leaving the rest byte for byte', async () => {
    const { library } = await sampleLibrary();
    const { uri, text, actions } = await actionsFor(library, 'harvest-sharing.md', 'dangling-reference');
    assert.equal(actions[0]!.title, 'Change to `compost-commons` (Compost Commons)');
    assert.equal(actions[0]!.isPreferred, true);
    assert.equal(editOf(actions[0]!, uri).textDocument.version, 3);
    assert.equal(applyEdits(text, editOf(actions[0]!, uri).edits), text.replace('slug: compost-comons', 'slug: compost-commons'));
    const remove = actions.find((a) => a.title === 'Remove this reference')!;
    assert.equal(applyEdits(text, editOf(remove, uri).edits), text.replace('  complementary:\n    - slug: compost-comons\n      weight: 0.6\n', '  complementary: []\n'));
  });

  it('for a dangling id, offers the pattern whose id it is a typo of, and no unrelated pattern when none is near', async () => {
    const { library } = await sampleLibrary();
    // DEFECTS.md #6: an id no pattern has, nowhere near any pattern's id.
    const far = await actionsFor(library, 'skill-share-evening.md', 'dangling-reference');
    assert.deepEqual(far.actions.filter((a) => a.title.startsWith('Change to')).map((a) => a.title), []);
    assert.ok(far.actions.some((a) => a.title === 'Remove this reference'));
    // One character off the id of pollinator-hedgerow's neighbour in the same list.
    const typo = sample('skill-share-evening.md').replace('- pat_f15bd3b02bf3ac784567579b', '- pat_01kk8y08m8f0wbtwvzypfy1y2x');
    const near = await actionsFor(library, 'skill-share-evening.md', 'dangling-reference', typo);
    const target = library.index.byId('pat_01kk8y08m8f0wbtwvzypfy1y29')[0]!;
    assert.equal(near.actions[0]!.title, `Change to \`pat_01kk8y08m8f0wbtwvzypfy1y29\` (${target.title})`);
    assert.equal(near.actions[0]!.isPreferred, true);
  });

  it('puts a swapped pair of letters right first', async () => {
    const { library } = await sampleLibrary();
    const text = sample('harvest-sharing.md').replace('slug: compost-comons', 'slug: wtaering-rota');
    const { actions } = await actionsFor(library, 'harvest-sharing.md', 'dangling-reference', text);
    assert.equal(actions[0]!.title, 'Change to `watering-rota` (Watering Rota)');
  });

  it('creates a missing pattern from the template with a fresh id', async () => {
    const { library } = await sampleLibrary();
    const { actions } = await actionsFor(library, 'compost-commons.md', 'dangling-reference');
    const create = actions.find((a) => a.title === 'Create pattern `soil-testing-protocol`')!;
    const [createFile, insert] = create.edit!.documentChanges as [{ kind: string; uri: string }, TextDocumentEdit];
    assert.deepEqual(createFile, { kind: 'create', uri: `${ROOT}/soil-testing-protocol.md`, options: { overwrite: false, ignoreIfExists: false } });
    const created = insert.edits[0]!.newText;
    assert.match(created, /^---\n# ═+\n# GROUP 1: CORE IDENTITY\n# ═+\nid: pat_01[0-9a-hjkmnp-tv-z]{24}\nslug: soil-testing-protocol\ntitle: "Soil Testing Protocol"\n/);
    // The new file is a valid pattern: no schema errors, every section present.
    const host = new MemoryHost({ 'soil-testing-protocol.md': created });
    const fresh = new TrellisLibrary(ROOT, host);
    await fresh.load();
    assert.deepEqual(fresh.diagnostics(`${ROOT}/soil-testing-protocol.md`).map((d) => d.message), []);
  });

  it('adds the mirror entry to the other file, shaped like its entries', async () => {
    const { library } = await sampleLibrary();
    const target = sample('watering-rota.md');
    const { actions } = await actionsFor(library, 'harvest-sharing.md', 'missing-mirror', undefined, async (u) => (u.endsWith('watering-rota.md') ? target : undefined));
    const fix = actions.find((a) => a.title === 'Add `harvest-sharing` under `enables` in watering-rota.md')!;
    const after = applyEdits(target, editOf(fix, `${ROOT}/watering-rota.md`).edits);
    // watering-rota had `enables: []`: it becomes a block list holding the new entry, nothing else changes.
    assert.equal(after, target.replace('  enables: []\n', '  enables:\n    - slug: harvest-sharing\n      weight: 0.6\n'));
  });

  it('fixes a slug that differs from its file name either way', async () => {
    const { library } = await sampleLibrary();
    const text = sample('work-party.md').replace('slug: work-party', 'slug: work-parties');
    const { uri, actions } = await actionsFor(library, 'work-party.md', 'slug-filename-mismatch', text);
    assert.deepEqual(actions.filter((a) => a.kind === 'quickfix').map((a) => a.title), ['Rename the file to work-parties.md', 'Change the slug to `work-party`']);
    assert.equal(applyEdits(text, editOf(actions[1]!, uri).edits), sample('work-party.md'));
  });

  it('writes the mean, inserts a missing section in place, adds a missing required field', async () => {
    const { library } = await sampleLibrary();
    const score = await actionsFor(library, 'shared-tool-library.md', 'overall-score');
    assert.equal(applyEdits(score.text, editOf(score.actions[0]!, score.uri).edits), score.text.replace('overall_score: 4.4', 'overall_score: 3.6'));
    const section = await actionsFor(library, 'work-party.md', 'missing-section');
    const inserted = applyEdits(section.text, editOf(section.actions[0]!, section.uri).edits);
    assert.match(inserted, /\n---\n\n### Section 6: Known Uses\n\n_200–300 words\._\n\n---\n\n### Section 7: Cognitive Era/);
    assert.equal(inserted.replace('### Section 6: Known Uses\n\n_200–300 words._\n\n---\n\n', ''), section.text);
    const missing = sample('watering-rota.md').replace(/^  status: .*\n/m, '');
    const field = await actionsFor(library, 'watering-rota.md', 'schema', missing);
    const added = applyEdits(missing, editOf(field.actions.find((a) => a.title === 'Add `status`')!, field.uri).edits);
    assert.match(added, /\n  confidence: \d\n  status: draft\n/);
  });

  it('source.fixAll applies only the fixes that need no choice', async () => {
    const { library } = await sampleLibrary();
    const uri = `${ROOT}/shared-tool-library.md`;
    const text = sample('shared-tool-library.md');
    await library.setDocumentText(uri, text, 4);
    const [fixAll] = await codeActions(library, { uri, text, version: 4 }, [], { only: ['source.fixAll'], readText: async () => undefined });
    assert.equal(fixAll!.kind, 'source.fixAll.trellis');
    assert.equal(applyEdits(text, editOf(fixAll!, uri).edits), text.replace('overall_score: 4.4', 'overall_score: 3.6'));
  });
});

describe('on the real corpus', () => {
  const CORPUS = ['/work/shared/corpus/commons-os-patterns', path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns')].find((d) => {
    try {
      return readdirSync(d).length > 0;
    } catch {
      return false;
    }
  });

  it('offers sensible replacements for emotional-safety in therapeutic-relationship-building', async function () {
    if (!CORPUS) this.skip();
    const files: Record<string, string> = {};
    for (const name of readdirSync(CORPUS!)) files[name] = readFileSync(path.join(CORPUS!, name), 'utf8');
    const library = new TrellisLibrary(ROOT, new MemoryHost(files));
    await library.load();
    const uri = `${ROOT}/therapeutic-relationship-building.md`;
    const text = files['therapeutic-relationship-building.md']!;
    await library.setDocumentText(uri, text, 1);
    const diagnostic = library.diagnostics(uri).find((d) => d.code === 'dangling-reference' && /emotional-safety/.test(d.message))!;
    const actions = await codeActions(library, { uri, text, version: 1 }, [diagnostic], { readText: async () => undefined });
    const offers = actions.filter((a) => a.title.startsWith('Change to')).map((a) => /`([^`]+)`/.exec(a.title)![1]!);
    assert.ok(offers.length >= 1, JSON.stringify(actions.map((a) => a.title)));
    for (const offer of offers) assert.ok(/emotion|safe/.test(offer), `${offer} is not a sensible offer for emotional-safety`);
    const edit = (actions.find((a) => a.title === 'Remove this reference')!.edit as WorkspaceEdit).documentChanges![0] as TextDocumentEdit;
    assert.equal(applyEdits(text, edit.edits), text.replace('  requires:\n    - slug: emotional-safety\n      weight: 0.92\n', '  requires: []\n'));
  });
});
