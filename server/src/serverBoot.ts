/** What the VS Code client starts: the server bundle, through the code cache (boot.ts). */
import * as path from 'node:path';
import { runBundle } from './boot';

runBundle(path.join(__dirname, 'server.js'));
