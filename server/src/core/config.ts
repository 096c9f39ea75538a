/**
 * The library config (`trellis.config.json` at the library root): which files
 * are patterns, which schema applies to which file, the body template per
 * schema, and a severity per diagnostic code. Without a file, the defaults
 * describe the Commons library (both generations) and libraries shaped like it.
 */
import defaultConfigJson from '../../../schemas/trellis.default-config.json';
import type { DiagnosticCode, SeverityName } from './diagnosticCodes';

export interface SectionTemplate {
  /** The section's name as it appears in headings, e.g. `Known Uses`. */
  name: string;
  /** A regular expression over the heading text, when the name alone does not identify it. */
  match?: string;
  /** A line the section must open with, e.g. the Problem's `> **The core conflict is …**`. */
  lead?: { pattern: string; code: DiagnosticCode; message: string; example?: string };
  /** Suggested length in words, [min, max]. */
  words?: [number, number];
}

export interface ConfidenceNote {
  /** Dotted frontmatter path of the number the note must agree with. */
  field: string;
  /** Regular expression whose first group is the stars, e.g. `Confidence Rating:\s*([★☆]+)`. */
  pattern: string;
}

export interface BodyTemplate {
  sections: SectionTemplate[];
  confidenceNote?: ConfidenceNote;
}

export interface SchemaBinding {
  name: string;
  /** `builtin:<name>` or a path to a JSON Schema file relative to the library root. */
  schema: string;
  /** Files that always use this schema, whatever their content. */
  files?: string[];
  /** Content-based detection: the schema applies when the frontmatter has any of these top-level keys. */
  detect?: { anyKey?: string[] };
  body?: BodyTemplate;
}

export interface TrellisConfig {
  patterns: string[];
  exclude: string[];
  schemas: SchemaBinding[];
  defaultSchema: string;
  severity: Partial<Record<DiagnosticCode, SeverityName>>;
}

export const CONFIG_FILE_NAME = 'trellis.config.json';

export function defaultConfig(): TrellisConfig {
  return structuredClone(defaultConfigJson as TrellisConfig);
}

/**
 * Fills what a user's config leaves out from the defaults. A config that
 * names its own schemas replaces the default list entirely.
 */
export function withDefaults(partial: Partial<TrellisConfig>): TrellisConfig {
  const base = defaultConfig();
  return {
    patterns: partial.patterns ?? base.patterns,
    exclude: partial.exclude ?? base.exclude,
    schemas: partial.schemas ?? base.schemas,
    defaultSchema: partial.defaultSchema ?? (partial.schemas?.[0]?.name ?? base.defaultSchema),
    severity: { ...base.severity, ...(partial.severity ?? {}) },
  };
}
