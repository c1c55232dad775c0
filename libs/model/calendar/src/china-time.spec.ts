import { endOfLocalDay, formatLocalDateTime, localDateAt, SHANGHAI_OFFSET_MS, startOfEpochDay, startOfLocalDay } from './china-time';

const utc = (iso: string) => Date.parse(iso);

describe('China time (UTC+8, no daylight saving)', () => {
  it('has an eight-hour offset', () => {
    expect(SHANGHAI_OFFSET_MS).toBe(8 * 60 * 60 * 1000);
  });

  it('starts a local day at 16:00 UTC of the previous day', () => {
    expect(startOfLocalDay('2026-03-01')).toBe(utc('2026-02-28T16:00:00Z'));
    expect(startOfLocalDay('2026-01-01')).toBe(utc('2025-12-31T16:00:00Z'));
    expect(startOfLocalDay('1970-01-01')).toBe(-SHANGHAI_OFFSET_MS);
    // Day numbers count from 1970-01-01: 2026-03-01 is day 20,513.
    expect(startOfEpochDay(20_513)).toBe(utc('2026-02-28T16:00:00Z'));
    expect(startOfEpochDay(0)).toBe(-SHANGHAI_OFFSET_MS);
  });

  it('ends a due date at the instant the next local day begins', () => {
    expect(endOfLocalDay('2026-02-28')).toBe(utc('2026-02-28T16:00:00Z'));
    expect(endOfLocalDay('2026-02-28')).toBe(startOfLocalDay('2026-03-01'));
    expect(endOfLocalDay('2028-02-28')).toBe(utc('2028-02-28T16:00:00Z'));
    expect(endOfLocalDay('2026-12-31')).toBe(utc('2026-12-31T16:00:00Z'));
  });

  it('reads the local date of an instant, changing date at 16:00 UTC', () => {
    expect(localDateAt(utc('2026-02-28T15:59:59.999Z'))).toBe('2026-02-28');
    expect(localDateAt(utc('2026-02-28T16:00:00Z'))).toBe('2026-03-01');
    expect(localDateAt(utc('2026-02-28T00:00:00Z'))).toBe('2026-02-28');
    expect(localDateAt(utc('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
    expect(localDateAt(-SHANGHAI_OFFSET_MS - 1)).toBe('1969-12-31');
  });

  it('round-trips: a day begins and ends on itself', () => {
    for (const d of ['2026-02-28', '2028-02-29', '2026-12-31', '2027-01-01']) {
      expect(localDateAt(startOfLocalDay(d))).toBe(d);
      expect(localDateAt(endOfLocalDay(d) - 1)).toBe(d);
      expect(endOfLocalDay(d) - startOfLocalDay(d)).toBe(86_400_000);
    }
  });

  it('formats an instant in local time', () => {
    expect(formatLocalDateTime(utc('2026-02-28T16:00:00Z'))).toBe('2026-03-01 00:00');
    expect(formatLocalDateTime(utc('2026-02-28T15:59:00Z'))).toBe('2026-02-28 23:59');
    expect(formatLocalDateTime(utc('2026-06-01T01:05:00Z'))).toBe('2026-06-01 09:05');
  });
});
