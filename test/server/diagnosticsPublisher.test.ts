import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { DiagnosticsPublisher, diagnosticsSignature, type CurrentDiagnostics, type PublishedDiagnostics } from '../../server/src/diagnosticsPublisher';
import { PublishedCounts } from '../../server/src/libraryStatus';

const diagnostic = (message: string, severity: 1 | 2 | 3 | 4 = 2, code = 'dangling-reference'): Diagnostic => ({
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
  message,
  severity,
  code,
  source: 'trellis',
});

/**
 * A stand-in for the server: the diagnostics of each file "now", a clock that
 * moves 1 ms per reading (so a slice holds a known number of files), and a
 * yield that waits until the test lets the publisher go on, so the test can
 * act between two slices as a request would.
 */
class Host {
  readonly state = new Map<string, CurrentDiagnostics>();
  readonly open = new Set<string>();
  readonly sent: PublishedDiagnostics[] = [];
  readonly log: string[] = [];
  readonly errors: unknown[] = [];
  gone = new Set<string>();
  private clock = 0;
  resume: Array<() => void> = [];
  private yielded: Array<() => void> = [];
  failOn: string | undefined;

  readonly publisher: DiagnosticsPublisher<string>;
  readonly counts = new PublishedCounts();

  constructor() {
    this.publisher = new DiagnosticsPublisher<string>(
      {
        current: (library, uri) => {
          if (uri === this.failOn) throw new Error(`cannot read ${uri}`);
          return this.gone.has(library) ? undefined : (this.state.get(uri) ?? { diagnostics: [] });
        },
        isOpen: (uri) => this.open.has(uri),
        send: (params) => {
          this.sent.push(params);
          this.log.push(`send ${params.uri}`);
        },
        flush: () => this.log.push('flush'),
        drained: () => this.log.push('status'),
        yieldToHost: () =>
          new Promise<void>((resolve) => {
            this.log.push('yield');
            this.resume.push(resolve);
            for (const wake of this.yielded.splice(0)) wake();
          }),
        error: (error) => {
          this.errors.push(error);
          this.log.push('error');
        },
        now: () => this.clock++,
      },
      this.counts,
    );
  }

  /** Resolves once the publisher is waiting between two slices. */
  paused(): Promise<void> {
    return this.resume.length > 0 ? Promise.resolve() : new Promise((resolve) => this.yielded.push(resolve));
  }

  /** Lets the publisher go on with its next slice. */
  goOn(): void {
    const resume = this.resume.shift();
    assert.ok(resume, 'the publisher is waiting');
    resume();
  }

  /** Lets it go on until the queue is empty. */
  async finish(done: Promise<void>): Promise<void> {
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      await Promise.race([this.paused(), done]);
      if (this.resume.length > 0) this.goOn();
    }
  }

  sentFor(uri: string): PublishedDiagnostics[] {
    return this.sent.filter((p) => p.uri === uri);
  }
}

