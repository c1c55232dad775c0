import { LETTER_KIND_LABEL, LetterKind } from '@reform/definitions';
import { DayThresholds, itemLightSql, Light, LedgerService, Params, parseListQuery, planLightSql, plansOnly, scopeCondition } from '@reform/ledger';
import { AssessmentStore } from '@reform/persistence';
import { REGION_LEVEL_LABELS, type RegionLevel, type Scope } from '@reform/platform';
import { z } from 'zod';
import type { Caller, PlanDesk } from './plan-desk';
import { completionMeasure, onScheduleMeasure, percentOf, s4Window } from './s4-measures';

/*
 * The dashboards' numbers (issue 9 §8): every count is over the plans in the caller's scope (the
 * ledger's: a reform office or leading group its region and below, a unit the plans it leads,
 * takes part in or groups), so a city office sees only its cities' numbers. Problems (procedure
 * `problem`) are counted as problems, never as plans. The API and `reform dashboard` call this.
 */

export const PROGRESS_BY = ['unit', 'area', 'level'] as const;
export const ProgressQuerySchema = z
  .object({ by: z.enum(PROGRESS_BY, { error: '分组应为 unit(牵头单位)、area(专项小组)或 level(层级)' }).default('unit') })
  .strict();
export type ProgressQuery = z.input<typeof ProgressQuerySchema>;

export const YearQuerySchema = z
  .object({ year: z.coerce.number({ error: '年份应为整数' }).int('年份应为整数').min(2000, '年份应在 2000 到 2100 之间').max(2100, '年份应在 2000 到 2100 之间').optional() })
  .strict();
export type YearQuery = z.input<typeof YearQuerySchema>;

export const TrendQuerySchema = z
  .object({ months: z.coerce.number({ error: '月数应为整数' }).int('月数应为整数').min(1, '月数至少 1').max(60, '月数最多 60').default(12) })
  .strict();
export type TrendQuery = z.input<typeof TrendQuerySchema>;

export type LightCounts = Record<Light, number>;

export interface ProgressRow {
  /** The lead unit's id, the special group's id or the level (province | city | county); null: plans without one. */
  key: string | null;
  /** What users read for the key: the unit's or special group's name, the level's (省级, 市级…); 未指定 for null. */
  label: string;
  plans: number;
  open: number;
  closed: number;
  items: number;
  itemsCompleted: number;
  lights: LightCounts;
}

export interface LightsSummary {
  today: string;
  /** Plans: red = overdue, yellow = due soon or behind, green. */
  plans: LightCounts;
  items: LightCounts;
  overdue: number;
  dueSoonOrBehind: number;
}

export interface LetterCount {
  month: string;
  kind: string;
  kindLabel: string;
  count: number;
}

/**
 * S4's two indicators of the plans in scope for a year, up to today: the same measures the
 * year-end assessment scores (s4-measures.ts), so both show the same figures for the same plans.
 */
export interface Indicators {
  year: number;
  /** The last day counted: today, or the year's end once it has passed. */
  asOf: string;
  /** 按期完成率: deadlines due in the year up to today (not yet met ones due today or later wait). */
  deadlines: number;
  deadlinesOnSchedule: number;
  /** deadlinesOnSchedule / deadlines, in per cent with one decimal; null without deadlines. */
  onScheduleRate: number | null;
  /** 事项完成率: specific reform items of the year (not completed before it began). */
  items: number;
  itemsCompleted: number;
  /** itemsCompleted / items, in per cent with one decimal; null without items. */
  completionRate: number | null;
}

export interface ProblemCounts {
  /** Registered, being rectified or awaiting verification. */
  open: number;
  kept: number;
  cancelled: number;
  escalated: number;
}

export interface TrendRow {
  month: string;
  itemsCompleted: number;
  letters: number;
  problemsFound: number;
}

const emptyLights = (): LightCounts => ({ red: 0, yellow: 0, green: 0 });

export interface DashboardDeskDeps {
  desk: PlanDesk;
  ledger: LedgerService;
}

export class DashboardDesk {
  constructor(private readonly deps: DashboardDeskDeps) {}

  private get ds() {
    return this.deps.ledger.store.ds;
  }

  private params() {
    return new Params(this.ds.options.type === 'postgres');
  }

  private async context(caller: Caller): Promise<{ scope: Scope; thresholds: DayThresholds }> {
    const scope = await this.deps.desk.scopeOf(caller);
    const thresholds = await this.deps.ledger.lights.forDay(await this.deps.ledger.today());
    return { scope, thresholds };
  }

  /** Plans in scope that are plans (not problems nor self-inspection tasks): a WHERE condition on ledger_plans `p`. */
  private plansIn(scope: Scope, params: Params): string {
    return `${scopeCondition(scope, params)} AND ${plansOnly(params)}`;
  }

