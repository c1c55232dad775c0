/**
 * Local calendar dates as users read them: 'YYYY-MM-DD' in Asia/Shanghai.
 * Pure arithmetic on the proleptic Gregorian calendar; no Date objects leak out.
 */
export type LocalDate = string;

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface DateParts {
  year: number;
  month: number; // 1-12
  day: number; // 1-31
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  const m = PATTERN.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

export function toParts(date: LocalDate): DateParts {
  const m = PATTERN.exec(date);
  if (!m || !isLocalDate(date)) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

export function fromParts({ year, month, day }: DateParts): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Days since 1970-01-01 for the date, so that arithmetic is integer. */
export function toEpochDay(date: LocalDate): number {
  const { year, month, day } = toParts(date);
  return Math.round(Date.UTC(year, month - 1, day) / 86_400_000);
}

export function fromEpochDay(epochDay: number): LocalDate {
  const d = new Date(epochDay * 86_400_000);
  return fromParts({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
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
  const dow = new Date(toEpochDay(date) * 86_400_000).getUTCDay();
  return dow === 0 ? 7 : dow;
}

export interface MonthShift {
  date: LocalDate;
  /** Set when the target month has no such day and the date fell on its last day. */
  clampedFrom?: number;
}

/** Adds calendar months; 31 January + 1 month is the last day of February. */
export function addMonths(date: LocalDate, months: number): MonthShift {
  const { year, month, day } = toParts(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12 + 12) % 12 + 1;
  const last = daysInMonth(targetYear, targetMonth);
  if (day > last) {
    return { date: fromParts({ year: targetYear, month: targetMonth, day: last }), clampedFrom: day };
  }
  return { date: fromParts({ year: targetYear, month: targetMonth, day }) };
}

/** '2026年2月28日' */
export function formatChineseDate(date: LocalDate): string {
  const { year, month, day } = toParts(date);
  return `${year}年${month}月${day}日`;
}
