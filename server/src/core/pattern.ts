/**
 * Reads one file into a PatternDocument: identity, references with their
 * ranges, and every diagnostic that depends on this file alone (the body's
 * headings are checked against the template here, not kept).
 * The text itself is not kept: the index of a large library holds only this.
 */
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { checkBody } from './bodyTemplate';
import { scanBlockYaml } from './blockYaml';
import type { DiagnosticCode } from './diagnosticCodes';
import { splitFrontmatter, type FrontmatterSplit } from './frontmatter';
import { mapGet, treeAt, treeFromYaml, type TreeMap, type TreeNode, type TreeScalar } from './frontmatterTree';
import { readHeadings } from './markdownBody';
import type { LibrarySchemas, ResolvedSchema } from './librarySchemas';
import { ANY_ITEM, ANY_KEY, type IdentityKind, type ReferenceTarget, type SchemaNode } from './schemaModel';
import { LineMap } from './text';
import { displayPath, type SchemaViolation } from './validation';
import { parseFrontmatterYaml, type PathSegment } from './yamlFrontmatter';

export interface PatternReference {
  /** The relation name, or undefined for an inferred link without a type. */
  relation: string | undefined;
  mirror?: string;
  inferred: boolean;
  /** The strength of the link from 0 to 1, from a sibling number marked `x-trellis-weight`, when the entry has one. */
  weight?: number;
  targetKind: ReferenceTarget;
  target: string;
  range: Range;
  path: PathSegment[];
}

export type LocalDiagnostic = Omit<Diagnostic, 'severity' | 'code'> & { code: DiagnosticCode };

export interface PatternDocument {
  uri: string;
  /** The file name without `.md`. */
  fileSlug: string;
  schemaName: string;
  /** The relation names this file's schema declares (shared between files of one schema). */
  declaredRelations: readonly string[];
  slug?: string;
  slugRange?: Range;
  id?: string;
  idRange?: Range;
  title?: string;
  aliases: string[];
  summary?: string;
  domain?: string;
  status?: string;
  references: PatternReference[];
  frontmatterRange: Range;
  /** True when the frontmatter is not valid YAML: identity is best effort and references are not indexed. */
  hasSyntaxErrors: boolean;
  localDiagnostics: LocalDiagnostic[];
}

export function fileSlugOf(uri: string): string {
  const name = decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
  return name.replace(/\.md$/i, '');
}

export interface AnalysisOptions {
  /**
   * Try the fast block-YAML reader before the full parser (default true).
   * Both give the same document; tests turn it off to compare the two.
   */
  fastScan?: boolean;
}

/**
 * Returns undefined for a file without frontmatter: it is not a pattern.
 * `relativePath` (to the library root, `/`-separated) picks the schema.
 */
export function analyzePattern(uri: string, text: string, relativePath: string, schemas: LibrarySchemas, options: AnalysisOptions = {}): PatternDocument | undefined {
  const split = splitFrontmatter(text);
  if (split.kind === 'none') return undefined;
  // The fast reader first; the full parser when it declines or when there are schema errors to place.
  if (split.close && options.fastScan !== false) {
    const scanned = scanBlockYaml(text, split.yamlStart, split.yamlEnd);
    if (scanned) {
      const schema = schemas.schemaFor(relativePath, scanned.value);
      const lines = new LineMap(text);
      const violations = schema.validator.isValid(scanned.value) ? [] : schema.validator.validate(scanned.tree, scanned.value, fence(split), (offset) => lines.lineEndAt(offset));
      return analyzeParsed(uri, text, lines, split, schema, { tree: scanned.tree, value: scanned.value, errors: [], violations });
    }
  }
  const parsed = parseFrontmatterYaml(text, split.yamlStart, split.yamlEnd);
  const schema = schemas.schemaFor(relativePath, parsed.value);
  const clean = parsed.errors.length === 0 && split.close !== undefined;
  const lines = new LineMap(text);
  const tree = treeFromYaml(parsed.doc, parsed.base);
  const violations = clean ? schema.validator.validate(tree, parsed.value, fence(split), (offset) => lines.lineEndAt(offset)) : [];
  return analyzeParsed(uri, text, lines, split, schema, { tree, value: parsed.value, errors: parsed.errors, violations });
}

