/**
 * The editor settings Trellis contributes (`trellis.*`) and the options the
 * client passes at initialization. The server reads the settings per
 * workspace folder with `workspace/configuration`, so a folder of a
 * multi-root workspace can have its own, and reads them again when the
 * client says they changed.
 *
 * `SETTINGS` is the one list of them: test/lsp/settings.test.ts fails when
 * package.json's `contributes.configuration` drifts from it.
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import { DIAGNOSTIC_CODES, isDiagnosticCode, type DiagnosticCode, type SeverityName } from './core/diagnosticCodes';
import type { TrellisLibrary } from './core/library';
import type { DiagnosticOptions } from './core/patternIndex';
import type { TrellisInitializationOptions } from './protocol';

export const SEVERITY_NAMES: readonly SeverityName[] = ['error', 'warning', 'information', 'hint', 'off'];

/**
 * Every contributed setting, with its default and the side that honours it.
 * `trellis.trace.server` is read by vscode-languageclient itself (it logs the
 * LSP traffic of the client named `trellis`).
 */
export const SETTINGS = {
  'trellis.diagnostics.enable': { type: 'boolean', default: true, readBy: 'server' },
  'trellis.diagnostics.severity': { type: 'object', default: {}, readBy: 'server', keys: Object.keys(DIAGNOSTIC_CODES), values: SEVERITY_NAMES },
  'trellis.trace.server': { type: 'string', default: 'off', readBy: 'client', values: ['off', 'messages', 'verbose'] },
} as const;

export interface TrellisSettings {
  diagnostics: {
    /** False: publish no diagnostics (the library is still indexed). */
    enable: boolean;
    /** Severity per diagnostic code, over the library config's. */
    severity: Partial<Record<DiagnosticCode, SeverityName>>;
  };
}

export function defaultSettings(): TrellisSettings {
  return { diagnostics: { enable: SETTINGS['trellis.diagnostics.enable'].default, severity: {} } };
}

/**
 * The `trellis` section as workspace/configuration returns it. Values of the
 * wrong type fall back to the default rather than fail: settings are typed by
 * hand in JSON.
 */
export function parseSettings(section: unknown): TrellisSettings {
  const settings = defaultSettings();
  const diagnostics = isRecord(section) ? section['diagnostics'] : undefined;
  if (!isRecord(diagnostics)) return settings;
  if (typeof diagnostics['enable'] === 'boolean') settings.diagnostics.enable = diagnostics['enable'];
  const severity = diagnostics['severity'];
  if (isRecord(severity)) {
    for (const [code, level] of Object.entries(severity)) {
      if (isDiagnosticCode(code) && typeof level === 'string' && (SEVERITY_NAMES as readonly string[]).includes(level)) {
        settings.diagnostics.severity[code] = level as SeverityName;
      }
    }
  }
  return settings;
}

export function parseInitializationOptions(value: unknown): TrellisInitializationOptions {
  return { trusted: !(isRecord(value) && value['trusted'] === false) };
}

/** The settings of each library (workspace folder), read through `read`, or the defaults when the client cannot answer. */
export class FolderSettings {
  private readonly byRoot = new Map<string, TrellisSettings>();

  constructor(private readonly read?: (scopeUri: string) => Promise<unknown>) {}

  of(rootUri: string): TrellisSettings {
    return this.byRoot.get(rootUri) ?? defaultSettings();
  }

  async refresh(rootUris: Iterable<string>): Promise<void> {
    const read = this.read;
    if (!read) return;
    await Promise.all(
      [...rootUris].map(async (rootUri) => {
        try {
          this.byRoot.set(rootUri, parseSettings(await read(rootUri)));
        } catch {
          // A client that fails the request keeps the defaults.
          this.byRoot.delete(rootUri);
        }
      }),
    );
  }

  forget(rootUri: string): void {
    this.byRoot.delete(rootUri);
  }

  /** A file's diagnostics as the user's settings for its library want them published. */
  diagnostics(library: TrellisLibrary, uri: string, options: DiagnosticOptions = {}): Diagnostic[] {
    return diagnosticsAsSet(this.of(library.rootUri).diagnostics, library, uri, options);
  }
}

/** A file's diagnostics as these diagnostics settings want them published. */
export function diagnosticsAsSet(settings: TrellisSettings['diagnostics'], library: TrellisLibrary, uri: string, options: DiagnosticOptions = {}): Diagnostic[] {
  return settings.enable ? library.diagnostics(uri, settings.severity, options) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
