/**
 * How the server answers requests that may be cancelled or outrun by an edit:
 * the LSP side of the core's Checkpoint. A cancelled request answers
 * RequestCancelled (-32800) as soon as the cancel message is read, even while
 * it waits for the library to catch up; a request whose document changed
 * while it waited answers ContentModified (-32801), since its positions and
 * ranges refer to text that is gone.
 */
import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';
import { CancelledError, Checkpoint } from './core/cancellation';

/** Lets the event loop read messages (a `$/cancelRequest` among them) before the work goes on. */
export const yieldToHost = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function requestCancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
}

export function contentModified(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.ContentModified, 'The document changed while the request waited; ask again.');
}

/** `promise`, or a RequestCancelled rejection as soon as the token is set, whichever comes first. */
export function unlessCancelled<T>(promise: Promise<T>, token: CancellationToken): Promise<T> {
  if (token.isCancellationRequested) return Promise.reject(requestCancelled());
  return new Promise<T>((resolve, reject) => {
    const listener = token.onCancellationRequested(() => {
      listener.dispose();
      reject(requestCancelled());
    });
    promise.then(
      (value) => {
        listener.dispose();
        resolve(value);
      },
      (error: unknown) => {
        listener.dispose();
        reject(error);
      },
    );
  });
}

/**
 * Runs a request's work with a checkpoint on its token. The core throws
 * CancelledError at a checkpoint once the token is set; either way the
 * request answers RequestCancelled, never a result the client gave up on.
 */
export async function answer<T>(token: CancellationToken, work: (checkpoint: Checkpoint) => Promise<T>): Promise<T> {
  try {
    const result = await work(new Checkpoint({ token, yieldToHost }));
    if (token.isCancellationRequested) throw requestCancelled();
    return result;
  } catch (error) {
    if (error instanceof CancelledError) throw requestCancelled();
    throw error;
  }
}
