/** Every diagnostic Trellis reports, with the severity it has unless the library's config says otherwise. */
export const DIAGNOSTIC_CODES = {
  'yaml-syntax': 'error',
  'config': 'error',
  schema: 'error',
  'dangling-reference': 'warning',
  'duplicate-slug': 'error',
  'duplicate-id': 'error',
  'slug-filename-mismatch': 'error',
  'self-reference': 'warning',
  'duplicate-reference': 'warning',
  'missing-section': 'warning',
  'section-order': 'warning',
  'duplicate-section': 'warning',
  'missing-core-conflict': 'warning',
  'missing-therefore': 'warning',
  'overall-score': 'warning',
  'confidence-mismatch': 'warning',
  'missing-mirror': 'hint',
} as const satisfies Record<string, SeverityName>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
export type SeverityName = 'error' | 'warning' | 'information' | 'hint' | 'off';

export function isDiagnosticCode(value: string): value is DiagnosticCode {
  return Object.prototype.hasOwnProperty.call(DIAGNOSTIC_CODES, value);
}

/** LSP's numeric severity for each name but `off`. */
export const SEVERITY: Readonly<Record<Exclude<SeverityName, 'off'>, 1 | 2 | 3 | 4>> = { error: 1, warning: 2, information: 3, hint: 4 };
