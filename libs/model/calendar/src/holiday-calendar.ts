import { addDays, compareDates, isoWeekday, LocalDate, toParts } from './local-date';

/**
 * Official holidays and make-up working days (调休) are published every year, so they are
 * data the reform office loads, one object per year (HolidayYearSchema checks its shape).
 */
export interface HolidayYear {
  year: number;
  source: string;
  holidays: Array<{ name: string; from: LocalDate; to: LocalDate }>;
  workdays: Array<{ name: string; date: LocalDate }>;
}

export interface HolidayCalendar {
  years: HolidayYear[];
}

export const EMPTY_CALENDAR: HolidayCalendar = { years: [] };

export interface CalendarIssue {
  path: string;
  message: string;
}

/** Checks a year's data beyond its shape: dates inside the year, no date twice, sensible kinds. */
export function checkHolidayYear(year: HolidayYear): CalendarIssue[] {
  const issues: CalendarIssue[] = [];
  const seen = new Map<LocalDate, string>();
  const note = (date: LocalDate, path: string) => {
    if (toParts(date).year !== year.year) issues.push({ path, message: `${date} 不在 ${year.year} 年内` });
    const first = seen.get(date);
    if (first) issues.push({ path, message: `${date} 重复出现(首次见于 ${first})` });
    else seen.set(date, path);
  };
  year.holidays.forEach((h, i) => {
    if (compareDates(h.from, h.to) > 0) {
      issues.push({ path: `holidays[${i}]`, message: `起始日 ${h.from} 晚于结束日 ${h.to}` });
      return;
    }
    for (let d = h.from; compareDates(d, h.to) <= 0; d = addDays(d, 1)) note(d, `holidays[${i}]`);
  });
  year.workdays.forEach((w, i) => {
    note(w.date, `workdays[${i}]`);
    if (isoWeekday(w.date) < 6) issues.push({ path: `workdays[${i}]`, message: `${w.date} 本是工作日,无需调休上班` });
  });
  return issues;
}

export type DayKind =
  | { working: true; kind: 'weekday' }
  | { working: true; kind: 'makeup'; name: string }
  | { working: false; kind: 'weekend' }
  | { working: false; kind: 'holiday'; name: string };

interface YearIndex {
  holidays: Map<LocalDate, string>;
  workdays: Map<LocalDate, string>;
}

// Index per calendar object; calendars are immutable values, so caching by identity is safe.
const indexCache = new WeakMap<HolidayCalendar, Map<number, YearIndex>>();

function indexOf(calendar: HolidayCalendar): Map<number, YearIndex> {
  let index = indexCache.get(calendar);
  if (!index) {
    index = new Map();
    for (const y of calendar.years) {
      const holidays = new Map<LocalDate, string>();
      for (const h of y.holidays) {
        for (let d = h.from; compareDates(d, h.to) <= 0; d = addDays(d, 1)) holidays.set(d, h.name);
      }
      index.set(y.year, { holidays, workdays: new Map(y.workdays.map((w) => [w.date, w.name])) });
    }
    indexCache.set(calendar, index);
  }
  return index;
}

export function hasYear(calendar: HolidayCalendar, year: number): boolean {
  return indexOf(calendar).has(year);
}

export function dayKind(calendar: HolidayCalendar, date: LocalDate): DayKind {
  const year = indexOf(calendar).get(toParts(date).year);
  const holiday = year?.holidays.get(date);
  if (holiday) return { working: false, kind: 'holiday', name: holiday };
  const makeup = year?.workdays.get(date);
  if (makeup) return { working: true, kind: 'makeup', name: makeup };
  return isoWeekday(date) >= 6 ? { working: false, kind: 'weekend' } : { working: true, kind: 'weekday' };
}

export function mergeCalendars(...calendars: HolidayCalendar[]): HolidayCalendar {
  const byYear = new Map<number, HolidayYear>();
  for (const c of calendars) for (const y of c.years) byYear.set(y.year, y);
  return { years: [...byYear.values()].sort((a, b) => a.year - b.year) };
}
