import type { components } from '../api/schema';
/**
 * The checker's diagnostics (POST /api/rules/check, /api/calendar/check: file, line, column,
 * offset, length, severity, code, message) as the workbench shows them: ranges in the editor's
 * text for the lint markers, and the rows of the panel under the editor. Plain functions, so the
 * unit spec tests them without a browser.
 */
/** A diagnostic as the API answers it (the generated types: the checker's DiagnosticJson). */
export type ApiDiagnostic = components['schemas']['RulesCheck']['diagnostics'][number];

export const SEVERITY_LABEL = { error: '错误', warning: '警告' } as const;

/**
 * Where a diagnostic falls in `text`, as editor positions: from its line and column (lines and
 * columns from 1, columns in UTF-16 units, as the checker counts them), `length` units long. A
 * position past the end of its line or of the text is pulled back onto it; a mark of no length
 * covers the character there (or the one before at the end of the text) so it can be seen.
 */
export function editorRange(text: string, d: Pick<ApiDiagnostic, 'line' | 'column' | 'length'>): { from: number; to: number } {
  let lineStart = 0;
  for (let l = 1; l < d.line; l++) {
    const next = text.indexOf('\n', lineStart);
    if (next < 0) break;
    lineStart = next + 1;
  }
  const lineEnd = text.indexOf('\n', lineStart) < 0 ? text.length : text.indexOf('\n', lineStart);
  const from = Math.min(lineStart + Math.max(0, d.column - 1), lineEnd);
  let to = Math.min(from + Math.max(0, d.length), text.length);
  if (to === from) {
    if (from < lineEnd) to = from + 1;
    else if (from > lineStart) return { from: from - 1, to: from };
  }
  return { from, to };
}

/** The diagnostics of one file, as the editor's lint markers. */
export function lintMarks(file: string, text: string, diagnostics: readonly ApiDiagnostic[]): Array<{ from: number; to: number; severity: 'error' | 'warning'; message: string; source: string }> {
  return diagnostics
    .filter((d) => d.file === file)
    .map((d) => ({ ...editorRange(text, d), severity: d.severity, message: d.hint ? `${d.message}(${d.hint})` : d.message, source: d.code }));
}

/** One row of the diagnostics panel. */
export interface PanelRow {
  key: string;
  file: string;
  line: number;
  column: number;
  /** 文件:行:列, as the CLI prints it. */
  where: string;
  severity: 'error' | 'warning';
  severityLabel: string;
  code: string;
  message: string;
  hint?: string;
}

/**
 * The panel's rows: the files in the order the workbench lists them (others after, by name), then
 * by line and column, errors before warnings at the same place.
 */
export function panelRows(diagnostics: readonly ApiDiagnostic[], fileOrder: readonly string[] = []): PanelRow[] {
  const rank = (f: string) => (fileOrder.includes(f) ? fileOrder.indexOf(f) : fileOrder.length);
  return [...diagnostics]
    .sort((a, b) => {
      const fa = a.file ?? '';
      const fb = b.file ?? '';
      return rank(fa) - rank(fb) || fa.localeCompare(fb) || a.line - b.line || a.column - b.column || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1);
    })
    .map((d, i) => ({
      key: `${i}:${d.file ?? ''}:${d.line}:${d.column}:${d.code}`,
      file: d.file ?? '',
      line: d.line,
      column: d.column,
      where: `${d.file ?? ''}:${d.line}:${d.column}`,
      severity: d.severity,
      severityLabel: SEVERITY_LABEL[d.severity],
      code: d.code,
      message: d.message,
      ...(d.hint ? { hint: d.hint } : {}),
    }));
}

/** What the panel's title says: 2 处错误、1 处警告, or that nothing was found. */
export function panelSummary(diagnostics: readonly ApiDiagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (!errors && !warnings) return '没有发现问题';
  return [errors ? `${errors} 处错误` : '', warnings ? `${warnings} 处警告` : ''].filter(Boolean).join('、');
}
