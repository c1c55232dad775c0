import { addDays } from '@reform/calendar';
import type { PlanProjection } from '@reform/machine';
import { CalendarStore, DefinitionStore, ItemChangeEntity, LedgerStore } from '@reform/persistence';
import { DB_KINDS } from '../support/db';
import { call, HarnessApi, standardRulesFiles, startHarnessApi } from './support';
import { eventually } from './world';

/**
 * Traffic lights (issue 9 §4) and the dashboards' numbers (§8) over HTTP, on the real
 * time-skipping Temporal server and both databases. A generated province: plans written into the
 * ledger as the workflows project them (the read model the lights and counts read), in each
 * light, with their items' histories; one real plan registered over HTTP (a central plan whose
 * half year of S1 has passed) and one real problem. Expected values are written from the set-up
 * and the standard rules (common.rules: 亮灯 黄 到期前 5 个工作日, Y9; 进度落后 30 个百分点, S4),
 * not computed by the code under test. Dates come from the test server's clock.
 *
 * Why the lights are what they are (docs/rules-language.md, "亮灯"):
 *   P1 (province, 发改委) due 3 days ago: red; its items: not started → red, completed → green.
 *   P2 (province, 发改委) due in 2 days (5 working days reach at least 5 days on): yellow; items: completed green, started yellow.
 *   P3 (province, 教育厅) due in 60 days, its only item registered 120 days ago and not started:
 *      120 of 180 days used (66.7%) with 0% done is 66.7 points behind ≥ 30: yellow; the item likewise.
 *   P4 (province, 教育厅) due in 60 days, items registered 10 days ago (10 of 70 days, 14.3%), one
 *      started one completed (50% done): green; items green.
 *   P5 (province, 发改委) closed: green; its completed item green.
 *   P6 a problem (procedure problem) overdue: not a plan, counted in no plan number.
 *   C1 (甲市, 甲市发改委) due yesterday: red. C2 (甲市) due in 90 days: green.
 *   R  (甲市, real) central plan issued 215 days ago, its six months (S1) passed: red.
 */
type Counts = { red: number; yellow: number; green: number };

