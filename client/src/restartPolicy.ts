/**
 * When the language server dies, whether to start it again. The client
 * restarts it after a crash, so that an author keeps their diagnostics and
 * loses nothing they typed (the language client sends every open document's
 * current text, saved or not, to the new server). A server that keeps
 * crashing is left stopped, with a message, rather than restarted in a loop
 * that would burn CPU: `MAX_CRASHES` within `WINDOW_MS` is that loop. The
 * restart command starts afresh. Knows nothing of VS Code, so a test runs it.
 */

export const MAX_CRASHES = 5;
export const WINDOW_MS = 3 * 60_000;

export interface CrashVerdict {
  restart: boolean;
  /** Crashes within the window, this one included. */
  recent: number;
  message: string;
}

export class RestartPolicy {
  private crashes: number[] = [];

  constructor(
    private readonly maxCrashes = MAX_CRASHES,
    private readonly windowMs = WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The server's connection closed without the client asking for it. */
  crashed(): CrashVerdict {
    const at = this.now();
    this.crashes = [...this.crashes.filter((t) => at - t < this.windowMs), at];
    const recent = this.crashes.length;
    const minutes = Math.round(this.windowMs / 60_000);
    if (recent <= this.maxCrashes) {
      return { restart: true, recent, message: `The Trellis language server stopped unexpectedly (${recent} of at most ${this.maxCrashes} times in ${minutes} minutes); restarting it with the open documents as they are in the editor.` };
    }
    return { restart: false, recent, message: `The Trellis language server stopped unexpectedly ${recent} times in ${minutes} minutes, so it was not restarted. See the Trellis output, then run "Trellis: Restart the Language Server".` };
  }

  /** A restart the user asked for: earlier crashes no longer count. */
  reset(): void {
    this.crashes = [];
  }
}
