import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import fc from 'fast-check';
import { DateShift, DayNote, describeDuration, explainShift, shiftDate, shiftDay, shiftedDate } from './duration';
import { fromEpochDay, toEpochDay } from './local-date';
import { DurationSchema } from './schemas';
import { EMPTY_CALENDAR, HolidayCalendar } from './holiday-calendar';

const springHolidays = ['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23'];
const spring: DayNote[] = springHolidays.map((date) => ({ date, kind: 'holiday', name: '春节' }));

describe('DurationSchema and describeDuration', () => {
  it('accepts whole non-negative amounts in the four units', () => {
    expect(DurationSchema.safeParse({ amount: 5, unit: 'workingDays' }).success).toBe(true);
    expect(DurationSchema.safeParse({ amount: 0, unit: 'days' }).success).toBe(true);
    expect(DurationSchema.safeParse({ amount: -1, unit: 'days' }).success).toBe(false);
    expect(DurationSchema.safeParse({ amount: 1.5, unit: 'months' }).success).toBe(false);
    expect(DurationSchema.safeParse({ amount: 1, unit: 'weeks' }).success).toBe(false);
  });

  it('writes durations in Chinese', () => {
    expect(describeDuration({ amount: 1, unit: 'months' })).toBe('1个月');
    expect(describeDuration({ amount: 5, unit: 'workingDays' })).toBe('5个工作日');
    expect(describeDuration({ amount: 10, unit: 'days' })).toBe('10日');
    expect(describeDuration({ amount: 2, unit: 'years' })).toBe('2年');
  });
});

describe('shiftDate by calendar days, months and years', () => {
  it('adds and subtracts plain days, ignoring holidays', () => {
    expect(shiftDate('2026-02-12', { amount: 10, unit: 'days' }, 'after', SHIPPED_HOLIDAYS)).toStrictEqual({
      from: '2026-02-12',
      duration: { amount: 10, unit: 'days' },
      direction: 'after',
      result: '2026-02-22',
      days: [],
      missingYears: [],
    });
    expect(shiftDate('2026-03-01', { amount: 1, unit: 'days' }, 'before', SHIPPED_HOLIDAYS).result).toBe('2026-02-28');
  });

  it('clamps month ends and says from which day', () => {
    expect(shiftDate('2027-01-31', { amount: 1, unit: 'months' }, 'after', SHIPPED_HOLIDAYS)).toEqual({
      from: '2027-01-31',
      duration: { amount: 1, unit: 'months' },
      direction: 'after',
      result: '2027-02-28',
      monthEndFrom: 31,
      days: [],
      missingYears: [],
    });
    expect(shiftDate('2028-01-31', { amount: 1, unit: 'months' }, 'after', EMPTY_CALENDAR).result).toBe('2028-02-29');
    expect(shiftDate('2026-03-31', { amount: 1, unit: 'months' }, 'before', EMPTY_CALENDAR)).toMatchObject({ result: '2026-02-28', monthEndFrom: 31 });
  });

  it('leaves monthEndFrom unset when no clamping happened', () => {
    expect(shiftDate('2026-01-15', { amount: 1, unit: 'months' }, 'after', EMPTY_CALENDAR).monthEndFrom).toBeUndefined();
  });

  it('counts years as twelve months', () => {
    expect(shiftDate('2028-02-29', { amount: 1, unit: 'years' }, 'after', EMPTY_CALENDAR)).toMatchObject({ result: '2029-02-28', monthEndFrom: 29 });
    expect(shiftDate('2026-06-30', { amount: 2, unit: 'years' }, 'before', EMPTY_CALENDAR).result).toBe('2024-06-30');
  });
});

