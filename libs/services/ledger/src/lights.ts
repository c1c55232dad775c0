import { LocalDate, shiftedDate } from '@reform/calendar';
import type { Lights, ProcessDefinition } from '@reform/definitions';
import { CalendarStore, DefinitionStore, publishedMarks } from '@reform/persistence';
import type { DataSource } from 'typeorm';

/**
 * Traffic lights of the ledger (issue 9 §4), for every plan and every specific reform item:
 *
 * - red: overdue: an open deadline of the plan is past its due date (an item: its plan's);
 * - yellow: the next due date falls within the rules' 亮灯 黄 到期前 N (working) days, counted
 *   with the holiday calendar the engine uses; or behind its planned progress by at least the
 *   rules' 亮灯 黄 进度落后 N 个百分点 (docs/rules-language.md, "亮灯");
 * - green otherwise: also every closed plan, every completed item, an open plan owing nothing.
 *
 * Planned progress, from what the ledger holds: an item has no limit of its own, so its time runs
 * from its registration (its first change in item_changes) to its plan's next due date; a plan's
 * from its first item's registration to its next due date. The time used is the elapsed share of
 * that span (today − start) / (due − start). An item's progress is 0 not started, 50 started; a
 * plan's is its share of completed items. Behind: time used (%) − progress (%) ≥ N.
 *
 * Computed at read time, in SQL: a light depends on today, which moves without any plan
 * changing, so a stored light would be stale by the next morning; the thresholds come from the
 * latest published version of each procedure (the office's current rules), so publishing new
 * thresholds relights every plan of the procedure at once.
 */
export const LIGHTS = ['red', 'yellow', 'green'] as const;
export type Light = (typeof LIGHTS)[number];
export const LIGHT_LABEL: Record<Light, string> = { red: '红灯', yellow: '黄灯', green: '绿灯' };

/** What each procedure's lights need on a given day: the last due date that lights yellow, the points behind that do. */
export interface DayThresholds {
  today: LocalDate;
  /** Shared by the requests of the day (LightRules keeps it): read, never change. */
  byProcedure: ReadonlyMap<string, { dueSoonBy?: LocalDate; behindPoints?: number }>;
}

/** The SQL dialect bits the light expressions need. */
interface Sql {
  postgres: boolean;
  add(value: unknown): string;
}

/** Whole days from b to a (both 'YYYY-MM-DD' expressions). */
function days(sql: Sql, a: string, b: string): string {
  return sql.postgres ? `(CAST(${a} AS date) - CAST(${b} AS date))` : `CAST(julianday(${a}) - julianday(${b}) AS INTEGER)`;
}

/** `(p.procedure_id = x AND p.next_due <= cutoff) OR …`: due soon by the procedure's threshold (`due`: another due date of plan `p`). */
function dueSoon(sql: Sql, t: DayThresholds, due = 'p.next_due'): string {
  const parts = [...t.byProcedure].filter(([, v]) => v.dueSoonBy).map(([id, v]) => `(p.procedure_id = ${sql.add(id)} AND ${due} <= ${sql.add(v.dueSoonBy)})`);
  return parts.length ? `(${parts.join(' OR ')})` : '1 = 0';
}

/** The procedure's points behind, or NULL where its rules set none. */
function behindPoints(sql: Sql, t: DayThresholds): string {
  const parts = [...t.byProcedure].filter(([, v]) => v.behindPoints).map(([id, v]) => `WHEN ${sql.add(id)} THEN ${Number(v.behindPoints)}`);
  return parts.length ? `(CASE p.procedure_id ${parts.join(' ')} ELSE NULL END)` : 'NULL';
}

// Each expression is written with its placeholders' values added as it is written (a template
// literal evaluates left to right): SQLite's `?` takes its values in the order of the text.

/** The light of plan `p` (ledger_plans) as an SQL expression. */
export function planLightSql(sql: Sql, t: DayThresholds): string {
  const start = `(SELECT MIN(c.business_date) FROM item_changes c WHERE c.plan_id = p.plan_id)`;
  const total = `(SELECT COUNT(*) FROM ledger_items i WHERE i.plan_id = p.plan_id)`;
  const done = `(SELECT COUNT(*) FROM ledger_items i WHERE i.plan_id = p.plan_id AND i.status = 'completed')`;
  const span = days(sql, 'p.next_due', start);
  return `(CASE
    WHEN p.status <> 'open' OR p.next_due IS NULL THEN 'green'
    WHEN p.next_due < ${sql.add(t.today)} THEN 'red'
    WHEN ${dueSoon(sql, t)} THEN 'yellow'
    WHEN ${behindPoints(sql, t)} IS NOT NULL AND ${total} > 0 AND ${span} > 0
      AND 100 * ${days(sql, sql.add(t.today), start)} * ${total} - 100 * ${done} * ${span} >= ${behindPoints(sql, t)} * ${span} * ${total} THEN 'yellow'
    ELSE 'green' END)`;
}