describe.each(DB_KINDS)('traffic lights and dashboards over HTTP (%s)', (kind) => {
  let api: HarnessApi;
  let today: string;
  let realPlan: string;
  /** Completion dates of the completed items, as set up. */
  const completedOn: string[] = [];

  const as = (user: string, method: string, path: string, body?: unknown) => call({ url: api.url }, method, path, { body, headers: { authorization: `Bearer ${api.tokens[user]}` } });
  const get = async <T>(user: string, path: string): Promise<T> => {
    const r = await as(user, 'GET', path);
    expect([r.status, r.text.slice(0, 300)]).toEqual([200, expect.any(String)]);
    return r.json as unknown as T;
  };

  beforeAll(async () => {
    api = await startHarnessApi(kind, {
      logins: ['sf-reform', 'sf-ndrc', 'jia-reform', 'jia-ndrc'],
      extraUnits: [
        ['jia', 'jia-ndrc', '甲市发展和改革委员会', 'department'],
        ['jia', 'jia-econ', '甲市经济体制改革专项小组', 'special_group', '经济体制改革'],
      ],
    });
    today = await api.h.today();
    const ds = api.h.db.ds;
    const ledger = new LedgerStore(ds);
    const changes = ds.getRepository(ItemChangeEntity);

    type Item = { id: string; status: 'not_started' | 'started' | 'completed'; registered: number; completed?: number };
    const plan = async (id: string, o: { region: string; lead: string; group: string; due: number | null; closed?: boolean; procedure?: string; items?: Item[] }) => {
      const due = o.due === null ? null : addDays(today, o.due);
      const projection: PlanProjection = {
        planId: id,
        procedure: { id: o.procedure ?? 'reform_plan', version: 1, title: '改革方案' },
        title: `方案${id}`,
        attributes: {},
        stage: o.closed ? { id: 'written_off', label: '已销账' } : { id: 'implementation', label: '组织实施' },
        status: o.closed ? 'closed' : 'open',
        scope: { regionPath: o.region, leadUnitId: o.lead, specialGroupId: o.group, participatingUnitIds: [] },
        units: { leadUnit: o.lead, specialGroup: o.group, participatingUnits: [] },
        people: { leader: '领导', person: '经办人' },
        deadlines: due ? [{ key: `${id}-d`, label: '时限', ruleId: 'A9', due, status: due < today ? 'overdue' : 'open', lettersSent: [] }] : [],
        nextDue: due,
        overdue: due !== null && due < today,
        items: (o.items ?? []).map((i) => ({ id: i.id, title: `事项${i.id}`, status: i.status })),
        letters: [],
        changeCounter: 1,
        updatedAt: new Date().toISOString(),
        today,
      };
      await ledger.upsert(projection);
      for (const i of o.items ?? []) {
        const base = { planId: id, itemId: i.id, title: `事项${i.id}`, note: null, evidenceIds: '[]', actorUserId: 'sf-ndrc', actorName: '经办人', unitId: o.lead, at: new Date().toISOString(), requestId: null };
        await changes.insert({ ...base, seq: 1, statusBefore: null, statusAfter: i.status === 'completed' ? 'started' : i.status, businessDate: addDays(today, -i.registered) });
        if (i.completed !== undefined) {
          await changes.insert({ ...base, seq: 2, statusBefore: 'started', statusAfter: 'completed', businessDate: addDays(today, -i.completed) });
          completedOn.push(addDays(today, -i.completed));
        }
      }
    };
    const P = { region: '/sf/', group: 'sf-econ' };
    const C = { region: '/sf/jia/', lead: 'jia-ndrc', group: 'jia-econ' };
    await plan('P1', { ...P, lead: 'sf-ndrc', due: -3, items: [{ id: 'a', status: 'not_started', registered: 30 }, { id: 'c', status: 'completed', registered: 30, completed: 1 }] });
    await plan('P2', { ...P, lead: 'sf-ndrc', due: 2, items: [{ id: 'a', status: 'completed', registered: 20, completed: 5 }, { id: 'b', status: 'started', registered: 10 }] });
    await plan('P3', { ...P, lead: 'sf-edu', due: 60, items: [{ id: 'a', status: 'not_started', registered: 120 }] });
    await plan('P4', { ...P, lead: 'sf-edu', due: 60, items: [{ id: 'a', status: 'started', registered: 10 }, { id: 'b', status: 'completed', registered: 10, completed: 2 }] });
    await plan('P5', { ...P, lead: 'sf-ndrc', due: null, closed: true, items: [{ id: 'a', status: 'completed', registered: 90, completed: 40 }] });
    await plan('P6', { ...P, lead: 'sf-ndrc', due: -5, procedure: 'problem' });
    await plan('C1', { ...C, due: -1 });
    await plan('C2', { ...C, due: 90 });

    // The real plan: S1's six months from the central plan's issue passed before it was registered.
    const reg = await as('jia-ndrc', 'POST', '/api/plans', {
      procedure: 'central_integration',
      title: '关于对接中央国资国企改革方案的实施方案',
      specialGroupId: 'jia-econ',
      responsibleLeader: '张副市长',
      responsiblePerson: '赵强',
      startEvents: { central_plan_issued: addDays(today, -215) },
    });
    expect(reg.status).toBe(201);
    realPlan = String(reg.json.planId);
    // And a real problem of the province's library (问题库, Y9), registered today.
    const problem = await as('sf-reform', 'POST', '/api/problems', { against: { type: 'unit', unitId: 'sf-ndrc' }, description: '预算绩效评价制度未按期建立' });
    expect(problem.status).toBe(201);
    // Both are in the ledger once their workflows have projected them; the ledger of plans leaves
    // the problem out unless its procedure (problem) is asked for.
    await eventually(async () => {
      const rows = (await get<{ rows: Array<{ planId: string }> }>('sf-reform', '/api/plans?limit=100')).rows;
      expect(rows.some((r) => r.planId === realPlan)).toBe(true);
      expect(rows.filter((r) => r.planId.startsWith('problem-')).length).toBe(0);
      const problems = (await get<{ rows: Array<{ planId: string }> }>('sf-reform', '/api/plans?limit=100&procedure=problem')).rows;
      expect(problems.filter((r) => r.planId.startsWith('problem-')).length).toBe(1);
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('lights every plan and item: red overdue, yellow due within 5 working days or 30 points behind, green otherwise; filterable on the ledger', async () => {
    const lights = await get<{ plans: Counts; items: Counts; overdue: number; dueSoonOrBehind: number }>('sf-reform', '/api/dashboard/lights');
    // Plans: red P1 C1 R, yellow P2 P3, green P4 P5 C2 (P6 and the registered problem are problems).
    expect(lights.plans).toEqual({ red: 3, yellow: 2, green: 3 });
    expect([lights.overdue, lights.dueSoonOrBehind]).toEqual([3, 2]);
    // Items: red P1a; yellow P2b P3a; green P1c P2a P4a P4b P5a.
    expect(lights.items).toEqual({ red: 1, yellow: 2, green: 5 });

    const list = async (user: string, light: string) => (await get<{ rows: Array<{ planId: string; light: string }> }>(user, `/api/plans?light=${light}&procedure=reform_plan&sort=title&limit=100`)).rows.map((r) => r.planId);
    expect(await list('sf-reform', 'red')).toEqual(['C1', 'P1']);
    expect(await list('sf-reform', 'yellow')).toEqual(['P2', 'P3']);
    expect(await list('sf-reform', 'green')).toEqual(['C2', 'P4', 'P5']);
    // A lead unit sees its own plans' lights only.
    expect(await list('sf-ndrc', 'red')).toEqual(['P1']);
    // A bad colour is a 400 naming the field.
    const bad = await as('sf-reform', 'GET', '/api/plans?light=blue');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('light');

    // The detail of the real plan carries its light (S1's limit passed: red), as the list does.
    const detail = await get<{ plan: { light: string } }>('jia-ndrc', `/api/plans/${realPlan}`);
    expect(detail.plan.light).toBe('red');
    const row = (await get<{ rows: Array<{ planId: string; light: string }> }>('jia-ndrc', `/api/plans?light=red`)).rows.map((r) => r.planId);
    expect(row).toContain(realPlan);
  });

  it('counts progress by unit, area and level, S4 indicators, letters, problems and trends over the caller’s scope only', async () => {
    type Row = { key: string | null; label: string; plans: number; open: number; closed: number; items: number; itemsCompleted: number; lights: Counts };
    const byLevel = (await get<{ rows: Row[] }>('sf-reform', '/api/dashboard/progress?by=level')).rows;
    expect(byLevel).toEqual([
      { key: 'city', label: '市级', plans: 3, open: 3, closed: 0, items: 0, itemsCompleted: 0, lights: { red: 2, yellow: 0, green: 1 } },
      { key: 'province', label: '省级', plans: 5, open: 4, closed: 1, items: 8, itemsCompleted: 4, lights: { red: 1, yellow: 2, green: 2 } },
    ]);
    const byUnit = (await get<{ rows: Row[] }>('sf-reform', '/api/dashboard/progress?by=unit')).rows.map((r) => [r.key, r.label, r.plans, r.lights]);
    expect(byUnit).toEqual([
      ['jia-ndrc', '甲市发展和改革委员会', 3, { red: 2, yellow: 0, green: 1 }],
      ['sf-edu', '示范省教育厅', 2, { red: 0, yellow: 1, green: 1 }],
      ['sf-ndrc', '示范省发展和改革委员会', 3, { red: 1, yellow: 1, green: 1 }],
    ]);
    const byArea = (await get<{ rows: Row[] }>('sf-reform', '/api/dashboard/progress?by=area')).rows.map((r) => [r.key, r.label, r.plans]);
    expect(byArea).toEqual([
      ['jia-econ', '甲市经济体制改革专项小组', 3],
      ['sf-econ', '示范省经济体制改革专项小组', 5],
    ]);
    // The board drills down to the ledger with the row's key (leadUnit, area, level): the ledger lists the plans counted.
    // 发改委 leads P1 P2 P5 (P6 is a problem, not a plan); its red one is P1.
    const listed = async (query: string) => (await get<{ rows: Array<{ planId: string }> }>('sf-reform', `/api/plans?${query}`)).rows.map((r) => r.planId).sort();
    expect(await listed('leadUnit=sf-ndrc')).toEqual(['P1', 'P2', 'P5']);
    expect(await listed('leadUnit=sf-ndrc&light=red')).toEqual(['P1']);
    expect(await listed('area=jia-econ')).toEqual(['C1', 'C2', realPlan].sort());
    expect(await listed('level=province&light=yellow')).toEqual(['P2', 'P3']);
    expect((await as('sf-reform', 'GET', '/api/dashboard/progress?by=city')).status).toBe(400);

    // The city's office sees only its city: C1, C2 and the real plan; no items, no problems of the province.
    const city = await get<{ plans: Counts; items: Counts }>('jia-reform', '/api/dashboard/lights');
    expect([city.plans, city.items]).toEqual([
      { red: 2, yellow: 0, green: 1 },
      { red: 0, yellow: 0, green: 0 },
    ]);
    expect((await get<{ rows: Row[] }>('jia-reform', '/api/dashboard/progress?by=level')).rows.map((r) => [r.key, r.plans])).toEqual([['city', 3]]);
    expect(await get('jia-reform', '/api/dashboard/problems')).toEqual({ open: 0, kept: 0, cancelled: 0, escalated: 0 });

    // S4, this year up to today, as the assessment measures it (s4-measures.ts; the two are compared
    // in assessments.test.ts), over 发改委's plans P1 P2 P5 (P6 is a problem): P1's deadline overdue
    // (counted when due this year), P2's not yet due; items P1a and P2b not completed, P1c P2a P5a
    // completed 1, 5 and 40 days ago (each counted unless completed before this year began).
    const thisYear = (daysAgo: number) => addDays(today, -daysAgo) >= `${today.slice(0, 4)}-01-01`;
    const deadlines = thisYear(3) ? 1 : 0;
    const done = [1, 5, 40].filter(thisYear).length;
    expect(await get('sf-ndrc', '/api/dashboard/indicators')).toEqual({
      year: Number(today.slice(0, 4)),
      asOf: today,
      deadlines,
      deadlinesOnSchedule: 0,
      onScheduleRate: deadlines ? 0 : null,
      items: 2 + done,
      itemsCompleted: done,
      completionRate: { 3: 60, 2: 50, 1: 33.3, 0: 0 }[done],
    });

    // The one problem registered, open; seen by the province's office.
    expect(await get('sf-reform', '/api/dashboard/problems')).toEqual({ open: 1, kept: 0, cancelled: 0, escalated: 0 });

    // Letters: the real plan's (its supervision letter, S1) by month and kind, the same the letter list shows; the province's office sees them too.
    const letters = await eventually(async () => {
      const l = (await get<{ rows: Array<{ kind: string; issuedOn: string; planId: string }> }>('jia-reform', `/api/letters?limit=100`)).rows;
      expect(l.some((x) => x.kind === 'supervision')).toBe(true);
      return l;
    });
    const expected = new Map<string, number>();
    for (const l of letters) expected.set(`${l.issuedOn.slice(0, 7)} ${l.kind}`, (expected.get(`${l.issuedOn.slice(0, 7)} ${l.kind}`) ?? 0) + 1);
    const year = Number(today.slice(0, 4));
    for (const user of ['jia-reform', 'sf-reform']) {
      const board = await get<{ year: number; rows: Array<{ month: string; kind: string; kindLabel: string; count: number }> }>(user, `/api/dashboard/letters?year=${year}`);
      expect(board.year).toBe(year);
      const thisYear = [...expected].filter(([k]) => k.startsWith(`${year}-`));
      expect(new Map(board.rows.map((r) => [`${r.month} ${r.kind}`, r.count]))).toEqual(new Map(thisYear));
      expect(board.rows.find((r) => r.kind === 'supervision')?.kindLabel).toBe('督办函');
    }

    // Trends: items completed by month (from the set-up's completion dates), over the last 3 months.
    const trends = (await get<{ rows: Array<{ month: string; itemsCompleted: number; problemsFound: number }> }>('sf-reform', '/api/dashboard/trends?months=3')).rows;
    expect(trends).toHaveLength(3);
    expect(trends[2].month).toBe(today.slice(0, 7));
    for (const t of trends) expect(t.itemsCompleted).toBe(completedOn.filter((d) => d.startsWith(t.month)).length);
    expect(trends[2].problemsFound).toBe(1);
    expect((await as('sf-reform', 'GET', '/api/dashboard/trends?months=0')).status).toBe(400);
    expect((await call({ url: api.url }, 'GET', '/api/dashboard/lights')).status).toBe(401);
  });

  it('relights when the published rules change the threshold: 80 points behind leaves P3 green', async () => {
    const files = standardRulesFiles().map((f) => (f.name === 'common.rules' ? { ...f, text: f.text.replace('亮灯 黄 进度落后 30 个百分点 依据 S4', '亮灯 黄 进度落后 80 个百分点 依据 S4') } : f));
    expect(files.find((f) => f.name === 'common.rules')?.text).toContain('进度落后 80 个百分点');
    const published = await as('sf-reform', 'POST', '/api/rules/publish', { files });
    expect(published.status).toBe(201);
    // 66.7 points behind is under 80: P3 and its item turn green; the rest stay as they were.
    const lights = await get<{ plans: Counts; items: Counts }>('sf-reform', '/api/dashboard/lights');
    expect(lights.plans).toEqual({ red: 3, yellow: 1, green: 4 });
    expect(lights.items).toEqual({ red: 1, yellow: 1, green: 6 });
    const yellow = (await get<{ rows: Array<{ planId: string }> }>('sf-reform', '/api/plans?light=yellow&limit=100')).rows.map((r) => r.planId);
    expect(yellow).toEqual(['P2']);
  });

  // The API keeps what the lights are built from (LightRules: each version's thresholds, the
  // calendar, the day's cutoffs) and asks the database per request only what is in force. A
  // version published or a calendar year loaded by another process (the CLI) reaches it through
  // the database alone: here written by the stores straight into the API's database, not through
  // the API, which is told nothing.
  it('relights on the next list after another process publishes new thresholds or loads a calendar year', async () => {
    const ds = api.h.db.ds;
    // D1: due in 30 days, no items (nothing to be behind on). 5 working days never reach 30 days on: green.
    await new LedgerStore(ds).upsert({
      planId: 'D1',
      procedure: { id: 'reform_plan', version: 1, title: '改革方案' },
      title: '方案D1',
      attributes: {},
      stage: { id: 'implementation', label: '组织实施' },
      status: 'open',
      scope: { regionPath: '/sf/', leadUnitId: 'sf-edu', specialGroupId: 'sf-econ', participatingUnitIds: [] },
      units: { leadUnit: 'sf-edu', specialGroup: 'sf-econ', participatingUnits: [] },
      people: { leader: '领导', person: '经办人' },
      deadlines: [{ key: 'D1-d', label: '时限', ruleId: 'A9', due: addDays(today, 30), status: 'open', lettersSent: [] }],
      nextDue: addDays(today, 30),
      overdue: false,
      items: [],
      letters: [],
      changeCounter: 1,
      updatedAt: new Date().toISOString(),
      today,
    });
    const lightOfD1 = async () => (await get<{ rows: Array<{ planId: string; light: string }> }>('sf-reform', '/api/plans?text=D1')).rows.find((r) => r.planId === 'D1')?.light;
    expect(await lightOfD1()).toBe('green');

    // Another process publishes reform_plan with 到期前 40 个工作日 (40 working days are at least 40 days): yellow.
    const definitions = new DefinitionStore(ds);
    const publishWithin = async (amount: number) => {
      const latest = (await definitions.latest('reform_plan'))!;
      expect(latest.lights?.dueSoon?.within.unit).toBe('workingDays');
      await definitions.publishNext({ ...latest, lights: { ...latest.lights, dueSoon: { ...latest.lights!.dueSoon!, within: { amount, unit: 'workingDays' } } } });
    };
    await publishWithin(40);
    expect(await lightOfD1()).toBe('yellow');
    // And back to 5 working days: green again.
    await publishWithin(5);
    expect(await lightOfD1()).toBe('green');

    // Another process loads a calendar that makes the next 30 days holidays: 5 working days from
    // today now end at least 35 days on, past D1's due date: yellow.
    const holidays = Array.from({ length: 30 }, (_, i) => addDays(today, i + 1));
    const calendars = new CalendarStore(ds);
    for (const year of [...new Set(holidays.map((d) => Number(d.slice(0, 4))))]) {
      const days = holidays.filter((d) => Number(d.slice(0, 4)) === year);
      await calendars.load({ year, source: '测试:另一进程载入', holidays: [{ name: '测试假期', from: days[0], to: days[days.length - 1] }], workdays: [] });
    }
    expect(await lightOfD1()).toBe('yellow');
  });
});
