import { addDays, LocalDate, localDateAt } from '@reform/calendar';
import { UserError } from '@reform/config';
import type { PlanProjection } from '@reform/machine';
import { LedgerStore, preparedQuery } from '@reform/persistence';
import { NON_PLAN_PROCEDURES, REGION_LEVELS, RoleRelation, Scope, ScopeGrant } from '@reform/platform';
import { PROCEDURE_WORKFLOW, projectionQuery } from '@reform/workflows';
import type { Client } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { itemLightSql, Light, LightRules, LIGHTS, planLightSql } from './lights';

/** Sort orders of the ledger list; each ends on the plan id, so the order is total and paging stable. */
export const LEDGER_SORTS = ['due', 'updated', 'title', 'stage'] as const;
export type LedgerSort = (typeof LEDGER_SORTS)[number];

const DEFAULT_DIRECTION: Record<LedgerSort, 'asc' | 'desc'> = { due: 'asc', updated: 'desc', title: 'asc', stage: 'asc' };
export const LEDGER_PAGE_MAX = 100;

const yesNo = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')], { error: '应为 true 或 false' });

/** The ledger list's query, as an API query string or the CLI gives it (strings are coerced). */
export const LedgerQuerySchema = z
  .object({
    /** Plans this unit leads, takes part in or is the special group of. */
    unit: z.string().trim().min(1, '单位编号不能为空').max(100, '单位编号最长 100 个字符').optional(),
    /** Plans this unit leads (the dashboards' progress by unit counts lead units: their drill-down). */
    leadUnit: z.string().trim().min(1, '牵头单位编号不能为空').max(100, '牵头单位编号最长 100 个字符').optional(),
    /** Plans of this special group's area. */
    area: z.string().trim().min(1, '专项小组编号不能为空').max(100, '专项小组编号最长 100 个字符').optional(),
    /** Plans of this level of government. */
    level: z.enum(REGION_LEVELS, { error: `层级应为 ${REGION_LEVELS.join('、')} 之一` }).optional(),
    /** Plans of this region and below (a region path such as /sc/cd/). */
    region: z.string().regex(/^\/(?:[^/\s]+\/)*$/, '地区路径应形如 /sc/cd/').max(200, '地区路径最长 200 个字符').optional(),
    procedure: z.string().trim().min(1, '流程标识不能为空').max(100, '流程标识最长 100 个字符').optional(),
    stage: z.string().trim().min(1, '阶段标识不能为空').max(100, '阶段标识最长 100 个字符').optional(),
    status: z.enum(['open', 'closed'], { error: '状态应为 open(办理中)或 closed(已办结)' }).optional(),
    /** Plans with a deadline open past its due date (true), or without one (false). */
    overdue: yesNo.optional(),
    /** Plans with an open deadline falling due from today to this many days ahead. */
    dueWithinDays: z.coerce.number({ error: '天数应为整数' }).int('天数应为整数').min(0, '天数不能为负').max(3660, '天数最多 3660').optional(),
    /** Plans owing a deadline under this rule (A9, S3, …). */
    ruleId: z.string().regex(/^[AHSWY][0-9]{1,2}$/, '来源编号应形如 A9、S1、Y9').optional(),
    /** Plans with a letter some unit has not signed for (签收) past its last day (true), or without one (false). */
    lateSigning: yesNo.optional(),
    /** Plans whose traffic light (亮灯) is this colour today: red overdue, yellow due soon or behind, green otherwise. */
    light: z.enum(LIGHTS, { error: '灯色应为 red(红灯)、yellow(黄灯)或 green(绿灯)' }).optional(),
    /**
     * Plans on which the caller can act now (true): open, and the current stage of the plan's
     * procedure has an action for an engine role the caller's unit holds on it (its relation to the
     * plan, under a grant it acts by). What still stands in the way of an action the plan's detail says.
     */
    actionable: yesNo.optional(),
    /** Words in the title or the plan id. */
    text: z.string().trim().min(1, '检索词不能为空').max(200, '检索词最长 200 个字').optional(),
    sort: z.enum(LEDGER_SORTS, { error: `排序应为 ${LEDGER_SORTS.join('、')} 之一` }).default('due'),
    direction: z.enum(['asc', 'desc'], { error: '方向应为 asc 或 desc' }).optional(),
    limit: pageLimit(LEDGER_PAGE_MAX),
    cursor: pageCursor(),
  })
  .strict();
