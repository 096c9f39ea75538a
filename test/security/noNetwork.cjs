/**
 * Preload (`node --require`, also through NODE_OPTIONS, which worker threads
 * honour) that makes every way out to the network throw, and records each
 * attempt, one JSON line per attempt, in $TRELLIS_NETWORK_LOG. The security
 * tests run the CLI and the server under it and expect an empty log.
 */
'use strict';
const fs = require('node:fs');

const log = process.env.TRELLIS_NETWORK_LOG;
function refuse(what, detail) {
  const line = JSON.stringify({ what, detail: String(detail ?? '').slice(0, 200), pid: process.pid }) + '\n';
  if (log) fs.appendFileSync(log, line);
  throw new Error(`network access refused by the test preload: ${what} ${detail ?? ''}`);
}
const describe = (arg) => (typeof arg === 'object' ? JSON.stringify(arg) : arg);
function guard(name, names) {
  const target = require(name);
  for (const key of names) if (typeof target[key] === 'function') target[key] = (...args) => refuse(`${name}.${key}`, describe(args[0]));
}

guard('node:net', ['connect', 'createConnection']);
guard('node:tls', ['connect']);
guard('node:http', ['request', 'get']);
guard('node:https', ['request', 'get']);
guard('node:http2', ['connect']);
guard('node:dgram', ['createSocket']);
guard('node:dns', ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveTxt', 'resolveSrv', 'resolveMx', 'reverse', 'lookupService']);
const dnsPromises = require('node:dns').promises;
for (const key of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'reverse']) dnsPromises[key] = (host) => refuse(`dns.promises.${key}`, host);
// A socket on an inherited file descriptor (stdio, the IPC channel) never connects: any connect is a way out.
require('node:net').Socket.prototype.connect = (...args) => refuse('net.Socket.connect', describe(args[0]));
globalThis.fetch = (input) => refuse('fetch', typeof input === 'string' ? input : input && input.url);
if (typeof globalThis.WebSocket === 'function') globalThis.WebSocket = function WebSocket(url) { refuse('WebSocket', url); };
