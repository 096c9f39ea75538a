/** A worker thread that analyzes files with the core, exactly as the library would inline. */
import { parentPort } from 'node:worker_threads';
import type { AnalysisRequest } from './core/library';
import { resolveLibrarySchemas, type LibrarySchemas } from './core/librarySchemas';
import { saveCodeCache } from './codeCacheHook';
import { cacheEntry, cacheKey, encodeCacheChunk, encodeDocuments } from './core/documentCodec';
import { analyzePatternSafely, type PatternDocument } from './core/pattern';
import type { WorkerAnswer } from './nodeAnalysis';
import { pathOfFileUri, readStampedTextFileSync } from './nodeFiles';

let memo: { key: string; schemas: LibrarySchemas } | undefined;

parentPort!.on('message', ({ id, request }: { id: number; request: AnalysisRequest }) => {
  try {
    const key = JSON.stringify([request.config, request.external]);
    if (!memo || memo.key !== key) memo = { key, schemas: resolveLibrarySchemas(request.config, new Map(Object.entries(request.external))) };
    const schemas = memo.schemas;
    const now = Date.now();
    const stamps: Array<string | undefined> = [];
    const docs = request.files.map((file) => {
      // A file sent without its text is read here, as the main thread would read it; its stamp is sent back when asked.
      let text = file.text;
      let stamp: string | undefined;
      if (text === undefined) ({ text, stamp } = readStampedTextFileSync(pathOfFileUri(file.uri), now));
      stamps.push(stamp);
      // Detached from its text (analyzePatternSafely), so the text dies young: a document's slices of it would
      // keep every text of the batch alive until the answer, and each young-generation collection meanwhile would
      // copy them and then move them to the old generation (BENCHMARKS, session 15).
      return text === undefined ? undefined : analyzePatternSafely(file.uri, text, file.relativePath, schemas);
    });
    // A chunk of the cache, when asked for and every file goes in it, is the answer too (as its entries, in order).
    const keyOf = (i: number): string | undefined => {
      const file = request.files[i]!;
      const stamp = stamps[i];
      return file.cacheKey ?? (stamp !== undefined ? cacheKey(file.relativePath, stamp) : undefined);
    };
    const entries = request.cacheChunk ? docs.map((doc, i) => cacheEntry(keyOf(i), doc)) : [];
    const answer: WorkerAnswer =
      request.cacheChunk && entries.every((entry) => entry !== undefined)
        ? { id, encoded: encodeCacheChunk(entries as Array<[string, PatternDocument | null]>) }
        : { id, encoded: encodeDocuments(docs.map((doc, i) => [String(i), doc ?? null])) };
    if (request.stamp) answer.stamps = stamps;
    parentPort!.postMessage(answer);
    // After the first answer the analysis code is compiled: a worker of the next run loads it instead (once per build).
    saveCodeCache();
  } catch (error) {
    parentPort!.postMessage({ id, error: (error as Error).message });
  }
});
