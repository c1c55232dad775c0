import { addDays, LocalDate } from '@reform/calendar';
import type { Command } from '@reform/definitions';
import { Params } from '@reform/ledger';
import { NOTHING_DUE } from '@reform/persistence';
import type { PlanService } from '@reform/plans';
import { actUpdate, viewQuery } from '@reform/workflows';
import type { Client } from '@temporalio/client';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { TEXT_WORD } from './api-seed';
import { Distribution, distribution, pool, processUsage, sleep } from './stats';
import { TEN_ACTIONS } from './workload';

/** One JSON request to the API, timed from sending it to having read the whole answer. */
export class Http {
  constructor(readonly url: string) {}

  async send(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown>; ms: number }> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const t0 = performance.now();
    const res = await fetch(`${this.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const ms = performance.now() - t0;
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // a non-JSON answer (metrics): the status says enough
    }
    return { status: res.status, json, ms };
  }
}

/** The demo users the bench signs in as, by what their unit's scope covers. */
export const BENCH_USERS = {
  reformOffice: 'demo-reform',
  cityReformOffice: 'jia-reform',
  specialGroup: 'demo-econ',
  leadUnit: 'demo-ndrc',
  legalOffice: 'demo-legal',
} as const;

/** Who takes each engine role's actions on a plan registered by demo-ndrc with demo-econ as its special group. */
const USER_OF_ROLE: Record<string, string> = { lead_unit: BENCH_USERS.leadUnit, special_group: BENCH_USERS.specialGroup, legal_office: BENCH_USERS.legalOffice };

const COLUMNS =
  'p.plan_id, p.title, p.procedure_id, p.procedure_version, p.stage_id, p.stage_label, p.status, p.region_path, p.lead_unit_id, p.special_group_id, p.next_due, p.updated_at, p.change_counter';

interface ListCase {
  name: string;
  user: string;
  query: Record<string, string>;
  /** Pages followed (untimed) before the timed one: the cursor of the last. */
  skipPages?: number;
  /** The WHERE of a hand-written query for the same rows, given the last row of the page before (cursor cases). */
  where(p: Params, today: LocalDate, after?: { dueKey: string; planId: string }): string;
}

const region = (p: Params, prefix: string) => `p.region_path LIKE ${p.add(`${prefix}%`)}`;

/** The representative ledger queries: a user of each scope, the filters of issue 8, a deep page. */
export function listCases(reviewStages: string[]): ListCase[] {
  const province = '/demo/';
  return [
    { name: 'reform office: all, page 1', user: BENCH_USERS.reformOffice, query: {}, where: (p) => region(p, province) },
    {
      name: 'reform office: all, page 5 (cursor)',
      user: BENCH_USERS.reformOffice,
      query: {},
      skipPages: 4,
      where: (p, _t, after) => `${region(p, province)} AND (p.due_key > ${p.add(after!.dueKey)} OR (p.due_key = ${p.add(after!.dueKey)} AND p.plan_id > ${p.add(after!.planId)}))`,
    },
    {
      name: 'by unit (reform office, unit=demo-ndrc)',
      user: BENCH_USERS.reformOffice,
      query: { unit: 'demo-ndrc' },
      where: (p) => `${region(p, province)} AND EXISTS (SELECT 1 FROM ledger_plan_units u WHERE u.plan_id = p.plan_id AND u.unit_id = ${p.add('demo-ndrc')})`,
    },
    { name: 'by area (reform office, area=demo-econ)', user: BENCH_USERS.reformOffice, query: { area: 'demo-econ' }, where: (p) => `${region(p, province)} AND p.special_group_id = ${p.add('demo-econ')}` },
    { name: 'special group: its area', user: BENCH_USERS.specialGroup, query: {}, where: (p) => `p.special_group_id = ${p.add('demo-econ')}` },
    {
      name: 'lead unit: its own and those it joins',
      user: BENCH_USERS.leadUnit,
      query: {},
      where: (p) =>
        `(p.lead_unit_id = ${p.add('demo-ndrc')} OR EXISTS (SELECT 1 FROM ledger_plan_units u WHERE u.plan_id = p.plan_id AND u.unit_id = ${p.add('demo-ndrc')} AND u.relation = 'participant'))`,
    },
    { name: 'overdue (reform office)', user: BENCH_USERS.reformOffice, query: { overdue: 'true' }, where: (p, today) => `${region(p, province)} AND p.next_due < ${p.add(today)}` },
    {
      name: 'due within 30 days (city reform office)',
      user: BENCH_USERS.cityReformOffice,
      query: { dueWithinDays: '30' },
      where: (p, today) =>
        `${region(p, '/demo/jia/')} AND EXISTS (SELECT 1 FROM ledger_deadlines d WHERE d.plan_id = p.plan_id AND d.status IN ('open', 'overdue') AND d.due >= ${p.add(today)} AND d.due <= ${p.add(addDays(today, 30))})`,
    },
    { name: `text "${TEXT_WORD}" (reform office)`, user: BENCH_USERS.reformOffice, query: { text: TEXT_WORD }, where: (p) => `${region(p, province)} AND LOWER(p.title) LIKE ${p.add(`%${TEXT_WORD}%`)}` },
    {
      name: 'legal office: plans under review',
      user: BENCH_USERS.legalOffice,
      query: {},
      where: (p) => `p.region_path = ${p.add(province)} AND p.stage_id IN (${reviewStages.map((s) => p.add(s)).join(', ')})`,
    },
  ];
}

export interface Compared {
  name: string;
  user: string;
  query: string;
  rows: number;
  /** The API's page and the bare query gave the same plans in the same order. */
  sameRows: boolean;
  api: Distribution;
  bare: Distribution;
  /** GET /api/auth/me timed between the same samples: the fixed part of each request while this query ran. */
  fixed?: Distribution;
  /** API ÷ bare, at p50 and at p95 (aim ≤ 2). */
  ratioP50: number;
  ratioP95: number;
}

const qs = (q: Record<string, string>) => {
  const s = new URLSearchParams(q).toString();
  return s ? `?${s}` : '';
};

function compared(name: string, user: string, query: string, rows: number, sameRows: boolean, api: number[], bare: number[], fixed?: number[]): Compared {
  const a = distribution(api);
  const b = distribution(bare);
  return { name, user, query, rows, sameRows, api: a, bare: b, ...(fixed ? { fixed: distribution(fixed) } : {}), ratioP50: a.p50 / b.p50, ratioP95: a.p95 / b.p95 };
}

/** GET /api/auth/me as `token`: an authenticated request that reads no ledger. */
async function fixedPart(http: Http, token: string): Promise<number> {
  const r = await http.send('GET', '/api/auth/me', token);
  if (r.status !== 200) throw new Error(`GET /api/auth/me: ${r.status}`);
  return r.ms;
}

/**
 * Each list query through the API (real HTTP, the user's token) and as a bare SQL query of the
 * same rows, alternately, `samples` times each after a few untimed rounds.
 */
export async function runLists(args: { http: Http; tokens: Record<string, string>; ds: DataSource; today: LocalDate; reviewStages: string[]; samples: number; log: (l: string) => void }): Promise<Compared[]> {
  const { http, tokens, ds, today } = args;
  const postgres = ds.options.type === 'postgres';
  const out: Compared[] = [];
  for (const c of listCases(args.reviewStages)) {
    let query = { ...c.query };
    let after: { dueKey: string; planId: string } | undefined;
    for (let page = 0; page < (c.skipPages ?? 0); page++) {
      const r = await http.send('GET', `/api/plans${qs(query)}`, tokens[c.user]);
      const rows = r.json.rows as Array<{ planId: string; nextDue: string | null }>;
      const last = rows[rows.length - 1];
      if (r.status !== 200 || !r.json.nextCursor || !last) throw new Error(`${c.name}: page ${page + 1} answered ${r.status} without a next page`);
      query = { ...c.query, cursor: String(r.json.nextCursor) };
      after = { dueKey: last.nextDue ?? NOTHING_DUE, planId: last.planId };
    }
    const path = `/api/plans${qs(query)}`;
    const bare = async () => {
      const p = new Params(postgres);
      const where = c.where(p, today, after);
      const t0 = performance.now();
      const rows: Array<{ plan_id: string }> = await ds.query(`SELECT ${COLUMNS} FROM ledger_plans p WHERE ${where} ORDER BY p.due_key ASC, p.plan_id ASC LIMIT ${p.add(21)}`, p.values);
      return { ms: performance.now() - t0, ids: rows.slice(0, 20).map((r) => r.plan_id) };
    };
    const viaApi = async () => {
      const r = await http.send('GET', path, tokens[c.user]);
      if (r.status !== 200) throw new Error(`${c.name}: GET ${path} answered ${r.status}: ${JSON.stringify(r.json).slice(0, 300)}`);
      return { ms: r.ms, ids: (r.json.rows as Array<{ planId: string }>).map((x) => x.planId) };
    };
    const first = await viaApi();
    const firstBare = await bare();
    for (let w = 0; w < 5; w++) await Promise.all([viaApi(), bare()].map((x) => x.catch(() => undefined)));
    const apiMs: number[] = [];
    const bareMs: number[] = [];
    const fixedMs: number[] = [];
    for (let s = 0; s < args.samples; s++) {
      apiMs.push((await viaApi()).ms);
      bareMs.push((await bare()).ms);
      fixedMs.push(await fixedPart(http, tokens[c.user]));
    }
    const row = compared(c.name, c.user, path.replace('/api/plans', '') || '(none)', first.ids.length, JSON.stringify(first.ids) === JSON.stringify(firstBare.ids), apiMs, bareMs, fixedMs);
    args.log(`list: ${c.name}: API p50 ${row.api.p50.toFixed(2)} ms, bare ${row.bare.p50.toFixed(2)} ms (${row.ratioP50.toFixed(1)}×), ${row.rows} rows${row.sameRows ? '' : ', ROWS DIFFER'}`);
    out.push(row);
  }
  return out;
}

/**
 * The fixed part of every request above: an authenticated request that reads no ledger
 * (GET /api/auth/me: HTTP, the token check, the user's profile, the log line).
 */
export async function runFloor(http: Http, token: string, samples: number): Promise<Distribution> {
  const ms: number[] = [];
  for (let s = -5; s < samples; s++) {
    const t = await fixedPart(http, token);
    if (s >= 0) ms.push(t);
  }
  return distribution(ms);
}

export interface DetailResult {
  lead: Compared;
  reformOffice: Compared;
  /** The plan's live view queried from Temporal by the bench itself: what the detail adds to the ledger row (actions now, blockers). */
  viewQuery: Distribution;
}

/** A plan's detail through the API (ledger row + the live view for the user's actions) against the bare ledger row by primary key. */
export async function runDetails(args: { http: Http; tokens: Record<string, string>; ds: DataSource; client: Client; planIds: string[]; samples: number }): Promise<DetailResult> {
  const { http, tokens, ds, planIds } = args;
  const postgres = ds.options.type === 'postgres';
  const one = async (user: string, scopeWhere: (p: Params) => string, name: string): Promise<Compared> => {
    const apiMs: number[] = [];
    const bareMs: number[] = [];
    const fixedMs: number[] = [];
    let same = true;
    for (let s = -5; s < args.samples; s++) {
      const id = planIds[(s + planIds.length * 10) % planIds.length];
      const r = await http.send('GET', `/api/plans/${encodeURIComponent(id)}`, tokens[user]);
      if (r.status !== 200) throw new Error(`detail ${id} as ${user}: ${r.status}`);
      const p = new Params(postgres);
      const t0 = performance.now();
      const rows: Array<{ projection: string }> = await ds.query(`SELECT p.projection FROM ledger_plans p WHERE p.plan_id = ${p.add(id)} AND ${scopeWhere(p)}`, p.values);
      const projection = rows.length ? (JSON.parse(rows[0].projection) as { planId: string }) : undefined;
      const ms = performance.now() - t0;
      if (projection?.planId !== (r.json.plan as { planId?: string } | undefined)?.planId) same = false;
      const fixed = await fixedPart(http, tokens[user]);
      if (s < 0) continue;
      apiMs.push(r.ms);
      bareMs.push(ms);
      fixedMs.push(fixed);
    }
    return compared(name, user, '/{id}', 1, same, apiMs, bareMs, fixedMs);
  };
  const lead = await one(BENCH_USERS.leadUnit, (p) => `p.lead_unit_id = ${p.add('demo-ndrc')}`, 'detail (lead unit)');
  const reformOffice = await one(BENCH_USERS.reformOffice, (p) => region(p, '/demo/'), 'detail (reform office)');
  const view: number[] = [];
  for (let s = 0; s < args.samples; s++) {
    const t0 = performance.now();
    await args.client.workflow.getHandle(planIds[s % planIds.length]).query(viewQuery);
    view.push(performance.now() - t0);
  }
  return { lead, reformOffice, viewQuery: distribution(view) };
}

export interface ActionsRun {
  plans: number;
  actions: number;
  failed: number;
  errors: string[];
  wallMs: number;
  actionsPerSec: number;
  latency: Distribution;
  /** CPU of the API process (API run only) and of the worker, per action. */
  apiCpuMsPerAction?: number;
  workerCpuMsPerAction?: number;
}

export interface ActionsResult {
  api: ActionsRun;
  direct: ActionsRun;
  /** Direct actions/s ÷ API actions/s: what the API costs per action, as a factor. */
  ratio: number;
  registerMs: Distribution;
}

async function timedWalk(
  plans: string[],
  concurrency: number,
  act: (planId: string, cmd: Command) => Promise<void>,
  cpu: { api?: () => number | undefined; worker: () => Promise<number> },
): Promise<ActionsRun> {
  const latency: number[] = [];
  const errors: string[] = [];
  let failed = 0;
  const api0 = cpu.api?.();
  const worker0 = await cpu.worker();
  const t0 = performance.now();
  await pool(plans.length, concurrency, async (i) => {
    for (const cmd of TEN_ACTIONS) {
      const t = performance.now();
      try {
        await act(plans[i], cmd);
        latency.push(performance.now() - t);
      } catch (e) {
        failed++;
        if (errors.length < 5) errors.push(`${plans[i]} ${cmd.action}: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
    }
  });
  const wallMs = performance.now() - t0;
  const api1 = cpu.api?.();
  const worker1 = await cpu.worker();
  const actions = latency.length;
  return {
    plans: plans.length,
    actions,
    failed,
    errors,
    wallMs,
    actionsPerSec: actions / (wallMs / 1000),
    latency: distribution(latency),
    apiCpuMsPerAction: api0 !== undefined && api1 !== undefined && actions ? (api1 - api0) / actions : undefined,
    workerCpuMsPerAction: actions ? (worker1 - worker0) / actions : undefined,
  };
}

