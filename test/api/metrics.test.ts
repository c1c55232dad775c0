import { addDays, addMonths } from '@reform/calendar';
import { seedDemo } from '@reform/identity';
import { DefinitionStore } from '@reform/persistence';
import { PlanService, seedStandardProcedures } from '@reform/plans';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { createApi } from '../../apps/api/src/create-api';
import { ApiDeps } from '../../apps/api/src/deps';
import { ApiMetrics } from '../../apps/api/src/ops/metrics';
import { platformServices } from '../../apps/api/src/platform';
import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import { DB_KINDS } from '../support/db';
import { Harness } from '../support/harness';
import { call } from './support';

/**
 * The Prometheus metrics of issue 8 fed from what really happens: actions taken and refused
 * through the plan desk (reform_actions_total), letters the worker wrote (reform_letters_total,
 * read from the letters table), and the lag of the latest ledger write
 * (reform_projection_lag_seconds: the plan's change in workflow time to the ledger's write).
 * Procedure, action and letter kinds are those of rules/standard (reform-plan.rules,
 * central-integration.rules, the standard ladder in common.rules).
 */

/** The samples of a Prometheus text exposition: `name{a="x",b="y"}` (labels sorted) → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels = m[2] ? [...m[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => `${k}="${v}"`).sort() : [];
    out.set(`${m[1]}${labels.length ? `{${labels.join(',')}}` : ''}`, Number(m[3]));
  }
  return out;
}

describe.each(DB_KINDS)('metrics fed by actions, letters and the ledger (%s)', (kind) => {
  let h: Harness;
  let app: INestApplication;
  let url: string;
  let token: string;

  beforeAll(async () => {
    h = await Harness.create(kind);
    const definitions = new DefinitionStore(h.db.ds);
    await seedStandardProcedures(definitions);
    const { logins } = await seedDemo(h.db.ds);
    const now = () => h.env.currentTimeMs();
    const plans = new PlanService(h.env.client, h.taskQueue, definitions, SHIPPED_HOLIDAYS, h.letters, now);
    const log = () => undefined;
    const metrics = new ApiMetrics({ defaultMetrics: false });
    const deps: ApiDeps = { db: h.db.ds, definitions, letters: h.letters, plans, metrics, log, ...(await platformServices({ db: h.db.ds, plans, definitions, log, now, metrics })) };
    app = await createApi(deps);
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const lead = logins.find((l) => l.username === 'demo-ndrc')!;
    const r = await call({ url }, 'POST', '/api/auth/login', { body: { username: lead.username, password: lead.password } });
    expect(r.status).toBe(200);
    token = String(r.json.accessToken);
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  const as = (method: string, path: string, body?: unknown) => call({ url }, method, path, { body, headers: { authorization: `Bearer ${token}` } });
  const scrape = async () => {
    const r = await call({ url }, 'GET', '/api/metrics');
    expect(r.status).toBe(200);
    return samples(r.text);
  };
  /** The latest ledger write as the database has it: its plan, counter and lag in seconds. */
  const latestWrite = async () => {
    const rows: Array<{ plan_id: string; change_counter: number | string; updated_at: string; projected_at: string }> = await h.db.ds.query(
      'SELECT plan_id, change_counter, updated_at, projected_at FROM ledger_plans',
    );
    const last = rows.sort((a, b) => (a.projected_at < b.projected_at ? 1 : a.projected_at > b.projected_at ? -1 : a.plan_id < b.plan_id ? 1 : -1))[0];
    return { planId: last.plan_id, counter: Number(last.change_counter), seconds: (Date.parse(last.projected_at) - Date.parse(last.updated_at)) / 1000 };
  };
  /** The gauge with the latest write read before and after the scrape, once no write came in between. */
  const lagWithWrite = () =>
    h.eventually(
      async () => {
        const before = await latestWrite();
        const gauge = (await scrape()).get('reform_projection_lag_seconds');
        return { before, gauge, after: await latestWrite() };
      },
      (v) => JSON.stringify(v.before) === JSON.stringify(v.after),
    );
  const counterOf = async (planId: string) => {
    const rows: Array<{ change_counter: number | string }> = await h.db.ds.query(`SELECT change_counter FROM ledger_plans WHERE plan_id = ${kind === 'postgres' ? '$1' : '?'}`, [planId]);
    return rows.length ? Number(rows[0].change_counter) : 0;
  };

  it('counts actions taken and refused, and follows the latest ledger write', async () => {
    const before = await scrape();
    expect([...before.keys()].filter((k) => k.startsWith('reform_actions_total'))).toEqual([]);
    expect(before.get('reform_projection_lag_seconds')).toBe(0);

    const reg = await as('POST', '/api/plans', {
      procedure: 'reform_plan',
      title: '关于指标测试的实施方案',
      specialGroupId: 'demo-econ',
      responsibleLeader: '王副省长',
      responsiblePerson: '李明',
    });
    expect(reg.status).toBe(201);
    const id = String(reg.json.planId);
    const registered = await h.eventually(() => counterOf(id), (c) => c > 0);
    const { before: first, gauge: firstGauge } = await lagWithWrite();
    expect(first.planId).toBe(id);
    expect(first.counter).toBeGreaterThanOrEqual(registered);
    expect(firstGauge).toBeCloseTo(first.seconds, 6);

    // Taken: submit_draft in drafting. Refused by the engine (409): issue before the reviews.
    // Refused by the desk for the role (403, a lead unit's own legality review): not an engine action.
    expect((await as('POST', `/api/plans/${id}/actions`, { action: 'submit_draft' })).status).toBe(200);
    expect((await as('POST', `/api/plans/${id}/actions`, { action: 'issue' })).status).toBe(409);
    expect((await as('POST', `/api/plans/${id}/actions`, { action: 'pass_legality_review' })).status).toBe(403);
    const after = await scrape();
    expect(after.get('reform_actions_total{action="submit_draft",outcome="taken",procedure="reform_plan"}')).toBe(1);
    expect(after.get('reform_actions_total{action="issue",outcome="refused",procedure="reform_plan"}')).toBe(1);
    expect([...after.keys()].filter((k) => k.startsWith('reform_actions_total'))).toHaveLength(2);

    // The action's projection lands; the gauge now shows that write's lag.
    await h.eventually(() => counterOf(id), (c) => c > first.counter);
    const { before: second, gauge: secondGauge } = await lagWithWrite();
    expect(second.planId).toBe(id);
    expect(second.counter).toBeGreaterThan(first.counter);
    expect(secondGauge).toBeCloseTo(second.seconds, 6);
  });

  it('counts the letters the worker wrote, by kind', async () => {
    const before = await scrape();
    expect([...before.keys()].filter((k) => k.startsWith('reform_letters_total'))).toEqual([]);

    // A central integration whose matching plan (6 months from the central plan's issue, S1)
    // fell due 3 days ago: the standard ladder's supervision letter (督办函, after the due date) goes out at once.
    const today = await h.today();
    const issued = addDays(addMonths(today, -6).date, -3);
    const reg = await as('POST', '/api/plans', {
      procedure: 'central_integration',
      title: '关于对接中央改革方案的实施方案',
      specialGroupId: 'demo-econ',
      responsibleLeader: '王副省长',
      responsiblePerson: '李明',
      startEvents: { central_plan_issued: issued },
    });
    expect(reg.status).toBe(201);
    const id = String(reg.json.planId);
    await h.eventually(
      () => h.letters.forWorkflow(id),
      (ls) => ls.some((l) => l.kind === 'supervision'),
    );

    // Scraped and counted together until they agree (a later level may still be on its way).
    const letterSamples = (m: Map<string, number>) => [...m].filter(([k]) => k.startsWith('reform_letters_total')).sort();
    const tableCounts = async () => {
      const byKind = new Map<string, number>();
      for (const l of await h.letters.all()) byKind.set(l.kind, (byKind.get(l.kind) ?? 0) + 1);
      return [...byKind].map(([k, n]): [string, number] => [`reform_letters_total{kind="${k}"}`, n]).sort();
    };
    const { metrics, table } = await h.eventually(
      async () => ({ metrics: letterSamples(await scrape()), table: await tableCounts() }),
      (v) => JSON.stringify(v.metrics) === JSON.stringify(v.table),
    );
    expect(metrics).toEqual(table);
    expect(metrics).toContainEqual(['reform_letters_total{kind="supervision"}', expect.any(Number)]);
    expect(new Map(metrics).get('reform_letters_total{kind="supervision"}')).toBeGreaterThanOrEqual(1);
  });
});
