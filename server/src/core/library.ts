/**
 * One pattern library (a workspace folder): its config, schemas and index,
 * kept up to date through a small set of events. File access comes in
 * through LibraryHost, so the same code runs in the server, the CLI and tests.
 *
 * Every mutation runs through one queue, in the order the events arrived, so
 * an edit made while the library is still loading is applied after the load
 * and never lost. Each mutation returns the files whose diagnostics changed.
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import { CONFIG_FILE_NAME, withDefaults, type TrellisConfig } from './config';
import { readConfigText, type ConfigProblem, type ConfigReadOptions } from './configFile';
import { DIAGNOSTIC_CODES, SEVERITY, type DiagnosticCode, type SeverityName } from './diagnosticCodes';
import { resolveLibrarySchemas, SchemaLoadError, type LibrarySchemas } from './librarySchemas';
import { CancelledError, type CancellationLike } from './cancellation';
import { cacheEntry, cacheKey, encodeCacheChunk } from './documentCodec';
import { analyzePatternSafely, type PatternDocument } from './pattern';
import { PatternIndex, type DiagnosticOptions } from './patternIndex';
import { isObject, type JsonSchema } from './schemaModel';

export interface LibraryHost {
  /** The file's text, or undefined when it does not exist or is not a readable file. */
  readFile(uri: string): Promise<string | undefined>;
  /**
   * Optional, for a host with a cache: readFile, with the file's stamp (as
   * AnalysisCacheStore.stamps gives it) taken before its text is read.
   */
  readFileStamped?(uri: string): Promise<{ text: string | undefined; stamp: string | undefined }>;
  /** Every file below a folder (recursively), as URIs; empty for a missing folder. */
  listFiles(folderUri: string, exclude: (relativePath: string) => boolean): Promise<string[]>;
  /**
   * Optional: analyzes many files at once (in worker threads, say). It must give
   * exactly what analyzePattern gives for each file; a test compares the two.
   * A file without text is read by the host (undefined when it cannot be read).
   */
  analyzeMany?(request: AnalysisRequest): Promise<AnalysisAnswer>;
  /** Optional: lets the host's events in (a worker's answer, a cancellation) between batches of work on this thread. */
  yieldToHost?(): Promise<void>;
  /** How many analyzeMany requests the host works on at once (its worker threads; default 1). */
  analysisThreads?: number;
  /**
   * Whether the library analyzes files on its own thread too while the host's
   * workers do (default true: a machine with two cores runs one worker and this
   * thread rather than two workers and a waiting thread).
   */
  analysisHelps?: boolean;
  /** Optional: a persistent cache of analyzed documents for this library. */
  cache?: AnalysisCacheStore;
}

/** What a host needs to analyze files exactly as the library would. */
export interface AnalysisRequest {
  config: TrellisConfig;
  /** The JSON Schemas the config names by path. */
  external: Record<string, JsonSchema>;
  /** Without `text`, the host reads the file. `cacheKey`: the file's key in the persistent cache, when it has one. */
  files: Array<{ uri: string; relativePath: string; text?: string; cacheKey?: string }>;
  /**
   * Also encode the documents as a chunk of the persistent cache, on the host's
   * thread (AnalysisAnswer.cacheChunk), when every file of the request is to be cached.
   */
  cacheChunk?: boolean;
  /** Take the stamp of each file the host reads, before reading it (AnalysisAnswer.stamps); its cache key follows from it. */
  stamp?: boolean;
}

export interface AnalysisAnswer {
  /** One per file of the request, in its order (undefined: the file could not be read). */
  documents: Array<PatternDocument | undefined>;
  /** encodeCacheChunk of every file's cacheEntry, in order: when asked for, and every file has one. */
  cacheChunk?: string;
  /** When asked for: the stamp of each file read, in order (undefined for a file sent with its text). */
  stamps?: Array<string | undefined>;
}

/**
 * Analyzed documents from an earlier run, keyed by file and stamp. The
 * fingerprint covers everything else a document depends on (the config, its
 * schemas, the Trellis version): a different fingerprint means an empty cache.
 */
