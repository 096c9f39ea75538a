/**
 * TrellisLibrary.diskState names the files a library was built from, so that
 * a host may keep what it published under that name (publishedSnapshot.ts).
 * It must change with anything that changes the documents, and be undefined
 * whenever the library holds something besides those files.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TrellisLibrary } from '../../server/src/core/library';
import { NodeLibraryHost, pathToUri } from '../../server/src/nodeHost';

const REPO = path.resolve(__dirname, '..', '..');

describe('the disk state a library was loaded from', function () {
  this.timeout(30_000);
  let dir: string;
  let cacheDir: string;

  /** Files changed in the last 2 s get no stamp (racy): the copy's times are set a minute back. */
  const age = async (...names: string[]): Promise<void> => {
    const past = new Date(Date.now() - 60_000);
    for (const name of names.length ? names : await fs.readdir(dir)) await fs.utimes(path.join(dir, name), past, past);
  };
  const load = async (host = new NodeLibraryHost({ workers: false, cacheDir })): Promise<TrellisLibrary> => {
    const library = new TrellisLibrary(pathToUri(dir), host);
    await library.load();
    return library;
  };

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-disk-state-'));
    cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-disk-state-cache-'));
    await fs.cp(path.join(REPO, 'examples', 'library'), dir, { recursive: true });
    await age();
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(cacheDir, { recursive: true, force: true });
  });

  it('is the same for two loads of the same files, and differs once a file changed', async () => {
    const first = await (await load()).diskState();
    assert.ok(first, 'a load with a cache names its files');
    assert.equal(await (await load()).diskState(), first);
    const file = path.join(dir, 'watering-rota.md');
    await fs.appendFile(file, '\nOne more line.\n');
    await age('watering-rota.md');
    const changed = await (await load()).diskState();
    assert.ok(changed);
    assert.notEqual(changed, first);
  });

  it('is undefined without a cache (no stamps), or when a file was changed too recently to trust its stamp', async () => {
    assert.equal(await (await load(new NodeLibraryHost({ workers: false, cacheDir: false }))).diskState(), undefined);
    await fs.appendFile(path.join(dir, 'work-party.md'), '\nJust now.\n');
    assert.equal(await (await load()).diskState(), undefined);
  });

  it('is undefined after a file event, and while an open document differs from its file', async () => {
    const library = await load();
    const state = await library.diskState();
    assert.ok(state);
    const uri = pathToUri(path.join(dir, 'harvest-sharing.md'));
    const text = await fs.readFile(path.join(dir, 'harvest-sharing.md'), 'utf8');
    await library.setDocumentText(uri, text, 1);
    assert.equal(await library.diskState(), state, 'an open document with its file\'s text changes nothing');
    await library.setDocumentText(uri, text.replace('slug: harvest-sharing', 'slug: harvest-sharing-2'), 2);
    assert.equal(await library.diskState(), undefined, 'unsaved text');
    await library.closeDocument(uri);
    assert.equal(await library.diskState(), state, 'closed again: the library is its files again');
    const event = library.fileChanged(uri);
    assert.equal(await library.diskState(), undefined, 'from the moment the event arrives');
    await event;
    assert.equal(await library.diskState(), undefined);
    await library.load();
    assert.equal(await library.diskState(), state, 'a new load names the files again');
  });

  it('covers the config: another config, another state', async () => {
    const first = await (await load()).diskState();
    const config = path.join(dir, 'trellis.config.json');
    const existing = await fs.readFile(config, 'utf8').catch(() => undefined);
    await fs.writeFile(config, JSON.stringify({ ...(existing ? JSON.parse(existing) : {}), severity: { 'missing-section': 'off' } }));
    await age();
    const second = await (await load()).diskState();
    assert.ok(second);
    assert.notEqual(second, first);
  });

  it('is known to the filesStamped hook before any pattern file is read, once the library has a cache; a first load names its files as it reads them', async () => {
    const reads: string[] = [];
    class CountingHost extends NodeLibraryHost {
      override readFile(uri: string): Promise<string | undefined> {
        reads.push(uri);
        return super.readFile(uri);
      }
      override readFileStamped(uri: string): Promise<{ text: string | undefined; stamp: string | undefined }> {
        reads.push(uri);
        return super.readFileStamped(uri);
      }
    }
    const patternsRead = (): number => reads.filter((uri) => uri.endsWith('.md')).length;
    const loadWithHook = async (): Promise<{ library: TrellisLibrary; atHook: { state: string | undefined; patternsRead: number } }> => {
      reads.length = 0;
      const library = new TrellisLibrary(pathToUri(dir), new CountingHost({ workers: false, cacheDir }));
      let atHook: { state: string | undefined; patternsRead: number } | undefined;
      await library.load(undefined, undefined, {
        filesStamped: async () => {
          atHook = { state: await library.diskState(), patternsRead: patternsRead() };
        },
      });
      return { library, atHook: atHook! };
    };

    // The first load: nothing saved, so each file is stamped as it is read; the state is known at the end.
    const first = await loadWithHook();
    assert.equal(first.atHook.state, undefined);
    assert.equal(first.atHook.patternsRead, 0);
    const state = await first.library.diskState();
    assert.ok(state, 'a first load names the files it read');
    assert.ok(patternsRead() > 0);
    await first.library.flushCache();

    // A later load knows it from the stamps alone, before reading the one file that changed.
    const file = path.join(dir, 'watering-rota.md');
    await fs.appendFile(file, '\nOne more line.\n');
    await age('watering-rota.md');
    const later = await loadWithHook();
    assert.ok(later.atHook.state);
    assert.notEqual(later.atHook.state, state);
    assert.equal(later.atHook.patternsRead, 0);
    assert.equal(await later.library.diskState(), later.atHook.state);
    assert.deepEqual(reads.filter((uri) => uri.endsWith('.md')), [pathToUri(file)], 'the later load read the changed file after the hook, and only it');
  });
  it('on a first load, stamps only the open documents ahead (the rest as they are read), and names nothing when a file event came in during it', async () => {
    const host = new NodeLibraryHost({ workers: false, cacheDir });
    const stamped: string[][] = [];
    const stamps = host.cache!.stamps.bind(host.cache);
    host.cache!.stamps = async (uris) => {
      stamped.push([...uris]);
      return stamps(uris);
    };
    const library = new TrellisLibrary(pathToUri(dir), host);
    const open = pathToUri(path.join(dir, 'harvest-sharing.md'));
    await library.setDocumentText(open, await fs.readFile(path.join(dir, 'harvest-sharing.md'), 'utf8'), 1);
    await library.load();
    assert.deepEqual(stamped, [[open]]);
    const state = await library.diskState();
    assert.ok(state, 'the open document matches its file: the load names its files');
    await library.flushCache();
    // The next load stamps every file first, and names the same state.
    await library.load();
    assert.equal(stamped.length, 2);
    assert.ok(stamped[1]!.length > 1);
    assert.equal(await library.diskState(), state);

    const fresh = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-disk-state-cache-'));
    try {
      const another = new TrellisLibrary(pathToUri(dir), new NodeLibraryHost({ workers: false, cacheDir: fresh }));
      let event: Promise<unknown> | undefined;
      // Once the load has begun, before it reads a file: the event waits for the load, which must not name its files.
      await another.load(undefined, undefined, {
        filesStamped: async () => {
          event = another.fileChanged(pathToUri(path.join(dir, 'watering-rota.md')));
        },
      });
      assert.equal(await another.diskState(), undefined, 'a file event came in during the first load');
      await event;
      assert.equal(await another.diskState(), undefined);
    } finally {
      await fs.rm(fresh, { recursive: true, force: true });
    }
  });
});
