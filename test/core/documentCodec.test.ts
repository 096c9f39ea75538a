/**
 * The cache and the workers' answers keep each reference path once, found
 * again by a key: two different paths must never share a key, or a decoded
 * reference would point somewhere else in its file.
 */
import * as assert from 'node:assert/strict';
import { asciiJson, decodeDocuments, encodeDocuments, pathKey } from '../../server/src/core/documentCodec';
import type { PatternDocument, PatternReference } from '../../server/src/core/pattern';
import type { PathSegment } from '../../server/src/core/yamlFrontmatter';
import { rng } from '../helpers';

/** Segments chosen to collide under a careless key: digits as text and as numbers, and the key's own marks. */
const SEGMENTS: PathSegment[] = ['', '0', 0, '1', 1, 10, '10', '#1;', '#', ';', ':', '1:a', 'a', 'a:', '2:ab', 'ab', '\u0000', 'é'];

function randomPath(random: () => number): PathSegment[] {
  return Array.from({ length: Math.floor(random() * 4) }, () => SEGMENTS[Math.floor(random() * SEGMENTS.length)]!);
}

function documentWithPaths(paths: PathSegment[][]): PatternDocument {
  const range = { start: { line: 1, character: 2 }, end: { line: 1, character: 9 } };
  const references: PatternReference[] = paths.map((path, i) => ({ relation: 'related', inferred: false, targetKind: 'slug', target: `target-${i}`, range, path }));
  return {
    uri: 'file:///lib/a.md',
    fileSlug: 'a',
    schemaName: 'commons-v1',
    declaredRelations: ['related'],
    aliases: [],
    references,
    frontmatterRange: range,
    hasSyntaxErrors: false,
    localDiagnostics: [],
  };
}

describe('the document codec', () => {
  it('gives two paths the same key only when they are equal', () => {
    const random = rng(7);
    const byKey = new Map<string, string>();
    for (let n = 0; n < 20000; n++) {
      const path = randomPath(random);
      const key = pathKey(path);
      const json = JSON.stringify(path);
      const known = byKey.get(key);
      if (known === undefined) byKey.set(key, json);
      else assert.equal(json, known, `${json} and ${known} share the key ${JSON.stringify(key)}`);
    }
    assert.ok(byKey.size > 1000, `${byKey.size} distinct paths tried`);
  });

  it('gives back each reference its own path, however alike the paths look', () => {
    const paths: PathSegment[][] = [['related', 0], ['related', '0'], ['related', 10], ['related', 1, 0], ['related', '1:0'], ['#0;'], [0], ['0'], [], ['2:ab'], ['ab'], ['a', 'b']];
    const decoded = decodeDocuments(encodeDocuments([['a', documentWithPaths(paths)]])).get('a')!;
    assert.deepStrictEqual(
      decoded.references.map((r) => r.path),
      paths,
    );
  });

  it('writes the cache in ASCII alone and reads back every string as it was', () => {
    // Beyond ASCII: Latin-1, the stars of a confidence rating, a line separator, the last BMP character, an
    // emoji (a surrogate pair), lone surrogates of either half, and ASCII that JSON escapes itself.
    const strings = ['café', '★★★☆☆', 'a\u2028b', '\u0080\u00ff\uffff', 'link 🌱 here', 'lone \ud83c end', '\udf31 first', 'tab\tquote" back\\slash \u0000'];
    const doc = documentWithPaths(strings.map((s) => ['related', s]));
    doc.title = strings.join(' | ');
    doc.aliases = strings;
    doc.localDiagnostics = [{ code: 'yaml-syntax', range: doc.frontmatterRange, source: 'trellis', message: strings.join('\n') }];
    const text = asciiJson(encodeDocuments([['key ★', doc]]));
    assert.match(text, /^[\x00-\x7f]*$/);
    assert.deepStrictEqual(decodeDocuments(JSON.parse(text)).get('key ★'), doc);
  });
});
