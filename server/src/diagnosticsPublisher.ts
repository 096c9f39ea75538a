/**
 * Sends diagnostics to the client: the files an event touched go into a
 * queue and are sent in slices that yield to the event loop, so that a
 * request (the graph the panel asks for as soon as the edited file's
 * diagnostics arrive) is answered between two slices instead of after the
 * whole republish. A hub's edit touches the ~1,400 files that link to it.
 *
 * - A file is in the queue at most once, and its diagnostics are computed
 *   when it is sent, from the library as it is then: a file queued twice is
 *   sent once, with the newer diagnostics, and never an older set after a
 *   newer one.
 * - Open documents go first: they are what the author is looking at.
 * - A file whose diagnostics (and version) are those last sent is skipped
 *   (`PublishedCounts` keeps a signature per file), unless the event was
 *   about that very file: the graph panel asks again when its diagnostics
 *   arrive.
 * - The status follows once the queue is empty, so that it sums a whole edit.
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import type { PublishedCounts } from './libraryStatus';

/** A file's diagnostics as they are now, and the version of the open document they were computed for. */
export interface CurrentDiagnostics {
  diagnostics: Diagnostic[];
  version?: number;
}

/** The `textDocument/publishDiagnostics` notification's parameters. */
export interface PublishedDiagnostics extends CurrentDiagnostics {
  uri: string;
}

export interface DiagnosticsPublisherHost<L> {
  /** Undefined: the library is gone, nothing to send. */
  current(library: L, uri: string): CurrentDiagnostics | undefined;
  isOpen(uri: string): boolean;
  send(params: PublishedDiagnostics): void;
  /**
   * Called at the end of each slice, before the publisher yields: a host that
   * holds what `send` gave it (to write a slice's messages together) writes it
   * now, before anything else can be sent.
   */
  flush?(): void;
  /** Called each time the queue has been emptied. */
  drained(): void;
  yieldToHost(): Promise<void>;
  /** A failure while sending: reported, and the queue dropped, rather than a crash. */
  error(error: unknown): void;
  now?(): number;
}

interface Pending<L> {
  library: L;
  /** Send even when nothing changed. */
  force: boolean;
}

export class DiagnosticsPublisher<L> {
  /** Time spent in one slice before yielding. */
  static readonly SLICE_MS = 8;

  private readonly urgent = new Map<string, Pending<L>>();
  private readonly rest = new Map<string, Pending<L>>();
  /** Where take() is in `urgent` and in `rest`. */
  private readonly cursors: Array<IterableIterator<[string, Pending<L>]> | undefined> = [undefined, undefined];
  private running = false;
  private readonly idle: Array<() => void> = [];

  constructor(
    private readonly host: DiagnosticsPublisherHost<L>,
    private readonly counts: PublishedCounts,
  ) {}

  /**
   * Queues `uris` of `library`; `origin` is the file the event was about,
   * always sent (the panel listens for it). Resolves once the queue is empty.
   */
  publish(library: L, uris: Iterable<string>, origin?: string): Promise<void> {
    for (const uri of uris) this.enqueue(library, uri, uri === origin);
    if (origin !== undefined) this.enqueue(library, origin, true);
    return this.drain();
  }

  /** Drops what is queued for files of a library that is gone. */
  forget(library: L): void {
    for (const queue of [this.urgent, this.rest]) for (const [uri, pending] of queue) if (pending.library === library) queue.delete(uri);
  }

  /** Resolves once everything queued so far has been sent. */
  whenIdle(): Promise<void> {
    return this.running ? new Promise((resolve) => this.idle.push(resolve)) : Promise.resolve();
  }

  private enqueue(library: L, uri: string, force: boolean): void {
    const known = this.urgent.get(uri) ?? this.rest.get(uri);
    if (known && known.library === library) {
      known.force ||= force;
      return;
    }
    this.rest.delete(uri);
    (this.host.isOpen(uri) ? this.urgent : this.rest).set(uri, { library, force });
  }

  private drain(): Promise<void> {
    if (!this.running) {
      this.running = true;
      void this.run();
    }
    return this.whenIdle();
  }

  private async run(): Promise<void> {
    const now = this.host.now ?? (() => performance.now());
    // Everything queued in the same turn (every library of a settings change) goes into this drain and its one status.
    await Promise.resolve();
    try {
      for (;;) {
        const start = now();
        do {
          const next = this.take();
          if (!next) break;
          this.send(next.uri, next.pending);
        } while (now() - start < DiagnosticsPublisher.SLICE_MS);
        this.host.flush?.();
        if (this.urgent.size === 0 && this.rest.size === 0) break;
        await this.host.yieldToHost();
      }
    } catch (error) {
      this.urgent.clear();
      this.rest.clear();
      this.cursors.fill(undefined);
      // What was sent before the failure still goes out, ahead of the status.
      this.host.flush?.();
      this.host.error(error);
    }
    // Synchronous from the check of an empty queue: a publish can never slip in between and wait forever.
    this.running = false;
    this.host.drained();
    for (const resolve of this.idle.splice(0)) resolve();
  }

  /**
   * The first entry of the first queue that has one. Each queue is read with
   * one live iterator: every entry before it has been taken (and deleted), and
   * entries added later go to the end, where it will reach them. Asking a Map
   * for its first entry afresh each time walks over the holes its deletions
   * left: quadratic, 2.3 s for 100,000 files.
   */
  private take(): { uri: string; pending: Pending<L> } | undefined {
    for (let q = 0; q < 2; q++) {
      const queue = q === 0 ? this.urgent : this.rest;
      const cursor = (this.cursors[q] ??= queue.entries());
      const next = cursor.next();
      if (next.done) {
        // A finished iterator stays finished: the next entry gets a new one.
        this.cursors[q] = undefined;
        continue;
      }
      queue.delete(next.value[0]);
      return { uri: next.value[0], pending: next.value[1] };
    }
    return undefined;
  }

  private send(uri: string, { library, force }: Pending<L>): void {
    const current = this.host.current(library, uri);
    if (!current) return;
    const { diagnostics, version } = current;
    // Nothing to say about a file that has never had anything published, or whose diagnostics are those last sent.
    if (!force && this.counts.isLastPublished(uri, diagnostics, version)) return;
    this.counts.record(uri, diagnostics, version);
    this.host.send({ uri, diagnostics, ...(version !== undefined ? { version } : {}) });
  }
}

/**
 * What tells two publishes of a file apart: the version and every field of
 * every diagnostic. Exact (no hash that could collide), and the empty,
 * unversioned set is the signature of a file never published.
 */
export function diagnosticsSignature(diagnostics: readonly Diagnostic[], version?: number): string {
  if (diagnostics.length === 0 && version === undefined) return '';
  return diagnosticsSignatureOfJson(JSON.stringify(diagnostics), version);
}

/** The signature of a set given as its `JSON.stringify` text. */
export function diagnosticsSignatureOfJson(json: string, version?: number): string {
  if (json === '[]' && version === undefined) return '';
  return `${version ?? ''}\u0000${json}`;
}