export interface AnalysisCacheStore {
  /** Identifies the code that analyzes files (a hash of the running build): new code, new cache. */
  codeVersion: string;
  /**
   * A cheap signature of each file's content as it is now (size, times,
   * inode), read before the file itself; undefined where it cannot be trusted
   * (a file changed a moment ago, or missing), and such a file is not cached.
   * A warm start needs no file contents.
   */
  stamps(uris: string[]): Promise<Array<string | undefined>>;
  /** Whether anything was saved for this library (cheap: nothing is read). */
  has(rootUri: string): boolean;
  /** Null for a file that is not a pattern (no frontmatter), so that it is not read again either. */
  load(rootUri: string, fingerprint: string): Promise<Map<string, PatternDocument | null>>;
  /** Saves the entries, and the chunks already encoded (encodeCacheChunk, on a host's thread) of others. */
  save(rootUri: string, fingerprint: string, entries: Map<string, PatternDocument | null>, chunks?: readonly string[]): Promise<void>;
}

export type { CancellationLike } from './cancellation';

export interface LoadProgress {
  (done: number, total: number): void;
}

export interface LoadOptions {
  /**
   * Called once every file is listed and stamped, before any document is
   * read or decoded: `diskState()` already names what the load reads
   * (except on a library's first load, whose files are stamped as they are
   * read). The load goes on once the promise settles.
   */
  filesStamped?(): Promise<void>;
  /**
   * Encode the persistent cache while loading: the host's threads for the
   * files they analyze, with their answers, and this thread for its own
   * batches as each is done, rather than this thread encoding all of it when
   * flushCache is called: for a host that saves as soon as the load is over
   * (the CLI), the encoding then runs beside the load instead of alone after
   * it. A server answers first and saves later: it does not ask (decoding a
   * chunk's text costs this thread a little more).
   */
  encodeCacheWhileLoading?: boolean;
}

export class TrellisLibrary {
  readonly index = new PatternIndex();
  private schemas: LibrarySchemas;
  private configProblems: ConfigProblem[] = [];
  private readonly open = new Map<string, { text: string; version: number }>();
  private config: TrellisConfig = withDefaults({});
  private pendingSave: Promise<void> = Promise.resolve();
  private unsavedCache: (() => Promise<void>) | undefined;
  private externalSchemas = new Map<string, JsonSchema>();
  private queue: Promise<unknown> = Promise.resolve();
  /** What the last load read: its fingerprint and every file's stamp (undefined when a file had none, or since a file event). */
  private loaded: LoadedFiles | undefined;
  private changes = 0;

  constructor(
    readonly rootUri: string,
    private readonly host: LibraryHost,
    private readonly options: ConfigReadOptions = {},
  ) {
    this.rootUri = rootUri.replace(/\/+$/, '');
    this.schemas = resolveLibrarySchemas(withDefaults({}));
  }

  get configUri(): string {
    return `${this.rootUri}/${CONFIG_FILE_NAME}`;
  }

  get librarySchemas(): LibrarySchemas {
    return this.schemas;
  }

  /** Whether a URI lies in this library's folder. */
  contains(uri: string): boolean {
    return uri.startsWith(this.rootUri + '/');
  }

  relativePath(uri: string): string {
    const encoded = uri.slice(this.rootUri.length + 1);
    // Asked of every file at each load: most names have nothing to decode.
    return encoded.includes('%') ? decodeURIComponent(encoded) : encoded;
  }

  isPatternFile(uri: string): boolean {
    return this.contains(uri) && this.schemas.isPatternPath(this.relativePath(uri));
  }

  openText(uri: string): { text: string; version: number } | undefined {
    return this.open.get(uri);
  }

  /** Resolves once every event received so far has been applied: answers then reflect the latest text. */
  whenIdle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /**
   * Writes the analysis cache of the last load, if it changed, and resolves once
   * it is on disk. A load does not write it itself: encoding it takes a while, so
   * the host asks for it when it has nothing more urgent to do (the server, once
   * the load's diagnostics are out, and at shutdown; the CLI before it exits).
   */
  flushCache(): Promise<void> {
    const save = this.unsavedCache;
    this.unsavedCache = undefined;
    if (save) this.pendingSave = save().catch(() => undefined);
    return this.pendingSave;
  }

