/**
 * Reads what Trellis needs to know about a library's frontmatter out of its
 * JSON Schema: which values are references to other patterns (and under which
 * relation), which fields carry a pattern's identity, and which numbers are
 * means of their siblings. Nothing about a particular library is hard-coded
 * outside the schema; this file only understands the annotation keywords.
 */

export type JsonSchema = { [key: string]: unknown };

/** `x-trellis-reference`: a string that names another pattern. */
export type ReferenceTarget = 'slug' | 'id' | 'slug-or-id';

/** `x-trellis-relation`: the relation a reference expresses. */
export interface RelationSpec {
  /** A fixed relation name, e.g. `enables`. */
  name?: string;
  /** Read the relation name from this sibling key of the reference's map (inferred links: `type`). */
  nameFrom?: string;
  /** The relation that should point back from the target, e.g. `requires` for `enables`. */
  mirror?: string;
  /** Machine-written links (drawn dashed, switchable). */
  inferred?: boolean;
}

/** `x-trellis-identity`: a field that identifies or describes the pattern itself. */
export type IdentityKind = 'id' | 'slug' | 'title' | 'alias' | 'summary' | 'domain' | 'status';

/** `x-trellis-mean-of`: a number that must equal the mean of sibling numbers. */
export interface MeanOfSpec {
  of: string[];
  decimals: number;
}

/**
 * `x-trellis-weight`: a number that gives the strength of the reference next to
 * it (a sibling key of the same entry), read as a fraction of the schema's
 * `maximum` (of 1 when the schema sets none).
 */
export interface WeightSpec {
  maximum: number;
}

/** A path through the frontmatter: map keys, `*` for any list item, `{}` for any map key. */
export type PathPattern = readonly string[];
export const ANY_ITEM = '*';
export const ANY_KEY = '{}';

export interface ReferenceField {
  path: PathPattern;
  target: ReferenceTarget;
  relation: RelationSpec;
}

export interface SchemaNode {
  children: Map<string, SchemaNode>;
  reference?: { target: ReferenceTarget; relation: RelationSpec };
  identity?: IdentityKind;
  meanOf?: MeanOfSpec;
  weight?: WeightSpec;
  /** The children marked `x-trellis-weight`, in the order of `children` (set once the model is built). */
  weighted?: Array<{ key: string; weight: WeightSpec }>;
}

export interface SchemaModel {
  /** A trie over frontmatter paths, with wildcards `*` (list item) and `{}` (any key). */
  root: SchemaNode;
  references: ReferenceField[];
  identity: Map<IdentityKind, PathPattern>;
  meanOf: Array<{ path: PathPattern; spec: MeanOfSpec }>;
  /** Every fixed relation name the schema declares, with its mirror. */
  relations: Map<string, RelationSpec>;
}

export const ANNOTATION_KEYWORDS = ['x-trellis-reference', 'x-trellis-relation', 'x-trellis-identity', 'x-trellis-mean-of', 'x-trellis-weight'] as const;

const MAX_DEPTH = 24;