/** The opening `---`: where an error with no better place goes. */
function fence(split: Extract<FrontmatterSplit, { kind: 'frontmatter' }>): { start: number; end: number } {
  return { start: split.openStart, end: split.openEnd };
}

interface ReadFrontmatter {
  tree: TreeNode;
  value: unknown;
  errors: Array<{ start: number; end: number; message: string }>;
  violations: SchemaViolation[];
}

function analyzeParsed(uri: string, text: string, lines: LineMap, split: Extract<FrontmatterSplit, { kind: 'frontmatter' }>, schema: ResolvedSchema, parsed: ReadFrontmatter): PatternDocument {
  const local: LocalDiagnostic[] = [];
  // Fields added by name, not spread from an object: V8 gives an object spread from another a map of its own,
  // outside any transition tree, so every diagnostic with data would have a hidden class no other object shares.
  const add: AddDiagnostic = (code, start, end, message, data, relatedInformation) => {
    const diagnostic: LocalDiagnostic = { code, range: lines.range(start, end), message, source: 'trellis' };
    if (data !== undefined) diagnostic.data = data;
    if (relatedInformation !== undefined) diagnostic.relatedInformation = relatedInformation;
    local.push(diagnostic);
  };
  const fence = { start: split.openStart, end: split.openEnd };

  const hasSyntaxErrors = parsed.errors.length > 0 || !split.close;
  if (!split.close) {
    add('yaml-syntax', fence.start, fence.end, 'The frontmatter has no closing `---` line, so the whole file is read as YAML. Add a `---` line after the last frontmatter field.');
  }
  for (const error of parsed.errors) {
    // An error at the very end of the text is easier to see on the last line than past it.
    const start = Math.min(error.start, Math.max(split.yamlStart, split.yamlEnd - 1));
    add('yaml-syntax', start, Math.max(start, Math.min(error.end, split.yamlEnd)), error.message);
  }

  const value = parsed.value;
  const doc: PatternDocument = {
    uri,
    fileSlug: fileSlugOf(uri),
    schemaName: schema.name,
    declaredRelations: schema.relationNames,
    aliases: [],
    references: [],
    frontmatterRange: lines.range(split.openStart, split.close ? split.close.end : split.yamlEnd),
    hasSyntaxErrors,
    localDiagnostics: local,
  };

  const root = parsed.tree;
  readIdentity(doc, root, schema, lines);
  if (hasSyntaxErrors && doc.slug === undefined) {
    // Keep the pattern findable while its YAML is broken, so links to it do not all turn dangling.
    doc.slug = doc.fileSlug;
  }

  if (!hasSyntaxErrors) {
    if (root.kind === 'map') collectReferences(root, schema.model.root, doc, lines);
    for (const violation of parsed.violations) {
      const range = lines.range(violation.start, violation.end);
      // A squiggle on the first line of a block value is enough.
      if (range.end.line > range.start.line) range.end = { line: range.start.line, character: lines.lineEnd(range.start.line) - lines.lineStart(range.start.line) };
      const data: Record<string, unknown> = { path: violation.path, keyword: violation.keyword };
      if (violation.missingProperty !== undefined) data['missingProperty'] = violation.missingProperty;
      local.push({ code: 'schema', range, message: violation.message, source: 'trellis', data });
    }
    checkIdentity(doc, add, lines);
    checkReferences(doc, local);
    checkMeans(root, schema, add);
  }

  const headings = readHeadings(text, split.bodyStart);
  if (schema.body && !(hasSyntaxErrors && value === undefined)) {
    const confidencePath = schema.body.confidenceNote?.field.split('.') ?? [];
    const fieldNode = confidencePath.length ? treeAt(root, confidencePath) : undefined;
    const fieldRange = fieldNode && fieldNode.found === confidencePath.length && fieldNode.node.kind === 'scalar' ? { start: fieldNode.node.start, end: fieldNode.node.end } : undefined;
    for (const finding of checkBody(text, split.bodyStart, headings, schema.body, value, fieldRange)) {
      // The finding is this call's own: its data takes the field's range as a position (checkBody knows only offsets).
      const data = finding.data;
      if (data && fieldRange) data['fieldRange'] = lines.range(fieldRange.start, fieldRange.end);
      const related = finding.code === 'confidence-mismatch' && fieldRange ? [{ location: { uri, range: lines.range(fieldRange.start, fieldRange.end) }, message: 'The frontmatter value' }] : undefined;
      add(finding.code, finding.start, finding.end, finding.message, data, related);
    }
  }
  return doc;
}

