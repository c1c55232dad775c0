import { addDays, addMonths, dayKind, daysInMonth, Duration, fromParts, HolidayCalendar, LocalDate, MonthDay, shiftDate, toParts } from '@reform/calendar';
import type { Deadline } from '@reform/definitions';

/**
 * A holiday calendar compiled into a day table for a span of years: for each date, its day number,
 * whether it is a working day (libs/calendar dayKind, so holidays, make-up days and the years with
 * no data counted by weekends only are exactly the library's) and how many working days precede
 * it, and its year, month and day. A working-day shift is then two array reads instead of a walk
 * over the days, and a month shift (clamped to the month's end, as addMonths) a few more. Dates
 * outside the span fall back to the library's own functions, so the answers never differ.
 *
 * The compiled path uses it, and the json-rules-engine facts use the same table (the "same
 * precomputed calendar" for both). GoRules zen cannot take it (see rules-zen.ts).
 */
export class CalendarIndex {
  private readonly index = new Map<LocalDate, number>();
  private readonly dates: LocalDate[] = [];
  private readonly working: Uint8Array;
  /** Working days strictly before day i. */
  private readonly before: Int32Array;
  /** Day numbers of the working days, in order. */
  private readonly workingDays: number[] = [];
  /** Year, month and day of month of day i. */
  private readonly ymd: Int32Array;
  /** Day number of the first of each month of the span ((year - fromYear) * 12 + month - 1). */
  private readonly monthStart: Int32Array;
  private readonly monthLength: Int32Array;

  constructor(
    readonly calendar: HolidayCalendar,
    readonly fromYear: number,
    readonly toYear: number,
  ) {
    const last = fromParts({ year: toYear, month: 12, day: 31 });
    for (let d = fromParts({ year: fromYear, month: 1, day: 1 }); d <= last; d = addDays(d, 1)) {
      this.index.set(d, this.dates.length);
      this.dates.push(d);
    }
    this.working = new Uint8Array(this.dates.length);
    this.before = new Int32Array(this.dates.length);
    this.ymd = new Int32Array(this.dates.length * 3);
    const months = (toYear - fromYear + 1) * 12;
    this.monthStart = new Int32Array(months);
    this.monthLength = new Int32Array(months);
    let count = 0;
    this.dates.forEach((d, i) => {
      const { year, month, day } = toParts(d);
      this.ymd.set([year, month, day], i * 3);
      const m = (year - fromYear) * 12 + month - 1;
      if (day === 1) this.monthStart[m] = i;
      this.monthLength[m] = day;
      this.before[i] = count;
      if (dayKind(calendar, d).working) {
        this.working[i] = 1;
        this.workingDays.push(i);
        count++;
      }
    });
  }

  /** Days in the table. */
  get days(): number {
    return this.dates.length;
  }

  addDays(date: LocalDate, n: number): LocalDate {
    const i = this.index.get(date);
    const j = i === undefined ? -1 : i + n;
    return j >= 0 && j < this.dates.length ? this.dates[j] : addDays(date, n);
  }

  workingDaysAfter(date: LocalDate, n: number): LocalDate {
    const i = this.index.get(date);
    if (i !== undefined) {
      const k = this.workingDays[this.before[i] + this.working[i] + n - 1];
      if (k !== undefined) return this.dates[k];
    }
    return shiftDate(date, { unit: 'workingDays', amount: n }, 'after', this.calendar).result;
  }

  workingDaysBefore(date: LocalDate, n: number): LocalDate {
    const i = this.index.get(date);
    if (i !== undefined && n > 0) {
      const k = this.workingDays[this.before[i] - n];
      if (k !== undefined) return this.dates[k];
    }
    return shiftDate(date, { unit: 'workingDays', amount: n }, 'before', this.calendar).result;
  }

  /** addMonths(date, n).date, through the table. */
  addMonths(date: LocalDate, n: number): LocalDate {
    const i = this.index.get(date);
    if (i !== undefined) {
      const m = (this.ymd[i * 3] - this.fromYear) * 12 + this.ymd[i * 3 + 1] - 1 + n;
      if (m >= 0 && m < this.monthStart.length) {
        const day = this.ymd[i * 3 + 2];
        const length = this.monthLength[m];
        return this.dates[this.monthStart[m] + (day < length ? day : length) - 1];
      }
    }
    return addMonths(date, n).date;
  }

  /** shiftDate(…).result, through the table. */
  shift(date: LocalDate, d: Duration, direction: 'after' | 'before'): LocalDate {
    const sign = direction === 'after' ? 1 : -1;
    switch (d.unit) {
      case 'days':
        return this.addDays(date, sign * d.amount);
      case 'months':
        return this.addMonths(date, sign * d.amount);
      case 'years':
        return this.addMonths(date, sign * 12 * d.amount);
      case 'workingDays':
        return d.amount === 0 ? date : direction === 'after' ? this.workingDaysAfter(date, d.amount) : this.workingDaysBefore(date, d.amount);
    }
  }

  /** nextDateOn(from, on).result, through the table. */
  nextDateOn(from: LocalDate, on: MonthDay): LocalDate {
    const i = this.index.get(from);
    const year = i === undefined ? toParts(from).year : this.ymd[i * 3];
    const at = (y: number) => {
      const m = (y - this.fromYear) * 12 + on.month - 1;
      if (m >= 0 && m < this.monthStart.length) return this.dates[this.monthStart[m] + Math.min(on.day, this.monthLength[m]) - 1];
      return fromParts({ year: y, month: on.month, day: Math.min(on.day, daysInMonth(y, on.month)) });
    };
    const first = at(year);
    return first > from ? first : at(year + 1);
  }

  /**
   * dueOf(d, anchor, k).result read straight off the definition (interpreted: it looks at the
   * deadline's fields on every call). The json-rules-engine facts count with it.
   */
  dueOf(d: Deadline, anchor: LocalDate, k: number): LocalDate {
    if (k === 0 || !d.repeat) {
      const start = d.from.after ? this.shift(anchor, d.from.after, 'after') : anchor;
      return d.within ? this.shift(start, d.within, 'after') : this.nextDateOn(start, d.byDate!);
    }
    if (d.within && !d.from.after && d.repeat.every.unit === d.within.unit) {
      return this.shift(anchor, { unit: d.within.unit, amount: d.within.amount + k * d.repeat.every.amount }, 'after');
    }
    return this.shift(this.dueOf(d, anchor, k - 1), d.repeat.every, 'after');
  }
}