export function buildSchemaModel(schema: JsonSchema): SchemaModel {
  const model: SchemaModel = {
    root: { children: new Map() },
    references: [],
    identity: new Map(),
    meanOf: [],
    relations: new Map(),
  };
  const seenFields = new Set<string>();

  const visit = (node: unknown, path: string[], relation: RelationSpec | undefined, depth: number, refStack: string[]): void => {
    if (!isObject(node) || depth > MAX_DEPTH) return;
    const ref = node['$ref'];
    if (typeof ref === 'string') {
      // A recursive schema would walk forever; a $ref already on the stack adds nothing new.
      if (refStack.includes(ref)) return;
      visit(resolvePointer(schema, ref), path, relation, depth + 1, [...refStack, ref]);
    }

    const relationAnnotation = node['x-trellis-relation'];
    if (isObject(relationAnnotation)) {
      relation = readRelation(relationAnnotation);
      if (relation.name) model.relations.set(relation.name, relation);
    }

    const target = node['x-trellis-reference'];
    if (target === 'slug' || target === 'id' || target === 'slug-or-id') {
      const key = path.join('\u0000');
      const spec = relation ?? {};
      if (!seenFields.has(key)) {
        seenFields.add(key);
        model.references.push({ path: [...path], target, relation: spec });
      }
      trieNode(model.root, path).reference = { target, relation: spec };
    }

    const identity = node['x-trellis-identity'];
    if (typeof identity === 'string' && isIdentityKind(identity)) {
      if (!model.identity.has(identity)) model.identity.set(identity, [...path]);
      trieNode(model.root, path).identity = identity;
    }

    const meanOf = node['x-trellis-mean-of'];
    if (isObject(meanOf) && Array.isArray(meanOf['of'])) {
      const spec: MeanOfSpec = {
        of: meanOf['of'].filter((x): x is string => typeof x === 'string'),
        decimals: typeof meanOf['decimals'] === 'number' ? meanOf['decimals'] : 1,
      };
      if (!model.meanOf.some((m) => m.path.join('.') === path.join('.'))) model.meanOf.push({ path: [...path], spec });
      trieNode(model.root, path).meanOf = spec;
    }

    if (node['x-trellis-weight'] === true) {
      const maximum = node['maximum'];
      trieNode(model.root, path).weight = { maximum: typeof maximum === 'number' && maximum > 0 ? maximum : 1 };
    }

    const properties = node['properties'];
    if (isObject(properties)) {
      for (const [key, child] of Object.entries(properties)) visit(child, [...path, key], relation, depth + 1, refStack);
    }
    for (const keyword of ['additionalProperties', 'patternProperties'] as const) {
      const child = node[keyword];
      if (keyword === 'patternProperties' && isObject(child)) {
        for (const sub of Object.values(child)) visit(sub, [...path, ANY_KEY], relation, depth + 1, refStack);
      } else if (keyword === 'additionalProperties' && isObject(child)) {
        visit(child, [...path, ANY_KEY], relation, depth + 1, refStack);
      }
    }
    const items = node['items'];
    if (Array.isArray(items)) for (const item of items) visit(item, [...path, ANY_ITEM], relation, depth + 1, refStack);
    else if (isObject(items)) visit(items, [...path, ANY_ITEM], relation, depth + 1, refStack);
    for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = node[keyword];
      if (Array.isArray(list)) for (const sub of list) visit(sub, path, relation, depth + 1, refStack);
    }
    for (const keyword of ['then', 'else'] as const) visit(node[keyword], path, relation, depth + 1, refStack);
  };

  visit(schema, [], undefined, 0, []);
  markWeighted(model.root);
  return model;
}

/** Follows a local JSON pointer such as `#/definitions/entry`. Remote references are not followed. */
export function resolvePointer(schema: JsonSchema, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = schema;
  for (const raw of ref.slice(1).split('/').filter((s) => s.length > 0)) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node)) return undefined;
    node = node[part];
  }
  return node;
}

/**
 * The schema that applies at a concrete frontmatter path, merged over `$ref`,
 * `allOf`, `anyOf`, `oneOf`, `then` and `else`: every alternative that could
 * apply is returned, most specific first.
 */