/** What the plan service registers for a bench plan: demo-ndrc leads, demo-econ is its special group, demo-edu takes part. */
const PLAN_BODY = {
  procedure: 'reform_plan',
  specialGroupId: BENCH_USERS.specialGroup,
  participatingUnitIds: ['demo-edu'],
  responsibleLeader: '王副省长',
  responsiblePerson: '李明',
};

export async function registerThroughApi(http: Http, token: string, count: number, concurrency: number, tag: string): Promise<{ ids: string[]; ms: number[] }> {
  const ids: string[] = [];
  const ms: number[] = [];
  await pool(count, concurrency, async (i) => {
    const r = await http.send('POST', '/api/plans', token, { ...PLAN_BODY, title: `关于压测${tag}的实施方案(第${i + 1}号)` });
    if (r.status !== 201) throw new Error(`register: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
    ids.push(String(r.json.planId));
    ms.push(r.ms);
  });
  return { ids, ms };
}

/**
 * Ten actions on each of `walk` plans through the API (POST /api/plans/{id}/actions as the user
 * of each role), then the same on as many plans started through the plan service and sent the
 * Updates directly; the same concurrency, the starts left out of both.
 */
export async function runActions(args: {
  http: Http;
  tokens: Record<string, string>;
  plans: PlanService;
  client: Client;
  walk: number;
  concurrency: number;
  apiPid?: number;
  workerCpuMs: () => Promise<number>;
  log: (l: string) => void;
}): Promise<ActionsResult & { apiPlanIds: string[] }> {
  const { http, tokens } = args;
  args.log(`actions: registering ${args.walk} plans through the API`);
  const reg = await registerThroughApi(http, tokens[BENCH_USERS.leadUnit], args.walk, args.concurrency, '办理');
  args.log(`actions: ${args.walk} plans × ${TEN_ACTIONS.length} actions through the API, ${args.concurrency} at a time`);
  const api = await timedWalk(
    reg.ids,
    args.concurrency,
    async (id, cmd) => {
      const r = await http.send('POST', `/api/plans/${encodeURIComponent(id)}/actions`, tokens[USER_OF_ROLE[cmd.role]], { action: cmd.action, ...(cmd.item ? { item: cmd.item } : {}) });
      if (r.status !== 200) throw new Error(`${r.status} ${JSON.stringify(r.json).slice(0, 200)}`);
    },
    { api: () => processUsage(args.apiPid)?.cpuMs, worker: args.workerCpuMs },
  );

  args.log(`actions: starting ${args.walk} plans through the plan service, then the same Updates sent directly`);
  const direct: string[] = [];
  await pool(args.walk, args.concurrency, async (i) => {
    const { workflowId } = await args.plans.start({
      procedure: 'reform_plan',
      plan: {
        title: `关于压测直接发送的实施方案(第${i + 1}号)`,
        leadUnit: '示范省发展和改革委员会',
        participatingUnits: ['示范省教育厅'],
        responsibleLeader: '王副省长',
        responsiblePerson: '李明',
        specialGroup: '示范省经济体制改革专项小组',
        goals: [],
        scope: { regionPath: '/demo/', leadUnitId: 'demo-ndrc', specialGroupId: 'demo-econ', participatingUnitIds: ['demo-edu'] },
      },
    });
    direct.push(workflowId);
  });
  const directRun = await timedWalk(
    direct,
    args.concurrency,
    async (id, cmd) => {
      await args.client.workflow.getHandle(id).executeUpdate(actUpdate, { args: [{ ...cmd, actor: '演示用户' }] });
    },
    { worker: args.workerCpuMs },
  );
  return { api, direct: directRun, ratio: directRun.actionsPerSec / api.actionsPerSec, registerMs: distribution(reg.ms), apiPlanIds: reg.ids };
}

export interface LagResult {
  /** From the action's answer (HTTP 200) to the ledger row showing a higher change counter, polled every millisecond or so. */
  lag: Distribution;
  samples: number;
  timeouts: number;
}

/** Plans walked one action at a time: after each answer, how long until the ledger row shows the change. */
export async function runLag(args: { http: Http; tokens: Record<string, string>; ds: DataSource; plans: number; log: (l: string) => void }): Promise<LagResult> {
  const { http, tokens, ds } = args;
  const ph = ds.options.type === 'postgres' ? '$1' : '?';
  const counter = async (id: string) => {
    const rows: Array<{ change_counter: number | string }> = await ds.query(`SELECT change_counter FROM ledger_plans WHERE plan_id = ${ph}`, [id]);
    return rows.length ? Number(rows[0].change_counter) : 0;
  };
  const waitAbove = async (id: string, above: number, timeoutMs = 30_000): Promise<number | undefined> => {
    const t0 = performance.now();
    for (;;) {
      const c = await counter(id);
      if (c > above) return c;
      if (performance.now() - t0 > timeoutMs) return undefined;
      await sleep(1);
    }
  };
  const { ids } = await registerThroughApi(http, tokens[BENCH_USERS.leadUnit], args.plans, 1, '时延');
  const lags: number[] = [];
  let timeouts = 0;
  for (const id of ids) {
    let c = await waitAbove(id, 0);
    if (c === undefined) throw new Error(`lag: plan ${id} never reached the ledger`);
    // The registration's writes may still be coming (letters, a second projection): let them settle.
    await sleep(200);
    c = await counter(id);
    for (const cmd of TEN_ACTIONS) {
      const r = await http.send('POST', `/api/plans/${encodeURIComponent(id)}/actions`, tokens[USER_OF_ROLE[cmd.role]], { action: cmd.action, ...(cmd.item ? { item: cmd.item } : {}) });
      const answered = performance.now();
      if (r.status !== 200) throw new Error(`lag: ${cmd.action} on ${id}: ${r.status} ${JSON.stringify(r.json).slice(0, 200)}`);
      const next = await waitAbove(id, c);
      if (next === undefined) {
        timeouts++;
        c = await counter(id);
        continue;
      }
      lags.push(performance.now() - answered);
      c = next;
    }
  }
  args.log(`lag: ${lags.length} actions, p50 ${distribution(lags).p50.toFixed(1)} ms`);
  return { lag: distribution(lags), samples: lags.length, timeouts };
}
