/**
 * Reading pattern files from disk, the same way on the main thread and in the
 * analysis workers: a file that is missing, not a regular file or too large
 * is absent (undefined), never an error.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Files larger than this are not patterns; reading them whole would only cost memory. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/**
 * A file whose modification time is this recent may still be changing within
 * the file system's clock tick: its stamp is not trusted (git's "racy" rule).
 */
const RACY_MS = 2000;

/**
 * The path of a `file:` URI. A URI without escapes on a POSIX system is the
 * path itself after `file://`, which spares fileURLToPath (a URL object per
 * file) on every file of a library; anything else goes through it.
 */
export function pathOfFileUri(uri: string): string {
  if (POSIX && uri.startsWith('file:///') && !/[%?#]/.test(uri)) return uri.slice('file://'.length);
  return fileURLToPath(uri);
}

/**
 * The `file:` URI of the file `name` in the folder whose URI is `folderUri`
 * (as pathToFileURL gives it, without a trailing slash). A name of letters,
 * digits, `.`, `_` and `-` needs no escape; any other goes through pathToFileURL.
 */
export function fileUriIn(folderUri: string, folderPath: string, name: string): string {
  if (POSIX && /^[A-Za-z0-9._-]+$/.test(name)) return `${folderUri.endsWith('/') ? folderUri : folderUri + '/'}${name}`;
  return pathToFileURL(folderPath.endsWith('/') ? folderPath + name : `${folderPath}/${name}`).href;
}

const POSIX = process.platform !== 'win32';

/**
 * A file's text with its stamp (stampOf), taken from the open file before
 * its text is read: a change in between gives a newer text under the older
 * stamp, which the next run sees as changed, never an older text under a
 * newer stamp. Opened without blocking, so that a FIFO is refused rather
 * than waited on.
 */
export function readStampedTextFileSync(file: string, now: number): { text: string | undefined; stamp: string | undefined } {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch {
    return UNREADABLE;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return UNREADABLE;
    const stamp = stampOf(stat, now);
    return { text: readFileSync(fd, UTF8), stamp };
  } catch {
    return UNREADABLE;
  } finally {
    closeSync(fd);
  }
}

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
/**
 * Options as an object, not the string 'utf8': Node copies its defaults for a string and adds the encoding to
 * the copy, which gives every read a hidden class of its own (a new V8 map per file; `--log-maps`).
 */
const UTF8 = { encoding: 'utf8' } as const;
/** What reading a file that cannot be read gives. */
export const UNREADABLE = Object.freeze({ text: undefined, stamp: undefined });

/**
 * A signature of a file's content from its metadata, or undefined when it is
 * absent or too fresh to trust. The change time is in it because a tool can
 * set the modification time back after writing; nothing sets the change time.
 */
export function stampOf(stat: Stats | undefined, now: number): string | undefined {
  if (!stat || !stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
  if (now - stat.mtimeMs < RACY_MS) return undefined;
  return `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`;
}
