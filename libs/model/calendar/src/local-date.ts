/**
 * Local calendar dates as users read them: 'YYYY-MM-DD' in Asia/Shanghai.
 * Pure arithmetic on the proleptic Gregorian calendar; no Date objects leak out.
 */
export type LocalDate = string;

export interface DateParts {
  year: number;
  month: number; // 1-12
  day: number; // 1-31
}

// Integer arithmetic throughout, no Date objects: deadline counting calls these for every day
// it walks, in every workflow, so they are kept cheap (see the rules benchmark).
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1];
}

/** The digit at `i` of `value`, or -1. */
function digit(value: string, i: number): number {
  const c = value.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** 'YYYY-MM-DD' read character by character: every date the engine counts goes through here. */
function parse(value: string): DateParts | undefined {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return undefined;
  const y0 = digit(value, 0);
  const y1 = digit(value, 1);
  const y2 = digit(value, 2);
  const y3 = digit(value, 3);
  const m0 = digit(value, 5);
  const m1 = digit(value, 6);
  const d0 = digit(value, 8);
  const d1 = digit(value, 9);
  if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0) return undefined;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) ? { year, month, day } : undefined;
}

export function isLocalDate(value: unknown): value is LocalDate {
  return typeof value === 'string' && parse(value) !== undefined;
}

export function toParts(date: LocalDate): DateParts {
  const parts = parse(date);
  if (!parts) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
  return parts;
}

const twoDigits = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function fromParts({ year, month, day }: DateParts): LocalDate {
  const y = year >= 1000 && year <= 9999 ? String(year) : String(year).padStart(4, '0');
  return `${y}-${twoDigits(month)}-${twoDigits(day)}`;
}

/** Days since 1970-01-01 for the date, so that arithmetic is integer. */
export function toEpochDay(date: LocalDate): number {
  return epochDayOf(toParts(date));
}

/** Days since 1970-01-01 for a year, month and day. */
export function epochDayOf({ year, month, day }: DateParts): number {
  // Days from civil (Howard Hinnant's algorithm): eras of 400 years starting 1 March.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export function fromEpochDay(epochDay: number): LocalDate {
  return fromParts(partsOfEpochDay(epochDay));
}

/** The year, month and day of a day number (days since 1970-01-01). */
export function partsOfEpochDay(epochDay: number): DateParts {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromEpochDay(toEpochDay(date) + days);
}

export function daysBetween(from: LocalDate, to: LocalDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

export function compareDates(a: LocalDate, b: LocalDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  // 1970-01-01 was a Thursday (4).
  return ((((toEpochDay(date) + 3) % 7) + 7) % 7) + 1;
}

export interface MonthShift {
  date: LocalDate;
  /** Set when the target month has no such day and the date fell on its last day. */
  clampedFrom?: number;
}

/** Adds calendar months; 31 January + 1 month is the last day of February. */
export function addMonths(date: LocalDate, months: number): MonthShift {
  const from = toParts(date);
  const to = monthsAfter(from, months);
  return to.day < from.day ? { date: fromParts(to), clampedFrom: from.day } : { date: fromParts(to) };
}

/** addMonths on day numbers (days since 1970-01-01): what the engine counts due dates with. */
export function addMonthsToDay(epochDay: number, months: number): number {
  return epochDayOf(monthsAfter(partsOfEpochDay(epochDay), months));
}

/** The same day `months` calendar months on, or the month's last day when it has no such day. */
function monthsAfter({ year, month, day }: DateParts, months: number): DateParts {
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12 + 12) % 12 + 1;
  return { year: targetYear, month: targetMonth, day: Math.min(day, daysInMonth(targetYear, targetMonth)) };
}

/** '2026年2月28日' */
export function formatChineseDate(date: LocalDate): string {
  const { year, month, day } = toParts(date);
  return `${year}年${month}月${day}日`;
}