export type LedgerQuery = z.input<typeof LedgerQuerySchema>;

/** One plan in the ledger list. */
export interface LedgerListRow {
  planId: string;
  title: string;
  procedure: { id: string; version: number };
  stage: { id: string; label: string };
  status: 'open' | 'closed';
  regionPath: string | null;
  leadUnitId: string | null;
  specialGroupId: string | null;
  nextDue: LocalDate | null;
  /** Some deadline is open past its due date today. */
  overdue: boolean;
  /** Letters of the plan some unit has not signed for past the last day to sign. */
  lateSignings: number;
  /** Its traffic light today (lights.ts). */
  light: Light;
  updatedAt: string;
  changeCounter: number;
}

export interface LedgerPage {
  rows: LedgerListRow[];
  /** Pass it as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** A ledger query the caller got wrong (the API answers 400): the message says which field and what. */
export class LedgerQueryError extends UserError {
  override readonly name = 'LedgerQueryError';
}

/** A list query's page size: whole, 1 to `max`, `fallback` when absent (each message in Chinese). */
export function pageLimit(max: number, fallback = 20) {
  return z.coerce.number({ error: '每页条数应为整数' }).int('每页条数应为整数').min(1, '每页至少 1 条').max(max, `每页最多 ${max} 条`).default(fallback);
}

/** A list query's cursor: the opaque `nextCursor` of the page before. */
export function pageCursor() {
  return z.string().max(1000, '翻页游标无效').optional();
}

/** A list's query parsed by its schema (the API has validated it already; the CLI has not): each bad field named, in Chinese. */
export function parseListQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  throw new LedgerQueryError(parsed.error.issues.map((i) => `${i.path.join('.') || '查询'}: ${i.code === 'unrecognized_keys' ? `未知的查询条件 ${i.keys.join('、')}` : i.message}`).join(';'));
}

interface Cursor {
  sort: LedgerSort;
  direction: 'asc' | 'desc';
  key: string;
  planId: string;
}

const SORT_COLUMN: Record<LedgerSort, string> = { due: 'due_key', updated: 'updated_at', title: 'title', stage: 'stage_id' };

