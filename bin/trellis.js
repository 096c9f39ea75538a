#!/usr/bin/env node
'use strict';
// A bundle through V8's code cache (dist/boot.js): `--no-cache` reads and writes no cache of any kind.
// `trellis lsp` starts the server's bundle itself; every other command the CLI's, which holds no server code.
const path = require('path');
require('../dist/boot.js').runBundle(path.join(__dirname, '..', 'dist', process.argv[2] === 'lsp' ? 'server.js' : 'cli.js'), { cache: !process.argv.includes('--no-cache') });