  /**
   * A file's diagnostics, with the severities of the library's config, over
   * which `overrides` (the editor user's settings) win. `hints: false` leaves
   * out (and does not compute) those at Hint severity.
   */
  diagnostics(uri: string, overrides: Partial<Record<DiagnosticCode, SeverityName>> = {}, options: DiagnosticOptions = {}): Diagnostic[] {
    if (uri === this.configUri) {
      const level = overrides.config;
      if (level === 'off' || (level === 'hint' && options.hints === false)) return [];
      return this.configProblems.map((p) => ({ range: p.range, message: p.message, severity: level ? SEVERITY[level] : (p.severity ?? 1), code: 'config', source: 'trellis' }));
    }
    return this.index.diagnostics(uri, this.severities(overrides), options);
  }

  /** The config's severities with the user's overrides over them: the config's own object when there are none (a load asks once per file). */
  private severities(overrides: Partial<Record<DiagnosticCode, SeverityName>>): Partial<Record<DiagnosticCode, SeverityName>> {
    for (const _ in overrides) return { ...this.schemas.severity, ...overrides };
    return this.schemas.severity;
  }

  /** The severity of `code` in this library: the editor user's `overrides`, else the config's, else the default. */
  severityOf(code: DiagnosticCode, overrides: Partial<Record<DiagnosticCode, SeverityName>> = {}): SeverityName {
    return overrides[code] ?? this.schemas.severity[code] ?? DIAGNOSTIC_CODES[code];
  }

  /**
   * Reads the config and every pattern; returns every file that has or had
   * diagnostics. A load whose token is cancelled stops between batches of
   * files, puts the library back as it was before, and rejects with
   * CancelledError: a cancelled reload never leaves half a library.
   */
  load(progress?: LoadProgress, token?: CancellationLike, options: LoadOptions = {}): Promise<Set<string>> {
    this.changes++;
    return this.enqueue(() => this.loadNow(progress, token, options));
  }

  /**
   * Grows with every event that may change the library (an edit, a file
   * event, a load), counted when the event arrives: work that reads the
   * library across several turns compares it before and after.
   */
  get generation(): number {
    return this.changes;
  }

  /**
   * Names the files on disk the library is built from, when it is built from
   * nothing else: the last load's fingerprint (config, schemas, code) and the
   * stamp of every file it listed. Undefined when a file could not be
   * stamped, after a file event since that load, when there is no persistent
   * cache (no stamps), or while an open document's text differs from its file
   * (read to compare). Two equal states give equal documents, so equal
   * diagnostics: a host may keep what it published under this name.
   */
  async diskState(): Promise<string | undefined> {
    const loaded = this.loaded;
    const generation = this.changes;
    if (loaded === undefined) return undefined;
    for (const [uri, { text }] of [...this.open]) {
      if ((await this.host.readFile(uri)) !== text) return undefined;
    }
    if (this.changes !== generation || this.loaded !== loaded) return undefined;
    // Written out only when asked for (a host that keeps nothing, `trellis check`, never does).
    return (loaded.state ??= [loaded.fingerprint, ...loaded.files.map((uri, slot) => `${this.relativePath(uri)}\u0000${loaded.stamps[slot]!}`)].join('\n'));
  }

  /** An editor opened or changed a document: its text wins over the disk until it is closed. */
  setDocumentText(uri: string, text: string, version: number): Promise<Set<string>> {
    this.changes++;
    this.open.set(uri, { text, version });
    return this.enqueue(async () => {
      const current = this.open.get(uri);
      // A newer version queued behind this one will do the work.
      if (!current || current.version !== version) return new Set<string>();
      if (uri === this.configUri) return this.loadNow();
      return this.analyze(uri, text);
    });
  }

  closeDocument(uri: string): Promise<Set<string>> {
    this.changes++;
    this.open.delete(uri);
    return this.enqueue(async () => {
      if (this.open.has(uri)) return new Set<string>();
      if (uri === this.configUri) return this.loadNow();
      return this.analyze(uri, await this.host.readFile(uri));
    });
  }

