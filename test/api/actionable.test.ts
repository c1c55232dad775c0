import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { DB_KINDS } from '../support/db';
import { call, HarnessApi, leaks, startHarnessApi, TEST_PASSWORD } from './support';
import { eventually } from './world';

/**
 * 我的待办's filter over HTTP (issue 10): `GET /api/plans?actionable=true` lists the plans on
 * which the caller's unit holds an engine role (from its relation to the plan, never sent) with an
 * action in the plan's current stage, and names those actions; `false` the others of its ledger.
 * Stages, actions and their roles are those of rules/standard/reform-plan.rules: drafting is the
 * lead unit's (提交方案稿), special_group_review the special group's (审核通过 / 退回修改),
 * legality_review the legal office's; a participating unit only reads.
 */

interface Row {
  planId: string;
  stage: { id: string };
  actions?: Array<{ action: string; label: string }>;
}

describe.each(DB_KINDS)('the ledger filtered to the plans the caller can act on now (%s)', (kind) => {
  let api: HarnessApi;
  let url: string;

  beforeAll(async () => {
    api = await startHarnessApi(kind, { logins: ['sf-ndrc', 'sf-edu', 'sf-econ', 'sf-legal', 'sf-reform'] });
    ({ url } = api);
  });
  afterAll(async () => {
    await api?.close();
  });

  const as = (user: string, method: string, path: string, body?: unknown) => call({ url }, method, path, { body, headers: { authorization: `Bearer ${api.tokens[user]}` } });
  const register = async (title: string) => {
    const r = await as('sf-ndrc', 'POST', '/api/plans', { procedure: 'reform_plan', title, specialGroupId: 'sf-econ', participatingUnitIds: ['sf-edu'], responsibleLeader: '王副省长', responsiblePerson: '李明' });
    expect(r.status).toBe(201);
    return String(r.json.planId);
  };
  const act = async (user: string, planId: string, action: string) => {
    const r = await as(user, 'POST', `/api/plans/${planId}/actions`, { action });
    expect([action, r.status]).toEqual([action, 200]);
  };
  const listed = async (user: string, actionable: boolean): Promise<Row[]> => {
    const r = await as(user, 'GET', `/api/plans?actionable=${actionable}&limit=100`);
    expect(r.status).toBe(200);
    return r.json.rows as Row[];
  };
  const ids = (rows: Row[], mine: string[]) => rows.map((r) => r.planId).filter((id) => mine.includes(id)).sort();

  it('lists by role and stage, names the actions, and agrees with each plan detail', async () => {
    const drafting = await register('关于待办筛选的起草中方案');
    const review = await register('关于待办筛选的审核中方案');
    const legal = await register('关于待办筛选的合法性审查方案');
    for (const id of [review, legal]) {
      await act('sf-ndrc', id, 'submit_draft');
      await act('sf-ndrc', id, 'complete_research');
    }
    await act('sf-econ', legal, 'pass_special_group_review');
    const mine = [drafting, review, legal];
    const stageOf = { [drafting]: 'drafting', [review]: 'special_group_review', [legal]: 'legality_review' };
    await eventually(async () => {
      const rows = (await as('sf-reform', 'GET', '/api/plans?limit=100')).json.rows as Row[];
      expect(Object.fromEntries(rows.filter((r) => mine.includes(r.planId)).map((r) => [r.planId, r.stage.id]))).toEqual(stageOf);
    });

    // The lead unit: drafting is its stage, with 提交方案稿; the plans under review are not.
    const lead = await listed('sf-ndrc', true);
    expect(ids(lead, mine)).toEqual([drafting]);
    expect(lead.find((r) => r.planId === drafting)!.actions).toEqual([{ action: 'submit_draft', label: '提交方案稿' }]);
    expect(ids(await listed('sf-ndrc', false), mine)).toEqual([legal, review].sort());
    // The special group: its review, passed or returned.
    const group = await listed('sf-econ', true);
    expect(ids(group, mine)).toEqual([review]);
    expect(group.find((r) => r.planId === review)!.actions!.map((a) => a.label)).toEqual(['专项小组审核通过', '专项小组审核退回修改']);
    // The legal office: the plan of its level under legality review (and it sees no other).
    expect(ids(await listed('sf-legal', true), mine)).toEqual([legal]);
    // A participating unit reads the plans; it acts on none. The reform office has no action in these stages.
    expect(ids(await listed('sf-edu', true), mine)).toEqual([]);
    expect(ids(await listed('sf-edu', false), mine)).toEqual(mine.slice().sort());
    expect(ids(await listed('sf-reform', true), mine)).toEqual([]);

    // The filter and the plan's detail agree: listed exactly when the detail offers the caller an action.
    for (const user of ['sf-ndrc', 'sf-econ', 'sf-legal', 'sf-edu', 'sf-reform']) {
      const now = new Set((await listed(user, true)).map((r) => r.planId));
      for (const id of mine) {
        const d = await as(user, 'GET', `/api/plans/${id}`);
        const offered = d.status === 200 ? (d.json.actions as unknown[]).length > 0 : false;
        expect([user, id, now.has(id)]).toEqual([user, id, offered]);
      }
    }

    // Once the group passes its review, the plan moves to the legal office's list and off the group's.
    await act('sf-econ', review, 'pass_special_group_review');
    await eventually(async () => expect(ids(await listed('sf-legal', true), mine)).toEqual([legal, review].sort()));
    expect(ids(await listed('sf-econ', true), mine)).toEqual([]);

    // The CLI lists the same through the same desk (SQLite only: the PostgreSQL half stays lean).
    if (kind !== 'sqlite') return;
    const { h } = api;
    const cli = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        [join(__dirname, '../../bin/reform.js'), 'plan', 'list', '--actionable', '--limit', '100', '--user', 'sf-ndrc'],
        {
          cwd: join(__dirname, '../..'),
          env: { ...process.env, TEMPORAL_ADDRESS: h.env.address, TEMPORAL_TASK_QUEUE: h.taskQueue, REFORM_PASSWORD: TEST_PASSWORD, REFORM_DATA_DIR: dirname(h.db.options.sqlitePath!), DATABASE_URL: '' },
          timeout: 120_000,
        },
        (err, stdout) => resolve({ code: err ? Number((err as { code?: number }).code ?? 2) : 0, stdout }),
      );
    });
    expect(cli.code).toBe(0);
    expect(mine.filter((id) => cli.stdout.includes(id))).toEqual([drafting]);
    expect(cli.stdout).toContain('现在可办理:提交方案稿');
  });

  it('refuses a bad value with a Chinese message naming the field', async () => {
    const r = await as('sf-ndrc', 'GET', '/api/plans?actionable=maybe');
    expect(r.status).toBe(400);
    expect(r.text).toContain('actionable');
    expect(r.text).toContain('应为 true 或 false');
    expect(leaks(r.text)).toEqual([]);
  });
});
