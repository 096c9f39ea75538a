/**
 * Validates frontmatter against its JSON Schema with ajv, and turns ajv's
 * errors into messages for a person, each placed on the YAML node at fault:
 * the key for a missing or unknown property, the value for a wrong one.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { locateInTree, type TreeNode } from './frontmatterTree';
import { ANNOTATION_KEYWORDS, propertyLocations, type JsonSchema } from './schemaModel';
import { closest } from './similarity';
import type { PathSegment } from './yamlFrontmatter';

export interface SchemaViolation {
  start: number;
  end: number;
  message: string;
  /** Where in the frontmatter, for code actions (e.g. insert a missing field). */
  path: PathSegment[];
  keyword: string;
  missingProperty?: string;
}

/** Keywords editors understand in JSON Schemas, which ajv's strict mode would otherwise reject. */
const EDITOR_KEYWORDS = ['markdownDescription', 'deprecationMessage', 'defaultSnippets', 'errorMessage', 'x-trellis-message'];

/** The ajv every schema is compiled with; `source` keeps the generated code (for compiling ahead of time). */
export function createAjv(options: { source?: boolean } = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictTypes: false, allowUnionTypes: true, validateSchema: true, ...(options.source ? { code: { source: true } } : {}) });
  ajv.addVocabulary([...ANNOTATION_KEYWORDS, ...EDITOR_KEYWORDS]);
  return ajv;
}

export class SchemaValidator {
  private compiled?: ValidateFunction;
  private locationsMemo?: Map<string, string[]>;

  /**
   * Compiling takes a while and a warm start from the cache validates nothing,
   * so the schema is compiled on first use; `check()` compiles it at once to
   * surface an invalid schema where it is configured. `ajv` makes the ajv to
   * compile with, when needed; `precompiled` is the schema already compiled
   * (a built-in one, see builtinValidators.ts).
   */
  constructor(
    private readonly ajv: () => Ajv,
    private readonly schema: JsonSchema,
    precompiled?: ValidateFunction,
  ) {
    if (precompiled) this.compiled = precompiled;
  }

  check(): this {
    void this.validateFn;
    return this;
  }

  private get validateFn(): ValidateFunction {
    this.compiled ??= this.ajv().compile(this.schema);
    return this.compiled;
  }

  private get locations(): Map<string, string[]> {
    this.locationsMemo ??= propertyLocations(this.schema);
    return this.locationsMemo;
  }

  /** Whether the plain data satisfies the schema (no ranges needed to say so). */
  isValid(value: unknown): boolean {
    return this.validateFn(value) === true;
  }

  /**
   * `value` is the frontmatter as plain data and `tree` the same with ranges,
   * which place each error; `lineEndAt` gives the end of the line of an offset
   * (an error on a block map or list covers its first line).
   */
  validate(tree: TreeNode, value: unknown, fallback: { start: number; end: number }, lineEndAt: (offset: number) => number): SchemaViolation[] {
    if (this.validateFn(value)) return [];
    const errors = simplify(this.validateFn.errors ?? []);
    const seen = new Set<string>();
    const out: SchemaViolation[] = [];
    for (const error of errors) {
      const violation = this.describe(error, tree, value, fallback, lineEndAt);
      const key = `${violation.start}:${violation.end}:${violation.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(violation);
    }
    return out;
  }

  private describe(error: ErrorObject, tree: TreeNode, value: unknown, fallback: { start: number; end: number }, lineEndAt: (offset: number) => number): SchemaViolation {
    const path = pointerToPath(error.instancePath, value);
    const where = displayPath(path);
    const actual = valueAt(value, path);
    const params = error.params as Record<string, unknown>;
    let message: string;
    let targetPath = path;
    let onKey = false;
    let missingProperty: string | undefined;

    switch (error.keyword) {
      case 'required': {
        missingProperty = String(params['missingProperty']);
        message = path.length === 0 ? `Missing required property \`${missingProperty}\`.` : `\`${where}\` is missing the required property \`${missingProperty}\`.`;
        onKey = true;
        break;
      }
      case 'additionalProperties': {
        const extra = String(params['additionalProperty']);
        const allowed = knownProperties(error.parentSchema);
        const suggestion = closest(extra, allowed, 1)[0];
        // A key written at the wrong level: say where the schema declares it.
        const elsewhere = (this.locations.get(extra) ?? []).filter((p) => p !== (where ? `${where}.${extra}` : extra)).slice(0, 2);
        const hint = suggestion
          ? ` Did you mean \`${suggestion}\`?`
          : elsewhere.length
            ? ` It belongs in ${elsewhere.map((p) => `\`${p}\``).join(' or ')}.`
            : allowed.length && allowed.length <= 12
              ? ` Known properties: ${allowed.map((a) => `\`${a}\``).join(', ')}.`
              : '';
        message = `\`${extra}\` is not a known property${path.length ? ` of \`${where}\`` : ''}.${hint}`;
        targetPath = [...path, extra];
        onKey = true;
        break;
      }
      case 'type': {
        message = `${subject(where)} must be ${typePhrase(params['type'])}, not ${describeValue(actual)}.`;
        break;
      }
      case 'enum': {
        const allowed = (params['allowedValues'] as unknown[]) ?? [];
        const suggestion = typeof actual === 'string' ? closest(actual, allowed.filter((a): a is string => typeof a === 'string'), 1)[0] : undefined;
        message = `\`${where}\` must be ${orList(allowed.map(formatValue))}, not ${formatValue(actual)}.` + (suggestion ? ` Did you mean \`${suggestion}\`?` : '');
        break;
      }
      case 'const':
        message = `\`${where}\` must be ${formatValue(params['allowedValue'])}, not ${formatValue(actual)}.`;
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum': {
        const bound = { minimum: 'at least', maximum: 'at most', exclusiveMinimum: 'more than', exclusiveMaximum: 'less than' }[error.keyword];
        message = `\`${where}\` must be ${bound} ${String(params['limit'])}, not ${formatValue(actual)}.`;
        break;
      }
      case 'pattern': {
        const described = patternDescription(error.parentSchema);
        message = `\`${where}\` ${described ? `must be ${described}` : `must match the pattern ${String(params['pattern'])}`}, not ${formatValue(actual)}.`;
        break;
      }
      case 'minLength':
        message = Number(params['limit']) === 1 ? `\`${where}\` must not be empty.` : `\`${where}\` must be at least ${String(params['limit'])} characters long.`;
        break;
      case 'maxLength':
        message = `\`${where}\` must be at most ${String(params['limit'])} characters long.`;
        break;
      case 'minItems':
        message = `\`${where}\` must have at least ${String(params['limit'])} item${params['limit'] === 1 ? '' : 's'}.`;
        break;
      case 'maxItems':
        message = `\`${where}\` must have at most ${String(params['limit'])} items.`;
        break;
      case 'uniqueItems':
        message = `\`${where}\` lists the same value twice (items ${String(params['j'])} and ${String(params['i'])}).`;
        targetPath = [...path, Number(params['i'])];
        break;
      case 'not': {
        const described = patternDescription(error.parentSchema);
        message = described ? `\`${where}\` ${described}.` : `\`${where}\` has a value that is not allowed here: ${formatValue(actual)}.`;
        break;
      }
      case 'format':
        message = `\`${where}\` must be a ${String(params['format'])}, not ${formatValue(actual)}.`;
        break;
      case 'anyOf':
      case 'oneOf':
        message = `${subject(where)} does not have any of the allowed shapes here (it is ${describeValue(actual)}).`;
        break;
      default:
        message = `${subject(where)}: ${error.message ?? 'is not valid'}.`;
    }

    const range = locateInTree(tree, targetPath, onKey, lineEndAt) ?? fallback;
    const violation: SchemaViolation = { ...range, message, path: targetPath, keyword: error.keyword };
    if (missingProperty !== undefined) violation.missingProperty = missingProperty;
    return violation;
  }
}

