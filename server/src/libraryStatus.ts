/**
 * The state of each library as the client shows it: a sum over the
 * diagnostics published per file, kept as they are published, so that a
 * status after each edit is not a recount of the whole library. Also the
 * signature of what was last published per file, so that a set that did not
 * change is not sent again (`diagnosticsPublisher.ts`).
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import type { TrellisLibrary } from './core/library';
import { diagnosticsSignature, diagnosticsSignatureOfJson } from './diagnosticsPublisher';
import type { LibraryStatus } from './protocol';

interface FileCounts extends DiagnosticTally {
  /** The root of the library the file belonged to when recorded (the innermost of nested folders). */
  owner: string | undefined;
}

/** A file's published problems summed: hints left out of `byCode`, as the Problems view leaves them out. */
export interface DiagnosticTally {
  errors: number;
  warnings: number;
  byCode: Map<string, number>;
}

export function tally(diagnostics: readonly Diagnostic[]): DiagnosticTally {
  const counts: DiagnosticTally = { errors: 0, warnings: 0, byCode: new Map() };
  for (const d of diagnostics) {
    if (d.severity === 4) continue;
    if (d.severity === 1) counts.errors++;
    else if (d.severity === 2) counts.warnings++;
    const code = String(d.code ?? 'other');
    counts.byCode.set(code, (counts.byCode.get(code) ?? 0) + 1);
  }
  return counts;
}

/** What was last published for a file: the diagnostics, or (sent as they were saved) their JSON text. */
interface LastPublished {
  diagnostics?: readonly Diagnostic[];
  /** `JSON.stringify(diagnostics)` of a set sent from its saved text. */
  json?: string;
  length: number;
  version: number | undefined;
}

interface Totals {
  errors: number;
  warnings: number;
  byCode: Map<string, number>;
}

export class PublishedCounts {
  private readonly byUri = new Map<string, FileCounts>();
  /** What was last published per file (not an empty, unversioned set): compared only when the file is published again. */
  private readonly published = new Map<string, LastPublished>();
  /** The sums per library root, kept as files are recorded: a status after an edit costs nothing per file of a large library. */
  private readonly totals = new Map<string | undefined, Totals>();

  /** `ownerOf` gives the root of the library a file belongs to (call `regroup` when libraries come or go). */
  constructor(private readonly ownerOf: (uri: string) => string | undefined = () => undefined) {}

  /** The diagnostics just published for a file, with the version they were tagged with. */
  record(uri: string, diagnostics: readonly Diagnostic[], version?: number): void {
    if (diagnostics.length === 0 && version === undefined) this.published.delete(uri);
    else this.published.set(uri, { diagnostics, length: diagnostics.length, version });
    this.count(uri, diagnostics.length > 0 ? tally(diagnostics) : undefined);
  }

  /**
   * A set just published, unversioned, from its saved form: `json` is its
   * `JSON.stringify`, `length` its size, `tallied` its sums. Compared later
   * exactly as `record`'s (the signature is the same text).
   */
  recordSerialized(uri: string, json: string, length: number, tallied: DiagnosticTally): void {
    if (length === 0) this.published.delete(uri);
    else this.published.set(uri, { json, length, version: undefined });
    this.count(uri, length > 0 ? tallied : undefined);
  }

  private count(uri: string, tallied: DiagnosticTally | undefined): void {
    this.remove(uri);
    if (!tallied) return;
    const counts: FileCounts = { owner: this.ownerOf(uri), ...tallied };
    this.byUri.set(uri, counts);
    this.add(counts, 1);
  }

  /** The signature of the file's last published diagnostics; the empty string when none were, or an empty set without a version. */
  signatureOf(uri: string): string {
    const last = this.published.get(uri);
    return last ? signature(last) : '';
  }

  /**
   * Whether this set, with this version, is the one last published for the
   * file (an empty, unversioned set is what a file never published has).
   * Exact: every field compared. The first publish of a library costs no
   * comparison; a later one, only for the files it republishes.
   */
  isLastPublished(uri: string, diagnostics: readonly Diagnostic[], version: number | undefined): boolean {
    const last = this.published.get(uri);
    if (!last) return diagnostics.length === 0 && version === undefined;
    if (last.version !== version || last.length !== diagnostics.length) return false;
    return signature(last) === diagnosticsSignature(diagnostics, version);
  }

  forget(uri: string): void {
    this.remove(uri);
    this.published.delete(uri);
  }

  /** Files may belong to another library now (one was added or removed): the sums are made again. */
  regroup(): void {
    this.totals.clear();
    for (const [uri, counts] of this.byUri) {
      counts.owner = this.ownerOf(uri);
      this.add(counts, 1);
    }
  }

  status(library: TrellisLibrary, state: LibraryStatus['state'], diagnosticsEnabled: boolean): LibraryStatus {
    const byCode: Record<string, number> = {};
    const totals = this.totals.get(library.rootUri);
    // While indexing, the counts would describe half a library.
    const ready = state === 'ready' && totals !== undefined;
    if (ready) for (const [code, n] of [...totals.byCode].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) if (n > 0) byCode[code] = n;
    return { rootUri: library.rootUri, state, patterns: library.index.size, errors: ready ? totals.errors : 0, warnings: ready ? totals.warnings : 0, byCode, diagnosticsEnabled };
  }

  private remove(uri: string): void {
    const previous = this.byUri.get(uri);
    if (!previous) return;
    this.byUri.delete(uri);
    this.add(previous, -1);
  }

  private add(counts: FileCounts, sign: 1 | -1): void {
    let totals = this.totals.get(counts.owner);
    if (!totals) this.totals.set(counts.owner, (totals = { errors: 0, warnings: 0, byCode: new Map() }));
    totals.errors += sign * counts.errors;
    totals.warnings += sign * counts.warnings;
    for (const [code, n] of counts.byCode) totals.byCode.set(code, (totals.byCode.get(code) ?? 0) + sign * n);
  }
}

function signature(last: LastPublished): string {
  return last.diagnostics ? diagnosticsSignature(last.diagnostics, last.version) : diagnosticsSignatureOfJson(last.json ?? '[]', last.version);
}
