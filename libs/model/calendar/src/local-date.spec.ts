import {
  addDays,
  addMonths,
  addMonthsToDay,
  compareDates,
  daysBetween,
  daysInMonth,
  formatChineseDate,
  fromEpochDay,
  fromParts,
  isLocalDate,
  isoWeekday,
  toEpochDay,
  toParts,
} from './local-date';

describe('isLocalDate', () => {
  it.each(['2026-02-28', '2028-02-29', '2000-02-29', '2026-12-31', '2026-01-01'])('accepts the real date %s', (d) => {
    expect(isLocalDate(d)).toBe(true);
  });

  it.each([
    ['2026-02-30', 'a day February does not have'],
    ['2026-02-29', '29 February in a common year'],
    ['1900-02-29', '29 February in a century year not divisible by 400'],
    ['2026-04-31', '31 April'],
    ['2026-2-1', 'month and day without padding'],
    ['2026-13-01', 'month 13'],
    ['2026-00-10', 'month 0'],
    ['2026-01-00', 'day 0'],
    ['26-01-01', 'a two-digit year'],
    ['2026-01-01T00:00', 'a date-time'],
    [' 2026-01-01', 'leading space'],
    ['', 'the empty string'],
  ])('rejects %s (%s)', (d) => {
    expect(isLocalDate(d)).toBe(false);
  });

  it.each([[20260101], [null], [undefined], [new Date(0)], [{}]])('rejects the non-string %p', (v) => {
    expect(isLocalDate(v)).toBe(false);
  });
});

describe('toParts / fromParts', () => {
  it('splits and joins a date', () => {
    expect(toParts('2026-03-09')).toEqual({ year: 2026, month: 3, day: 9 });
    expect(fromParts({ year: 2026, month: 3, day: 9 })).toBe('2026-03-09');
  });

  it('throws a RangeError for anything that is not a real date', () => {
    expect(() => toParts('2026-02-30')).toThrow(new RangeError('not a date (YYYY-MM-DD): 2026-02-30'));
    expect(() => toParts('2026-2-1')).toThrow(RangeError);
  });
});

describe('daysInMonth', () => {
  it('knows month lengths and leap years', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2026, m))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
  });
});

describe('epoch days and day arithmetic', () => {
  it('counts days from 1970-01-01', () => {
    expect(toEpochDay('1970-01-01')).toBe(0);
    expect(toEpochDay('1970-01-02')).toBe(1);
    expect(toEpochDay('1969-12-31')).toBe(-1);
    expect(fromEpochDay(toEpochDay('2026-02-28'))).toBe('2026-02-28');
  });

  it('adds days across month, leap-day and year boundaries', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-03-01', 0)).toBe('2026-03-01');
    expect(addDays('2026-01-01', 365)).toBe('2027-01-01');
  });

  it('measures days between two dates, signed', () => {
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
    expect(daysBetween('2026-03-01', '2026-02-28')).toBe(-1);
  });

  it('compares dates', () => {
    expect(compareDates('2026-01-31', '2026-02-01')).toBe(-1);
    expect(compareDates('2026-02-01', '2026-01-31')).toBe(1);
    expect(compareDates('2026-02-01', '2026-02-01')).toBe(0);
  });

  it('gives the ISO weekday, Monday 1 to Sunday 7', () => {
    // 2026-02-16 is a Monday.
    expect(['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22'].map(isoWeekday)).toEqual([
      1, 2, 3, 4, 5, 6, 7,
    ]);
    expect(isoWeekday('1970-01-01')).toBe(4);
  });
});

