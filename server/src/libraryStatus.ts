/**
 * The state of each library as the client shows it: a sum over the
 * diagnostics published per file, kept as they are published, so that a
 * status after each edit is not a recount of the whole library. Also the
 * signature of what was last published per file, so that a set that did not
 * change is not sent again (`diagnosticsPublisher.ts`).
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import type { TrellisLibrary } from './core/library';
import type { LibraryStatus } from './protocol';

interface FileCounts {
  errors: number;
  warnings: number;
  /** The published problems by code: errors, warnings and information. Hints are left out, as the Problems view leaves them out, and are published for open files only. */
  byCode: Map<string, number>;
}

export class PublishedCounts {
  private readonly byUri = new Map<string, FileCounts>();
  private readonly signatures = new Map<string, string>();

  /**
   * The diagnostics just published for a file, and their signature
   * (`diagnosticsSignature`: the empty string for an empty, unversioned set).
   */
  record(uri: string, diagnostics: readonly Diagnostic[], signature: string): void {
    if (signature === '') this.signatures.delete(uri);
    else this.signatures.set(uri, signature);
    if (diagnostics.length === 0) {
      this.byUri.delete(uri);
      return;
    }
    const counts: FileCounts = { errors: 0, warnings: 0, byCode: new Map() };
    for (const d of diagnostics) {
      if (d.severity === 4) continue;
      if (d.severity === 1) counts.errors++;
      else if (d.severity === 2) counts.warnings++;
      const code = String(d.code ?? 'other');
      counts.byCode.set(code, (counts.byCode.get(code) ?? 0) + 1);
    }
    this.byUri.set(uri, counts);
  }

  /** The signature of the file's last published diagnostics; the empty string when none were, or an empty set without a version. */
  signatureOf(uri: string): string {
    return this.signatures.get(uri) ?? '';
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
    this.signatures.delete(uri);
  }

  /** `owns` says which published files belong to the library (the innermost library of nested folders). */
  status(library: TrellisLibrary, state: LibraryStatus['state'], owns: (uri: string) => boolean, diagnosticsEnabled: boolean): LibraryStatus {
    let errors = 0;
    let warnings = 0;
    const byCode: Record<string, number> = {};
    // While indexing, the counts would describe half a library.
    if (state === 'ready') {
      for (const [uri, counts] of this.byUri) {
        if (!owns(uri)) continue;
        errors += counts.errors;
        warnings += counts.warnings;
        for (const [code, n] of counts.byCode) byCode[code] = (byCode[code] ?? 0) + n;
      }
    }
    return { rootUri: library.rootUri, state, patterns: library.index.size, errors, warnings, byCode, diagnosticsEnabled };
  }
}
