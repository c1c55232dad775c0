/**
 * Diagnostics as data: every stage of the rules toolchain returns `{ value, diagnostics }` and
 * never throws; each diagnostic carries the source range it is about, so printing
 * `file:line:col: error: …` with a caret excerpt needs nothing else.
 */
export type Severity = 'error' | 'warning';

/** A range in a source text. Lines and columns count from 1; columns count UTF-16 code units. */
export interface SourceRange {
  offset: number;
  length: number;
  line: number;
  column: number;
}

export interface Diagnostic {
  severity: Severity;
  /** A stable code for machines and golden tests, e.g. `unknown-name`. */
  code: string;
  /** The message, in Chinese: clerks read it. */
  message: string;
  range: SourceRange;
  /** A suggestion where one helps (did you mean …?). */
  hint?: string;
  /** The file, when a stage works on several (a ruleset); single-file stages leave it out. */
  file?: string;
}

export interface Result<T> {
  value: T;
  diagnostics: Diagnostic[];
}

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean => diagnostics.some((d) => d.severity === 'error');

/** Diagnostics in file order, errors before warnings at the same place. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => (a.file ?? '').localeCompare(b.file ?? '') || a.range.offset - b.range.offset || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) || a.code.localeCompare(b.code),
  );
}

/** Ranges from offsets, by a table of line starts built once per text. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** The line last found: the parser asks in file order, mostly on the same line or the next. */
  private last = 0;

  range(offset: number, length = 1): SourceRange {
    const at = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.starts;
    let lo = this.last;
    if (starts[lo] <= at && (lo + 1 === starts.length || at < starts[lo + 1])) {
      // Still on the line last found.
    } else if (lo + 1 < starts.length && starts[lo + 1] <= at && (lo + 2 === starts.length || at < starts[lo + 2])) {
      lo++;
    } else {
      lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= at) lo = mid;
        else hi = mid - 1;
      }
    }
    this.last = lo;
    return { offset: at, length: Math.max(0, Math.min(length, this.text.length - at)), line: lo + 1, column: at - starts[lo] + 1 };
  }
}

/** The range of `length` units at `offset` of `text`, with its line and column. */
export function rangeAt(text: string, offset: number, length = 1): SourceRange {
  return new LineIndex(text).range(offset, length);
}
