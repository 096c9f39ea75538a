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

export class SingleWriteMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;
  private corked = false;

  constructor(private readonly stream: Writable) {
    super();
    stream.on('error', (error: Error) => this.fireError(error));
    stream.on('close', () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    return this.writeJson(JSON.stringify(message), message);
  }

  /** A message given as its JSON text, written as it is (it must be a whole JSON-RPC message). */
  writeJson(json: string, message?: Message): Promise<void> {
    const length = Buffer.byteLength(json, 'utf8');
    const header = `Content-Length: ${length}\r\n\r\n`;
    const frame = Buffer.allocUnsafe(header.length + length);
    frame.write(header, 0, 'ascii');
    frame.write(json, header.length, 'utf8');
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
