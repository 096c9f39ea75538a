/**
 * What a bundle started by boot.ts (runBundle) can ask of it: to save the
 * code cache now. Kept on the thread's global under a registered symbol, so
 * the copy of this module in each bundle finds the one boot set.
 */
const HOOK = Symbol.for('trellis.codeCache');

export interface CodeCacheHook {
  save(): void;
  /** Whether this run took its code from the cache. */
  readonly fromCache: boolean;
}

export function setCodeCacheHook(hook: CodeCacheHook): void {
  (globalThis as Record<symbol, CodeCacheHook | undefined>)[HOOK] = hook;
}

/**
 * Saves the code cache of the bundle this thread runs, unless it came from
 * one: once, and only when runBundle started it. Called once the work that
 * compiles most of the code is done (a worker's first answer, a library's
 * first load); a main thread also saves when it exits.
 */
export function saveCodeCache(): void {
  (globalThis as Record<symbol, CodeCacheHook | undefined>)[HOOK]?.save();
}
