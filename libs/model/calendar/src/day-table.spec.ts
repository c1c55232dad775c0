import fc from 'fast-check';
import { DayNote, shiftDate, shiftedDate } from './duration';
import { HolidayCalendar } from './holiday-calendar';
import { SHIPPED_HOLIDAYS } from './standard-calendar';

/**
 * Working days counted through the day table give what counting one day at a time gives: the
 * reference below walks the days by Date and reads the calendar's lists directly.
 */
const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function walk(calendar: HolidayCalendar, from: string, amount: number, direction: 'after' | 'before') {
  const holidays = new Map<string, string>();
  const makeups = new Map<string, string>();
  for (const y of calendar.years) {
    for (const h of y.holidays) for (let t = Date.parse(h.from); t <= Date.parse(h.to); t += DAY_MS) holidays.set(iso(t), h.name);
    for (const w of y.workdays) makeups.set(w.date, w.name);
  }
  const known = new Set(calendar.years.map((y) => y.year));
  const step = direction === 'after' ? DAY_MS : -DAY_MS;
  const days: DayNote[] = [];
  const missing = new Set<number>();
  let t = Date.parse(from);
  for (let counted = 0; counted < amount; ) {
    t += step;
    const date = iso(t);
    const year = new Date(t).getUTCFullYear();
    if (!known.has(year)) missing.add(year);
    const weekend = [0, 6].includes(new Date(t).getUTCDay());
    if (holidays.has(date)) days.push({ date, kind: 'holiday', name: holidays.get(date) });
    else if (makeups.has(date)) {
      days.push({ date, kind: 'makeup', name: makeups.get(date) });
      counted++;
    } else if (weekend) days.push({ date, kind: 'weekend', name: undefined });
    else counted++;
  }
  return { result: iso(t), days, missingYears: [...missing].sort() };
}

// 2026 has holiday data; the years around it are counted by weekends only.
const date = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2028, 11, 31) }).map((t) => iso(t - (t % DAY_MS)));

describe('working days through the day table', () => {
  it('agree with a day-by-day count, both ways, across years with and without data', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 400 }), fc.constantFrom('after' as const, 'before' as const), (from, amount, direction) => {
        const expected = walk(SHIPPED_HOLIDAYS, from, amount, direction);
        const shift = shiftDate(from, { unit: 'workingDays', amount }, direction, SHIPPED_HOLIDAYS);
        expect({ result: shift.result, days: shift.days, missingYears: shift.missingYears }).toEqual(expected);
        expect(shiftedDate(from, { unit: 'workingDays', amount }, direction, SHIPPED_HOLIDAYS)).toBe(expected.result);
      }),
      { numRuns: 400 },
    );
  });

  it('the National Day week of 2026: 5 working days after 30 September', () => {
    // 1–7 October 2026 are holidays and 10 October (a Saturday) is a make-up working day (cn-2026.json):
    // 8 (Thu), 9 (Fri), 10 (Sat, make-up), 12 (Mon), 13 (Tue).
    expect(shiftedDate('2026-09-30', { unit: 'workingDays', amount: 5 }, 'after', SHIPPED_HOLIDAYS)).toBe('2026-10-13');
    // And back: 13 (Tue), 12 (Mon), 10 (Sat, make-up), 9 (Fri), 8 (Thu), then 30 September (Wed).
    expect(shiftedDate('2026-10-14', { unit: 'workingDays', amount: 6 }, 'before', SHIPPED_HOLIDAYS)).toBe('2026-09-30');
  });
});