/**
 * ajv reports, for a value that may take several shapes, the failures of every
 * shape. Keep only those of the shape that matches the value's type, and drop
 * the bookkeeping errors of `if`.
 */
function simplify(errors: ErrorObject[]): ErrorObject[] {
  let result = errors.filter((e) => e.keyword !== 'if');
  const unions = result.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  for (const union of unions) {
    const prefix = union.schemaPath + '/';
    const inside = result.filter((e) => e.schemaPath.startsWith(prefix));
    const branches = new Map<string, ErrorObject[]>();
    for (const e of inside) {
      const branch = e.schemaPath.slice(prefix.length).split('/')[0]!;
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    const fitting = [...branches.values()].filter((errs) => !errs.some((e) => e.keyword === 'type' && e.instancePath === union.instancePath));
    const keep = new Set<ErrorObject>(fitting.length > 0 ? fitting.reduce((a, b) => (a.length <= b.length ? a : b)) : [union]);
    result = result.filter((e) => (e === union ? keep.has(e) : !e.schemaPath.startsWith(prefix) || keep.has(e)));
    if (fitting.length > 0) result = result.filter((e) => e !== union);
  }
  return result;
}

function pointerToPath(pointer: string, value: unknown): PathSegment[] {
  if (!pointer) return [];
  const path: PathSegment[] = [];
  let current = value;
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      const index = Number(part);
      path.push(index);
      current = current[index];
    } else {
      path.push(part);
      current = current && typeof current === 'object' ? (current as Record<string, unknown>)[part] : undefined;
    }
  }
  return path;
}

function subject(where: string): string {
  return where ? `\`${where}\`` : 'The frontmatter';
}

export function displayPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}

function valueAt(value: unknown, path: PathSegment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function knownProperties(schema: unknown): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const properties = (schema as Record<string, unknown>)['properties'];
  return properties && typeof properties === 'object' ? Object.keys(properties) : [];
}

function patternDescription(schema: unknown): string | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const message = (schema as Record<string, unknown>)['x-trellis-message'];
  return typeof message === 'string' ? message : undefined;
}

function typePhrase(type: unknown): string {
  const names = (Array.isArray(type) ? type : String(type).split(',')).map((t) => String(t));
  const phrase = (t: string): string =>
    ({ string: 'text', number: 'a number', integer: 'a whole number', boolean: 'true or false', array: 'a list', object: 'a mapping (key: value pairs)', null: 'empty' })[t] ?? t;
  return orList(names.map(phrase));
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${formatValue(value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `\`${value}\``;
  return String(value);
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return `\`${value.length > 60 ? value.slice(0, 57) + '…' : value}\``;
  if (value === null) return 'empty';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function orList(items: string[]): string {
  if (items.length <= 1) return items[0] ?? 'nothing';
  if (items.length > 12) return `one of ${items.slice(0, 12).join(', ')}, …`;
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

