#!/usr/bin/env node
'use strict';
// The CLI bundle, through V8's code cache (dist/boot.js): `--no-cache` reads and writes no cache of any kind.
const path = require('path');
require('../dist/boot.js').runBundle(path.join(__dirname, '..', 'dist', 'cli.js'), { cache: !process.argv.includes('--no-cache') });
