/** A worker thread that analyzes files with the core, exactly as the library would inline. */
import { parentPort } from 'node:worker_threads';
import type { AnalysisRequest } from './core/library';
import { resolveLibrarySchemas, type LibrarySchemas } from './core/librarySchemas';
import { saveCodeCache } from './codeCacheHook';
import { encodeDocuments } from './core/documentCodec';
import { analyzePatternSafely } from './core/pattern';
import { pathOfFileUri, readTextFileSync } from './nodeFiles';

let memo: { key: string; schemas: LibrarySchemas } | undefined;

parentPort!.on('message', ({ id, request }: { id: number; request: AnalysisRequest }) => {
  try {
    const key = JSON.stringify([request.config, request.external]);
    if (!memo || memo.key !== key) memo = { key, schemas: resolveLibrarySchemas(request.config, new Map(Object.entries(request.external))) };
    const schemas = memo.schemas;
    const docs = request.files.map((file) => {
      // A file sent without its text is read here, as the main thread would read it.
      const text = file.text ?? readTextFileSync(pathOfFileUri(file.uri));
      return text === undefined ? undefined : analyzePatternSafely(file.uri, text, file.relativePath, schemas);
    });
    parentPort!.postMessage({ id, encoded: encodeDocuments(docs.map((doc, i) => [String(i), doc ?? null])) });
    // After the first answer the analysis code is compiled: a worker of the next run loads it instead (once per build).
    saveCodeCache();
  } catch (error) {
    parentPort!.postMessage({ id, error: (error as Error).message });
  }
});
