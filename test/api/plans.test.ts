import type { AuditService } from '@reform/audit';
import { DB_KINDS } from '../support/db';
import { Harness } from '../support/harness';
import { call, HarnessApi, leaks, startHarnessApi } from './support';
import { eventually } from './world';

/**
 * A plan walked over HTTP by the users of each role (issue 8): the role is derived from the
 * user's unit, never sent; what lies outside a unit's scope is 404; an action the procedure does
 * not allow now is 409 with the engine's reason and rule id; a lead unit cannot pass its own
 * legality review (403). Stage and action ids are those of rules/standard/reform-plan.rules.
 */

describe.each(DB_KINDS)('plans over HTTP with logins, roles and scope (%s)', (kind) => {
  let h: Harness;
  let api: HarnessApi;
  let url: string;
  let audit: AuditService;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    api = await startHarnessApi(kind, { logins: ['sf-ndrc', 'sf-edu', 'sf-econ', 'sf-legal', 'sf-reform', 'jia-reform'] });
    ({ h, url, audit } = api);
    Object.assign(tokens, api.tokens);
  });
  afterAll(async () => {
    await api?.close();
  });

  const as = (user: string, method: string, path: string, body?: unknown) =>
    call({ url }, method, path, { body, headers: { authorization: `Bearer ${tokens[user]}` } });
  const act = (user: string, id: string, action: string, extra: Record<string, unknown> = {}) => as(user, 'POST', `/api/plans/${id}/actions`, { action, ...extra });

  /** Moves the plan forward as `user` (the first action offered to them with nothing blocking it, never a return) until it reaches `stage`. */
  async function advanceTo(user: string, id: string, stage: string): Promise<void> {
    for (let step = 0; step < 12; step++) {
      const detail = await eventually(async () => {
        const r = await as(user, 'GET', `/api/plans/${id}`);
        expect(r.status).toBe(200);
        return r.json as unknown as { plan: { stage: { id: string } }; actions: Array<{ action: string; blockers: string[]; needsReason: boolean }> };
      });
      if (detail.plan.stage.id === stage) return;
      const next = detail.actions.find((a) => !a.blockers.length && !a.needsReason && !/^(reject|return)_/.test(a.action) && a.action !== 'update_item');
      if (!next) throw new Error(`${user} has no action to take in ${detail.plan.stage.id}`);
      const r = await act(user, id, next.action);
      expect(r.status).toBe(200);
      // Wait for the ledger to show the move before reading the detail again.
      const moved = (r.json as { stage: { id: string } }).stage.id;
      await eventually(async () => expect(((await as(user, 'GET', `/api/plans/${id}`)).json as { plan: { stage: { id: string } } }).plan.stage.id).toBe(moved));
    }
    throw new Error(`did not reach ${stage}`);
  }

  it('walks a plan through drafting and the reviews; refuses out of turn (409), another role (403), another unit (404)', async () => {
    // No token, a forged one: 401.
    expect((await call({ url }, 'GET', '/api/plans')).status).toBe(401);
    expect((await call({ url }, 'GET', '/api/plans', { headers: { authorization: 'Bearer not.a.token' } })).status).toBe(401);

    // The lead unit registers a plan: its own unit leads; group and participants by id.
    const reg = await as('sf-ndrc', 'POST', '/api/plans', {
      procedure: 'reform_plan',
      title: '关于深化营商环境改革的实施方案',
      specialGroupId: 'sf-econ',
      participatingUnitIds: [],
      responsibleLeader: '王副省长',
      responsiblePerson: '李明',
    });
    expect(reg.status).toBe(201);
    const id = String(reg.json.planId);
    // Another department may not name a unit that does not exist as participant (400 with the field path).
    const bad = await as('sf-ndrc', 'POST', '/api/plans', { procedure: 'reform_plan', title: '另一方案', specialGroupId: 'sf-econ', participatingUnitIds: ['no-such'], responsibleLeader: '王副省长', responsiblePerson: '李明' });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.issues).toEqual([expect.objectContaining({ path: 'participatingUnitIds.0' })]);

    // The detail, once projected: drafting, and the lead unit's next action.
    const detail = await eventually(async () => {
      const r = await as('sf-ndrc', 'GET', `/api/plans/${id}`);
      expect(r.status).toBe(200);
      return r.json as unknown as { plan: { stage: { id: string } }; access: { act: boolean; roles: Array<{ id: string }> }; actions: Array<{ action: string; role: string }> };
    });
    expect(detail.plan.stage.id).toBe('drafting');
    expect(detail.access.roles.map((r) => r.id)).toEqual(['lead_unit']);
    expect(detail.actions.map((a) => a.action)).toContain('submit_draft');

    // Skipping to issuance is refused by the engine: 409 with its reason and the rule id.
    const skip = await act('sf-ndrc', id, 'issue');
    expect(skip.status).toBe(409);
    expect(leaks(skip.text)).toEqual([]);
    expect((skip.json.error as { reasons?: Array<{ rules?: string[] }> }).reasons?.length).toBeGreaterThan(0);

    // Another department: the plan does not exist for it (404 on read and act), and its ledger does not list it.
    expect((await as('sf-edu', 'GET', `/api/plans/${id}`)).status).toBe(404);
    expect((await act('sf-edu', id, 'submit_draft')).status).toBe(404);
    const otherList = await as('sf-edu', 'GET', '/api/plans');
    expect(otherList.status).toBe(200);
    expect((otherList.json.rows as Array<{ planId: string }>).map((r) => r.planId)).not.toContain(id);

    // Drafting to the special group's review as the lead unit, then the group passes it on.
    await advanceTo('sf-ndrc', id, 'special_group_review');
    expect((await act('sf-econ', id, 'pass_special_group_review')).status).toBe(200);

    // The lead unit cannot pass its own legality review: 403, whatever the stage.
    const own = await act('sf-ndrc', id, 'pass_legality_review');
    expect(own.status).toBe(403);
    expect(own.json.error?.message).toContain('法制机构');

    // The legal office of the plan's level sees it while it is under review, and passes it.
    await eventually(async () => expect((await as('sf-legal', 'GET', `/api/plans/${id}`)).status).toBe(200));
    expect((await act('sf-legal', id, 'pass_legality_review')).status).toBe(200);

    // A city's reform office does not see a province plan; the province's does, in its ledger (filtered by text).
    expect((await as('jia-reform', 'GET', `/api/plans/${id}`)).status).toBe(404);
    await eventually(async () => {
      const list = await as('sf-reform', 'GET', `/api/plans?text=${encodeURIComponent('营商环境')}`);
      expect((list.json.rows as Array<{ planId: string }>).map((r) => r.planId)).toContain(id);
    });
    expect(((await as('jia-reform', 'GET', '/api/plans')).json.rows as Array<{ planId: string }>).map((r) => r.planId)).not.toContain(id);

    // A plan that is not major skips the reform office's review and the meetings: the special
    // group deliberates, then the lead unit may issue it (what was refused above).
    await advanceTo('sf-econ', id, 'issuance');
    expect((await act('sf-ndrc', id, 'issue')).status).toBe(200);

    // Every act is in the audit trail, with who did it; the chain verifies. The workflow audits an
    // act with the ledger write of its change: once the ledger shows the plan issued, all are in.
    await eventually(async () => expect(((await as('sf-ndrc', 'GET', `/api/plans/${id}`)).json.plan as { stage: { id: string } }).stage.id).toBe('filing'));
    const rows: Array<{ action: string; actor_user_id: string | null; target_id: string | null }> = await h.db.ds.query(
      'SELECT action, actor_user_id, target_id FROM audit_log ORDER BY seq',
    );
    const planRows = rows.filter((r) => r.target_id === id);
    expect(planRows[0].action).toBe('plan.registered');
    expect(planRows.filter((r) => r.action === 'plan.act').length).toBeGreaterThanOrEqual(5);
    expect(planRows.every((r) => r.actor_user_id)).toBe(true);
    expect(rows.some((r) => r.action === 'auth.login_succeeded')).toBe(true);
    expect((await audit.verify()).ok).toBe(true);
    // Over HTTP: the reform office verifies the chain; a department may not.
    const verified = await as('sf-reform', 'GET', '/api/audit/verify');
    expect(verified.status).toBe(200);
    expect(verified.json).toEqual(expect.objectContaining({ ok: true, rowsChecked: rows.length, broken: null }));
    expect((await as('sf-ndrc', 'GET', '/api/audit/verify')).status).toBe(403);
  });
});
