/**
 * The JSON Schemas Trellis ships: the two Commons generations, for pattern
 * frontmatter, and the schema of trellis.config.json. They are compiled ahead
 * of time (scripts/generateValidators.ts); builtinValidators.ts pairs each
 * with its compiled validator.
 */
import commonsV1 from '../../../schemas/commons-v1.schema.json';
import commonsV7 from '../../../schemas/commons-v7.schema.json';
import configSchema from '../../../schemas/trellis.config.schema.json';
import type { JsonSchema } from './schemaModel';

/** The schemas a config can name as `builtin:<name>`. */
export const BUILTIN_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  'commons-v7': commonsV7 as JsonSchema,
  'commons-v1': commonsV1 as JsonSchema,
};

export const CONFIG_SCHEMA = configSchema as JsonSchema;

/** Each built-in schema under the name its compiled validator is exported as, with its `$id`. */
export const BUILTIN_VALIDATOR_IDS: Readonly<Record<'commonsV7' | 'commonsV1' | 'config', { schema: JsonSchema; id: string }>> = {
  commonsV7: { schema: commonsV7 as JsonSchema, id: commonsV7.$id },
  commonsV1: { schema: commonsV1 as JsonSchema, id: commonsV1.$id },
  config: { schema: CONFIG_SCHEMA, id: configSchema.$id },
};
