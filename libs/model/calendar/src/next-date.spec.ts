import { explainShift, nextDateOn } from './duration';
import { MonthDaySchema } from './schemas';

describe('nextDateOn: deadlines on a calendar date', () => {
  it('takes the date later in the same year, or next year once it has passed', () => {
    expect(nextDateOn('2026-03-01', { month: 6, day: 30 }).result).toBe('2026-06-30');
    expect(nextDateOn('2026-06-30', { month: 6, day: 30 }).result).toBe('2027-06-30');
    expect(nextDateOn('2026-12-31', { month: 1, day: 15 }).result).toBe('2027-01-15');
  });

  it('falls on the last day of a short February and says so', () => {
    const shift = nextDateOn('2026-03-01', { month: 2, day: 29 });
    expect(shift).toMatchObject({ result: '2027-02-28', monthEndFrom: 29 });
    expect(explainShift(shift)).toEqual(['自2026年3月1日起,下一个2月29日为2027年2月28日', '2月没有29日,按当月最后一日2027年2月28日计']);
    expect(nextDateOn('2027-03-01', { month: 2, day: 29 }).result).toBe('2028-02-29');
  });

  it('refuses a day no month of that kind has', () => {
    expect(MonthDaySchema.safeParse({ month: 4, day: 31 }).success).toBe(false);
    expect(MonthDaySchema.safeParse({ month: 2, day: 29 }).success).toBe(true);
  });
});
