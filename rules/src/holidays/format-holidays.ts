/**
 * The canonical layout of a holiday file: one space between words, `至` for ranges, `、` for
 * lists, ASCII digits, every date with its month, comments kept, at most one blank line in a
 * row, a newline at the end. Formatting a formatted file changes nothing, and a formatted file
 * reads back to the same year.
 */
import { HolidayYear, toParts } from '@reform/calendar';
import { Diagnostic, hasErrors } from '../diagnostics';
import { makeupHoliday } from './check-holidays';
import { DateLiteral, HolidayFile, HolidayFileItem, isPlainWord, HOLIDAY_KEYWORDS, parseHolidays } from './parse-holidays';

/**
 * Formats a holiday file. Only lines that read can be laid out, so a file with a syntax error
 * gives no text (and its diagnostics); errors in the dates themselves do not stop formatting.
 */
export function formatHolidays(text: string): { value: string | undefined; diagnostics: Diagnostic[] } {
  const { value, diagnostics } = parseHolidays(text);
  if (hasErrors(diagnostics) || value.syntaxErrors) return { value: undefined, diagnostics };
  return { value: printHolidayFile(value), diagnostics };
}

export function printHolidayFile(file: HolidayFile): string {
  const out: string[] = [];
  let previousLine: number | undefined;
  for (const item of file.items) {
    if (previousLine !== undefined && item.line > previousLine + 1) out.push('');
    previousLine = item.line;
    out.push(printItem(item));
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

function printItem(item: HolidayFileItem): string {
  if (item.kind === 'comment') return `#${item.text}`;
  const comment = item.comment !== undefined ? `  #${item.comment}` : '';
  switch (item.kind) {
    case 'year':
      return `${HOLIDAY_KEYWORDS.year} ${item.year}${comment}`;
    case 'source':
      return `${HOLIDAY_KEYWORDS.source} ${quoted(item.text ?? '', true)}${comment}`;
    case 'holiday':
      return `${HOLIDAY_KEYWORDS.holiday} ${quoted(item.name)} ${printDate(item.from)}${item.to ? ` 至 ${printDate(item.to)}` : ''}${comment}`;
    case 'makeup':
      return `${HOLIDAY_KEYWORDS.makeup} ${quoted(item.name)} ${item.dates.map(printDate).join('、')}${comment}`;
  }
}

const printDate = (d: DateLiteral) => `${d.year !== undefined ? `${d.year}年` : ''}${d.month}月${d.day}日`;

/** A name as it reads back: bare when it is one word, else in the first quotes it does not contain. */
function quoted(s: string, always = false): string {
  if (!always && isPlainWord(s)) return s;
  for (const [open, close] of [['"', '"'], ['「', '」'], ['“', '”'], ['『', '』']]) if (!s.includes(close)) return `${open}${s}${close}`;
  return s;
}

/**
 * A year's data as a holiday file, for turning an older JSON year into text: each holiday
 * followed by its make-up working days, the rest at the end.
 */
export function printHolidayYear(year: HolidayYear, heading = `${year.year}年部分节假日安排`): string {
  const md = (iso: string) => {
    const p = toParts(iso);
    return `${p.year === year.year ? '' : `${p.year}年`}${p.month}月${p.day}日`;
  };
  const lines = [`# ${heading}`, `${HOLIDAY_KEYWORDS.year} ${year.year}`, `${HOLIDAY_KEYWORDS.source} ${quoted(year.source, true)}`];
  const pending = [...year.workdays];
  const makeupLine = (name: string, dates: string[]) => `${HOLIDAY_KEYWORDS.makeup} ${quoted(name)} ${dates.map(md).join('、')}`;
  for (const h of year.holidays) {
    lines.push(`${HOLIDAY_KEYWORDS.holiday} ${quoted(h.name)} ${md(h.from)}${h.to !== h.from ? ` 至 ${md(h.to)}` : ''}`);
    // Its make-up days, when they come next in the data (so the order reads back the same).
    const mine: string[] = [];
    while (pending.length && makeupHoliday(pending[0].name) === h.name && pending[0].name !== h.name) mine.push(pending.shift()!.date);
    if (mine.length) lines.push(makeupLine(h.name, mine));
  }
  for (const w of pending) lines.push(makeupLine(w.name, [w.date]));
  return `${lines.join('\n')}\n`;
}
