/**
 * Reads `trellis.config.json`: JSON parsed with the `yaml` Document API (JSON
 * is YAML) so that every problem gets a range in the file, then validated
 * against schemas/trellis.config.schema.json.
 */
import type { Range } from 'vscode-languageserver-types';
import { CONFIG_SCHEMA } from './builtinSchemas';
import { precompiledValidator } from './builtinValidators';
import { withDefaults, type TrellisConfig } from './config';
import { treeFromYaml } from './frontmatterTree';
import { LineMap } from './text';
import { createAjv, SchemaValidator } from './validation';
import { nodeAtPath, parseFrontmatterYaml, valueRange } from './yamlFrontmatter';

export interface ConfigProblem {
  range: Range;
  message: string;
  /** LSP severity; an error unless said otherwise. */
  severity?: 1 | 2 | 3 | 4;
}

export interface ConfigReadOptions {
  /**
   * False in a workspace the user has not trusted (VS Code's Restricted Mode).
   * Then nothing the workspace names is compiled or run: not its JSON Schemas
   * (ajv compiles a schema to code) nor the regular expressions of its body
   * templates. The config keeps its file globs and severities, and the
   * built-in schemas apply.
   */
  trusted?: boolean;
}

/** The keys an untrusted workspace's config may not set: they bring schemas and regular expressions. */
const UNTRUSTED_KEYS = ['schemas', 'defaultSchema'] as const;

export interface ConfigReadResult {
  config: TrellisConfig;
  problems: ConfigProblem[];
}

/** A config with problems still yields a usable config: the defaults stand in for what is wrong. */
export function readConfigText(text: string, options: ConfigReadOptions = {}): ConfigReadResult {
  const lines = new LineMap(text);
  const parsed = parseFrontmatterYaml(text, 0, text.length);
  const problems: ConfigProblem[] = parsed.errors.map((e) => ({ range: lines.range(e.start, e.end), message: `trellis.config.json is not valid JSON: ${e.message}` }));
  if (problems.length > 0) return { config: withDefaults({}), problems };
  const validator = new SchemaValidator(createAjv, CONFIG_SCHEMA, precompiledValidator(CONFIG_SCHEMA));
  const violations = validator.validate(treeFromYaml(parsed.doc, 0), parsed.value, { start: 0, end: Math.min(1, text.length) }, (offset) => lines.lineEndAt(offset));
  for (const violation of violations) problems.push({ range: lines.range(violation.start, violation.end), message: violation.message });
  if (violations.length > 0) return { config: withDefaults({}), problems };
  const value = { ...(parsed.value as Partial<TrellisConfig>) };
  if (options.trusted === false) {
    for (const key of UNTRUSTED_KEYS) {
      if (!(key in value)) continue;
      delete value[key];
      const { pair } = nodeAtPath(parsed.doc, [key]);
      const at = valueRange(pair?.key, 0) ?? { start: 0, end: Math.min(1, text.length) };
      problems.push({
        range: lines.range(at.start, at.end),
        severity: 3,
        message: `Restricted Mode: this workspace is not trusted, so Trellis ignores \`${key}\` and checks patterns with its built-in schemas. Trust the workspace to use the library's own.`,
      });
    }
  }
  return { config: withDefaults(value), problems };
}
