/** Where Trellis keeps what it caches (analyzed files, compiled code), shared by every bundle. */
import * as os from 'node:os';
import * as path from 'node:path';

/** $TRELLIS_CACHE_DIR, else $XDG_CACHE_HOME/trellis, else ~/.cache/trellis. */
export function defaultCacheDir(): string {
  return process.env['TRELLIS_CACHE_DIR'] ?? path.join(process.env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache'), 'trellis');
}