  /** A file was created or changed on disk (or a folder was created). */
  fileChanged(uri: string): Promise<Set<string>> {
    this.changes++;
    this.loaded = undefined;
    return this.enqueue(async () => {
      if (uri === this.configUri || this.schemaFiles().has(uri)) return this.open.has(uri) ? new Set<string>() : this.loadNow();
      if (this.isPatternFile(uri)) return this.open.has(uri) ? new Set<string>() : this.analyze(uri, await this.host.readFile(uri));
      // Perhaps a folder that appeared (or was renamed) with patterns in it.
      const affected = new Set<string>();
      for (const file of await this.host.listFiles(uri, (p) => this.schemas.exclude.matches(p))) {
        if (this.open.has(file) || !this.isPatternFile(file)) continue;
        for (const u of await this.analyze(file, await this.host.readFile(file))) affected.add(u);
      }
      return affected;
    });
  }

  /** The JSON Schema files the config names, which a change must reload. */
  private schemaFiles(): Set<string> {
    return new Set(this.schemas.external.map((ref) => `${this.rootUri}/${ref.replace(/^\.\//, '')}`));
  }

  /** A file or folder was deleted on disk. An open document stays as the editor has it. */
  fileDeleted(uri: string): Promise<Set<string>> {
    this.changes++;
    this.loaded = undefined;
    return this.enqueue(async () => {
      if (uri === this.configUri) return this.loadNow();
      const affected = this.open.has(uri) ? new Set<string>() : this.index.remove(uri);
      for (const u of this.removeUnder(uri)) affected.add(u);
      return affected;
    });
  }

  private removeUnder(folderUri: string): Set<string> {
    const affected = new Set<string>();
    const prefix = folderUri.replace(/\/+$/, '') + '/';
    for (const uri of [...this.index.uris()]) {
      if (uri.startsWith(prefix) && !this.open.has(uri)) for (const u of this.index.remove(uri)) affected.add(u);
    }
    return affected;
  }

  private async analyze(uri: string, text: string | undefined): Promise<Set<string>> {
    if (!this.isPatternFile(uri)) return this.index.remove(uri);
    const doc = text === undefined ? undefined : this.safeAnalyze(uri, text);
    return doc ? this.index.update(doc) : this.index.remove(uri);
  }

  private safeAnalyze(uri: string, text: string): PatternDocument | undefined {
    return analyzePatternSafely(uri, text, this.relativePath(uri), this.schemas);
  }