export function schemasAtPath(schema: JsonSchema, path: readonly (string | number)[]): JsonSchema[] {
  let current: JsonSchema[] = expand(schema, schema, 0);
  for (const segment of path) {
    const next: JsonSchema[] = [];
    for (const node of current) {
      if (typeof segment === 'number') {
        const items = node['items'];
        if (Array.isArray(items)) {
          const item = items[segment];
          if (isObject(item)) next.push(...expand(schema, item, 0));
        } else if (isObject(items)) next.push(...expand(schema, items, 0));
      } else {
        const properties = node['properties'];
        if (isObject(properties) && isObject(properties[segment])) next.push(...expand(schema, properties[segment] as JsonSchema, 0));
        else {
          const patternProperties = node['patternProperties'];
          let matched = false;
          if (isObject(patternProperties)) {
            for (const [pattern, sub] of Object.entries(patternProperties)) {
              if (isObject(sub) && safeRegExp(pattern)?.test(segment)) {
                next.push(...expand(schema, sub, 0));
                matched = true;
              }
            }
          }
          const additional = node['additionalProperties'];
          if (!matched && isObject(additional)) next.push(...expand(schema, additional, 0));
        }
      }
    }
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

/** A schema with everything it includes by `$ref`, `allOf`/`anyOf`/`oneOf` and `then`/`else`, depth-limited. */
export function expandSchema(root: JsonSchema, node: JsonSchema): JsonSchema[] {
  return expand(root, node, 0);
}

function expand(root: JsonSchema, node: JsonSchema, depth: number): JsonSchema[] {
  if (depth > MAX_DEPTH) return [];
  const out: JsonSchema[] = [node];
  const ref = node['$ref'];
  if (typeof ref === 'string') {
    const target = resolvePointer(root, ref);
    if (isObject(target)) out.push(...expand(root, target, depth + 1));
  }
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = node[keyword];
    if (Array.isArray(list)) for (const sub of list) if (isObject(sub)) out.push(...expand(root, sub, depth + 1));
  }
  for (const keyword of ['then', 'else'] as const) {
    const sub = node[keyword];
    if (isObject(sub)) out.push(...expand(root, sub, depth + 1));
  }
  return out;
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

function markWeighted(node: SchemaNode): void {
  for (const [key, child] of node.children) {
    if (child.weight) (node.weighted ??= []).push({ key, weight: child.weight });
    markWeighted(child);
  }
}

function trieNode(root: SchemaNode, path: readonly string[]): SchemaNode {
  let node = root;
  for (const segment of path) {
    let child = node.children.get(segment);
    if (!child) {
      child = { children: new Map() };
      node.children.set(segment, child);
    }
    node = child;
  }
  return node;
}

function readRelation(value: Record<string, unknown>): RelationSpec {
  const spec: RelationSpec = {};
  if (typeof value['name'] === 'string') spec.name = value['name'];
  if (typeof value['nameFrom'] === 'string') spec.nameFrom = value['nameFrom'];
  if (typeof value['mirror'] === 'string') spec.mirror = value['mirror'];
  if (value['inferred'] === true) spec.inferred = true;
  return spec;
}

const IDENTITY_KINDS: ReadonlySet<string> = new Set(['id', 'slug', 'title', 'alias', 'summary', 'domain', 'status']);
function isIdentityKind(value: string): value is IdentityKind {
  return IDENTITY_KINDS.has(value);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Where each property name is declared in a schema, as display paths
 * (`ontology.commons_domain`, `relationships.enables[].slug`): for telling an
 * author that a key written in the wrong place belongs elsewhere.
 */
export function propertyLocations(schema: JsonSchema): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const visit = (node: unknown, where: string, depth: number, refs: string[]): void => {
    if (!isObject(node) || depth > MAX_DEPTH) return;
    const ref = node['$ref'];
    if (typeof ref === 'string' && !refs.includes(ref)) visit(resolvePointer(schema, ref), where, depth + 1, [...refs, ref]);
    const properties = node['properties'];
    if (isObject(properties)) {
      for (const [key, child] of Object.entries(properties)) {
        if (typeof child === 'boolean' || (isObject(child) && isObject(child['not']))) continue;
        const path = where ? `${where}.${key}` : key;
        const list = out.get(key) ?? [];
        if (!list.includes(path)) list.push(path);
        out.set(key, list);
        visit(child, path, depth + 1, refs);
      }
    }
    const items = node['items'];
    if (isObject(items)) visit(items, `${where}[]`, depth + 1, refs);
    for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = node[keyword];
      if (Array.isArray(list)) for (const sub of list) visit(sub, where, depth + 1, refs);
    }
    for (const keyword of ['then', 'else'] as const) visit(node[keyword], where, depth + 1, refs);
  };
  visit(schema, '', 0, []);
  return out;
}
