import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import { chineseDate, chineseDateTime, chineseMonth, DATE_FORMAT } from './format';

/** Issue 10: "dates as 2026年11月30日" — year, then month and day without leading zeros. */
describe('the console’s one date formatter', () => {
  it('writes a date as the offices do', () => {
    expect(chineseDate('2026-11-30')).toBe('2026年11月30日');
    expect(chineseDate('2031-03-05')).toBe('2031年3月5日');
    expect(chineseDate('2027-01-01')).toBe('2027年1月1日');
  });

  it('writes a date and time with the time of day', () => {
    // A local time (no offset): the browser shows it as it is.
    expect(chineseDateTime('2026-11-30T14:05:00')).toBe('2026年11月30日 14:05');
    expect(chineseDateTime('2031-03-05T09:07:00')).toBe('2031年3月5日 09:07');
  });

  it('writes a month as the offices do', () => {
    expect(chineseMonth('2026-11')).toBe('2026年11月');
    expect(chineseMonth('2031-03')).toBe('2031年3月');
  });

  it('writes a missing date as a dash and leaves what is no date as it is', () => {
    expect(chineseDate(null)).toBe('—');
    expect(chineseDate(undefined)).toBe('—');
    expect(chineseDate('')).toBe('—');
    expect(chineseDateTime(null)).toBe('—');
    expect(chineseDate('未定')).toBe('未定');
    expect(chineseMonth('全年')).toBe('全年');
  });

  it('is the format the date picker shows and reads back', () => {
    // What a user types into the action form's date picker is parsed with the same format (antd extends dayjs so).
    dayjs.extend(customParseFormat);
    expect(dayjs('2026年11月30日', DATE_FORMAT, true).format('YYYY-MM-DD')).toBe('2026-11-30');
    expect(dayjs('2026年3月5日', DATE_FORMAT, true).format('YYYY-MM-DD')).toBe('2026-03-05');
    expect(dayjs('2026-11-30').format(DATE_FORMAT)).toBe('2026年11月30日');
  });
});