/**
 * Strings cut from a file's text share its memory (V8 keeps the whole text
 * alive for a slice of 13 characters or more), so a document fresh from
 * analysis holds its file's text. This replaces, in place, every string of
 * the document by a copy that owns its characters, except the fields that
 * never come from the text (the URI, the file slug and the schema's shared
 * relation list). Much cheaper than a structured clone of the document.
 */
export function detachFromText(doc: PatternDocument): PatternDocument {
  if (doc.slug !== undefined) doc.slug = own(doc.slug);
  if (doc.id !== undefined) doc.id = own(doc.id);
  if (doc.title !== undefined) doc.title = own(doc.title);
  if (doc.summary !== undefined) doc.summary = own(doc.summary);
  if (doc.domain !== undefined) doc.domain = own(doc.domain);
  if (doc.status !== undefined) doc.status = own(doc.status);
  for (let i = 0; i < doc.aliases.length; i++) doc.aliases[i] = own(doc.aliases[i]!);
  for (const reference of doc.references) {
    reference.target = own(reference.target);
    if (reference.relation !== undefined) reference.relation = own(reference.relation);
    ownPath(reference.path);
  }
  for (const diagnostic of doc.localDiagnostics) {
    diagnostic.message = own(diagnostic.message);
    if (diagnostic.data !== undefined) diagnostic.data = detached(diagnostic.data);
    if (diagnostic.relatedInformation) for (const related of diagnostic.relatedInformation) related.message = own(related.message);
  }
  return doc;
}

/** Below this length V8 copies a substring instead of slicing it. */
const SLICE_MIN_LENGTH = 13;

/** A copy of a string that owns its characters (a slice of a flat copy of it: a few bytes more). */
function own(value: string): string {
  return value.length < SLICE_MIN_LENGTH ? value : (' ' + value).slice(1);
}

function ownPath(path: PathSegment[]): void {
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    if (typeof segment === 'string') path[i] = own(segment);
  }
}

function detached(value: unknown): unknown {
  if (typeof value === 'string') return own(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = detached(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) record[key] = detached(record[key]);
  return value;
}

/**
 * analyzePattern as a library keeps it: never throws (an unexpected failure on
 * a file becomes a diagnostic on it, so no file can take the server down), and
 * detached from the text at once, so that the text dies young wherever the
 * file was analyzed (this thread or a worker, which holds a batch's documents
 * until it answers).
 */
export function analyzePatternSafely(uri: string, text: string, relativePath: string, schemas: LibrarySchemas): PatternDocument | undefined {
  try {
    const doc = analyzePattern(uri, text, relativePath, schemas);
    return doc && detachFromText(doc);
  } catch (error) {
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } };
    return {
      uri,
      fileSlug: fileSlugOf(uri),
      schemaName: '',
      declaredRelations: [],
      aliases: [],
      references: [],
        frontmatterRange: range,
      hasSyntaxErrors: true,
      localDiagnostics: [{ code: 'yaml-syntax', range, message: `Trellis could not read this file: ${(error as Error).message}`, source: 'trellis' }],
    };
  }
}

/**
 * The identity fields are set on the document in one order, whatever order
 * the schema declares them in (Commons v7 puts the slug before the title, v1
 * after): the same order as decodeDocuments sets them, so that documents
 * analyzed here and documents decoded from a worker or the cache share V8's
 * hidden classes, and the index's functions see one shape, not several.
 */
