import { checkHolidayYear, HolidayCalendar, HolidayYear, HolidayYearSchema, mergeCalendars, SHIPPED_HOLIDAYS } from '@reform/calendar';
import { DataSource, EntityManager } from 'typeorm';
import { HolidayYearEntity } from './entities';
import { preparedQuery } from './prepared-query';

export class CalendarError extends Error {
  constructor(readonly issues: Array<{ path: string; message: string }>) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  }
}

/** Validates a year's arrangements: shape first, then dates (in the year, not twice, make-up days on weekends). */
export function parseHolidayYear(data: unknown): HolidayYear {
  const parsed = HolidayYearSchema.safeParse(data);
  if (!parsed.success) {
    throw new CalendarError(parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(根)', message: i.message })));
  }
  const issues = checkHolidayYear(parsed.data);
  if (issues.length) throw new CalendarError(issues);
  return parsed.data;
}

/**
 * The mark of the loaded calendar years: each year with when it was loaded and its length, as
 * publishedMarks gives it. A load writes its time, so the mark changes with every load.
 */
export function calendarMark(rows: Array<{ year: number | string; loaded_at: string; length: number | string }>): string {
  return rows
    .map((r) => `${r.year}@${r.loaded_at}/${r.length}`)
    .sort()
    .join(',');
}

/** The holiday calendar the office has loaded, over the years shipped with the product. */
export class CalendarStore {
  private last?: { mark: string; calendar: Promise<HolidayCalendar> };

  constructor(private readonly ds: DataSource) {}

  /**
   * Loads or replaces a year; returns whether it replaced one. `also` runs in the same
   * transaction after the write (the audit row of the load, told whether it replaced a year): both
   * commit or neither.
   */
  async load(data: unknown, now: Date = new Date(), also?: (manager: EntityManager, loaded: { year: number; replaced: boolean }) => Promise<unknown>): Promise<{ year: number; replaced: boolean }> {
    const year = parseHolidayYear(data);
    return this.ds.transaction(async (m) => {
      const repo = m.getRepository(HolidayYearEntity);
      const replaced = (await repo.countBy({ year: year.year })) > 0;
      await repo.save({ year: year.year, source: year.source, body: JSON.stringify(year), loadedAt: now.toISOString() });
      if (also) await also(m, { year: year.year, replaced });
      return { year: year.year, replaced };
    });
  }

  /** The years the office loaded (not those shipped with the product), with when each was loaded. */
  async loaded(): Promise<Array<{ year: number; source: string; loadedAt: string }>> {
    const rows = await this.ds.getRepository(HolidayYearEntity).find({ order: { year: 'ASC' } });
    return rows.map((r) => ({ year: r.year, source: r.source, loadedAt: r.loadedAt }));
  }

  /**
   * The calendar as loaded now, by any process. One small statement reads the mark of the loaded
   * years (or the caller passes the mark publishedMarks gave it); the years themselves are read and
   * merged only when the mark changed, so while nothing is loaded every caller gets the same value
   * (calendars are immutable) and the day tables kept with it (day-table.ts) are built once.
   */
  async calendar(mark?: string): Promise<HolidayCalendar> {
    const now =
      mark ??
      calendarMark(await preparedQuery<{ year: number; loaded_at: string; length: number }>(this.ds, 'SELECT year, loaded_at, LENGTH(body) AS length FROM holiday_years', []));
    if (this.last?.mark !== now) {
      const calendar = this.read();
      this.last = { mark: now, calendar };
      // A failed read is not kept: the next call reads again.
      calendar.catch(() => {
        if (this.last?.calendar === calendar) this.last = undefined;
      });
    }
    return this.last.calendar;
  }

  private async read(): Promise<HolidayCalendar> {
    const rows = await this.ds.getRepository(HolidayYearEntity).find({ order: { year: 'ASC' } });
    return mergeCalendars(SHIPPED_HOLIDAYS, { years: rows.map((r) => HolidayYearSchema.parse(JSON.parse(r.body))) });
  }
}
