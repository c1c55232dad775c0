import { forEachDay, workingDaysFrom } from './day-table';
import { HolidayCalendar } from './holiday-calendar';
import { addMonthsToDay, daysBetween, daysInMonth, formatChineseDate, fromEpochDay, fromParts, LocalDate, toEpochDay, toParts } from './local-date';

export const DURATION_UNITS = ['days', 'workingDays', 'months', 'years'] as const;

/** A whole number of days, working days, months or years (DurationSchema checks it at the boundary). */
export interface Duration {
  amount: number;
  unit: (typeof DURATION_UNITS)[number];
}

const UNIT_LABEL: Record<Duration['unit'], string> = {
  days: '日',
  workingDays: '个工作日',
  months: '个月',
  years: '年',
};

/** '1个月', '5个工作日' */
export function describeDuration(d: Duration): string {
  return `${d.amount}${UNIT_LABEL[d.unit]}`;
}

export interface DayNote {
  date: LocalDate;
  kind: 'weekend' | 'holiday' | 'makeup';
  name?: string;
}

/**
 * How a date was counted: the engine schedules with `result`, and "why is this due then"
 * prints the rest, so both read the same computation.
 */
export interface MonthDay {
  month: number;
  day: number;
}

export interface DateShift {
  from: LocalDate;
  /** Counted by a duration … */
  duration?: Duration;
  /** … or the next such calendar date (e.g. 30 June). */
  byDate?: MonthDay;
  direction: 'after' | 'before';
  result: LocalDate;
  /** Weekends and holidays passed over, and make-up working days counted (working-day units). */
  days: DayNote[];
  /** Day of month asked for when the target month was shorter (month and year units). */
  monthEndFrom?: number;
  /** Years met for which no holiday calendar is loaded: counted by weekends only. */
  missingYears: number[];
  /** The step before this one, when a date is counted in two (half a year after issuance, then the next 30 June). */
  via?: DateShift;
}

/**
 * The day `duration` after (or before) the day number `epochDay` (days since 1970-01-01): the
 * one place a duration is counted. Months and years end on the month's last day when it has no
 * such day; working days are counted through the calendar's day table.
 */
export function shiftDay(epochDay: number, duration: Duration, direction: 'after' | 'before', calendar: HolidayCalendar): number {
  const sign = direction === 'after' ? 1 : -1;
  switch (duration.unit) {
    case 'days':
      return epochDay + sign * duration.amount;
    case 'months':
      return addMonthsToDay(epochDay, sign * duration.amount);
    case 'years':
      return addMonthsToDay(epochDay, sign * 12 * duration.amount);
    case 'workingDays':
      return workingDaysFrom(calendar, epochDay, sign * duration.amount);
  }
}

/** shiftDate(…).result without the explanation: what the engine schedules with. */
export function shiftedDate(from: LocalDate, duration: Duration, direction: 'after' | 'before', calendar: HolidayCalendar): LocalDate {
  return fromEpochDay(shiftDay(toEpochDay(from), duration, direction, calendar));
}

/** A date counted by a duration (shiftDay), with what "why" and letters print about it. */
export function shiftDate(
  from: LocalDate,
  duration: Duration,
  direction: 'after' | 'before',
  calendar: HolidayCalendar,
): DateShift {
  const start = toEpochDay(from);
  const end = shiftDay(start, duration, direction, calendar);
  const result = fromEpochDay(end);
  // Object literals with the fields in one order (no spreads): the engine makes one of these
  // for every occurrence it opens.
  switch (duration.unit) {
    case 'days':
      return { from, duration, direction, days: [], missingYears: [], result };
    case 'months':
    case 'years': {
      // The day asked for, when the target month was shorter and the count ended on its last day.
      const asked = toParts(from).day;
      return { from, duration, direction, days: [], missingYears: [], result, monthEndFrom: toParts(result).day < asked ? asked : undefined };
    }
    case 'workingDays': {
      // The days passed over, for the explanation.
      const days: DayNote[] = [];
      const missingYears: number[] = [];
      if (end !== start) {
        forEachDay(calendar, start + (direction === 'after' ? 1 : -1), end, (day, kind, known, year) => {
          if (!known && !missingYears.includes(year)) missingYears.push(year);
          if (kind.working) {
            if (kind.kind === 'makeup') days.push({ date: fromEpochDay(day), kind: 'makeup', name: kind.name });
          } else {
            days.push({ date: fromEpochDay(day), kind: kind.kind, name: kind.kind === 'holiday' ? kind.name : undefined });
          }
        });
      }
      return { from, duration, direction, days, missingYears: missingYears.sort(), result };
    }
  }
}

/** The first date after `from` that falls on month/day; a day the month lacks is its last day (29 Feb → 28 Feb). */
export function nextDateOn(from: LocalDate, on: MonthDay): DateShift {
  const { year } = toParts(from);
  for (const y of [year, year + 1]) {
    const last = daysInMonth(y, on.month);
    const result = fromParts({ year: y, month: on.month, day: Math.min(on.day, last) });
    if (result > from) {
      return { from, byDate: on, direction: 'after', result, days: [], missingYears: [], monthEndFrom: on.day > last ? on.day : undefined };
    }
  }
  throw new RangeError(`no ${on.month}-${on.day} after ${from}`);
}

/** Plain Chinese lines explaining a shift, for letters' footnotes and "why" answers. */
export function explainShift(shift: DateShift): string[] {
  const lines: string[] = shift.via ? explainShift(shift.via) : [];
  const dir = shift.direction === 'after' ? '后' : '前';
  if (shift.byDate) {
    lines.push(`自${formatChineseDate(shift.from)}起,下一个${shift.byDate.month}月${shift.byDate.day}日为${formatChineseDate(shift.result)}`);
  } else if (shift.duration) {
    lines.push(`自${formatChineseDate(shift.from)}起算,${describeDuration(shift.duration)}${dir}为${formatChineseDate(shift.result)}`);
  }
  if (shift.monthEndFrom) {
    const { month } = toParts(shift.result);
    lines.push(`${month}月没有${shift.monthEndFrom}日,按当月最后一日${formatChineseDate(shift.result)}计`);
  }
  const holidays = shift.days.filter((d) => d.kind === 'holiday');
  const weekends = shift.days.filter((d) => d.kind === 'weekend');
  const makeups = shift.days.filter((d) => d.kind === 'makeup');
  if (holidays.length) {
    lines.push(`跳过法定节假日${holidays.length}天:${holidays.map((d) => `${formatChineseDate(d.date)}(${d.name})`).join('、')}`);
  }
  if (weekends.length) lines.push(`跳过周末${weekends.length}天`);
  if (makeups.length) {
    lines.push(`调休上班日计入工作日:${makeups.map((d) => `${formatChineseDate(d.date)}(${d.name})`).join('、')}`);
  }
  if (shift.duration?.unit === 'workingDays') {
    lines.push(`共计${shift.duration.amount}个工作日,跨${Math.abs(daysBetween(shift.from, shift.result))}个日历日`);
  }
  for (const y of shift.missingYears) lines.push(`尚未载入${y}年节假日安排,该年仅按周末计算`);
  return lines;
}
