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
function guard(module, name, names) {
  const target = require(name);
  for (const key of names) {
    if (typeof target[key] !== 'function') continue;
    const original = target[key];
    target[key] = function guarded(...args) {
      refuse(`${name}.${key}`, typeof args[0] === 'object' ? JSON.stringify(args[0]) : args[0]);
      return original.apply(this, args);
    };
  }
}

guard(module, 'node:net', ['connect', 'createConnection']);
guard(module, 'node:tls', ['connect']);
guard(module, 'node:http', ['request', 'get']);
guard(module, 'node:https', ['request', 'get']);
guard(module, 'node:http2', ['connect']);
guard(module, 'node:dgram', ['createSocket']);
guard(module, 'node:dns', ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveTxt', 'resolveSrv', 'resolveMx', 'reverse', 'lookupService']);
const dnsPromises = require('node:dns').promises;
for (const key of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'reverse']) dnsPromises[key] = (host) => refuse(`dns.promises.${key}`, host);
const net = require('node:net');
const socketConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connect(...args) {
  // A socket on an inherited file descriptor (stdio, the IPC channel) never connects; any connect is a way out.
  refuse('net.Socket.connect', typeof args[0] === 'object' ? JSON.stringify(args[0]) : args[0]);
  return socketConnect.apply(this, args);
};
globalThis.fetch = (input) => refuse('fetch', typeof input === 'string' ? input : input && input.url);
if (typeof globalThis.WebSocket === 'function') globalThis.WebSocket = function WebSocket(url) { refuse('WebSocket', url); };
