/**
 * Hostile libraries for the security tests: a config and JSON Schemas whose
 * keyword values would be code if anything evaluated them (ajv compiles
 * schemas to JavaScript), remote `$ref`s and `$id`s, prototype-polluting
 * keys, and pattern files full of URLs, YAML tags of other languages and
 * markup. Every payload would set `globalThis.__pwned` if it ran.
 */
import { v7Pattern } from '../helpers';

export const CODE = [
  `'); globalThis.__pwned = 'quote'; ('`,
  '"); globalThis.__pwned = "double"; ("',
  '`); globalThis.__pwned = `backtick`; (`',
  '*/ globalThis.__pwned = "comment"; /*',
  '\n globalThis.__pwned = "newline";\n',
  '\u2028globalThis.__pwned = "line-separator"\u2029',
  '${globalThis.__pwned = "template"}',
  '\\"); globalThis.__pwned = "backslash"; //',
];

/** A JSON Schema (draft-07) for the patterns, hostile in every keyword whose value ajv writes into the code it generates. */
export function hostileSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    slug: { type: 'string', description: 'The slug.', 'x-trellis-identity': 'slug', pattern: "^[a-z0-9-]+$|'\\); globalThis.__pwned = 'pattern'; \\('", 'x-trellis-message': CODE[0] },
    title: { type: 'string', description: CODE[1], 'x-trellis-identity': 'title', default: CODE[2], examples: [CODE[3]] },
    related: {
      type: 'array',
      description: 'Related patterns.',
      'x-trellis-relation': { name: CODE[4], mirror: CODE[5] },
      items: { type: 'string', 'x-trellis-reference': 'slug', description: 'A slug.' },
    },
    local: { $ref: `#/definitions/${encodeURIComponent(CODE[0]!)}`, description: 'A local reference to a definition named by code.' },
    level: { type: 'string', enum: CODE, description: 'An enum of code.' },
    fixed: { const: CODE[6], description: 'A const of code.' },
  };
  for (const [i, code] of CODE.entries()) properties[code] = { type: 'string', description: `Property ${i}.`, default: code, minLength: 1 };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://203.0.113.7/${encodeURIComponent(CODE[0]!)}.json`,
    type: 'object',
    description: CODE[7],
    required: ['slug', ...CODE],
    properties,
    patternProperties: { ["^x-(?:'); globalThis.__pwned = 'regex'; ('|y)$"]: { type: 'number', description: 'Extensions.' } },
    additionalProperties: false,
    $comment: CODE[5],
    definitions: { [CODE[0]!]: { type: 'string', description: 'A definition named by code.' } },
  };
}

/** The library's files: config, schemas, patterns. */
export function hostileLibrary(): Record<string, string> {
  const sections = [{ name: CODE[0], lead: { pattern: "^'\\); globalThis.__pwned = 'lead'; \\('", code: 'missing-therefore', message: CODE[1] } }];
  const config = JSON.stringify({ schemas: [{ name: 'hostile', schema: './hostile.schema.json', files: ['hostile/**'], body: { sections } }] }, null, 2);
  const remoteSchema = { $schema: 'http://json-schema.org/draft-07/schema#', $ref: 'https://203.0.113.7/only-remote.json', description: 'Nothing but a remote reference.' };
  const hostilePattern = `---
slug: hostile-one
title: "<img src=x onerror=globalThis.__pwned=1> https://203.0.113.7/title"
related:
  - "'); globalThis.__pwned = 'reference'; ('"
  - https://203.0.113.7/as-a-slug
level: nope
${CODE.map((c) => `${JSON.stringify(c)}: ${JSON.stringify(c)}`).join('\n')}
__proto__:
  polluted: yaml
constructor:
  prototype:
    polluted: yaml-constructor
fn: !!js/function "function () { globalThis.__pwned = 'js-function'; }"
re: !!js/regexp /x/
py: !!python/object/apply:os.system ["echo pwned"]
anchor: &a { __proto__: { polluted: merge } }
merged:
  <<: *a
---

### ${CODE[0]}

See https://203.0.113.7/body and [a link](http://203.0.113.7/link), ![img](https://203.0.113.7/i.png).
`;
  return {
    'trellis.config.json': config,
    'hostile.schema.json': JSON.stringify(hostileSchema(), null, 2),
    'remote.schema.json': JSON.stringify(remoteSchema, null, 2),
    'hostile/hostile-one.md': hostilePattern,
    'remote/remote-one.md': '---\nslug: remote-one\ntitle: Remote\n---\n\nBody with https://203.0.113.7/x.\n',
    'patterns/plain.md': v7Pattern('plain', { relationships: '  enables:\n    - slug: https://203.0.113.7/slug\n      weight: 0.5' }),
  };
}

/** A config that names the remote-only schema (which cannot load: it names nothing local). */
export const REMOTE_CONFIG = JSON.stringify({ schemas: [{ name: 'remote', schema: './remote.schema.json', files: ['remote/**'] }] });

/** A config written to pollute prototypes (a `__proto__` key in an object literal would set its prototype, so it is text). */
export const POLLUTING_CONFIG = `{
  "__proto__": { "polluted": "config" },
  "constructor": { "prototype": { "polluted": "config-constructor" } },
  "severity": { "__proto__": { "polluted": "severity" }, "constructor": "off" },
  "schemas": [{ "name": "x", "schema": "builtin:commons-v7", "__proto__": { "polluted": "binding" } }]
}
`;

/** Whether anything ran or polluted: undefined when all is well. */
export function compromised(): string | undefined {
  const flag = (globalThis as { __pwned?: unknown }).__pwned;
  if (flag !== undefined) return `a payload ran: ${String(flag)}`;
  const polluted = ({} as { polluted?: unknown }).polluted ?? (Object.prototype as { polluted?: unknown }).polluted;
  if (polluted !== undefined) return `Object.prototype was polluted: ${String(polluted)}`;
  return undefined;
}
