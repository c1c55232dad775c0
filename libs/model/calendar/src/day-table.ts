import { dayKind, DayKind, hasYear, HolidayCalendar } from './holiday-calendar';
import { fromEpochDay, fromParts, partsOfEpochDay, toEpochDay } from './local-date';

/**
 * A holiday calendar as a day table, one year at a time: for each day its kind (dayKind, so
 * holidays, make-up days and years with no data counted by weekends only are exactly the
 * calendar's), how many working days come before it, and where the year's working days are.
 * Counting N working days is then a few array reads, not a walk over the days.
 *
 * Built the first time a year is asked of a calendar and kept with it: calendars are immutable
 * values, so the table is a pure cache (the same answers on every replay of a workflow).
 */
interface YearDays {
  year: number;
  /** Day number (days since 1970-01-01) of 1 January. */
  first: number;
  kinds: DayKind[];
  /** Working days before day i of the year, for i = 0 … days (the last is the year's total). */
  before: Int32Array;
  /** Day of the year (from 0) of the year's working days, in order. */
  workingAt: Int32Array;
  /** Whether the calendar has data for the year (else: weekends only). */
  known: boolean;
}

const tables = new WeakMap<HolidayCalendar, Map<number, YearDays>>();

function yearDays(calendar: HolidayCalendar, year: number): YearDays {
  let years = tables.get(calendar);
  if (!years) tables.set(calendar, (years = new Map()));
  let y = years.get(year);
  if (!y) {
    const first = toEpochDay(fromParts({ year, month: 1, day: 1 }));
    const days = toEpochDay(fromParts({ year: year + 1, month: 1, day: 1 })) - first;
    const kinds: DayKind[] = new Array(days);
    const before = new Int32Array(days + 1);
    const working: number[] = [];
    for (let i = 0; i < days; i++) {
      const kind = dayKind(calendar, fromEpochDay(first + i));
      kinds[i] = kind;
      before[i + 1] = before[i] + (kind.working ? 1 : 0);
      if (kind.working) working.push(i);
    }
    y = { year, first, kinds, before, workingAt: Int32Array.from(working), known: hasYear(calendar, year) };
    years.set(year, y);
  }
  return y;
}

function yearOfDay(calendar: HolidayCalendar, epochDay: number): YearDays {
  return yearDays(calendar, partsOfEpochDay(epochDay).year);
}

/** The day `n` working days after (n > 0) or before (n < 0) the day `epochDay`; the day itself when n is 0. */
export function workingDaysFrom(calendar: HolidayCalendar, epochDay: number, n: number): number {
  if (n === 0) return epochDay;
  let y = yearOfDay(calendar, epochDay);
  const i = epochDay - y.first;
  if (n > 0) {
    // The n-th working day after day i: the (working days up to and including i) + n-th of the year.
    let target = y.before[i + 1] + n;
    while (target > y.workingAt.length) {
      target -= y.workingAt.length;
      y = yearDays(calendar, y.year + 1);
    }
    return y.first + y.workingAt[target - 1];
  }
  let target = y.before[i] + n;
  while (target < 0) {
    y = yearDays(calendar, y.year - 1);
    target += y.workingAt.length;
  }
  return y.first + y.workingAt[target];
}

/** Each day from `from` to `to` (day numbers, both included, either way round) in the order travelled, with its kind. */
export function forEachDay(calendar: HolidayCalendar, from: number, to: number, visit: (epochDay: number, kind: DayKind, known: boolean, year: number) => void): void {
  const sign = to >= from ? 1 : -1;
  let y = yearOfDay(calendar, from);
  for (let day = from; sign * (to - day) >= 0; day += sign) {
    let i = day - y.first;
    if (i < 0 || i >= y.kinds.length) {
      y = yearOfDay(calendar, day);
      i = day - y.first;
    }
    visit(day, y.kinds[i], y.known, y.year);
  }
}