/** A paging cursor: the last row's sort values, opaque to the client (base64url of a JSON array). */
export function encodeCursorParts(parts: unknown[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

/** The parts of a cursor that `accept` takes (it answers undefined for a wrong shape); anything else is a 400. */
export function decodeCursorParts<T>(raw: string, accept: (parts: unknown[]) => T | undefined): T {
  try {
    const parts: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    const taken = Array.isArray(parts) ? accept(parts) : undefined;
    if (taken !== undefined) return taken;
  } catch {
    // falls through to the refusal
  }
  throw new LedgerQueryError('cursor: 翻页游标无效,请从第一页重新查询');
}

const encodeCursor = (c: Cursor): string => encodeCursorParts([c.sort, c.direction, c.key, c.planId]);

const decodeCursor = (raw: string): Cursor =>
  decodeCursorParts(raw, ([sort, direction, key, planId]) =>
    LEDGER_SORTS.includes(sort as LedgerSort) && (direction === 'asc' || direction === 'desc') && typeof key === 'string' && typeof planId === 'string'
      ? { sort: sort as LedgerSort, direction, key, planId }
      : undefined,
  );

/** A LIKE pattern that matches `text` literally (with ESCAPE '\'). */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Collects the parameters of one statement, in the placeholder style of the database. */
export class Params {
  readonly values: unknown[] = [];
  constructor(readonly postgres: boolean) {}
  add(value: unknown): string {
    this.values.push(value);
    return this.postgres ? `$${this.values.length}` : '?';
  }
}

/** Rows that are plans (not problems nor self-inspection tasks, NON_PLAN_PROCEDURES): an SQL condition on ledger_plans `p`. */
export function plansOnly(params: Params): string {
  return `p.procedure_id NOT IN (${NON_PLAN_PROCEDURES.map((id) => params.add(id)).join(', ')})`;
}

/**
 * A caller's scope as an SQL condition on ledger_plans `p`: the OR of its grants (none: nothing).
 * The same test as inScope() in @reform/platform, so lists, paging and details agree with it.
 */
export function scopeCondition(scope: Scope, params: Params): string {
  const one = (g: ScopeGrant): string => {
    switch (g.kind) {
      case 'region':
        return `p.region_path LIKE ${params.add(`${likeLiteral(g.pathPrefix)}%`)} ESCAPE '\\'`;
      case 'lead':
        return `p.lead_unit_id = ${params.add(g.unitId)}`;
      case 'participant':
        return `EXISTS (SELECT 1 FROM ledger_plan_units u WHERE u.plan_id = p.plan_id AND u.unit_id = ${params.add(g.unitId)} AND u.relation = 'participant')`;
      case 'group':
        return `p.special_group_id = ${params.add(g.unitId)}`;
      case 'regionStage':
        if (!g.stages.length) return '1 = 0';
        return `(p.region_path = ${params.add(g.regionPath)} AND p.stage_id IN (${g.stages.map((s) => params.add(s)).join(', ')}))`;
    }
  };
  return scope.grants.length ? `(${scope.grants.map(one).join(' OR ')})` : '1 = 0';
}

/**
 * What `actionable` tests (the plan desk gives it): the grants the caller acts by, and for each
 * relation that gives its unit an engine role, the stages where that role has an action, as
 * `stageKey(procedure, version, stage)`.
 */
export interface ActingFilter {
  scope: Scope;
  roles: Array<{ relation: RoleRelation; stageKeys: string[] }>;
}

/** A stage of one procedure version, as ActingFilter names it. */
export const stageKey = (procedure: string, version: number, stage: string): string => `${procedure}@${version}#${stage}`;

/** A relation of RoleRelation as an SQL condition on ledger_plans `p` (holdsRelation's test). */
export function relationCondition(r: RoleRelation, params: Params): string {
  switch (r.on) {
    case 'lead':
      return `p.lead_unit_id = ${params.add(r.unitId)}`;
    case 'group':
      return `p.special_group_id = ${params.add(r.unitId)}`;
    case 'level':
      return r.unlessLead === undefined
        ? `p.region_path = ${params.add(r.regionPath)}`
        : `(p.region_path = ${params.add(r.regionPath)} AND (p.lead_unit_id IS NULL OR p.lead_unit_id <> ${params.add(r.unlessLead)}))`;
  }
}

/** The plans (ledger_plans `p`) the filter says the caller can act on now: open, in its acting scope, a role with an action in the plan's stage. */
export function actingCondition(acting: ActingFilter, params: Params): string {
  const key = `(p.procedure_id || '@' || CAST(p.procedure_version AS TEXT) || '#' || p.stage_id)`;
  const acts = acting.roles.filter((r) => r.stageKeys.length > 0);
  if (!acts.length) return '1 = 0';
  // In the order of the statement: SQLite's `?` are positional.
  const scope = scopeCondition(acting.scope, params);
  const roles = acts.map((r) => `(${relationCondition(r.relation, params)} AND ${key} IN (${r.stageKeys.map((k) => params.add(k)).join(', ')}))`);
  return `(p.status = 'open' AND ${scope} AND (${roles.join(' OR ')}))`;
}

interface PlanRowRaw {
  plan_id: string;
  title: string;
  procedure_id: string;
  procedure_version: number | string;
  stage_id: string;
  stage_label: string;
  status: string;
  region_path: string | null;
  lead_unit_id: string | null;
  special_group_id: string | null;
  next_due: string | null;
  updated_at: string;
  change_counter: number | string;
  sort_key: string;
  late_signings: number | string;
  light: Light;
}

/** The SQL count of a plan's (ledger_plans `p`) letters with a unit's signing past its last day. */
export function lateSigningCount(params: Params, today: string): string {
  return `(SELECT COUNT(DISTINCT r.letter_id) FROM letter_recipients r JOIN letters l ON l.id = r.letter_id
           WHERE l.workflow_id = p.plan_id AND r.signed_at IS NULL AND r.sign_by < ${params.add(today)})`;
}

/**
 * The ledger's use cases: the plan list (filters, sort, cursor paging, all inside the caller's
 * scope, in SQL) and a plan's detail, read from the projections the workflows write; and the
 * rebuild of the ledger from the workflows themselves.
 */
export class LedgerService {
  readonly store: LedgerStore;
  /** The 亮灯 thresholds of the published rules. */
  readonly lights: LightRules;

  constructor(
    private readonly ds: DataSource,
    /** The clock "today" is read from (overdue, due within N days); tests pass the test server's. */
    private readonly now: () => number | Promise<number> = Date.now,
  ) {
    this.store = new LedgerStore(ds);
    this.lights = new LightRules(ds);
  }

  private get postgres(): boolean {
    return this.ds.options.type === 'postgres';
  }

  /** Text compared by code point on both databases (PostgreSQL's default collation would sort by locale). */
  private text(expr: string): string {
    return this.postgres ? `${expr} COLLATE "C"` : expr;
  }

  /** The plans in `scope` the query selects; `actionable` needs `acting` (the plan desk's: which roles the caller's unit acts in where). */
  async list(scope: Scope, query: LedgerQuery, acting?: ActingFilter): Promise<LedgerPage> {
    const q = parseListQuery(LedgerQuerySchema, query);
    if (q.actionable !== undefined && !acting) throw new LedgerQueryError('actionable: 此处不能按「现在可办理」筛选');
    const direction = q.direction ?? DEFAULT_DIRECTION[q.sort];
    const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    if (cursor && (cursor.sort !== q.sort || cursor.direction !== direction)) throw new LedgerQueryError('cursor: 翻页游标属于另一种排序,请从第一页重新查询');
    const today = localDateAt(await this.now());
    const params = new Params(this.postgres);
    // First: the SELECT list's placeholder comes before the WHERE's in the statement.
    const lateSignings = lateSigningCount(params, today);
    const thresholds = await this.lights.forDay(today);
    const light = planLightSql(params, thresholds);
    const where: string[] = [scopeCondition(scope, params)];
    if (q.light !== undefined) where.push(`${planLightSql(params, thresholds)} = ${params.add(q.light)}`);
    if (q.lateSigning !== undefined) where.push(`${lateSigningCount(params, today)} ${q.lateSigning ? '>' : '='} 0`);

    if (q.unit !== undefined) where.push(`EXISTS (SELECT 1 FROM ledger_plan_units u WHERE u.plan_id = p.plan_id AND u.unit_id = ${params.add(q.unit)})`);
    if (q.leadUnit !== undefined) where.push(`p.lead_unit_id = ${params.add(q.leadUnit)}`);
    if (q.area !== undefined) where.push(`p.special_group_id = ${params.add(q.area)}`);
    if (q.level !== undefined) where.push(`p.region_level = ${params.add(q.level)}`);
    if (q.region !== undefined) where.push(`p.region_path LIKE ${params.add(`${likeLiteral(q.region)}%`)} ESCAPE '\\'`);
    // The ledger of plans; problems and self-inspection tasks have their own lists (named, they show).
    if (q.procedure !== undefined) where.push(`p.procedure_id = ${params.add(q.procedure)}`);
    else where.push(plansOnly(params));
    if (q.stage !== undefined) where.push(`p.stage_id = ${params.add(q.stage)}`);
    if (q.status !== undefined) where.push(`p.status = ${params.add(q.status)}`);
    if (q.overdue === true) where.push(`p.next_due < ${params.add(today)}`);
    if (q.overdue === false) where.push(`(p.next_due IS NULL OR p.next_due >= ${params.add(today)})`);
    if (q.ruleId !== undefined || q.dueWithinDays !== undefined) {
      // One deadline meets every deadline condition at once: "overdue under A9" is one deadline.
      const d = [`d.plan_id = p.plan_id`, `d.status IN ('open', 'overdue')`];
      if (q.ruleId !== undefined) d.push(`d.rule_id = ${params.add(q.ruleId)}`);
      if (q.ruleId !== undefined && q.overdue === true) d.push(`d.due < ${params.add(today)}`);
      if (q.dueWithinDays !== undefined) d.push(`d.due >= ${params.add(today)} AND d.due <= ${params.add(addDays(today, q.dueWithinDays))}`);
      where.push(`EXISTS (SELECT 1 FROM ledger_deadlines d WHERE ${d.join(' AND ')})`);
    }
    if (q.actionable !== undefined && acting) where.push(q.actionable ? actingCondition(acting, params) : `NOT ${actingCondition(acting, params)}`);
    if (q.text !== undefined) {
      // Each placeholder once: SQLite's `?` takes one value per occurrence.
      const pattern = () => params.add(`%${likeLiteral(q.text!.toLowerCase())}%`);
      where.push(`(LOWER(p.title) LIKE ${pattern()} ESCAPE '\\' OR LOWER(p.plan_id) LIKE ${pattern()} ESCAPE '\\')`);
    }

    const key = this.text(`p.${SORT_COLUMN[q.sort]}`);
    const id = this.text('p.plan_id');
    if (cursor) {
      const op = direction === 'asc' ? '>' : '<';
      where.push(`(${key} ${op} ${params.add(cursor.key)} OR (${key} = ${params.add(cursor.key)} AND ${id} ${op} ${params.add(cursor.planId)}))`);
    }
    const dir = direction.toUpperCase();
    // A window of due dates is planned with its dates: PostgreSQL's generic plan guesses a range
    // of unknown dates matches few deadlines, starts from them and lights every plan they name
    // (18 ms against 0.4 ms for a city's 30 days over 10,000 plans; bench:api). Every other shape
    // keeps its prepared plan.
    const statement = `SELECT p.plan_id, p.title, p.procedure_id, p.procedure_version, p.stage_id, p.stage_label, p.status, p.region_path, p.lead_unit_id,
              p.special_group_id, p.next_due, p.updated_at, p.change_counter, p.${SORT_COLUMN[q.sort]} AS sort_key,
              ${lateSignings} AS late_signings, ${light} AS light
       FROM ledger_plans p
       WHERE ${where.join(' AND ')}
       ORDER BY ${key} ${dir}, ${id} ${dir}
       LIMIT ${params.add(q.limit + 1)}`;
    const rows = await preparedQuery<PlanRowRaw>(this.ds, statement, params.values, { planWithValues: q.dueWithinDays !== undefined });
    const more = rows.length > q.limit;
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      rows: page.map((r) => ({
        planId: r.plan_id,
        title: r.title,
        procedure: { id: r.procedure_id, version: Number(r.procedure_version) },
        stage: { id: r.stage_id, label: r.stage_label },
        status: r.status as 'open' | 'closed',
        regionPath: r.region_path,
        leadUnitId: r.lead_unit_id,
        specialGroupId: r.special_group_id,
        nextDue: r.next_due,
        overdue: r.next_due !== null && r.next_due < today,
        lateSignings: Number(r.late_signings),
        light: r.light,
        updatedAt: r.updated_at,
        changeCounter: Number(r.change_counter),
      })),
      nextCursor: more && last ? encodeCursor({ sort: q.sort, direction, key: last.sort_key, planId: last.plan_id }) : null,
    };
  }

  /** Today's date by the service's clock (Asia/Shanghai). */
  async today(): Promise<LocalDate> {
    return localDateAt(await this.now());
  }

  /** A plan's projection, or null when there is none or it lies outside the scope (the API answers 404 either way). */
  async detail(planId: string, scope: Scope): Promise<PlanProjection | null> {
    const params = new Params(this.postgres);
    const rows: Array<{ projection: string }> = await this.ds.query(
      `SELECT p.projection FROM ledger_plans p WHERE p.plan_id = ${params.add(planId)} AND ${scopeCondition(scope, params)}`,
      params.values,
    );
    return rows.length ? (JSON.parse(rows[0].projection) as PlanProjection) : null;
  }

  /** The traffic light of a plan and of each of its items today (the caller has checked the plan is in scope). */
  async lightsOf(planId: string): Promise<{ plan: Light; items: Record<string, Light> }> {
    const today = await this.today();
    const thresholds = await this.lights.forDay(today);
    const params = new Params(this.postgres);
    const plan = await preparedQuery<{ light: Light }>(this.ds, `SELECT ${planLightSql(params, thresholds)} AS light FROM ledger_plans p WHERE p.plan_id = ${params.add(planId)}`, params.values);
    const itemParams = new Params(this.postgres);
    const items = await preparedQuery<{ item_id: string; light: Light }>(
      this.ds,
      `SELECT i.item_id, ${itemLightSql(itemParams, thresholds)} AS light FROM ledger_items i JOIN ledger_plans p ON p.plan_id = i.plan_id WHERE i.plan_id = ${itemParams.add(planId)}`,
      itemParams.values,
    );
    return { plan: plan[0]?.light ?? 'green', items: Object.fromEntries(items.map((r) => [r.item_id, r.light])) };
  }

  /**
   * Writes every plan Temporal knows (running or closed) into the ledger from the plan's own
   * projection (a query: nothing changes in the plan). Ordered like every write, so a rebuild
   * beside running workflows never puts an older state over a newer one.
   */
  async rebuild(client: Client, onPlan?: (planId: string, outcome: 'written' | 'unchanged' | 'failed') => void): Promise<RebuildReport> {
    const report: RebuildReport = { plans: 0, written: 0, unchanged: 0, failed: [] };
    const seen = new Set<string>();
    for await (const wf of planRuns(client)) {
      // A run that went on in a new one is the same plan: its latest run answers, once.
      if (wf.continuedAsNew || seen.has(wf.workflowId)) continue;
      seen.add(wf.workflowId);
      report.plans++;
      try {
        const projection = await client.workflow.getHandle(wf.workflowId).query(projectionQuery);
        const { applied } = await this.store.upsert(projection);
        report[applied ? 'written' : 'unchanged']++;
        onPlan?.(wf.workflowId, applied ? 'written' : 'unchanged');
      } catch (err) {
        report.failed.push({ planId: wf.workflowId, reason: err instanceof Error ? err.message : String(err) });
        onPlan?.(wf.workflowId, 'failed');
      }
    }
    return report;
  }
}

const UNIMPLEMENTED = 12;

/**
 * Every run of the procedure workflow Temporal keeps. Through the list API (visibility queries);
 * on a server without it (the time-skipping test server) through the older open and closed
 * listings, which every server has.
 */
async function* planRuns(client: Client): AsyncGenerator<{ workflowId: string; continuedAsNew: boolean }> {
  const listed = client.workflow.list({ query: `WorkflowType = '${PROCEDURE_WORKFLOW}'` })[Symbol.asyncIterator]();
  let first: IteratorResult<{ workflowId: string; status: { name: string } }>;
  try {
    first = await listed.next();
  } catch (err) {
    if ((err as { cause?: { code?: number } }).cause?.code !== UNIMPLEMENTED) throw err;
    yield* olderListings(client);
    return;
  }
  for (let r = first; !r.done; r = await listed.next()) yield { workflowId: r.value.workflowId, continuedAsNew: r.value.status.name === 'CONTINUED_AS_NEW' };
}

type Listing = temporal.api.workflowservice.v1.IListOpenWorkflowExecutionsResponse;

async function* olderListings(client: Client): AsyncGenerator<{ workflowId: string; continuedAsNew: boolean }> {
  const namespace = client.options.namespace;
  const common = { namespace, maximumPageSize: 500, typeFilter: { name: PROCEDURE_WORKFLOW }, startTimeFilter: { earliestTime: msToTs(0), latestTime: msToTs(Date.now() + 50 * 365 * 86_400_000) } };
  let token: Uint8Array | undefined;
  do {
    const page: Listing = await client.workflowService.listOpenWorkflowExecutions({ ...common, nextPageToken: token });
    for (const e of page.executions ?? []) yield { workflowId: e.execution!.workflowId!, continuedAsNew: false };
    token = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (token);
  do {
    const page: Listing = await client.workflowService.listClosedWorkflowExecutions({ ...common, nextPageToken: token });
    for (const e of page.executions ?? []) {
      yield { workflowId: e.execution!.workflowId!, continuedAsNew: e.status === temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW };
    }
    token = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (token);
}

export interface RebuildReport {
  /** Plans listed (each once: runs that continued as new are skipped for the plan's latest). */
  plans: number;
  written: number;
  /** The ledger already held the plan at this change or a later one. */
  unchanged: number;
  failed: Array<{ planId: string; reason: string }>;
}
