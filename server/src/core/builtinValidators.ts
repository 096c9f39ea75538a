/**
 * The validators of the built-in schemas, compiled ahead of time, so that no
 * process or worker pays ajv's compile (about 0.2 s) to check Commons patterns
 * or a config. A library's own schemas are still compiled when they load.
 */
import type { ValidateFunction } from 'ajv';
import { BUILTIN_VALIDATOR_IDS } from './builtinSchemas';
import * as generated from './generated/builtinValidators';
import type { JsonSchema } from './schemaModel';

const bySchema = new Map<JsonSchema, ValidateFunction>(
  (Object.keys(BUILTIN_VALIDATOR_IDS) as Array<keyof typeof BUILTIN_VALIDATOR_IDS>).map((name) => [BUILTIN_VALIDATOR_IDS[name].schema, generated[name]]),
);

/** The compiled validator of a built-in schema (the very object, not a copy), else undefined. */
export function precompiledValidator(schema: JsonSchema): ValidateFunction | undefined {
  return bySchema.get(schema);
}