  private async loadNow(progress?: LoadProgress, token?: CancellationLike, options: LoadOptions = {}): Promise<Set<string>> {
    const affected = new Set<string>([...this.index.uris(), this.configUri]);
    const before = token ? this.snapshot() : undefined;
    const cancelled = (): boolean => {
      if (!before || !token?.isCancellationRequested) return false;
      this.restore(before);
      return true;
    };
    this.loaded = undefined;
    await this.readConfig();
    if (cancelled()) throw new CancelledError();
    this.index.clear();

    const files = (await this.host.listFiles(this.rootUri, (p) => this.schemas.exclude.matches(p))).filter((uri) => this.isPatternFile(uri)).sort();
    const total = files.length;
    progress?.(0, total);
    const cacheStore = this.host.cache;
    const fingerprint = cacheStore ? this.fingerprint() : '';
    const generation = this.changes;
    // Stamps are read before any file, so a file that changes during the load is never cached under its old stamp.
    // On a library's first load (nothing saved, so nothing to look up by stamp), each file is stamped as it is
    // read, before its text, rather than in a pass over every file first; open documents, which are not read, now.
    const stampOnRead = cacheStore !== undefined && this.host.readFileStamped !== undefined && !cacheStore.has(this.rootUri);
    let stamps: Array<string | undefined> = [];
    if (stampOnRead) {
      stamps = new Array<string | undefined>(files.length).fill(undefined);
      const openSlots = files.flatMap((uri, slot) => (this.open.has(uri) ? [slot] : []));
      const openStamps = await cacheStore.stamps(openSlots.map((slot) => files[slot]!));
      openSlots.forEach((slot, i) => (stamps[slot] = openStamps[i]));
    } else if (cacheStore) {
      stamps = await cacheStore.stamps(files);
      if (stamps.every((stamp) => stamp !== undefined)) this.loaded = { fingerprint, files, stamps };
    }
    await options.filesStamped?.();
    if (cancelled()) throw new CancelledError();
    const cached = cacheStore ? await cacheStore.load(this.rootUri, fingerprint).catch(() => new Map<string, PatternDocument | null>()) : new Map<string, PatternDocument | null>();
    const fresh = new Map<string, PatternDocument | null>();
    // With encodeCacheWhileLoading: the chunks of the cache so far (the host's and this thread's), and their keys (also in fresh).
    const eager = cacheStore !== undefined && options.encodeCacheWhileLoading === true;
    const chunks: string[] = [];
    const chunked = new Set<string>();
    if (cancelled()) throw new CancelledError();

    // What each file needs: a cached document, its open text analyzed here, or analysis from disk.
    interface Work {
      uri: string;
      relativePath: string;
      text?: string;
      key?: string;
    }
    const slots: Array<PatternDocument | Work | null | undefined> = new Array(files.length);
    const misses: Array<{ slot: number; work: Work }> = [];
    files.forEach((uri, slot) => {
      const relativePath = this.relativePath(uri);
      const open = this.open.get(uri);
      const stamp = open ? undefined : stamps[slot];
      const key = stamp !== undefined ? cacheKey(relativePath, stamp) : undefined;
      const hit = key !== undefined ? cached.get(key) : undefined;
      if (hit !== undefined) {
        slots[slot] = hit;
        fresh.set(key!, hit);
        return;
      }
      const work: Work = { uri, relativePath, ...(open ? { text: open.text } : {}), ...(key !== undefined ? { key } : {}) };
      slots[slot] = work;
      misses.push({ slot, work });
    });

    // Misses are analyzed in batches from one queue: the host's workers take batches from the front (two
    // each in flight, so none waits for its next), this thread from the back, until they meet. A batch is a
    // share of what is left (batchSize): large while there is much, small near the end, so that the last
    // batches end together and no thread waits long for another's. Results are indexed in file order, as
    // far as every miss before is done.
    const hostThreads = this.host.analyzeMany && misses.length >= MIN_HOST_FILES ? Math.max(0, this.host.analysisThreads ?? 1) : 0;
    const helps = hostThreads === 0 || this.host.analysisHelps !== false;
    const takers = hostThreads * 2 + (helps ? 1 : 0);
    const done = new Uint8Array(misses.length);
    let front = 0;
    let back = misses.length;
    let next = 0;
    let settledMisses = 0;
    const indexUpTo = (end: number): void => {
      for (; next < end; next++) {
        const slot = slots[next];
        // Every file is reported as affected at the end: no need to work out who each one affects.
        if (slot && 'fileSlug' in slot) this.index.set(slot);
      }
      progress?.(end, total);
    };
    // encodeHere: the answer is this thread's, and its chunk of the cache is to be made here (encodeCacheWhileLoading).
    const settle = (from: number, to: number, { documents, cacheChunk, stamps: read }: AnalysisAnswer, encodeHere = false): void => {
      let cacheable = 0;
      const entries: Array<[string, PatternDocument | null]> = [];
      for (let m = from; m < to; m++) {
        const { slot, work } = misses[m]!;
        const doc = documents[m - from];
        slots[slot] = doc;
        const stamp = stampOnRead && work.text === undefined ? read?.[m - from] : undefined;
        if (stamp !== undefined) {
          stamps[slot] = stamp;
          work.key = cacheKey(work.relativePath, stamp);
        }
        const entry = cacheEntry(work.key, doc);
        if (entry) {
          fresh.set(entry[0], entry[1]);
          if (encodeHere) entries.push(entry);
          cacheable++;
        }
      }
      // This thread's batches are encoded as they are done, like the host's, while the other threads still
      // analyze: encoded at the save, after the load, they were the one thread's work while the others idled.
      if (encodeHere && cacheable === to - from) cacheChunk = encodeCacheChunk(entries);
      // The host's chunk holds every file of the batch: taken only when every file is to be cached.
      if (eager && cacheChunk !== undefined && cacheable === to - from) {
        chunks.push(cacheChunk);
        for (let m = from; m < to; m++) chunked.add(misses[m]!.work.key!);
      }
      done.fill(1, from, to);
      while (settledMisses < misses.length && done[settledMisses]) settledMisses++;
      // Every slot before the first unsettled miss is now settled.
      indexUpTo(settledMisses < misses.length ? misses[settledMisses]!.slot : files.length);
    };
    const works = (from: number, to: number): Work[] => misses.slice(from, to).map((m) => m.work);
    const byHost = async (): Promise<void> => {
      while (front < back && !token?.isCancellationRequested) {
        const from = front;
        const to = (front = Math.min(back, front + batchSize(back - front, takers)));
        settle(from, to, await this.analyzeByHost(works(from, to), eager, stampOnRead));
      }
    };
    const here = async (): Promise<void> => {
      while (front < back && !token?.isCancellationRequested) {
        const to = back;
        const from = (back = Math.max(front, back - batchSize(back - front, takers)));
        settle(from, to, await this.analyzeHere(works(from, to), stampOnRead), eager);
        // Let the workers' answers (and a cancellation) in between batches.
        await (this.host.yieldToHost?.() ?? Promise.resolve());
      }
    };
    await Promise.all([...Array.from({ length: 2 * hostThreads }, byHost), ...(helps ? [here()] : [])]);
    if (cancelled()) throw new CancelledError();
    // Stamped as they were read: the load names what it read, unless a file event came in meanwhile.
    if (stampOnRead && this.changes === generation && stamps.every((stamp) => stamp !== undefined)) this.loaded = { fingerprint, files, stamps };
    indexUpTo(files.length);
    // Open documents outside the file list (not yet saved) still count.
    for (const [uri, { text }] of this.open) {
      if (!this.index.get(uri) && this.isPatternFile(uri)) {
        const doc = this.safeAnalyze(uri, text);
        if (doc) this.index.set(doc);
      }
    }
    // Written only when something changed, and when the host asks (flushCache): answering comes first.
    const changed = fresh.size !== cached.size || [...fresh.keys()].some((key) => !cached.has(key));
    if (cacheStore && changed) {
      const rest = chunked.size === 0 ? fresh : new Map([...fresh].filter(([key]) => !chunked.has(key)));
      this.unsavedCache = () => cacheStore.save(this.rootUri, fingerprint, rest, chunks);
    }
    for (const uri of this.index.uris()) affected.add(uri);
    return affected;
  }