describe('addMonths', () => {
  it('clamps 31 January to the last day of February: 28th in 2027, 29th in 2028', () => {
    expect(addMonths('2027-01-31', 1)).toEqual({ date: '2027-02-28', clampedFrom: 31 });
    expect(addMonths('2028-01-31', 1)).toEqual({ date: '2028-02-29', clampedFrom: 31 });
    expect(addMonths('2026-01-29', 1)).toEqual({ date: '2026-02-28', clampedFrom: 29 });
  });

  it('keeps the day (and sets no clampedFrom) when the target month has it', () => {
    const shifted = addMonths('2026-01-15', 1);
    expect(shifted).toStrictEqual({ date: '2026-02-15' });
    expect(addMonths('2026-01-28', 1)).toStrictEqual({ date: '2026-02-28' });
    expect(addMonths('2026-05-31', 0)).toStrictEqual({ date: '2026-05-31' });
  });

  it('clamps to 30-day months', () => {
    expect(addMonths('2026-03-31', 1)).toEqual({ date: '2026-04-30', clampedFrom: 31 });
    expect(addMonths('2026-08-31', 1)).toEqual({ date: '2026-09-30', clampedFrom: 31 });
  });

  it('counts backwards for negative months, clamping too', () => {
    expect(addMonths('2026-03-31', -1)).toEqual({ date: '2026-02-28', clampedFrom: 31 });
    expect(addMonths('2026-07-31', -6)).toEqual({ date: '2026-01-31' });
    expect(addMonths('2028-03-30', -1)).toEqual({ date: '2028-02-29', clampedFrom: 30 });
  });

  it('wraps years in both directions', () => {
    expect(addMonths('2026-12-15', 1)).toEqual({ date: '2027-01-15' });
    expect(addMonths('2026-11-30', 3)).toEqual({ date: '2027-02-28', clampedFrom: 30 });
    expect(addMonths('2026-01-15', -1)).toEqual({ date: '2025-12-15' });
    expect(addMonths('2026-05-31', -17)).toEqual({ date: '2024-12-31' });
    expect(addMonths('2026-01-10', -25)).toEqual({ date: '2023-12-10' });
    expect(addMonths('2026-01-31', 12)).toEqual({ date: '2027-01-31' });
    expect(addMonths('2028-02-29', 12)).toEqual({ date: '2029-02-28', clampedFrom: 29 });
    expect(addMonths('2026-06-30', 120)).toEqual({ date: '2036-06-30' });
  });

  it('is not reversible after clamping (31 Jan + 1 - 1 = 28 Jan)', () => {
    expect(addMonths(addMonths('2027-01-31', 1).date, -1)).toEqual({ date: '2027-01-28' });
  });
});

describe('formatChineseDate', () => {
  it('writes dates as people read them, without leading zeros', () => {
    expect(formatChineseDate('2027-02-28')).toBe('2027年2月28日');
    expect(formatChineseDate('2026-01-05')).toBe('2026年1月5日');
    expect(formatChineseDate('2026-10-10')).toBe('2026年10月10日');
  });
});

describe('integer date arithmetic agrees with the Date object, day by day', () => {
  it('over 1900–2200: epoch days, weekdays, month lengths and validity', () => {
    const start = Date.UTC(1900, 0, 1);
    const end = Date.UTC(2200, 11, 31);
    let checked = 0;
    for (let t = start; t <= end; t += 86_400_000) {
      const d = new Date(t);
      const date = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
      const epochDay = t / 86_400_000;
      if (toEpochDay(date) !== epochDay || fromEpochDay(epochDay) !== date || isoWeekday(date) !== (d.getUTCDay() || 7)) {
        throw new Error(`disagrees on ${date}`);
      }
      checked++;
    }
    expect(checked).toBe(109_938); // 301 years, 73 of them leap
    for (let year = 1900; year <= 2200; year++) {
      for (let month = 1; month <= 12; month++) expect(daysInMonth(year, month)).toBe(new Date(Date.UTC(year, month, 0)).getUTCDate());
    }
    expect([isLocalDate('2100-02-29'), isLocalDate('2000-02-29'), isLocalDate('2026-13-01'), isLocalDate('2026-04-31')]).toEqual([false, true, false, false]);
  });
});

describe('addMonthsToDay', () => {
  it('adds calendar months to a day number as addMonths does to a date, clamping to the month end', () => {
    const day = (date: string) => toEpochDay(date);
    expect(addMonthsToDay(day('2027-01-31'), 1)).toBe(day('2027-02-28'));
    expect(addMonthsToDay(day('2028-01-31'), 1)).toBe(day('2028-02-29'));
    expect(addMonthsToDay(day('2026-03-31'), -1)).toBe(day('2026-02-28'));
    expect(addMonthsToDay(day('2026-05-31'), -17)).toBe(day('2024-12-31'));
    expect(addMonthsToDay(day('2026-06-30'), 120)).toBe(day('2036-06-30'));
    expect(addMonthsToDay(day('1970-01-01'), 0)).toBe(0);
  });
});