  /** Plans, their items and their lights, grouped by lead unit, special group or level. */
  async progress(caller: Caller, query: ProgressQuery): Promise<{ by: string; rows: ProgressRow[] }> {
    const q = parseListQuery(ProgressQuerySchema, query);
    const { scope, thresholds } = await this.context(caller);
    const params = this.params();
    const key = { unit: 'p.lead_unit_id', area: 'p.special_group_id', level: 'p.region_level' }[q.by];
    const rows: Array<Record<string, string | number | null>> = await this.ds.query(
      `SELECT x.k AS k, COUNT(*) AS plans,
              SUM(CASE WHEN x.status = 'open' THEN 1 ELSE 0 END) AS open,
              SUM(x.items) AS items, SUM(x.done) AS done,
              SUM(CASE WHEN x.light = 'red' THEN 1 ELSE 0 END) AS red,
              SUM(CASE WHEN x.light = 'yellow' THEN 1 ELSE 0 END) AS yellow
       FROM (SELECT ${key} AS k, p.status AS status, ${planLightSql(params, thresholds)} AS light,
                    (SELECT COUNT(*) FROM ledger_items i WHERE i.plan_id = p.plan_id) AS items,
                    (SELECT COUNT(*) FROM ledger_items i WHERE i.plan_id = p.plan_id AND i.status = 'completed') AS done
             FROM ledger_plans p WHERE ${this.plansIn(scope, params)}) x
       GROUP BY x.k ORDER BY x.k`,
      params.values,
    );
    const names = q.by === 'level' ? new Map<string, string>() : await this.unitNames(rows.map((r) => r.k).filter((k): k is string => k !== null).map(String));
    const labelOf = (k: string | null): string => {
      if (k === null) return '未指定';
      if (q.by === 'level') return k in REGION_LEVEL_LABELS ? `${REGION_LEVEL_LABELS[k as RegionLevel]}级` : k;
      return names.get(k) ?? k;
    };
    return {
      by: q.by,
      rows: rows.map((r) => {
        const plans = Number(r.plans);
        const red = Number(r.red);
        const yellow = Number(r.yellow);
        return {
          key: r.k === null ? null : String(r.k),
          label: labelOf(r.k === null ? null : String(r.k)),
          plans,
          open: Number(r.open),
          closed: plans - Number(r.open),
          items: Number(r.items ?? 0),
          itemsCompleted: Number(r.done ?? 0),
          lights: { red, yellow, green: plans - red - yellow },
        };
      }),
    };
  }

  /** The names of these units (lead units, special groups) by id. */
  private async unitNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const params = this.params();
    const rows: Array<{ id: string; name: string }> = await this.ds.query(`SELECT u.id AS id, u.name AS name FROM units u WHERE u.id IN (${ids.map((id) => params.add(id)).join(', ')})`, params.values);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Plans and items by light: red (overdue), yellow (due soon or behind), green. */
  async lights(caller: Caller): Promise<LightsSummary> {
    const { scope, thresholds } = await this.context(caller);
    const p1 = this.params();
    const planRows: Array<{ light: Light; n: number | string }> = await this.ds.query(
      `SELECT x.light AS light, COUNT(*) AS n FROM (SELECT ${planLightSql(p1, thresholds)} AS light FROM ledger_plans p WHERE ${this.plansIn(scope, p1)}) x GROUP BY x.light`,
      p1.values,
    );
    const p2 = this.params();
    const itemRows: Array<{ light: Light; n: number | string }> = await this.ds.query(
      `SELECT x.light AS light, COUNT(*) AS n FROM (SELECT ${itemLightSql(p2, thresholds)} AS light FROM ledger_items i JOIN ledger_plans p ON p.plan_id = i.plan_id WHERE ${this.plansIn(scope, p2)}) x GROUP BY x.light`,
      p2.values,
    );
    const count = (rows: Array<{ light: Light; n: number | string }>) => {
      const out = emptyLights();
      for (const r of rows) out[r.light] = Number(r.n);
      return out;
    };
    const plans = count(planRows);
    return { today: thresholds.today, plans, items: count(itemRows), overdue: plans.red, dueSoonOrBehind: plans.yellow };
  }

