/** What every language feature gets: the library, and the text of the document at hand. */
import type { TrellisLibrary } from '../library';
import type { ResolvedSchema } from '../librarySchemas';
import type { FrontmatterLine } from '../yamlCursor';

export interface FeatureDocument {
  uri: string;
  text: string;
  /** The editor's version of the text, for edits that must not apply to a newer one. */
  version?: number;
}

/** The schema of a document, from its top-level keys: robust while the YAML is half-typed. */
export function schemaForLines(library: TrellisLibrary, uri: string, lines: FrontmatterLine[]): ResolvedSchema {
  const indexed = library.index.get(uri);
  const schemas = library.librarySchemas;
  if (indexed) {
    const byName = schemas.schemas.find((s) => s.name === indexed.schemaName);
    if (byName) return byName;
  }
  const topLevel: Record<string, true> = {};
  for (const line of lines) if (line.key !== undefined && line.keyColumn === 0 && line.dash === undefined) topLevel[line.key] = true;
  return schemas.schemaFor(library.relativePath(uri), topLevel);
}
