/**
 * A document fresh from analysis holds slices of its file's text; the index
 * keeps documents for every pattern, so it must not keep every file's text.
 */
import * as assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { withDefaults } from '../../server/src/core/config';
import { resolveLibrarySchemas } from '../../server/src/core/librarySchemas';
import { analyzePattern, detachFromText, type PatternDocument } from '../../server/src/core/pattern';
import { v7Pattern } from '../helpers';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('documents detached from their text', () => {
  const schemas = resolveLibrarySchemas(withDefaults({}));
  /** A pattern with a body of about a megabyte (non-ASCII, so two bytes a character), and long strings everywhere a document keeps one. */
  const bigPattern = (n: number): string =>
    v7Pattern(`a-long-pattern-slug-number-${n}`, {
      confidence: 1,
      stars: '★★★',
      relationships: `  enables:\n    - slug: another-long-pattern-slug-${n}\n      weight: 0.5\n    - slug: another-long-pattern-slug-${n}\n      weight: 0.6\n  complementary:\n    - a-long-pattern-slug-number-${n}`,
      extraBody: `\n${'Ünïcode prose, long enough to matter. '.repeat(28000)}\n`,
    });

  it('keeps every field as it was', () => {
    const doc = analyzePattern(`file:///lib/a-long-pattern-slug-number-1.md`, bigPattern(1), 'a-long-pattern-slug-number-1.md', schemas)!;
    assert.ok(doc.references.length > 0 && doc.localDiagnostics.length > 0, 'the fixture has references and diagnostics');
    const before = structuredClone(doc);
    assert.deepStrictEqual(detachFromText(doc), before);
  });

  it('lets the text of the file go', () => {
    const keep = (detach: boolean): number => {
      gc();
      const start = process.memoryUsage().heapUsed;
      const docs: PatternDocument[] = [];
      for (let n = 0; n < 40; n++) {
        const doc = analyzePattern(`file:///lib/x${n}.md`, bigPattern(n), `x${n}.md`, schemas)!;
        docs.push(detach ? detachFromText(doc) : doc);
      }
      gc();
      const grown = process.memoryUsage().heapUsed - start;
      assert.equal(docs.length, 40);
      return grown / 2 ** 20;
    };
    const attached = keep(false);
    // The heap also grows by what the first calls compile and cache, and by
    // whatever earlier tests left for the collector: the smallest of a few
    // runs is what the documents themselves keep. A text kept alive would be
    // kept in every run.
    const detached = Math.min(keep(true), keep(true), keep(true));
    // 40 texts of about 2 MB each: kept alive by slices unless detached.
    assert.ok(attached > 40, `the test should show texts kept alive without detaching (grew ${attached.toFixed(1)} MB)`);
    assert.ok(detached < 2, `detached documents grew the heap by ${detached.toFixed(1)} MB`);
  });
});
