/** The core's cancellation: checkpoints in long loops, and a cancelled reload that leaves the library as it was. */
import * as assert from 'node:assert/strict';
import { CancelledError, Checkpoint } from '../../server/src/core/cancellation';
import { codeActions } from '../../server/src/core/languageFeatures/codeActions';
import { workspaceSymbols } from '../../server/src/core/languageFeatures/symbols';
import { TrellisLibrary } from '../../server/src/core/library';
import { MemoryHost, ROOT, v7Pattern } from '../helpers';

const COUNT = 700;

function bigLibrary(): { host: MemoryHost; library: TrellisLibrary } {
  const files: Record<string, string> = {};
  for (let i = 0; i < COUNT; i++) {
    const slug = `pattern-${i}`;
    files[`${slug}.md`] = v7Pattern(slug, { relationships: `  enables:\n    - slug: pattern-${(i + 1) % COUNT}\n      weight: 0.5\n    - slug: missing-${i % 7}\n      weight: 0.5` });
  }
  const host = new MemoryHost(files);
  return { host, library: new TrellisLibrary(ROOT, host) };
}

describe('cancellation in the core', () => {
  it('a checkpoint throws once its token is set, and yields to the host when a slice has run long', async () => {
    const token = { isCancellationRequested: false };
    let yields = 0;
    const checkpoint = new Checkpoint({ token, sliceMs: 0, yieldToHost: async () => void yields++ });
    await checkpoint.check();
    assert.equal(yields, 1);
    token.isCancellationRequested = true;
    await assert.rejects(checkpoint.check(), CancelledError);
  });

  it('long features stop at their checkpoints', async () => {
    const { library } = bigLibrary();
    await library.load();
    const cancelled = new Checkpoint({ token: { isCancellationRequested: true } });
    await assert.rejects(workspaceSymbols(library, 'pattern', 200, cancelled), CancelledError);
    const uri = `${ROOT}/pattern-1.md`;
    const text = library.openText(uri)?.text ?? v7Pattern('pattern-1');
    const diagnostics = library.diagnostics(uri).filter((d) => d.code === 'dangling-reference');
    assert.ok(diagnostics.length > 0);
    await assert.rejects(codeActions(library, { uri, text, version: 1 }, diagnostics, { readText: async () => undefined, checkpoint: cancelled }), CancelledError);
    // Not cancelled, the same calls answer in full.
    assert.ok((await workspaceSymbols(library, 'pattern')).length > 0);
  });

  it('a reload cancelled between batches rejects and leaves the index, the config and every diagnostic as they were', async () => {
    const { host, library } = bigLibrary();
    await library.load();
    const before = library.index.snapshot();
    const diagnosticsBefore = [...library.index.uris()].map((uri) => JSON.stringify(library.diagnostics(uri)));
    // On disk meanwhile: a config that changes the schemas, and files that change and vanish.
    host.files.set(`${ROOT}/trellis.config.json`, JSON.stringify({ exclude: ['pattern-1*.md'] }));
    for (let i = 0; i < 50; i++) host.files.delete(`${ROOT}/pattern-${i}.md`);
    const token = { isCancellationRequested: false };
    let reported = 0;
    await assert.rejects(
      library.load((done) => {
        reported = done;
        // Cancel once the first batch is in: the index is half rebuilt at that moment.
        if (done > 0) token.isCancellationRequested = true;
      }, token),
      CancelledError,
    );
    assert.ok(reported > 0 && reported < COUNT - 50, `cancelled mid-way (${reported} files read)`);
    assert.equal(library.index.snapshot(), before);
    assert.deepEqual([...library.index.uris()].map((uri) => JSON.stringify(library.diagnostics(uri))), diagnosticsBefore);
    assert.deepEqual(library.diagnostics(library.configUri), []);
    // The queue goes on: a later load sees the disk as it is now.
    await library.load();
    assert.equal(library.index.size, COUNT - 50 - 100);
  });
});
