/** Checks that keep derived or duplicated facts from drifting apart. */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DIAGNOSTIC_CODES } from '../../server/src/core/diagnosticCodes';
import configSchema from '../../schemas/trellis.config.schema.json';

const REPO = path.resolve(__dirname, '..', '..');
const CORE = path.join(REPO, 'server', 'src', 'core');
const ALLOWED_IMPORTS = new Set(['yaml', 'ajv', 'vscode-languageserver-types']);

describe('tidy', () => {
  it('the core imports no host: no node:*, no fs, no LSP connection, no vscode', () => {
    for (const file of readdirSync(CORE, { recursive: true }) as string[]) {
      if (!file.endsWith('.ts')) continue;
      const text = readFileSync(path.join(CORE, file), 'utf8');
      for (const match of text.matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)) {
        const source = match[1]!;
        if (source.startsWith('.')) continue;
        assert.ok(ALLOWED_IMPORTS.has(source), `${file} imports ${source}`);
      }
      assert.doesNotMatch(text, /\brequire\(|process\.|setTimeout|setImmediate/, `${file} reaches for the host`);
    }
  });

  it('the config schema lists exactly the diagnostic codes the core reports', () => {
    const severityCodes = Object.keys(configSchema.properties.severity.properties).sort();
    const leadCodes = [...configSchema.definitions.section.properties.lead.properties.code.enum].sort();
    const codes = Object.keys(DIAGNOSTIC_CODES).sort();
    assert.deepEqual(severityCodes, codes);
    assert.deepEqual(leadCodes, codes);
  });

  it('every property of every schema has a description for completion and hover', () => {
    for (const file of readdirSync(path.join(REPO, 'schemas')).filter((f) => f.endsWith('.schema.json'))) {
      const schema = JSON.parse(readFileSync(path.join(REPO, 'schemas', file), 'utf8')) as unknown;
      const missing: string[] = [];
      const visit = (node: unknown, where: string): void => {
        if (!node || typeof node !== 'object') return;
        if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${where}[${i}]`));
        const record = node as Record<string, unknown>;
        const properties = record['properties'];
        if (properties && typeof properties === 'object') {
          for (const [key, sub] of Object.entries(properties as Record<string, unknown>)) {
            if (typeof sub === 'boolean') continue;
            const s = sub as Record<string, unknown>;
            if (typeof s['description'] !== 'string' && typeof s['$ref'] !== 'string') missing.push(`${where}.${key}`);
          }
        }
        // Conditions (`if`) are not shapes an author writes; enums and examples are values.
        for (const [key, value] of Object.entries(record)) if (!['enum', 'const', 'default', 'examples', 'if'].includes(key)) visit(value, `${where}/${key}`);
      };
      visit(schema, file);
      assert.deepEqual(missing, [], `properties without a description in ${file}`);
    }
  });
});
