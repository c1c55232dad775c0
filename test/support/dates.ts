import { addDays, fromParts, HolidayCalendar, isoWeekday, LocalDate, startOfLocalDay, toParts } from '@reform/calendar';

/**
 * Dates for scenario tests, derived from the clock of the server under test: the time-skipping
 * server starts at today's real time (or at REFORM_TEST_YEAR) and only moves forward, so a test
 * never names a fixed year. Plain calendar arithmetic only: expected values are worked out here
 * from the rules as a person would count them, never by the engine's own deadline code.
 */

export const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export const yearOf = (date: LocalDate): number => toParts(date).year;

/** The date with month and day in year `year`: dateIn(2031, 2, 28) is '2031-02-28'. */
export const dateIn = (year: number, month: number, day: number): LocalDate => fromParts({ year, month, day });

/** A date as a letter or an explanation writes it: '2031年4月4日'. */
export function chineseDate(date: LocalDate): string {
  const { year, month, day } = toParts(date);
  return `${year}年${month}月${day}日`;
}

/**
 * A date plus whole months, the last day of the month when the day is missing
 * (docs/rules-language.md §2.9): plusMonths('2031-01-31', 1) is '2031-02-28'.
 */
export function plusMonths(date: LocalDate, months: number): LocalDate {
  const { year: y, month: m, day: d } = toParts(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return fromParts({ year, month, day: Math.min(d, last) });
}

/** The first year after `today`'s year. */
export const nextYear = (today: LocalDate): number => yearOf(today) + 1;

/** The first leap year after `today`'s year. */
export function nextLeapYear(today: LocalDate): number {
  let year = nextYear(today);
  while (!isLeapYear(year)) year++;
  return year;
}

/** The first common (not leap) year after `today`'s year. */
export function nextCommonYear(today: LocalDate): number {
  let year = nextYear(today);
  while (isLeapYear(year)) year++;
  return year;
}

/** The first date on or after `date` that falls on the ISO weekday (1 = Monday … 7 = Sunday). */
export function onOrAfterWeekday(date: LocalDate, weekday: number): LocalDate {
  return addDays(date, (weekday - isoWeekday(date) + 7) % 7);
}

/**
 * Whether a person reading the calendar data would go to work that day: a listed holiday is off,
 * a listed make-up day (调休) is on, otherwise Monday to Friday.
 */
export function isWorkingDay(date: LocalDate, calendar: HolidayCalendar): boolean {
  const year = calendar.years.find((y) => y.year === yearOf(date));
  if (year?.holidays.some((h) => h.from <= date && date <= h.to)) return false;
  if (year?.workdays.some((w) => w.date === date)) return true;
  return isoWeekday(date) <= 5;
}

/** The n-th working day after `date` (the day itself not counted): "within n working days". */
export function workingDaysAfter(date: LocalDate, n: number, calendar: HolidayCalendar): LocalDate {
  let d = date;
  for (let counted = 0; counted < n; ) if (isWorkingDay((d = addDays(d, 1)), calendar)) counted++;
  return d;
}

/** The n-th working day before `date` (the day itself not counted): "n working days before due". */
export function workingDaysBefore(date: LocalDate, n: number, calendar: HolidayCalendar): LocalDate {
  let d = date;
  for (let counted = 0; counted < n; ) if (isWorkingDay((d = addDays(d, -1)), calendar)) counted++;
  return d;
}

/** The calendar without the arrangements for `year`: that year counts weekends only. */
export const withoutYear = (calendar: HolidayCalendar, year: number): HolidayCalendar => ({ years: calendar.years.filter((y) => y.year !== year) });

/**
 * REFORM_TEST_YEAR=2031 runs the scenarios as if today were 1 January 2031 (Asia/Shanghai): the
 * harness first moves the time-skipping server there. Unset, the server keeps today's real time.
 */
export function testBaseInstant(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.REFORM_TEST_YEAR?.trim();
  if (!raw) return undefined;
  const year = Number(raw);
  if (!/^\d{4}$/.test(raw) || year < 2000 || year > 2100) throw new Error(`REFORM_TEST_YEAR must be a year from 2000 to 2100, got '${raw}'`);
  return startOfLocalDay(dateIn(year, 1, 1));
}
