/**
 * Custom messages between the Trellis client and server, declared once and
 * imported (as types) by both sides.
 */
import { NotificationType } from 'vscode-languageserver-protocol';
export interface LibraryStatus {
    rootUri: string;
    state: 'indexing' | 'ready';
    patterns: number;
    errors: number;
    warnings: number;
}
/** server → client: the state of each library, after indexing and after every change. */
export declare const LibraryStatusNotification: NotificationType<{
    libraries: LibraryStatus[];
}>;
