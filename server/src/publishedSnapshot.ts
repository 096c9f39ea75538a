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
import { readLines, writeAtomically } from './nodeAnalysis';

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

  /** The entries saved for this library under this state and these settings, or undefined. */
  async load(rootUri: string, state: string, settings: unknown): Promise<SavedDiagnostics[] | undefined> {
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(this.fileFor(rootUri), 'r');
      const entries: SavedDiagnostics[] = [];
      const hash = createHash('sha1');
      let header = true;
      let end: { files?: unknown; sha1?: unknown } | undefined;
      for await (const line of readLines(handle)) {
        if (end) return undefined;
        if (header) {
          const head = JSON.parse(line) as { format?: unknown; key?: unknown };
          if (head.format !== FORMAT || head.key !== keyOf(state, settings)) return undefined;
          header = false;
          continue;
        }
        if (line.startsWith('{')) {
          end = JSON.parse(line) as typeof end;
          continue;
        }
        hash.update(line).update('\n');
        const entry = parseLine(line);
        if (!entry) return undefined;
        entries.push(entry);
      }
      // Without its last line the file was cut; with another hash, damaged.
      return end && end.files === entries.length && end.sha1 === hash.digest('hex') ? entries : undefined;
    } catch {
      return undefined;
    } finally {
      await handle?.close();
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
