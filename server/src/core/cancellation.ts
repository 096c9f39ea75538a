/**
 * Cancellation for the core's long loops, without the LSP library. The host
 * passes a token (anything with `isCancellationRequested`) and a way to let
 * itself run: a server is one thread, so a loop that never yields would never
 * see the cancel message arrive. A `Checkpoint` yields to the host every few
 * milliseconds and throws `CancelledError` once the token is set.
 */

export interface CancellationLike {
  readonly isCancellationRequested: boolean;
}

/** The work was cancelled: the host answers the request as cancelled. */
export class CancelledError extends Error {
  constructor() {
    super('The request was cancelled.');
    this.name = 'CancelledError';
  }
}

export interface CheckpointOptions {
  token?: CancellationLike;
  /** Lets the host run (read its messages); resolves when it has. Without it the checkpoint only reads the token. */
  yieldToHost?: () => Promise<void>;
  /** The longest stretch of work between two yields, in milliseconds (default 10). */
  sliceMs?: number;
}

export class Checkpoint {
  private sliceStart = Date.now();

  constructor(private readonly options: CheckpointOptions = {}) {}

  get isCancelled(): boolean {
    return this.options.token?.isCancellationRequested === true;
  }

  /**
   * Call between units of work in a long loop. Yields to the host when the
   * current slice has run long enough, then throws CancelledError if the
   * token was set (before or during the yield).
   */
  async check(): Promise<void> {
    const { yieldToHost, sliceMs = 10 } = this.options;
    if (yieldToHost && Date.now() - this.sliceStart >= sliceMs) {
      await yieldToHost();
      this.sliceStart = Date.now();
    }
    if (this.isCancelled) throw new CancelledError();
  }
}
