/**
 * The built-in schemas are compiled ahead of time (scripts/generateValidators.ts).
 * Those validators must be exactly what compiling the schemas now gives: the
 * same verdict and the same errors on every frontmatter of the real library,
 * on broken copies of them, and on configs. And using them compiles nothing.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type Ajv from 'ajv';
import { BUILTIN_VALIDATOR_IDS } from '../../server/src/core/builtinSchemas';
import { precompiledValidator } from '../../server/src/core/builtinValidators';
import { withDefaults } from '../../server/src/core/config';
import { splitFrontmatter } from '../../server/src/core/frontmatter';
import { resolveLibrarySchemas } from '../../server/src/core/librarySchemas';
import { ucs2length, ucs2lengthAbove, ucs2lengthBelow } from '../../server/src/core/ucs2length';
import { createAjv } from '../../server/src/core/validation';
import ajvUcs2lengthModule from 'ajv/dist/runtime/ucs2length';

const ajvUcs2length = ajvUcs2lengthModule as unknown as (text: string) => number;
import { parseFrontmatterYaml } from '../../server/src/core/yamlFrontmatter';
import { rng } from '../helpers';

const REPO = path.resolve(__dirname, '..', '..');
const CORPUS =
  process.env['TRELLIS_CORPUS'] ??
  [path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns'), '/work/shared/corpus/commons-os-patterns'].find((dir) => existsSync(dir)) ??
  path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns');

/** A copy of `value` with one thing broken: a key removed, a value of the wrong type, an unknown key. */
function broken(value: unknown, pick: () => number): unknown {
  const copy = structuredClone(value);
  const maps: Array<Record<string, unknown>> = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      maps.push(v as Record<string, unknown>);
      Object.values(v).forEach(walk);
    }
  };
  walk(copy);
  const map = maps[Math.floor(pick() * maps.length)];
  if (!map) return copy;
  const keys = Object.keys(map);
  const key = keys[Math.floor(pick() * keys.length)] ?? 'x';
  const wrong = [42, 'text', null, [], {}, true, -1.5, ['a', 1], 'not-a-slug!', '', '\ud83d\ude00'];
  const what = Math.floor(pick() * 3);
  if (what === 0) delete map[key];
  else if (what === 1) map[key] = wrong[Math.floor(pick() * wrong.length)];
  else map[`unknown_${key}`] = 1;
  return copy;
}

describe('the built-in schemas compiled ahead of time', function () {
  this.timeout(120_000);
  const fresh = createAjv();
  const pairs = Object.entries(BUILTIN_VALIDATOR_IDS).map(([name, { schema }]) => ({ name, precompiled: precompiledValidator(schema)!, compiled: fresh.compile(schema) }));

  const same = (name: string, value: unknown): boolean => {
    const { precompiled, compiled } = pairs.find((p) => p.name === name)!;
    const verdict = precompiled(value);
    assert.equal(verdict, compiled(value), `${name}: verdict`);
    assert.deepStrictEqual(precompiled.errors ?? null, compiled.errors ?? null, `${name}: errors`);
    return verdict;
  };

  it('exist for every built-in schema', () => {
    for (const { name, precompiled } of pairs) assert.equal(typeof precompiled, 'function', name);
  });

  it('judge every frontmatter of the real library, and broken copies of it, exactly as a fresh compile does', () => {
    const files = readdirSync(CORPUS).filter((f) => f.endsWith('.md')).sort();
    assert.ok(files.length > 3000, `the corpus at ${CORPUS} is missing`);
    const pick = rng(3);
    let valid = 0;
    let invalid = 0;
    for (const file of files) {
      const text = readFileSync(path.join(CORPUS, file), 'utf8');
      const split = splitFrontmatter(text);
      if (split.kind !== 'frontmatter') continue;
      const { value } = parseFrontmatterYaml(text, split.yamlStart, split.yamlEnd);
      for (const name of ['commonsV7', 'commonsV1']) {
        if (same(name, value)) valid++;
        else invalid++;
        if (!same(name, broken(value, pick))) invalid++;
      }
    }
    // Both verdicts, many times over: the comparison covers errors, not only passes.
    assert.ok(valid > 3000 && invalid > 3000, `valid ${valid}, invalid ${invalid}`);
  });

  it('judge configs exactly as a fresh compile does', () => {
    const pick = rng(5);
    const config = JSON.parse(readFileSync(path.join(REPO, 'schemas', 'trellis.default-config.json'), 'utf8')) as unknown;
    assert.equal(same('config', config), true);
    for (let n = 0; n < 500; n++) same('config', broken(config, pick));
  });

  it('are used: checking patterns against the built-in schemas compiles nothing', () => {
    const refusing = { compile: () => assert.fail('compiled a built-in schema') } as unknown as Ajv;
    const schemas = resolveLibrarySchemas(withDefaults({}), new Map(), refusing);
    for (const schema of schemas.schemas) assert.equal(typeof schema.validator.isValid({ slug: 'x' }), 'boolean');
  });
});

describe('ucs2length', () => {
  it('counts code points exactly as ajv does', () => {
    const pick = rng(9);
    const pieces = ['a', 'é', '😀', '\ud83d', '\ude00', 'Ω', ' ', '\udbff\udfff', '\ud800'];
    for (let n = 0; n < 5000; n++) {
      let text = '';
      for (let k = Math.floor(pick() * 12); k > 0; k--) text += pieces[Math.floor(pick() * pieces.length)]!;
      assert.equal(ucs2length(text), ajvUcs2length(text), JSON.stringify(text));
    }
  });

  it('compares with a bound exactly as counting does, around the bound and twice it', () => {
    const pick = rng(11);
    const pieces = ['a', '😀', '\ud83d', '\ude00', 'é'];
    for (let n = 0; n < 5000; n++) {
      let text = '';
      for (let k = Math.floor(pick() * 10); k > 0; k--) text += pieces[Math.floor(pick() * pieces.length)]!;
      for (let bound = 0; bound <= 10; bound++) {
        assert.equal(ucs2lengthBelow(text, bound), ajvUcs2length(text) < bound, `${JSON.stringify(text)} below ${bound}`);
        assert.equal(ucs2lengthAbove(text, bound), ajvUcs2length(text) > bound, `${JSON.stringify(text)} above ${bound}`);
      }
    }
  });
});