function readIdentity(doc: PatternDocument, root: TreeNode, schema: ResolvedSchema, lines: LineMap): void {
  const values: Partial<Record<IdentityKind, { value: string; range: Range }>> = {};
  for (const [kind, path] of schema.model.identity) {
    if (kind === 'alias') {
      // Aliases are the items of a list; the identity annotation sits on the item.
      const listPath = path[path.length - 1] === ANY_ITEM ? path.slice(0, -1) : path;
      const { node, found } = treeAt(root, listPath);
      if (found === listPath.length && node.kind === 'seq') {
        for (const item of node.items) if (item.kind === 'scalar' && typeof item.value === 'string') doc.aliases.push(item.value);
      }
      continue;
    }
    if (path.some((s) => s === ANY_ITEM || s === ANY_KEY)) continue;
    const { node, found } = treeAt(root, path);
    if (found !== path.length || node.kind !== 'scalar') continue;
    const raw = node.value;
    if (typeof raw !== 'string' && typeof raw !== 'number') continue;
    values[kind] = { value: String(raw).trim(), range: lines.range(node.start, node.end) };
  }
  const { slug, id, title, summary, domain, status } = values;
  if (slug) {
    doc.slug = slug.value;
    doc.slugRange = slug.range;
  }
  if (id) {
    doc.id = id.value;
    doc.idRange = id.range;
  }
  if (title) doc.title = title.value;
  if (summary) doc.summary = summary.value.replace(/\s+/g, ' ');
  if (domain) doc.domain = domain.value;
  if (status) doc.status = status.value;
}

/**
 * Every reference under `root`, found by walking the tree and the schema's
 * trie together (the trie holds only paths to annotated fields). `path` is
 * one stack for the walk; a reference keeps a copy of it.
 */
function collectReferences(root: TreeMap, schemaRoot: SchemaNode, doc: PatternDocument, lines: LineMap): void {
  const path: PathSegment[] = [];
  const visit = (node: TreeNode, schemaNode: SchemaNode, parentMap: TreeMap | undefined, parentSchema: SchemaNode | undefined): void => {
    if (schemaNode.reference && node.kind === 'scalar' && typeof node.value === 'string') {
      const target = node.value.trim();
      if (target !== '') doc.references.push(referenceAt(node, target, schemaNode.reference, path.slice(), lines, parentMap, parentSchema));
    }
    if (node.kind === 'map') {
      const anyKey = schemaNode.children.get(ANY_KEY);
      for (let i = 0; i < node.keys.length; i++) {
        const key = node.keys[i];
        if (key === undefined) continue;
        const child = schemaNode.children.get(key) ?? anyKey;
        if (!child) continue;
        path.push(key);
        visit(node.values[i]!, child, node, schemaNode);
        path.pop();
      }
    } else if (node.kind === 'seq') {
      const child = schemaNode.children.get(ANY_ITEM);
      if (!child) return;
      for (let i = 0; i < node.items.length; i++) {
        path.push(i);
        visit(node.items[i]!, child, undefined, undefined);
        path.pop();
      }
    }
  };
  visit(root, schemaRoot, undefined, undefined);
}

function referenceAt(node: TreeScalar, target: string, spec: NonNullable<SchemaNode['reference']>, path: PathSegment[], lines: LineMap, parentMap: TreeMap | undefined, parentSchema: SchemaNode | undefined): PatternReference {
  const { relation } = spec;
  let name = relation.name;
  if (!name && relation.nameFrom && parentMap) {
    const named = mapGet(parentMap, relation.nameFrom);
    if (named?.kind === 'scalar' && typeof named.value === 'string') name = named.value;
  }
  const reference: PatternReference = { relation: name, inferred: relation.inferred === true, targetKind: spec.target, target, range: lines.range(node.start, node.end), path };
  if (relation.mirror) reference.mirror = relation.mirror;
  const weight = parentMap && parentSchema ? readWeight(parentMap, parentSchema) : undefined;
  if (weight !== undefined) reference.weight = weight;
  return reference;
}