describe('shiftDate by working days (shipped 2026 calendar)', () => {
  it('passes over the Spring Festival and counts the 14 February make-up Saturday: 5 working days after 2026-02-12', () => {
    // Thu 12: Fri 13 (1), Sat 14 make-up (2), 15–23 holiday, Tue 24 (3), Wed 25 (4), Thu 26 (5).
    expect(shiftDate('2026-02-12', { amount: 5, unit: 'workingDays' }, 'after', SHIPPED_HOLIDAYS)).toStrictEqual({
      from: '2026-02-12',
      duration: { amount: 5, unit: 'workingDays' },
      direction: 'after',
      result: '2026-02-26',
      days: [{ date: '2026-02-14', kind: 'makeup', name: '春节调休' }, ...spring],
      missingYears: [],
    });
  });

  it('counts the 28 February make-up Saturday and skips the Sunday after it', () => {
    // … Thu 26 (5), Fri 27 (6), Sat 28 make-up (7), Sun 1 March weekend, Mon 2 March (8).
    const shift = shiftDate('2026-02-12', { amount: 8, unit: 'workingDays' }, 'after', SHIPPED_HOLIDAYS);
    expect(shift.result).toBe('2026-03-02');
    expect(shift.days).toEqual([
      { date: '2026-02-14', kind: 'makeup', name: '春节调休' },
      ...spring,
      { date: '2026-02-28', kind: 'makeup', name: '春节调休' },
      { date: '2026-03-01', kind: 'weekend', name: undefined },
    ]);
  });

  it('counts backwards for "before", meeting the same days in reverse', () => {
    const shift = shiftDate('2026-02-26', { amount: 5, unit: 'workingDays' }, 'before', SHIPPED_HOLIDAYS);
    expect(shift.result).toBe('2026-02-12');
    expect(shift.direction).toBe('before');
    expect(shift.days).toEqual([...spring].reverse().concat([{ date: '2026-02-14', kind: 'makeup', name: '春节调休' }]));
  });

  it('5 working days before 2026-03-02 counts the make-up Saturday and lands on 2026-02-24', () => {
    // Sun 1 March weekend, Sat 28 make-up (1), Fri 27 (2), Thu 26 (3), Wed 25 (4), Tue 24 (5).
    expect(shiftDate('2026-03-02', { amount: 5, unit: 'workingDays' }, 'before', SHIPPED_HOLIDAYS).result).toBe('2026-02-24');
  });

  it('zero working days is the start date itself', () => {
    expect(shiftDate('2026-02-16', { amount: 0, unit: 'workingDays' }, 'after', SHIPPED_HOLIDAYS)).toMatchObject({ result: '2026-02-16', days: [] });
  });

  it('starting on a holiday does not count the start day', () => {
    // From Mon 16 Feb (holiday): 17–23 holiday, Tue 24 is the first working day.
    expect(shiftDate('2026-02-16', { amount: 1, unit: 'workingDays' }, 'after', SHIPPED_HOLIDAYS).result).toBe('2026-02-24');
  });

  it('lists years that have no calendar, counting them by weekends only', () => {
    // Thu 31 Dec 2026 (1), Fri 1 Jan 2027 (2, no 2027 calendar so a weekday), Sat/Sun, Mon 4 Jan (3).
    const shift = shiftDate('2026-12-30', { amount: 3, unit: 'workingDays' }, 'after', SHIPPED_HOLIDAYS);
    expect(shift.result).toBe('2027-01-04');
    expect(shift.missingYears).toEqual([2027]);
    expect(shift.days).toEqual([
      { date: '2027-01-02', kind: 'weekend', name: undefined },
      { date: '2027-01-03', kind: 'weekend', name: undefined },
    ]);
  });

  it('lists every missing year once, in order', () => {
    const shift = shiftDate('2026-03-02', { amount: 600, unit: 'workingDays' }, 'after', EMPTY_CALENDAR);
    expect(shift.missingYears).toEqual([2026, 2027, 2028]);
  });

  it('reports no missing year when the count stays in a loaded year', () => {
    expect(shiftDate('2026-12-30', { amount: 1, unit: 'workingDays' }, 'after', SHIPPED_HOLIDAYS).missingYears).toEqual([]);
  });
});

describe('shiftDate by working days (hand-made calendar)', () => {
  const cal: HolidayCalendar = {
    years: [
      {
        year: 2030,
        source: 'test',
        holidays: [{ name: '测试节', from: '2030-06-03', to: '2030-06-05' }], // Mon–Wed
        workdays: [{ name: '测试调休', date: '2030-06-08' }], // Saturday
      },
    ],
  };

  it('skips the holiday and weekend and counts the make-up day', () => {
    // Fri 31 May: Sat 1, Sun 2 weekend; 3–5 holiday; Thu 6 (1), Fri 7 (2), Sat 8 make-up (3).
    expect(shiftDate('2030-05-31', { amount: 3, unit: 'workingDays' }, 'after', cal)).toStrictEqual({
      from: '2030-05-31',
      duration: { amount: 3, unit: 'workingDays' },
      direction: 'after',
      result: '2030-06-08',
      days: [
        { date: '2030-06-01', kind: 'weekend', name: undefined },
        { date: '2030-06-02', kind: 'weekend', name: undefined },
        { date: '2030-06-03', kind: 'holiday', name: '测试节' },
        { date: '2030-06-04', kind: 'holiday', name: '测试节' },
        { date: '2030-06-05', kind: 'holiday', name: '测试节' },
        { date: '2030-06-08', kind: 'makeup', name: '测试调休' },
      ],
      missingYears: [],
    });
  });

  it('without the calendar the same count lands on a plain Wednesday', () => {
    expect(shiftDate('2030-05-31', { amount: 3, unit: 'workingDays' }, 'after', EMPTY_CALENDAR)).toMatchObject({
      result: '2030-06-05',
      missingYears: [2030],
    });
  });
});

