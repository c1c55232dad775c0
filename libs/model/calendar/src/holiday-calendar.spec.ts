import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import {
  checkHolidayYear,
  dayKind,
  EMPTY_CALENDAR,
  hasYear,
  HolidayCalendar,
  HolidayYear,
  mergeCalendars,
} from './holiday-calendar';
import { HolidayCalendarSchema, HolidayYearSchema } from './schemas';

const year = (over: Partial<HolidayYear> = {}): HolidayYear => ({
  year: 2030,
  source: 'test',
  holidays: [],
  workdays: [],
  ...over,
});

describe('HolidayYearSchema', () => {
  it('accepts the shipped 2026 data', () => {
    expect(HolidayCalendarSchema.safeParse(SHIPPED_HOLIDAYS).success).toBe(true);
    expect(SHIPPED_HOLIDAYS.years.map((y) => y.year)).toEqual([2026]);
  });

  it('rejects dates that do not exist or are not padded', () => {
    const bad = HolidayYearSchema.safeParse({ ...year(), holidays: [{ name: 'x', from: '2030-02-30', to: '2030-2-1' }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['holidays.0.from', '日期格式应为 YYYY-MM-DD 且为真实日期'],
      ['holidays.0.to', '日期格式应为 YYYY-MM-DD 且为真实日期'],
    ]);
  });

  it('rejects years out of range and empty names', () => {
    expect(HolidayYearSchema.safeParse(year({ year: 1999 })).success).toBe(false);
    expect(HolidayYearSchema.safeParse(year({ workdays: [{ name: '', date: '2030-01-05' }] })).success).toBe(false);
  });
});

describe('checkHolidayYear', () => {
  it('finds nothing wrong with the shipped 2026 year', () => {
    expect(checkHolidayYear(SHIPPED_HOLIDAYS.years[0])).toEqual([]);
  });

  it('finds a date listed twice', () => {
    const issues = checkHolidayYear(
      year({
        holidays: [
          { name: 'A', from: '2030-05-01', to: '2030-05-03' },
          { name: 'B', from: '2030-05-03', to: '2030-05-03' },
        ],
      }),
    );
    expect(issues).toEqual([{ path: 'holidays[1]', message: '2030-05-03 重复出现(首次见于 holidays[0])' }]);
  });

  it('finds a make-up day that is also a holiday', () => {
    // 2030-05-04 is a Saturday.
    const issues = checkHolidayYear(
      year({ holidays: [{ name: 'A', from: '2030-05-01', to: '2030-05-05' }], workdays: [{ name: 'A调休', date: '2030-05-04' }] }),
    );
    expect(issues).toEqual([{ path: 'workdays[0]', message: '2030-05-04 重复出现(首次见于 holidays[0])' }]);
  });

  it('finds dates outside the year', () => {
    const issues = checkHolidayYear(
      year({
        holidays: [{ name: '元旦', from: '2029-12-31', to: '2030-01-01' }],
        workdays: [{ name: '调休', date: '2031-01-04' }], // a Saturday, but in 2031
      }),
    );
    expect(issues).toEqual([
      { path: 'holidays[0]', message: '2029-12-31 不在 2030 年内' },
      { path: 'workdays[0]', message: '2031-01-04 不在 2030 年内' },
    ]);
  });

  it('finds a make-up working day that falls on a weekday', () => {
    // 2030-01-07 is a Monday, 2030-01-05 a Saturday, 2030-01-06 a Sunday.
    const issues = checkHolidayYear(
      year({
        workdays: [
          { name: '调休', date: '2030-01-05' },
          { name: '调休', date: '2030-01-06' },
          { name: '调休', date: '2030-01-07' },
        ],
      }),
    );
    expect(issues).toEqual([{ path: 'workdays[2]', message: '2030-01-07 本是工作日,无需调休上班' }]);
  });

  it('finds a holiday whose start is after its end, and does not walk it', () => {
    const issues = checkHolidayYear(year({ holidays: [{ name: 'A', from: '2030-05-05', to: '2030-05-01' }] }));
    expect(issues).toEqual([{ path: 'holidays[0]', message: '起始日 2030-05-05 晚于结束日 2030-05-01' }]);
  });

  it('accepts a single-day holiday (from = to)', () => {
    expect(checkHolidayYear(year({ holidays: [{ name: 'A', from: '2030-06-03', to: '2030-06-03' }] }))).toEqual([]);
  });
});

describe('dayKind with the shipped 2026 calendar', () => {
  it.each([
    ['2026-02-16', { working: false, kind: 'holiday', name: '春节' }],
    ['2026-02-15', { working: false, kind: 'holiday', name: '春节' }],
    ['2026-02-23', { working: false, kind: 'holiday', name: '春节' }],
    ['2026-02-21', { working: false, kind: 'holiday', name: '春节' }], // a Saturday inside the holiday
    ['2026-02-14', { working: true, kind: 'makeup', name: '春节调休' }], // a Saturday worked
    ['2026-02-28', { working: true, kind: 'makeup', name: '春节调休' }],
    ['2026-03-07', { working: false, kind: 'weekend' }],
    ['2026-03-08', { working: false, kind: 'weekend' }],
    ['2026-02-24', { working: true, kind: 'weekday' }],
    ['2026-02-13', { working: true, kind: 'weekday' }],
    ['2026-01-01', { working: false, kind: 'holiday', name: '元旦' }],
    ['2026-01-04', { working: true, kind: 'makeup', name: '元旦调休' }],
    ['2026-10-07', { working: false, kind: 'holiday', name: '国庆节' }],
    ['2026-10-10', { working: true, kind: 'makeup', name: '国庆节调休' }],
  ])('%s is %o', (date, kind) => {
    expect(dayKind(SHIPPED_HOLIDAYS, date)).toStrictEqual(kind);
  });

  it('counts only weekends in a year with no calendar', () => {
    // 2027-01-01 is a Friday: its holiday is not loaded, so it is a weekday.
    expect(hasYear(SHIPPED_HOLIDAYS, 2027)).toBe(false);
    expect(dayKind(SHIPPED_HOLIDAYS, '2027-01-01')).toStrictEqual({ working: true, kind: 'weekday' });
    expect(dayKind(SHIPPED_HOLIDAYS, '2027-01-02')).toStrictEqual({ working: false, kind: 'weekend' });
    expect(dayKind(EMPTY_CALENDAR, '2026-02-16')).toStrictEqual({ working: true, kind: 'weekday' });
  });
});

describe('dayKind with a hand-made calendar', () => {
  const cal: HolidayCalendar = {
    years: [
      year({
        holidays: [{ name: '测试节', from: '2030-06-01', to: '2030-06-04' }], // Sat 1 – Tue 4
        workdays: [{ name: '测试调休', date: '2030-06-08' }], // Saturday
      }),
    ],
  };

  it('reads holidays, make-up days, weekends and weekdays', () => {
    expect(['2030-05-31', '2030-06-01', '2030-06-03', '2030-06-05', '2030-06-08', '2030-06-09'].map((d) => dayKind(cal, d))).toStrictEqual([
      { working: true, kind: 'weekday' },
      { working: false, kind: 'holiday', name: '测试节' },
      { working: false, kind: 'holiday', name: '测试节' },
      { working: true, kind: 'weekday' },
      { working: true, kind: 'makeup', name: '测试调休' },
      { working: false, kind: 'weekend' },
    ]);
    expect(hasYear(cal, 2030)).toBe(true);
    expect(hasYear(cal, 2026)).toBe(false);
  });

  it('lets a holiday win over a make-up entry for the same date', () => {
    const clash: HolidayCalendar = {
      years: [year({ holidays: [{ name: '节', from: '2030-06-08', to: '2030-06-08' }], workdays: [{ name: '调休', date: '2030-06-08' }] })],
    };
    expect(dayKind(clash, '2030-06-08')).toStrictEqual({ working: false, kind: 'holiday', name: '节' });
  });
});

describe('mergeCalendars', () => {
  it('keeps one entry per year, later calendars winning, sorted by year', () => {
    const a2030 = year({ source: 'a' });
    const b2030 = year({ source: 'b' });
    const a2029 = year({ year: 2029, source: 'a' });
    const merged = mergeCalendars({ years: [a2030] }, { years: [b2030, a2029] });
    expect(merged).toEqual({ years: [a2029, b2030] });
    expect(mergeCalendars()).toEqual(EMPTY_CALENDAR);
  });

  it('the merged calendar answers for every year it holds', () => {
    const merged = mergeCalendars(SHIPPED_HOLIDAYS, { years: [year({ year: 2027, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }] })] });
    expect(dayKind(merged, '2026-02-16')).toStrictEqual({ working: false, kind: 'holiday', name: '春节' });
    expect(dayKind(merged, '2027-01-01')).toStrictEqual({ working: false, kind: 'holiday', name: '元旦' });
  });
});
