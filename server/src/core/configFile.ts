/**
 * Reads `trellis.config.json`: JSON parsed with the `yaml` Document API (JSON
 * is YAML) so that every problem gets a range in the file, then validated
 * against schemas/trellis.config.schema.json.
 */
import type { Range } from 'vscode-languageserver-types';
import configSchema from '../../../schemas/trellis.config.schema.json';
import { withDefaults, type TrellisConfig } from './config';
import type { JsonSchema } from './schemaModel';
import { LineMap } from './text';
import { createAjv, SchemaValidator } from './validation';
import { parseFrontmatterYaml } from './yamlFrontmatter';

export interface ConfigProblem {
  range: Range;
  message: string;
}

export interface ConfigReadResult {
  config: TrellisConfig;
  problems: ConfigProblem[];
}

/** A config with problems still yields a usable config: the defaults stand in for what is wrong. */
export function readConfigText(text: string): ConfigReadResult {
  const lines = new LineMap(text);
  const parsed = parseFrontmatterYaml(text, 0, text.length);
  const problems: ConfigProblem[] = parsed.errors.map((e) => ({ range: lines.range(e.start, e.end), message: `trellis.config.json is not valid JSON: ${e.message}` }));
  if (problems.length > 0) return { config: withDefaults({}), problems };
  // Compiled per read: configs are read rarely, and the core keeps no module state.
  const validator = new SchemaValidator(createAjv(), configSchema as JsonSchema);
  const violations = validator.validate(parsed.doc, 0, parsed.value, { start: 0, end: Math.min(1, text.length) });
  for (const violation of violations) problems.push({ range: lines.range(violation.start, violation.end), message: violation.message });
  if (violations.length > 0) return { config: withDefaults({}), problems };
  return { config: withDefaults(parsed.value as Partial<TrellisConfig>), problems };
}
