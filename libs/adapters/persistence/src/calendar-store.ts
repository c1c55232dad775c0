import { checkHolidayYear, HolidayCalendar, HolidayYear, HolidayYearSchema, mergeCalendars, SHIPPED_HOLIDAYS } from '@reform/calendar';
import { DataSource } from 'typeorm';
import { HolidayYearEntity } from './entities';

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

/** The holiday calendar the office has loaded, over the years shipped with the product. */
export class CalendarStore {
  private last?: { key: string; calendar: HolidayCalendar };

  constructor(private readonly ds: DataSource) {}

  /** Loads or replaces a year; returns whether it replaced one. */
  async load(data: unknown, now: Date = new Date()): Promise<{ year: number; replaced: boolean }> {
    const year = parseHolidayYear(data);
    const repo = this.ds.getRepository(HolidayYearEntity);
    const replaced = (await repo.countBy({ year: year.year })) > 0;
    await repo.save({ year: year.year, source: year.source, body: JSON.stringify(year), loadedAt: now.toISOString() });
    return { year: year.year, replaced };
  }

  /** The years the office loaded (not those shipped with the product), with when each was loaded. */
  async loaded(): Promise<Array<{ year: number; source: string; loadedAt: string }>> {
    const rows = await this.ds.getRepository(HolidayYearEntity).find({ order: { year: 'ASC' } });
    return rows.map((r) => ({ year: r.year, source: r.source, loadedAt: r.loadedAt }));
  }

  /**
   * The calendar as loaded now. While the loaded years are unchanged it is the same value as last
   * time (calendars are immutable), so the day tables kept with it (day-table.ts) are built once,
   * not on every ledger request that counts working days.
   */
  async calendar(): Promise<HolidayCalendar> {
    const rows = await this.ds.getRepository(HolidayYearEntity).find({ order: { year: 'ASC' } });
    const key = JSON.stringify(rows.map((r) => r.body));
    if (this.last?.key !== key) this.last = { key, calendar: mergeCalendars(SHIPPED_HOLIDAYS, { years: rows.map((r) => HolidayYearSchema.parse(JSON.parse(r.body))) }) };
    return this.last.calendar;
  }
}
