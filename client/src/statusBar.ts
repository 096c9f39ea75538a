/**
 * The status bar item: indexing while the server reads the libraries, then
 * their patterns, errors and warnings; a click opens Problems. Its text is a
 * pure function of the library states, so the tests can check what it says.
 */
import * as vscode from 'vscode';
import type { LibraryStatus } from '../../server/src/protocol';

export interface StatusBarView {
  text: string;
  /** Markdown. */
  tooltip: string;
  visible: boolean;
  command: string;
}

export type ServerState = 'starting' | 'running' | 'stopped';

const OPEN_PROBLEMS = 'workbench.actions.view.problems';
const RESTRICTED =
  "**Restricted Mode**: this workspace is not trusted, so Trellis checks patterns with its built-in schemas only and loads none that the library's `trellis.config.json` names.";

export function describeStatus(
  server: ServerState,
  libraries: readonly LibraryStatus[],
  trusted: boolean,
  folderName: (rootUri: string) => string,
): StatusBarView {
  const shield = trusted ? '' : '$(shield) ';
  const restricted = trusted ? '' : `\n\n${RESTRICTED}`;
  if (server === 'stopped') {
    return { text: `${shield}$(debug-disconnect) Trellis`, tooltip: `The Trellis language server has stopped. Click to restart it.${restricted}`, visible: true, command: 'trellis.restartServer' };
  }
  if (server === 'starting' || libraries.some((l) => l.state === 'indexing')) {
    return { text: `${shield}$(sync~spin) Trellis: indexing`, tooltip: `Trellis is reading the pattern library.${restricted}`, visible: true, command: OPEN_PROBLEMS };
  }
  const patterns = sum(libraries, (l) => l.patterns);
  const errors = sum(libraries, (l) => l.errors);
  const warnings = sum(libraries, (l) => l.warnings);
  const enabled = libraries.some((l) => l.diagnosticsEnabled);
  const counts = enabled ? ` $(error) ${errors} $(warning) ${warnings}` : ' (diagnostics off)';
  const lines = libraries.map((l) => {
    const problems = l.diagnosticsEnabled ? `${plural(l.errors, 'error')}, ${plural(l.warnings, 'warning')}` : 'diagnostics off';
    return `- **${escapeMarkdown(folderName(l.rootUri))}**: ${plural(l.patterns, 'pattern')}, ${problems}`;
  });
  return {
    text: `${shield}$(type-hierarchy) ${plural(patterns, 'pattern')}${counts}`,
    tooltip: `**Trellis**\n\n${lines.join('\n')}\n\nClick to open Problems.${restricted}`,
    // A workspace with Markdown but no patterns and no config is not a pattern library: stay out of the way.
    visible: patterns > 0 || errors > 0 || warnings > 0,
    command: OPEN_PROBLEMS,
  };
}

export class LibraryStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('trellis.status', vscode.StatusBarAlignment.Left, 10);
  private view: StatusBarView;

  constructor() {
    this.item.name = 'Trellis';
    this.view = { text: '', tooltip: '', visible: false, command: OPEN_PROBLEMS };
  }

  get current(): StatusBarView {
    return this.view;
  }

  show(view: StatusBarView): void {
    this.view = view;
    this.item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltip);
    tooltip.supportThemeIcons = true;
    this.item.tooltip = tooltip;
    this.item.command = view.command;
    if (view.visible) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}

function sum(libraries: readonly LibraryStatus[], count: (l: LibraryStatus) => number): number {
  return libraries.reduce((n, l) => n + count(l), 0);
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