describe('explainShift', () => {
  const explain = (s: DateShift) => explainShift(s);

  it('explains a working-day count over the Spring Festival, holidays and make-up days by name', () => {
    expect(explain(shiftDate('2026-02-12', { amount: 8, unit: 'workingDays' }, 'after', SHIPPED_HOLIDAYS))).toEqual([
      '自2026年2月12日起算,8个工作日后为2026年3月2日',
      '跳过法定节假日9天:' + springHolidays.map((d) => `2026年2月${Number(d.slice(8))}日(春节)`).join('、'),
      '跳过周末1天',
      '调休上班日计入工作日:2026年2月14日(春节调休)、2026年2月28日(春节调休)',
      '共计8个工作日,跨18个日历日',
    ]);
  });

  it('explains a count backwards with 前', () => {
    const lines = explain(shiftDate('2026-03-02', { amount: 5, unit: 'workingDays' }, 'before', SHIPPED_HOLIDAYS));
    expect(lines).toEqual(['自2026年3月2日起算,5个工作日前为2026年2月24日', '跳过周末1天', '调休上班日计入工作日:2026年2月28日(春节调休)', '共计5个工作日,跨6个日历日']);
  });

  it('explains a month-end clamp: 2月没有31日', () => {
    expect(explain(shiftDate('2027-01-31', { amount: 1, unit: 'months' }, 'after', SHIPPED_HOLIDAYS))).toEqual([
      '自2027年1月31日起算,1个月后为2027年2月28日',
      '2月没有31日,按当月最后一日2027年2月28日计',
    ]);
    expect(explain(shiftDate('2028-01-31', { amount: 1, unit: 'months' }, 'after', SHIPPED_HOLIDAYS))).toEqual([
      '自2028年1月31日起算,1个月后为2028年2月29日',
      '2月没有31日,按当月最后一日2028年2月29日计',
    ]);
  });

  it('says nothing more for a plain month count', () => {
    expect(explain(shiftDate('2026-01-15', { amount: 6, unit: 'months' }, 'after', SHIPPED_HOLIDAYS))).toEqual([
      '自2026年1月15日起算,6个月后为2026年7月15日',
    ]);
  });

  it('warns about years counted without a calendar', () => {
    expect(explain(shiftDate('2026-12-30', { amount: 3, unit: 'workingDays' }, 'after', SHIPPED_HOLIDAYS))).toEqual([
      '自2026年12月30日起算,3个工作日后为2027年1月4日',
      '跳过周末2天',
      '共计3个工作日,跨5个日历日',
      '尚未载入2027年节假日安排,该年仅按周末计算',
    ]);
  });

  it('is deterministic', () => {
    const a = explain(shiftDate('2026-02-12', { amount: 20, unit: 'workingDays' }, 'after', SHIPPED_HOLIDAYS));
    const b = explain(shiftDate('2026-02-12', { amount: 20, unit: 'workingDays' }, 'after', SHIPPED_HOLIDAYS));
    expect(a).toEqual(b);
  });
});

describe('shiftDay: the one count behind shiftDate and shiftedDate', () => {
  const day = (date: string) => toEpochDay(date);
  it('counts days, months (to the month end when the month is shorter), years and working days on day numbers', () => {
    expect(shiftDay(day('2026-02-12'), { amount: 10, unit: 'days' }, 'after', EMPTY_CALENDAR)).toBe(day('2026-02-22'));
    expect(shiftDay(day('2027-01-31'), { amount: 1, unit: 'months' }, 'after', EMPTY_CALENDAR)).toBe(day('2027-02-28'));
    expect(shiftDay(day('2026-03-31'), { amount: 1, unit: 'months' }, 'before', EMPTY_CALENDAR)).toBe(day('2026-02-28'));
    expect(shiftDay(day('2028-02-29'), { amount: 1, unit: 'years' }, 'after', EMPTY_CALENDAR)).toBe(day('2029-02-28'));
    // The Spring Festival of 2026 (15–23 February) and the make-up Saturday of 14 February
    // (cn-2026.json): 5 working days after Thursday 12 February are 13, 14, 24, 25 and 26 February.
    expect(shiftDay(day('2026-02-12'), { amount: 5, unit: 'workingDays' }, 'after', SHIPPED_HOLIDAYS)).toBe(day('2026-02-26'));
    expect(shiftDay(day('2026-02-12'), { amount: 0, unit: 'workingDays' }, 'after', SHIPPED_HOLIDAYS)).toBe(day('2026-02-12'));
  });

  it('is what shiftDate and shiftedDate count with, in every unit and both directions', () => {
    const units = ['days', 'workingDays', 'months', 'years'] as const;
    fc.assert(
      fc.property(fc.integer({ min: day('2024-01-01'), max: day('2028-12-31') }), fc.integer({ min: 0, max: 40 }), fc.constantFrom(...units), fc.constantFrom('after' as const, 'before' as const), (from, amount, unit, direction) => {
        const duration = { amount, unit };
        const result = fromEpochDay(shiftDay(from, duration, direction, SHIPPED_HOLIDAYS));
        expect(shiftDate(fromEpochDay(from), duration, direction, SHIPPED_HOLIDAYS).result).toBe(result);
        expect(shiftedDate(fromEpochDay(from), duration, direction, SHIPPED_HOLIDAYS)).toBe(result);
      }),
      { numRuns: 300 },
    );
  });
});
