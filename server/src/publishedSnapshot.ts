/**
 * What a library's closed files were last published with, kept on disk under
 * the name of the files they were computed from (TrellisLibrary.diskState)
 * and the user's diagnostics settings. A start that finds the same files,
 * stamps and settings sends these at once, before the library's documents
 * are decoded and indexed: as `tsc --incremental` keeps each file's
 * diagnostics in its build info, and for the same reason (they are a
 * function of what they were computed from). Open documents are never taken
 * from here: they carry hints and versions, and are published live.
 *
 * One file per library: a header line (format and key), then one line per
 * file with diagnostics: its sums (`[uri, size, errors, warnings, [code,
 * n]…]`), a tab, and the notification's parameters as JSON text, which a
 * stdio connection sends as they are, parsing nothing; then a last line
 * with the number of files and a hash of their lines, so that a damaged or
 * cut file is never sent (text sent as it is must be valid JSON). Written
 * aside and renamed, so a reader sees a whole snapshot or none. Anything
 * unreadable is no snapshot.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { tally, type DiagnosticTally } from './libraryStatus';
import { writeAtomically } from './nodeAnalysis';

const FORMAT = 'trellis-published/1';

/** A file's diagnostics as saved. */
export interface SavedDiagnostics {
  uri: string;
  /** The `textDocument/publishDiagnostics` parameters as JSON text. */
  params: string;
  /** `JSON.stringify` of the diagnostics (a slice of `params`). */
  json: string;
  length: number;
  tally: DiagnosticTally;
}

export class PublishedSnapshots {
  constructor(private readonly dir: string) {}

  /**
   * The entries saved for this library under this state and these settings,
   * or undefined. Read whole (a couple of megabytes for the corpus) and
   * hashed in one call over its bytes, then cut into lines.
   */
  async load(rootUri: string, state: string, settings: unknown): Promise<SavedDiagnostics[] | undefined> {
    try {
      const bytes = await fs.readFile(this.fileFor(rootUri));
      const headerEnd = bytes.indexOf(10);
      if (headerEnd === -1) return undefined;
      const head = JSON.parse(bytes.toString('utf8', 0, headerEnd)) as { format?: unknown; key?: unknown };
      if (head.format !== FORMAT || head.key !== keyOf(state, settings)) return undefined;
      // The last line, after the entries' lines (each ends with a line feed), says how many and their hash.
      if (bytes.length < 2 || bytes[bytes.length - 1] !== 10) return undefined;
      const lastStart = bytes.lastIndexOf(10, bytes.length - 2) + 1;
      if (lastStart <= headerEnd) return undefined;
      const end = JSON.parse(bytes.toString('utf8', lastStart, bytes.length - 1)) as { files?: unknown; sha1?: unknown };
      if (end.sha1 !== createHash('sha1').update(bytes.subarray(headerEnd + 1, lastStart)).digest('hex')) return undefined;
      const text = bytes.toString('utf8', headerEnd + 1, lastStart);
      const entries: SavedDiagnostics[] = [];
      for (let from = 0; from < text.length; ) {
        const newline = text.indexOf('\n', from);
        const entry = parseLine(text.slice(from, newline));
        if (!entry) return undefined;
        entries.push(entry);
        from = newline + 1;
      }
      return end.files === entries.length ? entries : undefined;
    } catch {
      return undefined;
    }
  }

  /** Keeps each file's diagnostics (those with none need no line). */
  async save(rootUri: string, state: string, settings: unknown, entries: Iterable<{ uri: string; diagnostics: readonly Diagnostic[] }>): Promise<void> {
    await writeAtomically(this.fileFor(rootUri), async (handle) => {
      await handle.write(JSON.stringify({ format: FORMAT, key: keyOf(state, settings) }) + '\n');
      const hash = createHash('sha1');
      let files = 0;
      let lines: string[] = [];
      // A chunk at a time: the event loop turns between two writes.
      const flush = async (): Promise<void> => {
        const text = lines.map((line) => line + '\n').join('');
        hash.update(text);
        await handle.write(text);
        lines = [];
      };
      for (const { uri, diagnostics } of entries) {
        if (diagnostics.length === 0) continue;
        const { errors, warnings, byCode } = tally(diagnostics);
        lines.push(`${JSON.stringify([uri, diagnostics.length, errors, warnings, [...byCode]])}\t${paramsPrefix(uri)}${JSON.stringify(diagnostics)}}`);
        files++;
        if (lines.length === 500) await flush();
      }
      await flush();
      await handle.write(JSON.stringify({ files, sha1: hash.digest('hex') }) + '\n');
    });
  }

  private fileFor(rootUri: string): string {
    return path.join(this.dir, `${createHash('sha1').update(rootUri).digest('hex')}.published`);
  }
}

function keyOf(state: string, settings: unknown): string {
  return createHash('sha1').update(state).update('\u0000').update(JSON.stringify(settings)).digest('hex');
}

function paramsPrefix(uri: string): string {
  return `{"uri":${JSON.stringify(uri)},"diagnostics":`;
}

/** A line of the file; undefined for one this code did not write (JSON text has no raw tab: it escapes them). */
function parseLine(line: string): SavedDiagnostics | undefined {
  const tab = line.indexOf('\t');
  if (tab === -1) return undefined;
  const sums = JSON.parse(line.slice(0, tab)) as unknown;
  if (!Array.isArray(sums) || sums.length !== 5) return undefined;
  const [uri, length, errors, warnings, byCode] = sums as [unknown, unknown, unknown, unknown, unknown];
  if (typeof uri !== 'string' || typeof length !== 'number' || typeof errors !== 'number' || typeof warnings !== 'number' || !Array.isArray(byCode)) return undefined;
  const params = line.slice(tab + 1);
  const prefix = paramsPrefix(uri);
  if (!params.startsWith(prefix) || !params.endsWith(']}')) return undefined;
  return { uri, params, json: params.slice(prefix.length, -1), length, tally: { errors, warnings, byCode: new Map(byCode as Array<[string, number]>) } };
}