const files = (n: number, prefix = 'file:///lib/p'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}.md`);

describe('publishing diagnostics', () => {
  it('sends a long republish in slices that yield, so work between slices is not kept waiting', async () => {
    const host = new Host();
    const uris = files(40);
    for (const uri of uris) host.state.set(uri, { diagnostics: [diagnostic(`in ${uri}`)] });
    const done = host.publisher.publish('lib', uris);
    // Two clock readings per file in a slice of SLICE_MS readings: the first slice holds only a few files.
    await host.paused();
    const firstSlice = host.sent.length;
    assert.ok(firstSlice > 0 && firstSlice < uris.length, `first slice: ${firstSlice} files`);
    // A request answered here sees the publisher stopped, with the rest still to come.
    host.log.push('request answered');
    await host.finish(done);
    assert.deepEqual(host.sent.map((p) => p.uri), uris, 'every file once, in the order queued');
    assert.equal(host.log.indexOf('request answered'), host.log.indexOf('yield') + 1);
    assert.equal(host.log.filter((l) => l === 'status').length, 1);
    assert.equal(host.log[host.log.length - 1], 'status', 'the status once everything is sent');
    // A host that holds a slice's messages to write them together is told to write them before anything else
    // can go out: before each yield (a request's answer) and before the status.
    host.log.forEach((entry, i) => {
      if (entry === 'yield' || entry === 'status') assert.equal(host.log[i - 1], 'flush', `${entry} at ${i} follows a flush`);
    });
  });

  it('sends open documents first, with the version their diagnostics were computed for', async () => {
    const host = new Host();
    const uris = files(20);
    const edited = uris[15]!;
    host.open.add(edited);
    host.state.set(edited, { diagnostics: [diagnostic('edited')], version: 7 });
    await host.finish(host.publisher.publish('lib', uris.map((u) => u)));
    assert.deepEqual(host.sent[0], { uri: edited, diagnostics: [diagnostic('edited')], version: 7 });
    assert.equal(host.sentFor(edited).length, 1);
  });

  it('skips files whose diagnostics did not change, but always sends the file the event was about', async () => {
    const host = new Host();
    const [a, b, c] = files(3);
    host.state.set(a!, { diagnostics: [diagnostic('a')] });
    host.state.set(b!, { diagnostics: [diagnostic('b')] });
    // c has nothing to report and never had: nothing to send.
    await host.finish(host.publisher.publish('lib', [a!, b!, c!]));
    assert.deepEqual(host.sent.map((p) => p.uri), [a, b]);

    // An edit of a that changes nothing for b; b's set is the same, a's message changed.
    host.sent.length = 0;
    host.state.set(a!, { diagnostics: [diagnostic('a, changed')] });
    await host.finish(host.publisher.publish('lib', [a!, b!]));
    assert.deepEqual(host.sent.map((p) => p.uri), [a]);

    // An event about c (a clean file whose links changed on disk): sent although empty and unchanged, so the graph panel hears of it.
    host.sent.length = 0;
    await host.finish(host.publisher.publish('lib', [c!, b!], c));
    assert.deepEqual(host.sent, [{ uri: c, diagnostics: [] }]);

    // A new version of an open document is a new set, even with the same diagnostics.
    host.sent.length = 0;
    host.open.add(b!);
    host.state.set(b!, { diagnostics: [diagnostic('b')], version: 2 });
    await host.finish(host.publisher.publish('lib', [b!]));
    host.state.set(b!, { diagnostics: [diagnostic('b')], version: 3 });
    await host.finish(host.publisher.publish('lib', [b!]));
    assert.deepEqual(host.sentFor(b!).map((p) => p.version), [2, 3]);
    // A set that became empty is sent (it clears the file), and then nothing more.
    host.sent.length = 0;
    host.open.delete(b!);
    host.state.set(b!, { diagnostics: [] });
    await host.finish(host.publisher.publish('lib', [b!]));
    await host.finish(host.publisher.publish('lib', [b!]));
    assert.deepEqual(host.sent, [{ uri: b, diagnostics: [] }]);
  });

  it('never sends a file twice for one queue, nor an older set after a newer one', async () => {
    const host = new Host();
    const uris = files(30);
    const open = uris[29]!;
    host.open.add(open);
    for (const uri of uris) host.state.set(uri, { diagnostics: [diagnostic(`${uri} v1`)] });
    host.state.set(open, { diagnostics: [diagnostic('open v1')], version: 1 });
    const first = host.publisher.publish('lib', uris);
    await host.paused();
    // Between two slices, the library moves on (two more edits) and publishes the same files again.
    for (const uri of uris) host.state.set(uri, { diagnostics: [diagnostic(`${uri} v2`)] });
    host.state.set(open, { diagnostics: [diagnostic('open v2')], version: 2 });
    const second = host.publisher.publish('lib', [...uris].reverse(), open);
    host.state.set(open, { diagnostics: [diagnostic('open v3')], version: 3 });
    void host.publisher.publish('lib', [open], open);
    await host.finish(Promise.all([first, second]).then(() => undefined));
    for (const uri of uris) {
      const sets = host.sentFor(uri).map((p) => p.diagnostics[0]!.message);
      assert.ok(sets.length >= 1 && sets.length <= 2, `${uri}: ${sets.join(', ')}`);
      assert.deepEqual(sets, [...sets].sort(), `${uri} in order: ${sets.join(', ')}`);
      assert.match(sets[sets.length - 1]!, /v[23]$/, `${uri} ends with the newest set`);
    }
    const versions = host.sentFor(open).map((p) => p.version);
    assert.deepEqual(versions, [1, 3], 'the open document: what it had, then its newest version once');
  });

  it('drops what is queued for a library that is gone, and survives a failure', async () => {
    const host = new Host();
    const uris = files(20);
    for (const uri of uris) host.state.set(uri, { diagnostics: [diagnostic(uri)] });
    const done = host.publisher.publish('lib', uris);
    await host.paused();
    const before = host.sent.length;
    host.publisher.forget('lib');
    await host.finish(done);
    assert.equal(host.sent.length, before);

    host.failOn = uris[1];
    host.state.set(uris[0]!, { diagnostics: [diagnostic('before the failure')] });
    host.log.length = 0;
    await host.finish(host.publisher.publish('lib', uris.slice(0, 3)));
    assert.equal(host.errors.length, 1);
    // What was sent before the failure is written out before the error is reported and the status goes.
    assert.deepEqual(host.log.slice(-4), [`send ${uris[0]}`, 'flush', 'error', 'status']);
    host.failOn = undefined;
    host.state.set(uris[0]!, { diagnostics: [diagnostic('after the failure')] });
    await host.finish(host.publisher.publish('lib', [uris[0]!]));
    assert.equal(host.sent[host.sent.length - 1]!.diagnostics[0]!.message, 'after the failure');
    await host.publisher.whenIdle();
  });

  it('takes files in the order of a plain model of its two queues, over random publishes between slices', async () => {
    // The model: open files first, each queue in the order files joined it; a file queued again keeps its
    // place (in the queue it joined, even if opened since). Every publish changes every file's set, so each
    // file taken is sent and the order sent is the order taken.
    let seed = 11;
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    for (let round = 0; round < 30; round++) {
      const host = new Host();
      const uris = files(60);
      const model = { urgent: [] as string[], rest: [] as string[] };
      let generation = 0;
      const publish = (chosen: string[]): Promise<void> => {
        generation++;
        for (const uri of uris) host.state.set(uri, { diagnostics: [diagnostic(`${uri} ${generation}`)] });
        for (const uri of chosen) {
          if (model.urgent.includes(uri) || model.rest.includes(uri)) continue;
          (host.open.has(uri) ? model.urgent : model.rest).push(uri);
        }
        return host.publisher.publish('lib', chosen);
      };
      const pending: Array<Promise<void>> = [publish(uris.filter(() => random(3) > 0))];
      let checked = 0;
      const check = (): void => {
        for (; checked < host.sent.length; checked++) {
          const expected = model.urgent.shift() ?? model.rest.shift();
          assert.equal(host.sent[checked]!.uri, expected, `round ${round}, file ${checked} sent`);
        }
      };
      for (let step = 0; step < 12; step++) {
        await Promise.race([host.paused(), Promise.all(pending)]);
        check();
        // Between two slices: files are opened or closed, and more are published (some again, some new).
        for (let k = random(4); k > 0; k--) {
          const uri = uris[random(uris.length)]!;
          if (host.open.has(uri)) host.open.delete(uri);
          else host.open.add(uri);
        }
        if (random(2) === 0) pending.push(publish(Array.from({ length: 1 + random(15) }, () => uris[random(uris.length)]!)));
        if (host.resume.length > 0) host.goOn();
      }
      await host.finish(Promise.all(pending).then(() => undefined));
      check();
      assert.deepEqual(model, { urgent: [], rest: [] }, `round ${round}: everything queued was sent`);
    }
  });
});

describe('published counts and signatures', () => {
  it('tells sets apart by version and by every field, and an empty unversioned set from nothing', () => {
    const a = [diagnostic('a')];
    assert.equal(diagnosticsSignature([]), '');
    assert.notEqual(diagnosticsSignature([], 1), '');
    assert.equal(diagnosticsSignature(a), diagnosticsSignature([diagnostic('a')]));
    assert.notEqual(diagnosticsSignature(a, 1), diagnosticsSignature(a, 2));
    assert.notEqual(diagnosticsSignature(a), diagnosticsSignature([diagnostic('a', 1)]));
    assert.notEqual(diagnosticsSignature(a), diagnosticsSignature([{ ...diagnostic('a'), range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } } }]));
    assert.notEqual(diagnosticsSignature(a), diagnosticsSignature([...a, ...a]));
  });

  it('keeps the last signature per file and sums errors and warnings without hints', () => {
    const counts = new PublishedCounts(() => 'file:///lib');
    const set = [diagnostic('e', 1, 'x'), diagnostic('w', 2, 'y'), diagnostic('h', 4, 'missing-mirror')];
    counts.record('file:///lib/a.md', set, 3);
    assert.equal(counts.signatureOf('file:///lib/a.md'), diagnosticsSignature(set, 3));
    assert.equal(counts.signatureOf('file:///lib/b.md'), '');
    const library = { rootUri: 'file:///lib', index: { size: 2 } } as unknown as Parameters<PublishedCounts['status']>[0];
    const status = counts.status(library, 'ready', true);
    assert.deepEqual([status.errors, status.warnings, status.byCode], [1, 1, { x: 1, y: 1 }]);
    assert.ok(counts.isLastPublished('file:///lib/a.md', [...set], 3));
    assert.ok(!counts.isLastPublished('file:///lib/a.md', set, 4), 'another version');
    assert.ok(!counts.isLastPublished('file:///lib/a.md', [set[0]!, set[1]!, diagnostic('h', 4, 'other')], 3), 'another field');
    assert.ok(counts.isLastPublished('file:///lib/b.md', [], undefined), 'an empty set is what a file never published has');
    assert.ok(!counts.isLastPublished('file:///lib/b.md', [], 1));
    counts.record('file:///lib/a.md', []);
    assert.equal(counts.signatureOf('file:///lib/a.md'), '');
    assert.equal(counts.status(library, 'ready', true).errors, 0);
    counts.record('file:///lib/a.md', set);
    counts.forget('file:///lib/a.md');
    assert.equal(counts.signatureOf('file:///lib/a.md'), '');
  });

  it('sums per library, kept as files are published, and regrouped when a library inside another comes or goes', () => {
    const roots = ['file:///lib'];
    const ownerOf = (uri: string): string | undefined => roots.filter((r) => uri.startsWith(r + '/')).sort((a, b) => b.length - a.length)[0];
    const counts = new PublishedCounts(ownerOf);
    const library = (rootUri: string) => ({ rootUri, index: { size: 0 } }) as unknown as Parameters<PublishedCounts['status']>[0];
    const summary = (rootUri: string) => {
      const status = counts.status(library(rootUri), 'ready', true);
      return [status.errors, status.warnings, status.byCode];
    };
    counts.record('file:///lib/a.md', [diagnostic('e', 1, 'x'), diagnostic('w', 2, 'y')]);
    counts.record('file:///lib/sub/b.md', [diagnostic('e', 1, 'x')]);
    assert.deepEqual(summary('file:///lib'), [2, 1, { x: 2, y: 1 }]);
    // Republished with fewer problems: the sums follow, codes that went away are gone.
    counts.record('file:///lib/a.md', [diagnostic('e', 1, 'x')]);
    assert.deepEqual(summary('file:///lib'), [2, 0, { x: 2 }]);
    roots.push('file:///lib/sub');
    counts.regroup();
    assert.deepEqual(summary('file:///lib'), [1, 0, { x: 1 }]);
    assert.deepEqual(summary('file:///lib/sub'), [1, 0, { x: 1 }]);
    counts.forget('file:///lib/sub/b.md');
    assert.deepEqual(summary('file:///lib/sub'), [0, 0, {}]);
    assert.deepEqual(counts.status(library('file:///lib'), 'indexing', true).errors, 0);
  });
});
