/**
 * Adapts the editing features of the core (completion, hover, navigation,
 * symbols, rename, code actions) to LSP requests. Each handler waits until
 * the library has applied every edit received so far (answering
 * RequestCancelled at once if the client cancels meanwhile, ContentModified
 * if the document changed), and long work checks the token as it goes
 * (requests.ts).
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type Connection,
  type ServerCapabilities,
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TrellisLibrary } from './core/library';
import { codeActions, FIX_ALL_KIND } from './core/languageFeatures/codeActions';
import { complete, resolveCompletionItem } from './core/languageFeatures/completion';
import type { FeatureDocument } from './core/languageFeatures/featureContext';
import { hover } from './core/languageFeatures/hover';
import { definition, documentLinks, references } from './core/languageFeatures/navigation';
import { editsForFileRenames, FeatureError, prepareRename, rename } from './core/languageFeatures/rename';
import { documentSymbols, workspaceSymbols } from './core/languageFeatures/symbols';
import { newPatternText, slugFromTitle } from './core/newPattern';
import { newTypeId, randomBytes } from './core/typeId';
import { NewPatternRequest } from './protocol';
import { normalizeUri } from './nodeHost';
import { answer, contentModified, unlessCancelled } from './requests';

export const featureCapabilities: ServerCapabilities = {
  completionProvider: { triggerCharacters: [':', ' ', '-'], resolveProvider: true },
  hoverProvider: true,
  definitionProvider: true,
  referencesProvider: true,
  documentLinkProvider: { resolveProvider: false },
  documentSymbolProvider: true,
  workspaceSymbolProvider: true,
  renameProvider: { prepareProvider: true },
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
  workspace: { fileOperations: { willRename: { filters: [{ scheme: 'file', pattern: { glob: '**/*.md' } }] } } },
};