  /** What a load replaces, so that a cancelled load can put it back. */
  private snapshot(): LibrarySnapshot {
    return { config: this.config, schemas: this.schemas, externalSchemas: this.externalSchemas, configProblems: this.configProblems, documents: [...this.index.documents()], loaded: this.loaded };
  }

  private restore(snapshot: LibrarySnapshot): void {
    this.config = snapshot.config;
    this.schemas = snapshot.schemas;
    this.externalSchemas = snapshot.externalSchemas;
    this.configProblems = snapshot.configProblems;
    this.loaded = snapshot.loaded;
    // The index is a function of its documents: the same documents give the same index.
    this.index.clear();
    for (const doc of snapshot.documents) this.index.set(doc);
  }

  /**
   * Analyzes files through the host's threads; here instead when they fail (not the files).
   * `cacheChunk`: ask for the cache's encoding too; `stamp`: for the stamps of the files read.
   */
  private async analyzeByHost(files: Array<{ uri: string; relativePath: string; text?: string; key?: string }>, cacheChunk: boolean, stamp: boolean): Promise<AnalysisAnswer> {
    try {
      return await this.host.analyzeMany!({
        config: this.config,
        external: Object.fromEntries(this.externalSchemas),
        files: files.map(({ uri, relativePath, text, key }) => ({ uri, relativePath, ...(text !== undefined ? { text } : {}), ...(cacheChunk && key !== undefined ? { cacheKey: key } : {}) })),
        ...(cacheChunk ? { cacheChunk } : {}),
        ...(stamp ? { stamp } : {}),
      });
    } catch {
      return this.analyzeHere(files, stamp);
    }
  }

