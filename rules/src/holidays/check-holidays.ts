/**
 * The checks a year's holiday arrangements must pass before they are loaded, on the parsed text
 * so that each problem points at its place: the same checks as `checkHolidayYear` (dates in the
 * year, no date twice, make-up working days only on weekends), and those a text needs besides
 * (one 年份, one 依据, dates that exist, ranges the right way round).
 */
import { daysInMonth, fromParts, HolidayYear, isoWeekday } from '@reform/calendar';
import { Diagnostic, SourceRange, sortDiagnostics } from '../diagnostics';
import { DateLiteral, DiagnosticSink, editDistance, HolidayFile, HolidayStatementNode, HOLIDAY_KEYWORDS, parseHolidaysInto, SourceStatement, YearStatement } from './parse-holidays';

const WEEKDAYS = ['', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'];
const MAKEUP_SUFFIX = '调休';

/** The name a make-up working day gets in the year's data: `春节` → `春节调休`. */
export function makeupName(name: string): string {
  return name.endsWith(MAKEUP_SUFFIX) ? name : `${name}${MAKEUP_SUFFIX}`;
}

/** The holiday a make-up day's name refers to: `春节调休` → `春节` (a name that is only 调休 stays). */
export function makeupHoliday(name: string): string {
  return name.endsWith(MAKEUP_SUFFIX) && name.length > MAKEUP_SUFFIX.length ? name.slice(0, -MAKEUP_SUFFIX.length) : name;
}

const show = (d: { year?: number; month: number; day: number }, withYear = false) => `${withYear && d.year !== undefined ? `${d.year}年` : ''}${d.month}月${d.day}日`;

/** Checks parsed statements; the value is the year's data, or undefined when there is an error. */
export function checkHolidays(file: HolidayFile, sink: DiagnosticSink = new DiagnosticSink()): { value: HolidayYear | undefined; diagnostics: Diagnostic[] } {
  const value = check(file, sink);
  return { value: sink.errors ? undefined : value, diagnostics: sortDiagnostics(sink.all()) };
}

/** Reads and checks a holiday file: the year's data when it has no error, and every diagnostic in file order. */
export function compileHolidays(text: string): { value: HolidayYear | undefined; diagnostics: Diagnostic[] } {
  const sink = new DiagnosticSink();
  const file = parseHolidaysInto(text, sink);
  return checkHolidays(file, sink);
}

function check(file: HolidayFile, sink: DiagnosticSink): HolidayYear | undefined {
  const statements = file.items.filter((i): i is HolidayStatementNode & { line: number } => i.kind !== 'comment');
  const start: SourceRange = { offset: 0, length: 0, line: 1, column: 1 };
  if (!statements.length) {
    if (!file.syntaxErrors) sink.error('empty-file', `文件里没有节假日安排:至少应写「${HOLIDAY_KEYWORDS.year}」「${HOLIDAY_KEYWORDS.source}」和节假日`, start);
    return undefined;
  }

  const year = single(statements.filter((s): s is YearStatement & { line: number } => s.kind === 'year'), sink, HOLIDAY_KEYWORDS.year);
  const source = single(statements.filter((s): s is SourceStatement & { line: number } => s.kind === 'source'), sink, HOLIDAY_KEYWORDS.source);
  if (!year && !file.seen.year) sink.error('missing-year', `缺少「${HOLIDAY_KEYWORDS.year}」:如 ${HOLIDAY_KEYWORDS.year} 2026`, start);
  if (!source && !file.seen.source) sink.error('missing-source', `缺少「${HOLIDAY_KEYWORDS.source}」:如 ${HOLIDAY_KEYWORDS.source} "国务院办公厅关于2026年部分节假日安排的通知"`, start);
  const y = year?.year;

  // Each day of the year by month*32+day: the line that first listed it (0: not yet).
  const listed = new Int32Array(13 * 32);
  // Without a year, 2月29日 is given the benefit of the doubt (the missing year is reported).
  const monthDays = (year: number) => Array.from({ length: 13 }, (_, m) => (m ? daysInMonth(year, m) : 0));
  const fileMonths = monthDays(y ?? 2000);
  const key = (d: DateLiteral) => d.month * 32 + d.day;
  /** Whether the date exists and is in the file's year; reports it if not. */
  const valid = (d: DateLiteral): boolean => {
    if (!Number.isFinite(d.month) || d.month < 1 || d.month > 12) {
      sink.error('no-such-date', `没有 ${d.month} 月`, d.range);
      return false;
    }
    const days = d.year === undefined || d.year === y ? fileMonths[d.month] : daysInMonth(d.year, d.month);
    if (!Number.isFinite(d.day) || d.day < 1 || d.day > days) {
      sink.error('no-such-date', `${d.year ?? y ?? ''}${d.year ?? y ? '年' : ''}${d.month}月没有${d.day}日`, d.range);
      return false;
    }
    if (y !== undefined && d.year !== undefined && d.year !== y) {
      sink.error('date-outside-year', `${show(d, true)}不在 ${y} 年内:本文件是 ${y} 年的安排`, d.range);
      return false;
    }
    return true;
  };
  const iso = (d: DateLiteral) => fromParts({ year: y ?? 2000, month: d.month, day: d.day });

  const holidays: HolidayYear['holidays'] = [];
  const workdays: HolidayYear['workdays'] = [];
  const holidayNames = new Set<string>();
  for (const s of statements) if (s.kind === 'holiday') holidayNames.add(s.name);

  for (const s of statements) {
    if (s.kind === 'holiday') {
      const to = s.to ?? s.from;
      const fromOk = valid(s.from);
      const toOk = s.to ? valid(s.to) : fromOk;
      if (!fromOk || !toOk) continue;
      if (key(s.from) > key(to)) {
        sink.error('range-reversed', `起始日 ${show(s.from)} 晚于结束日 ${show(to)}`, span(s.from.range, to.range));
        continue;
      }
      holidays.push({ name: s.name, from: iso(s.from), to: iso(to) });
      let reported = false;
      for (let m = s.from.month, d = s.from.day, end = key(to); m * 32 + d <= end; d < fileMonths[m] ? d++ : ((d = 1), m++)) {
        const first = listed[m * 32 + d];
        if (!first) listed[m * 32 + d] = s.line;
        else if (!reported) {
          sink.error('duplicate-date', `${m}月${d}日重复:第 ${first} 行已列出这一天`, span(s.from.range, to.range));
          reported = true;
        }
      }
    } else if (s.kind === 'makeup') {
      if (!holidayNames.has(s.name) && !holidayNames.has(makeupHoliday(s.name))) {
        const near = nearest(makeupHoliday(s.name), holidayNames);
        sink.warning('unknown-holiday', `没有名为「${s.name}」的节假日:调休上班应写它所调的节假日`, s.nameRange, near ? `是不是「${near}」?` : undefined);
      }
      for (const d of s.dates) {
        if (!valid(d)) continue;
        const first = listed[key(d)];
        if (first) sink.error('duplicate-date', `${show(d)}重复:第 ${first} 行已列出这一天`, d.range);
        else listed[key(d)] = s.line;
        if (y !== undefined && isoWeekday(iso(d)) < 6) {
          sink.error('makeup-on-weekday', `${show(d)}是${WEEKDAYS[isoWeekday(iso(d))]},本是工作日,无需调休上班`, d.range);
        }
        workdays.push({ name: makeupName(s.name), date: iso(d) });
      }
    }
  }
  if (y === undefined || !source?.text) return undefined;
  return { year: y, source: source.text, holidays, workdays };
}

/** The one statement of a kind; a second is reported, pointing back at the first. */
function single<T extends { keyword: SourceRange; line: number }>(found: T[], sink: DiagnosticSink, keyword: string): T | undefined {
  for (const extra of found.slice(1)) sink.error(`duplicate-${keyword === HOLIDAY_KEYWORDS.year ? 'year' : 'source'}`, `「${keyword}」只能写一次:第 ${found[0].line} 行已写过`, extra.keyword);
  return found[0];
}

function span(a: SourceRange, b: SourceRange): SourceRange {
  return { offset: a.offset, length: b.offset + b.length - a.offset, line: a.line, column: a.column };
}

function nearest(name: string, names: Set<string>): string | undefined {
  if (name.length > 12) return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const n of names) {
    const d = editDistance(name, n);
    if (d < bestDistance && d <= Math.max(1, Math.floor(n.length / 2))) {
      best = n;
      bestDistance = d;
    }
  }
  return best;
}
