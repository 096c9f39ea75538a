/**
 * The schemas of one library, resolved from its config: each compiled once,
 * with its model of references and identity, and the rule that picks the
 * schema of a file.
 */
import type Ajv from 'ajv';
import { BUILTIN_SCHEMAS } from './builtinSchemas';
import { precompiledValidator } from './builtinValidators';
import type { BodyTemplate, TrellisConfig } from './config';
import { GlobSet } from './glob';
import { buildSchemaModel, isObject, type JsonSchema, type SchemaModel } from './schemaModel';
import { createAjv, SchemaValidator } from './validation';

export interface ResolvedSchema {
  name: string;
  schema: JsonSchema;
  model: SchemaModel;
  validator: SchemaValidator;
  files: GlobSet;
  detectKeys: string[];
  relationNames: readonly string[];
  body?: BodyTemplate;
}

export interface LibrarySchemas {
  schemas: ResolvedSchema[];
  patterns: GlobSet;
  exclude: GlobSet;
  severity: TrellisConfig['severity'];
  /** The schema paths (not builtins) the config names. */
  external: string[];
  isPatternPath(relativePath: string): boolean;
  schemaFor(relativePath: string, frontmatter: unknown): ResolvedSchema;
}

export class SchemaLoadError extends Error {
  constructor(message: string, readonly schemaName: string) {
    super(message);
  }
}

/**
 * `external` holds the JSON Schemas a config names by path, already read by
 * the host. A schema that cannot be compiled throws SchemaLoadError.
 */
/**
 * Compiling a schema takes tens of milliseconds; a library reloads its config
 * often. Keyed by the schema object, this memo holds nothing but pure functions
 * of it, so it is safe to share.
 */
const compiled = new WeakMap<JsonSchema, { validator: SchemaValidator; model: SchemaModel; relationNames: readonly string[] }>();

export function resolveLibrarySchemas(config: TrellisConfig, external: ReadonlyMap<string, JsonSchema> = new Map(), ajv?: Ajv): LibrarySchemas {
  const schemas: ResolvedSchema[] = [];
  for (const binding of config.schemas) {
    const schema = binding.schema.startsWith('builtin:') ? BUILTIN_SCHEMAS[binding.schema.slice('builtin:'.length)] : external.get(binding.schema);
    if (!schema || !isObject(schema)) {
      throw new SchemaLoadError(`The schema "${binding.schema}" of "${binding.name}" could not be found.`, binding.name);
    }
    let compiledSchema = compiled.get(schema);
    if (!compiledSchema) {
      try {
        const model = buildSchemaModel(schema);
        // Builtin schemas are compiled ahead of time; a library's own is compiled now, to report a broken one at once.
        const precompiled = precompiledValidator(schema);
        const validator = new SchemaValidator(() => ajv ?? createAjv(), schema, precompiled);
        compiledSchema = { validator: precompiled ? validator : validator.check(), model, relationNames: [...model.relations.keys()] };
      } catch (error) {
        throw new SchemaLoadError(`The schema "${binding.schema}" of "${binding.name}" is not a valid JSON Schema: ${(error as Error).message}`, binding.name);
      }
      compiled.set(schema, compiledSchema);
    }
    const resolved: ResolvedSchema = {
      name: binding.name,
      schema,
      model: compiledSchema.model,
      validator: compiledSchema.validator,
      files: new GlobSet(binding.files ?? []),
      detectKeys: binding.detect?.anyKey ?? [],
      relationNames: compiledSchema.relationNames,
    };
    if (binding.body) resolved.body = binding.body;
    schemas.push(resolved);
  }
  if (schemas.length === 0) throw new SchemaLoadError('The config lists no schemas.', '');
  const fallback = schemas.find((s) => s.name === config.defaultSchema) ?? schemas[0]!;
  const patterns = new GlobSet(config.patterns);
  const exclude = new GlobSet(config.exclude);
  return {
    schemas,
    patterns,
    exclude,
    severity: config.severity,
    external: config.schemas.map((b) => b.schema).filter((ref) => !ref.startsWith('builtin:')),
    isPatternPath: (relativePath) => patterns.matches(relativePath) && !exclude.matches(relativePath),
    schemaFor(relativePath, frontmatter) {
      for (const schema of schemas) if (!schema.files.isEmpty && schema.files.matches(relativePath)) return schema;
      if (isObject(frontmatter)) {
        for (const schema of schemas) if (schema.detectKeys.some((key) => key in frontmatter)) return schema;
      }
      return fallback;
    },
  };
}
