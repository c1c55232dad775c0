import { Diagnostic } from './diagnostic';

const SEVERITY_WORD = { error: 'error', warning: 'warning' } as const;
/** Excerpts show at most this many characters of a line around the caret (a 10 MB line stays readable). */
const EXCERPT_WIDTH = 100;

/**
 * The way compilers print: `file:line:col: error: message`, the line with a caret under the
 * range, then the hint.
 */
export function printDiagnostic(file: string, text: string, d: Diagnostic): string {
  const { line, column } = d.range;
  const out = [`${file}:${line}:${column}: ${SEVERITY_WORD[d.severity]}: ${d.message} [${d.code}]`];
  const lineText = lineAt(text, d.range.offset - (column - 1));
  if (lineText !== undefined) {
    const start = Math.max(0, column - 1 - Math.floor(EXCERPT_WIDTH / 2));
    const shown = lineText.slice(start, start + EXCERPT_WIDTH);
    const lead = start > 0 ? '…' : '';
    const caretAt = column - 1 - start;
    const width = Math.max(1, Math.min(d.range.length, shown.length - caretAt));
    const gutter = String(line).length;
    out.push(`${' '.repeat(gutter)} |`);
    out.push(`${line} | ${lead}${printable(shown)}`);
    out.push(`${' '.repeat(gutter)} | ${' '.repeat(lead.length)}${padTo(shown.slice(0, caretAt))}${'^'.repeat(displayWidth(shown.slice(caretAt, caretAt + width)) || 1)}`);
  }
  if (d.hint) out.push(`  = 提示:${d.hint}`);
  return out.join('\n');
}

export function printDiagnostics(file: string, text: string, diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => printDiagnostic(file, text, d)).join('\n\n');
}

/** One line of a summary: '2 个错误,1 个警告'. */
export function summarize(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return `${errors} 个错误,${warnings} 个警告`;
}

function lineAt(text: string, lineStart: number): string | undefined {
  if (lineStart < 0 || lineStart > text.length) return undefined;
  const end = text.indexOf('\n', lineStart);
  return text.slice(lineStart, end === -1 ? text.length : end).replace(/\r$/, '');
}

// Control characters would garble a terminal; tabs keep their width through padTo.
function printable(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\ufffd');
}

/** Wide (CJK, full-width) characters take two columns in a terminal. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += isWide(ch) ? 2 : 1;
  return w;
}

function padTo(s: string): string {
  let out = '';
  for (const ch of s) out += ch === '\t' ? '\t' : ' '.repeat(isWide(ch) ? 2 : 1);
  return out;
}

function isWide(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd);
}