export function registerFeatures(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  libraryFor: (uri: string) => TrellisLibrary | undefined,
  libraries: () => Iterable<TrellisLibrary>,
  /** The server's own host reads files that are not open (a mirror fix edits another file). */
  readDisk: (uri: string) => Promise<string | undefined>,
): void {
  /**
   * The library and the open document for a request, once the library has
   * caught up with every edit received before it. Rejects as cancelled the
   * moment the client cancels, even mid-wait; rejects as ContentModified
   * when the document changed meanwhile, since the request's positions refer
   * to the version it was sent for.
   */
  const ready = async (rawUri: string, token: CancellationToken): Promise<{ library: TrellisLibrary; document: FeatureDocument } | undefined> => {
    const uri = normalizeUri(rawUri);
    const library = libraryFor(uri);
    const open = documents.get(rawUri);
    if (!library || !open) return undefined;
    const version = open.version;
    await unlessCancelled(library.whenIdle(), token);
    const current = documents.get(rawUri);
    if (!current) return undefined;
    if (current.version !== version) throw contentModified();
    return { library, document: { uri, text: current.getText(), version } };
  };

  const offsetOf = (rawUri: string, position: { line: number; character: number }): number => documents.get(rawUri)!.offsetAt(position);

  connection.onCompletion(({ textDocument, position }, token) =>
    answer(token, async () => {
      const context = await ready(textDocument.uri, token);
      if (!context) return null;
      return complete(context.library, context.document, offsetOf(textDocument.uri, position));
    }),
  );

  connection.onCompletionResolve((item) => {
    const uri = typeof item.data === 'object' && item.data !== null ? (item.data as { pattern?: unknown }).pattern : undefined;
    const library = typeof uri === 'string' ? libraryFor(uri) : undefined;
    return library ? resolveCompletionItem(library, item) : item;
  });

  connection.onHover(({ textDocument, position }, token) =>
    answer(token, async () => {
      const context = await ready(textDocument.uri, token);
      return context ? hover(context.library, context.document, position) ?? null : null;
    }),
  );

  connection.onDefinition(({ textDocument, position }, token) =>
    answer(token, async () => {
      const context = await ready(textDocument.uri, token);
      return context ? definition(context.library, context.document.uri, position) : null;
    }),
  );

  connection.onReferences(({ textDocument, position, context: refContext }, token) =>
    answer(token, async () => {
      const context = await ready(textDocument.uri, token);
      return context ? references(context.library, context.document.uri, position, refContext.includeDeclaration) : null;
    }),
  );

  connection.onDocumentLinks(({ textDocument }, token) =>
    answer(token, async () => {
      const context = await ready(textDocument.uri, token);
      return context ? documentLinks(context.library, context.document.uri) : null;
    }),
  );

  connection.onDocumentSymbol(({ textDocument }, token) =>
    answer(token, async () => {
      const context = await ready(textDocument.uri, token);
      return context ? documentSymbols(context.document.text) : null;
    }),
  );

  connection.onWorkspaceSymbol(({ query }, token) =>
    answer(token, async (checkpoint) => {
      const results = [];
      for (const library of libraries()) {
        await unlessCancelled(library.whenIdle(), token);
        results.push(...(await workspaceSymbols(library, query, undefined, checkpoint)));
      }
      return results;
    }),
  );

  const asResponseError = (error: unknown): never => {
    if (error instanceof FeatureError) throw new ResponseError(LSPErrorCodes.RequestFailed, error.message);
    throw error;
  };

  connection.onPrepareRename(({ textDocument, position }, token) =>
    answer(token, async () => {
      const context = await ready(textDocument.uri, token);
      if (!context) return null;
      try {
        return prepareRename(context.library, context.document.uri, position);
      } catch (error) {
        return asResponseError(error);
      }
    }),
  );

  /**
   * File moves that a rename of ours proposed along with the slug and
   * reference edits. Applying that edit, the editor asks willRenameFiles about
   * the same move; answering with the same edits again would edit every
   * reference twice (VS Code then drops the whole edit as stale).
   */
  const proposedMoves = new Set<string>();
  const moveKey = (oldUri: string, newUri: string): string => `${normalizeUri(oldUri)}\u0000${normalizeUri(newUri)}`;

  connection.onRenameRequest(({ textDocument, position, newName }, token) =>
    answer(token, async () => {
      const context = await ready(textDocument.uri, token);
      if (!context) return null;
      try {
        const edit = rename(context.library, context.document.uri, position, newName);
        proposedMoves.clear();
        for (const change of edit.documentChanges ?? []) if ('kind' in change && change.kind === 'rename') proposedMoves.add(moveKey(change.oldUri, change.newUri));
        return edit;
      } catch (error) {
        return asResponseError(error);
      }
    }),
  );

  connection.workspace.onWillRenameFiles(({ files }, token) =>
    answer(token, async () => {
      const byLibrary = new Map<TrellisLibrary, Array<{ oldUri: string; newUri: string }>>();
      for (const file of files) {
        if (proposedMoves.delete(moveKey(file.oldUri, file.newUri))) continue;
        const oldUri = normalizeUri(file.oldUri);
        const library = libraryFor(oldUri);
        if (library) byLibrary.set(library, [...(byLibrary.get(library) ?? []), { oldUri, newUri: normalizeUri(file.newUri) }]);
      }
      const documentChanges = [];
      for (const [library, moves] of byLibrary) {
        await unlessCancelled(library.whenIdle(), token);
        const { edit, problems } = editsForFileRenames(library, moves);
        documentChanges.push(...(edit.documentChanges ?? []));
        for (const problem of problems) void connection.window.showWarningMessage(`Trellis: ${problem}`);
      }
      return documentChanges.length ? { documentChanges } : null;
    }),
  );

  connection.onCodeAction(({ textDocument, context: actionContext }, token) =>
    answer(token, async (checkpoint) => {
      const context = await ready(textDocument.uri, token);
      if (!context) return null;
      const { library, document } = context;
      const actions = await codeActions(library, document, actionContext.diagnostics, {
        ...(actionContext.only ? { only: actionContext.only } : {}),
        checkpoint,
        readText: async (uri) => {
          const open = documents.all().find((d) => normalizeUri(d.uri) === uri);
          return open ? open.getText() : library.openText(uri)?.text ?? (await readDisk(uri));
        },
      });
      // An answer for a version the editor has moved past would apply to the wrong text.
      if (documents.get(textDocument.uri)?.version !== document.version) throw contentModified();
      return actions;
    }),
  );

  connection.onRequest(NewPatternRequest, async ({ folderUri, title }, token) => {
    const folder = normalizeUri(folderUri).replace(/\/+$/, '');
    const library = libraryFor(folder + '/x.md') ?? libraryFor(folder);
    if (!library) throw new ResponseError(LSPErrorCodes.RequestFailed, 'That folder is not in a pattern library of this workspace.');
    await unlessCancelled(library.whenIdle(), token);
    const slug = slugFromTitle(title);
    if (!slug) throw new ResponseError(LSPErrorCodes.RequestFailed, 'The title needs at least one letter or digit to make a slug.');
    if (library.index.bySlug(slug).length) throw new ResponseError(LSPErrorCodes.RequestFailed, `A pattern with the slug \`${slug}\` already exists.`);
    const uri = `${folder}/${slug}.md`;
    const schema = library.librarySchemas.schemaFor(library.relativePath(uri), undefined);
    const now = new Date();
    const text = newPatternText(schema, { id: newTypeId('pat', now.getTime(), randomBytes()), slug, title: title.trim(), date: now.toISOString().slice(0, 10) });
    return { uri, slug, text };
  });
}

