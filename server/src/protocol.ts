/**
 * Custom messages between the Trellis client and server, declared once and
 * imported (as types) by both sides.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

export interface LibraryStatus {
  rootUri: string;
  state: 'indexing' | 'ready';
  patterns: number;
  errors: number;
  warnings: number;
}

/** server → client: the state of each library, after indexing and after every change. */
export const LibraryStatusNotification = new NotificationType<{ libraries: LibraryStatus[] }>('trellis/status');

export interface NewPatternParams {
  /** The folder to create the pattern in (inside a library). */
  folderUri: string;
  title: string;
}

export interface NewPatternResult {
  uri: string;
  slug: string;
  text: string;
}

/** client → server: the text of a new pattern with a fresh id, from the library's template. The client writes and opens it. */
export const NewPatternRequest = new RequestType<NewPatternParams, NewPatternResult | null, void>('trellis/newPattern');
