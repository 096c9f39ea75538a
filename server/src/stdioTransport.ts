/**
 * The connection over stdin/stdout (`trellis lsp --stdio`, how editors other
 * than VS Code start the server). It differs from vscode-languageserver's own
 * in how it writes: each message in one piece (header and content together)
 * instead of two writes, each waiting for the other, and the messages of one
 * turn of the event loop (a slice of diagnostics: a hub's edit republishes
 * its hundred referrers) in one system call. A library's first diagnostics
 * are thousands of messages.
 */
import type { Writable } from 'node:stream';
import { AbstractMessageWriter, createConnection, ProposedFeatures, StreamMessageReader, type Connection, type Message, type MessageWriter } from 'vscode-languageserver/node';

/** The `textDocument/publishDiagnostics` notification whose parameters are given as JSON text, as JSON text. */
export function publishDiagnosticsJson(params: string): string {
  return `{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":${params}}`;
}

export class SingleWriteMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;
  private corked = false;

  constructor(private readonly stream: Writable) {
    super();
    stream.on('error', (error: Error) => this.fireError(error));
    stream.on('close', () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    return this.writeJsons([JSON.stringify(message)], message);
  }

  /**
   * Messages given as their JSON text, written as they are in one frame
   * buffer (each must be a whole JSON-RPC message): thousands of restored
   * diagnostics cost a few writes, not a write, a buffer and a promise each.
   */
  writeJsons(jsons: readonly string[], message?: Message): Promise<void> {
    const headers: string[] = new Array(jsons.length);
    const lengths: number[] = new Array(jsons.length);
    let size = 0;
    for (let i = 0; i < jsons.length; i++) {
      lengths[i] = Buffer.byteLength(jsons[i]!, 'utf8');
      headers[i] = `Content-Length: ${lengths[i]}\r\n\r\n`;
      size += headers[i]!.length + lengths[i]!;
    }
    const frame = Buffer.allocUnsafe(size);
    let at = 0;
    for (let i = 0; i < jsons.length; i++) {
      at += frame.write(headers[i]!, at, 'ascii');
      at += frame.write(jsons[i]!, at, lengths[i]!, 'utf8');
    }
    if (!this.corked) {
      // Held until this turn's synchronous work is done, then written together.
      this.corked = true;
      this.stream.cork();
      process.nextTick(() => {
        this.corked = false;
        this.stream.uncork();
      });
    }
    return new Promise((resolve, reject) => {
      this.stream.write(frame, (error: Error | null | undefined) => {
        if (error === undefined || error === null) return resolve();
        this.errorCount++;
        this.fireError(error, message ?? { jsonrpc: '2.0' }, this.errorCount);
        reject(error);
      });
    });
  }

  end(): void {
    this.stream.end();
  }
}

/**
 * A connection on this process's stdin and stdout. The process exits when
 * stdin ends, as with the library's own: with 0 if `shutdownReceived` says the
 * client asked for a shutdown first, else 1.
 */
export function createStdioConnection(shutdownReceived: () => boolean): { connection: Connection; writer: SingleWriteMessageWriter } {
  const writer = new SingleWriteMessageWriter(process.stdout);
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), writer);
  const exit = (): never => process.exit(shutdownReceived() ? 0 : 1);
  process.stdin.on('end', exit);
  process.stdin.on('close', exit);
  // Nothing but messages may reach stdout: stray console output goes to stderr.
  for (const name of ['log', 'info', 'debug'] as const) console[name] = (...args: unknown[]) => console.error(...args);
  return { connection, writer };
}
