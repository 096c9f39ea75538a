/**
 * Entry point of the bundled server: what the VS Code client starts (through
 * serverBoot.ts, over node-ipc) and what `trellis lsp` starts (bin/trellis.js,
 * or the CLI bundle), over stdio unless another transport is named.
 */
import { startServer } from './server';

if (process.argv[2] === 'lsp' && !process.argv.slice(3).some((arg) => /^--(stdio|node-ipc|socket|pipe)(=|$)/.test(arg))) process.argv.push('--stdio');
startServer();