  /** Analyzes files one by one on this thread; with `stamp`, reads each with its stamp (readFileStamped). */
  private async analyzeHere(files: Array<{ uri: string; relativePath: string; text?: string }>, stamp: boolean): Promise<AnalysisAnswer> {
    const documents: Array<PatternDocument | undefined> = [];
    const stamps: Array<string | undefined> = [];
    for (const { uri, text } of files) {
      let content = text;
      if (content === undefined && stamp) {
        const read = await this.host.readFileStamped!(uri);
        content = read.text;
        stamps.push(read.stamp);
      } else {
        if (content === undefined) content = await this.host.readFile(uri);
        stamps.push(undefined);
      }
      documents.push(content === undefined ? undefined : this.safeAnalyze(uri, content));
    }
    return stamp ? { documents, stamps } : { documents };
  }

  /** Everything besides a file's own text that its analysis depends on. */
  private fingerprint(): string {
    return JSON.stringify({ code: this.host.cache?.codeVersion ?? '', root: this.rootUri, config: this.config, external: [...this.externalSchemas].sort() });
  }

  private async readConfig(): Promise<void> {
    const text = this.open.get(this.configUri)?.text ?? (await this.host.readFile(this.configUri));
    if (text === undefined) {
      this.configProblems = [];
      this.config = withDefaults({});
      this.externalSchemas = new Map();
      this.schemas = resolveLibrarySchemas(this.config);
      return;
    }
    const { config, problems } = readConfigText(text, this.options);
    this.configProblems = [...problems];
    const external = new Map<string, JsonSchema>();
    for (const binding of config.schemas) {
      if (binding.schema.startsWith('builtin:')) continue;
      const schemaUri = `${this.rootUri}/${binding.schema.replace(/^\.\//, '')}`;
      const schemaText = await this.host.readFile(schemaUri);
      try {
        const parsed: unknown = schemaText === undefined ? undefined : JSON.parse(schemaText);
        if (isObject(parsed)) external.set(binding.schema, parsed);
      } catch (error) {
        this.configProblems.push({ range: zeroRange(), message: `The schema file "${binding.schema}" is not valid JSON: ${(error as Error).message}` });
      }
    }
    try {
      this.schemas = resolveLibrarySchemas(config, external);
      this.config = config;
      this.externalSchemas = external;
    } catch (error) {
      if (!(error instanceof SchemaLoadError)) throw error;
      this.configProblems.push({ range: zeroRange(), message: `${error.message} The default schemas are used instead.` });
      this.config = withDefaults({ severity: config.severity });
      this.externalSchemas = new Map();
      this.schemas = resolveLibrarySchemas(this.config);
    }
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

interface LibrarySnapshot {
  config: TrellisConfig;
  schemas: LibrarySchemas;
  externalSchemas: Map<string, JsonSchema>;
  configProblems: ConfigProblem[];
  documents: PatternDocument[];
  loaded: LoadedFiles | undefined;
}

/** The files a load listed, with their stamps, and what they were analyzed with; `state` is diskState's text, once written. */
interface LoadedFiles {
  fingerprint: string;
  files: string[];
  stamps: Array<string | undefined>;
  state?: string;
}

function zeroRange(): { start: { line: number; character: number }; end: { line: number; character: number } } {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
}

/** Below this many files to analyze, the host's threads are not asked: their start costs more than the work. */
const MIN_HOST_FILES = 32;
const MAX_BATCH = 128;
const MIN_BATCH = 16;

/**
 * How many of the `left` files a thread takes next from a queue that
 * `takers` take from (a worker counts twice: it has two batches in flight).
 * A share of what is left, between MIN_BATCH and MAX_BATCH files: batches
 * shrink as the queue empties, so the last ones end close together.
 */
function batchSize(left: number, takers: number): number {
  return Math.min(left, Math.max(MIN_BATCH, Math.min(MAX_BATCH, Math.ceil(left / (2 * Math.max(1, takers))))));
}