/** The light of item `i` (ledger_items) of plan `p` as an SQL expression. */
export function itemLightSql(sql: Sql, t: DayThresholds): string {
  const start = `(SELECT MIN(c.business_date) FROM item_changes c WHERE c.plan_id = i.plan_id AND c.item_id = i.item_id)`;
  const progress = `(CASE i.status WHEN 'started' THEN 50 ELSE 0 END)`;
  const span = days(sql, 'p.next_due', start);
  return `(CASE
    WHEN i.status = 'completed' OR p.status <> 'open' OR p.next_due IS NULL THEN 'green'
    WHEN p.next_due < ${sql.add(t.today)} THEN 'red'
    WHEN ${dueSoon(sql, t)} THEN 'yellow'
    WHEN ${behindPoints(sql, t)} IS NOT NULL AND ${span} > 0
      AND 100 * ${days(sql, sql.add(t.today), start)} - ${progress} * ${span} >= ${behindPoints(sql, t)} * ${span} THEN 'yellow'
    ELSE 'green' END)`;
}

/**
 * The light of one deadline `d` (ledger_deadlines) of plan `p` as an SQL expression (a letter's:
 * the deadline it chases): green once met or withdrawn, or the plan closed; red past its due date;
 * yellow within the procedure's 亮灯 黄 到期前 N days; green otherwise. NULL without the row (`d`
 * joined LEFT).
 */
export function deadlineLightSql(sql: Sql, t: DayThresholds): string {
  return `(CASE
    WHEN d.plan_id IS NULL THEN NULL
    WHEN d.status IN ('done', 'cancelled') OR p.status <> 'open' THEN 'green'
    WHEN d.due < ${sql.add(t.today)} THEN 'red'
    WHEN ${dueSoon(sql, t, 'd.due')} THEN 'yellow'
    ELSE 'green' END)`;
}

/**
 * The light thresholds of every procedure, from the latest published version of each, with the
 * due-soon cutoff counted for today in the holiday calendar. Lists and details ask for them on
 * every request, so what they are built from is kept: each version's thresholds (a published
 * version never changes), the calendar, and the day's result. Each request asks the database only
 * what is in force now (publishedMarks: the latest version of each procedure, a mark of the
 * calendar years loaded; one small statement) and rebuilds what that changed: a publish or a
 * calendar load by this process or any other is seen by the next request, with no time to live.
 */
export class LightRules {
  private readonly definitions: DefinitionStore;
  private readonly calendars: CalendarStore;
  /** The 亮灯 thresholds of each published version (`procedure@version`; none: null). */
  private readonly byVersion = new Map<string, Lights | null>();
  private day?: { key: string; value: DayThresholds };

  constructor(private readonly ds: DataSource) {
    this.definitions = new DefinitionStore(ds);
    this.calendars = new CalendarStore(ds);
  }

  /** The latest version's 亮灯 thresholds of each procedure (none: null). */
  async thresholds(): Promise<Map<string, Lights | null>> {
    return this.thresholdsOf((await publishedMarks(this.ds)).latest);
  }

  private async thresholdsOf(latest: Map<string, number>): Promise<Map<string, Lights | null>> {
    const out = new Map<string, Lights | null>();
    for (const [id, version] of latest) {
      const key = `${id}@${version}`;
      if (!this.byVersion.has(key)) {
        const def: ProcessDefinition | null = await this.definitions.get(id, version);
        this.byVersion.set(key, def?.lights ?? null);
      }
      out.set(id, this.byVersion.get(key)!);
    }
    return out;
  }

  async forDay(today: LocalDate): Promise<DayThresholds> {
    const marks = await publishedMarks(this.ds);
    const key = `${today}|${marks.calendar}|${[...marks.latest].map(([id, v]) => `${id}@${v}`).join(',')}`;
    if (this.day?.key === key) return this.day.value;
    const all = await this.thresholdsOf(marks.latest);
    const byProcedure = new Map<string, { dueSoonBy?: LocalDate; behindPoints?: number }>();
    for (const [id, lights] of all) {
      if (!lights) continue;
      const v: { dueSoonBy?: LocalDate; behindPoints?: number } = {};
      if (lights.dueSoon) v.dueSoonBy = shiftedDate(today, lights.dueSoon.within, 'after', await this.calendars.calendar(marks.calendar));
      if (lights.behind) v.behindPoints = lights.behind.points;
      byProcedure.set(id, v);
    }
    const value: DayThresholds = { today, byProcedure };
    this.day = { key, value };
    return value;
  }
}