  /** Letters of plans in scope by month issued and kind, for a year (default: this year). */
  async letters(caller: Caller, query: YearQuery): Promise<{ year: number; rows: LetterCount[] }> {
    const q = parseListQuery(YearQuerySchema, query);
    const { scope, thresholds } = await this.context(caller);
    const year = q.year ?? Number(thresholds.today.slice(0, 4));
    const params = this.params();
    const rows: Array<{ m: string; kind: string; n: number | string }> = await this.ds.query(
      `SELECT SUBSTR(l.issued_on, 1, 7) AS m, l.kind AS kind, COUNT(*) AS n
       FROM letters l JOIN ledger_plans p ON p.plan_id = l.workflow_id
       WHERE ${scopeCondition(scope, params)} AND l.issued_on LIKE ${params.add(`${year}-%`)}
       GROUP BY SUBSTR(l.issued_on, 1, 7), l.kind ORDER BY m, kind`,
      params.values,
    );
    return { year, rows: rows.map((r) => ({ month: r.m, kind: r.kind, kindLabel: LETTER_KIND_LABEL[r.kind as LetterKind] ?? r.kind, count: Number(r.n) })) };
  }

  /** S4's two indicators of the plans in scope for a year (default: this year), up to today: the assessment's own measures. */
  async indicators(caller: Caller, query: YearQuery = {}): Promise<Indicators> {
    const q = parseListQuery(YearQuerySchema, query);
    const scope = await this.deps.desk.scopeOf(caller);
    const today = await this.deps.ledger.today();
    const year = q.year ?? Number(today.slice(0, 4));
    const params = this.params();
    const records = await new AssessmentStore(this.ds).planRecords({ where: scopeCondition(scope, params), values: params.values });
    const window = s4Window(year, today);
    const onSchedule = onScheduleMeasure(records.plans, window);
    const completion = completionMeasure(records.plans, records, window);
    return {
      year,
      asOf: window.to,
      deadlines: onSchedule.counted,
      deadlinesOnSchedule: onSchedule.met,
      onScheduleRate: percentOf(onSchedule),
      items: completion.counted,
      itemsCompleted: completion.met,
      completionRate: percentOf(completion),
    };
  }

  /** Problems of the problem library in scope, by where they stand. */
  async problems(caller: Caller): Promise<ProblemCounts> {
    const scope = await this.deps.desk.scopeOf(caller);
    const params = this.params();
    const rows: Array<{ status: string; n: number | string }> = await this.ds.query(
      `SELECT q.status AS status, COUNT(*) AS n FROM problems q JOIN ledger_plans p ON p.plan_id = q.workflow_id
       WHERE ${scopeCondition(scope, params)} GROUP BY q.status`,
      params.values,
    );
    const n = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
    return { open: n('registered') + n('rectifying') + n('verifying'), kept: n('kept'), cancelled: n('cancelled'), escalated: n('escalated') };
  }

  /** By month, the last `months` months to this one: items completed, letters issued, problems found. */
  async trends(caller: Caller, query: TrendQuery): Promise<{ rows: TrendRow[] }> {
    const q = parseListQuery(TrendQuerySchema, query);
    const { scope, thresholds } = await this.context(caller);
    const [y, m] = thresholds.today.split('-').map(Number);
    const months: string[] = [];
    for (let k = q.months - 1; k >= 0; k--) {
      const t = y * 12 + (m - 1) - k;
      months.push(`${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`);
    }
    const first = `${months[0]}-01`;
    const byMonth = async (sql: (params: Params) => string) => {
      const params = this.params();
      const rows: Array<{ m: string; n: number | string }> = await this.ds.query(sql(params), params.values);
      return new Map(rows.map((r) => [r.m, Number(r.n)]));
    };
    const items = await byMonth(
      (params) => `SELECT SUBSTR(c.business_date, 1, 7) AS m, COUNT(*) AS n FROM item_changes c JOIN ledger_plans p ON p.plan_id = c.plan_id
        WHERE ${this.plansIn(scope, params)} AND c.status_after = 'completed' AND c.business_date >= ${params.add(first)} GROUP BY SUBSTR(c.business_date, 1, 7)`,
    );
    const letters = await byMonth(
      (params) => `SELECT SUBSTR(l.issued_on, 1, 7) AS m, COUNT(*) AS n FROM letters l JOIN ledger_plans p ON p.plan_id = l.workflow_id
        WHERE ${scopeCondition(scope, params)} AND l.issued_on >= ${params.add(first)} GROUP BY SUBSTR(l.issued_on, 1, 7)`,
    );
    const problems = await byMonth(
      (params) => `SELECT SUBSTR(q.found_on, 1, 7) AS m, COUNT(*) AS n FROM problems q JOIN ledger_plans p ON p.plan_id = q.workflow_id
        WHERE ${scopeCondition(scope, params)} AND q.found_on >= ${params.add(first)} GROUP BY SUBSTR(q.found_on, 1, 7)`,
    );
    return { rows: months.map((month) => ({ month, itemsCompleted: items.get(month) ?? 0, letters: letters.get(month) ?? 0, problemsFound: problems.get(month) ?? 0 })) };
  }
}