/** The first sibling number the schema marks `x-trellis-weight`, as a fraction of its maximum. */
function readWeight(map: TreeMap, schemaNode: SchemaNode): number | undefined {
  if (!schemaNode.weighted) return undefined;
  for (const { key, weight } of schemaNode.weighted) {
    const value = mapGet(map, key);
    if (value?.kind === 'scalar' && typeof value.value === 'number' && Number.isFinite(value.value)) {
      return Math.min(1, Math.max(0, value.value / weight.maximum));
    }
  }
  return undefined;
}

/** Adds a local diagnostic over the offsets `start`..`end`. */
type AddDiagnostic = (code: DiagnosticCode, start: number, end: number, message: string, data?: Record<string, unknown>, relatedInformation?: LocalDiagnostic['relatedInformation']) => void;

function checkIdentity(doc: PatternDocument, add: AddDiagnostic, lines: LineMap): void {
  if (doc.slug !== undefined && doc.slugRange && doc.slug !== doc.fileSlug) {
    const start = lines.offsetAt(doc.slugRange.start);
    const end = lines.offsetAt(doc.slugRange.end);
    add('slug-filename-mismatch', start, end, `The slug \`${doc.slug}\` does not match the file name \`${doc.fileSlug}.md\`; a pattern's slug must be its file name.`, { slug: doc.slug, fileSlug: doc.fileSlug });
  }
}

function checkReferences(doc: PatternDocument, local: LocalDiagnostic[]): void {
  const seen = new Map<string, PatternReference>();
  for (const reference of doc.references) {
    const self = (reference.targetKind !== 'id' && reference.target === doc.slug) || (reference.targetKind !== 'slug' && reference.target === doc.id);
    if (self) {
      local.push({ code: 'self-reference', range: reference.range, message: `This pattern lists itself under \`${reference.relation ?? 'an untyped link'}\`.`, source: 'trellis', data: { path: reference.path } });
    }
    const key = `${reference.inferred ? 'inferred' : 'curated'}\u0000${reference.relation ?? ''}\u0000${reference.target}`;
    const first = seen.get(key);
    if (first) {
      local.push({
        code: 'duplicate-reference',
        range: reference.range,
        message: `\`${reference.target}\` is already listed under \`${reference.relation ?? 'untyped links'}\` (at ${displayPath(first.path)}).`,
        source: 'trellis',
        data: { path: reference.path },
        relatedInformation: [{ location: { uri: doc.uri, range: first.range }, message: 'First listed here' }],
      });
    } else seen.set(key, reference);
  }
}

function checkMeans(root: TreeNode, schema: ResolvedSchema, add: AddDiagnostic): void {
  for (const { path, spec } of schema.model.meanOf) {
    if (path.some((s) => s === ANY_ITEM || s === ANY_KEY)) continue;
    const parentPath = path.slice(0, -1);
    const key = path[path.length - 1]!;
    const { node: parent, found } = treeAt(root, parentPath);
    if (found !== parentPath.length || parent.kind !== 'map') continue;
    const target = mapGet(parent, String(key));
    if (target?.kind !== 'scalar' || typeof target.value !== 'number') continue;
    const parts: number[] = [];
    for (const sibling of spec.of) {
      const part = mapGet(parent, sibling);
      if (part?.kind !== 'scalar' || typeof part.value !== 'number') return;
      parts.push(part.value);
    }
    if (parts.length === 0) continue;
    const mean = parts.reduce((a, b) => a + b, 0) / parts.length;
    const written = target.value;
    const unit = Math.pow(10, -spec.decimals);
    // Either rounding convention (half up, half to even) is accepted: both are "to one decimal".
    if (Math.abs(written - mean) <= unit / 2 + 1e-9) continue;
    const expected = roundTo(mean, spec.decimals);
    add('overall-score', target.start, target.end, `\`${key}\` is ${written}, but the mean of the ${parts.length} scores is ${expected}${expected !== mean ? ` (${Number(mean.toFixed(4))})` : ''}.`, { expected: expected.toFixed(spec.decimals), path });
  }
}

export function roundTo(value: number, decimals: number): number {
  const factor = Math.pow(10, decimals);
  return Math.round(value * factor + 1e-9) / factor;
}
