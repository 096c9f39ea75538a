/** A worker's script: runs, through the code cache (boot.ts), the bundle the pool names in workerData. */
import { workerData } from 'node:worker_threads';
import { runBundle, type BootOptions } from './boot';

const data = workerData as { trellisBundle: string } & BootOptions;
const options: BootOptions = {};
if (data.cache !== undefined) options.cache = data.cache;
if (data.cacheDir !== undefined) options.cacheDir = data.cacheDir;
runBundle(data.trellisBundle, options);
