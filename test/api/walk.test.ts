import { addDays, fromParts, localDateAt, LocalDate, toParts } from '@reform/calendar';
import { DB_KINDS } from '../support/db';
import { leaks } from './support';
import { callFrom, DemoWorld, eventually, Reply, startDemoWorld } from './world';

/** The ledger's view of a plan in a detail, as far as these tests read it. */
interface Detail {
  plan: {
    stage: { id: string };
    status: string;
    items: Array<{ id: string; status: string }>;
    deadlines: Array<{ key: string; due: string; status: string }>;
    letters: Array<{ kind: string; deadlineKey: string; date: string; number: string }>;
  };
  access: { act: boolean; roles: Array<{ id: string }> };
  actions: Array<{ action: string; blockers: string[] }>;
}

/** One calendar month after `date`, as the domain counts it: the same day, or the month's last day when it has none (31 Jan → 28/29 Feb). */
function oneMonthAfter(date: LocalDate): LocalDate {
  const { year, month, day } = toParts(date);
  const [y, m] = month === 12 ? [year + 1, 1] : [year, month + 1];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return fromParts({ year: y, month: m, day: Math.min(day, last) });
}

/**
 * A plan walked over HTTP from registration to write-off (the whole of
 * rules/standard/reform-plan.rules for a major plan issued as a party document that touches
 * government duties) by the demo users of each unit, each acting in the engine role its unit holds
 * on the plan, never one it names; the lead unit refused its own legality review; skipping the
 * legality review refused with the engine's reason; and a plan registered with business dates
 * forty days back showing its supervision letter.
 */
describe.each(DB_KINDS)('a plan walked by every role over HTTP (%s)', (kind) => {
  let world: DemoWorld;
  const tokens: Record<string, string> = {};
  const USERS = ['demo-ndrc', 'demo-edu', 'demo-econ', 'demo-legal', 'demo-reform', 'demo-leading'];

  beforeAll(async () => {
    world = await startDemoWorld(kind);
    for (const u of USERS) {
      const r = await callFrom(world.url, '127.0.0.40', 'POST', '/api/auth/login', { body: { username: u, password: world.passwords[u] } });
      expect([u, r.status]).toEqual([u, 200]);
      tokens[u] = String(r.json.accessToken);
    }
  });
  afterAll(async () => {
    await world?.close();
  });

  const as = (user: string, method: string, path: string, body?: unknown) => callFrom(world.url, '127.0.0.41', method, path, { body, token: tokens[user] });
  const detail = async (user: string, id: string): Promise<Detail> => {
    const r = await as(user, 'GET', `/api/plans/${id}`);
    expect([user, r.status]).toEqual([user, 200]);
    return r.json as unknown as Detail;
  };
  /** Takes the action as `user`; it must be taken in `role` and lead to `stage`. */
  async function step(user: string, id: string, action: string, role: string, stage: string, extra: Record<string, unknown> = {}): Promise<void> {
    const r = await as(user, 'POST', `/api/plans/${id}/actions`, { action, ...extra });
    expect([user, action, r.status, r.text]).toEqual([user, action, 200, expect.any(String)]);
    expect([user, action, r.json.role, (r.json.stage as { id: string }).id]).toEqual([user, action, role, stage]);
  }
  /** Refused: the status, and a Chinese reason that says `says`. */
  async function refused(user: string, id: string, action: string, status: number, says: RegExp, extra: Record<string, unknown> = {}): Promise<Reply> {
    const r = await as(user, 'POST', `/api/plans/${id}/actions`, { action, ...extra });
    expect([user, action, r.status]).toEqual([user, action, status]);
    expect(r.json.error?.message).toMatch(says);
    expect(leaks(r.text)).toEqual([]);
    return r;
  }

  it('walks from registration to write-off, each unit in its own role; refuses the lead unit its own legality review and a skipped review', async () => {
    const reg = await as('demo-ndrc', 'POST', '/api/plans', {
      procedure: 'reform_plan',
      title: '关于全面深化营商环境改革的实施方案',
      specialGroupId: 'demo-econ',
      participatingUnitIds: ['demo-edu'],
      responsibleLeader: '王副省长',
      responsiblePerson: '李明',
      attributes: { major: true, government_duties: true, party_document: true },
    });
    expect(reg.status).toBe(201);
    const id = String(reg.json.planId);

    // Drafting and research by the lead unit and its group; the demonstrations of A7 do not apply and are skipped.
    await step('demo-ndrc', id, 'submit_draft', 'lead_unit', 'research');
    await step('demo-econ', id, 'complete_research', 'special_group', 'special_group_review');
    // The participating unit reads the plan and may do nothing with it.
    await eventually(async () => expect((await detail('demo-edu', id)).plan.stage.id).toBe('special_group_review'));
    expect((await detail('demo-edu', id)).access).toEqual({ act: false, roles: [] });
    await refused('demo-edu', id, 'pass_special_group_review', 403, /只能查看,不能办理/);
    await step('demo-econ', id, 'pass_special_group_review', 'special_group', 'legality_review');

    // The lead unit cannot pass its own legality review (issue 8 §2): never its role, so 403, with who may.
    await refused('demo-ndrc', id, 'pass_legality_review', 403, /^「合法合规性审查通过」须由法制机构办理;示范省发展和改革委员会在本方案中是牵头单位$/);
    // Skipping the legality review: the reform office's and the leading group's steps are refused
    // by the engine (409) with its reason and the rule (A8: legality review before deliberation).
    for (const [user, action] of [
      ['demo-reform', 'pass_reform_office_review'],
      ['demo-leading', 'approve_leading_group_meeting'],
    ]) {
      const r = await refused(user, id, action, 409, /合法合规性审查/);
      expect(r.json.error?.code).toBe('action_refused');
      expect(r.json.error?.reasons?.flatMap((x) => x.rules)).toContain('A8');
    }
    // The legal office of the plan's level sees it under review and passes it.
    await eventually(async () => expect((await detail('demo-legal', id)).access.roles.map((x) => x.id)).toEqual(['legal_office']));
    await step('demo-legal', id, 'pass_legality_review', 'legal_office', 'reform_office_review');
    // Out of review, the legal office no longer sees it.
    await eventually(async () => expect((await as('demo-legal', 'GET', `/api/plans/${id}`)).status).toBe(404));

    // Review and collective decision (A8, A9): the reform office, the government's executive
    // meeting and the party committee recorded by it, the leading group's meeting by the group.
    await step('demo-reform', id, 'pass_reform_office_review', 'reform_office', 'executive_meeting');
    await step('demo-reform', id, 'approve_executive_meeting', 'reform_office', 'leading_group_meeting');
    await step('demo-leading', id, 'approve_leading_group_meeting', 'leading_group', 'standing_committee');
    await step('demo-reform', id, 'approve_standing_committee', 'reform_office', 'issuance');
    // Issued and filed by the lead unit.
    await step('demo-ndrc', id, 'issue', 'lead_unit', 'filing');
    await step('demo-ndrc', id, 'file', 'lead_unit', 'implementation');

    // Implementation (A12, S2): the lead unit registers the specific reform items.
    await step('demo-ndrc', id, 'update_item', 'lead_unit', 'implementation', { item: { id: 'S2-1', title: '压减企业开办时间', status: 'started' } });
    await step('demo-ndrc', id, 'update_item', 'lead_unit', 'implementation', { item: { id: 'S2-2', title: '推行证照分离改革', status: 'completed' } });
    // Write-off needs every item completed and the retrospective done (S2, A16): refused now, by the engine.
    await refused('demo-econ', id, 'request_write_off', 409, /./);
    await step('demo-ndrc', id, 'update_item', 'lead_unit', 'implementation', { item: { id: 'S2-1', status: 'completed' } });
    await step('demo-ndrc', id, 'submit_retrospective', 'lead_unit', 'implementation');
    await step('demo-econ', id, 'request_write_off', 'special_group', 'write_off');
    // Only the leading group approves a write-off.
    await refused('demo-reform', id, 'approve_write_off', 403, /须由改革领导小组办理/);
    await step('demo-leading', id, 'approve_write_off', 'leading_group', 'closed');

    // The ledger shows it written off, its items completed, to every unit that may read it.
    for (const user of ['demo-ndrc', 'demo-edu', 'demo-econ', 'demo-reform', 'demo-leading']) {
      await eventually(async () => {
        const d = await detail(user, id);
        expect([user, d.plan.stage.id, d.plan.status]).toEqual([user, 'closed', 'closed']);
        expect(d.plan.items.map((i) => [i.id, i.status])).toEqual([
          ['S2-1', 'completed'],
          ['S2-2', 'completed'],
        ]);
        expect(d.actions).toEqual([]);
      });
    }

    // A written-off plan takes no more actions: the engine's refusal, not a server error.
    const late = await refused('demo-ndrc', id, 'submit_report', 409, /^本事项已处于「已销账」,不能再办理任何操作$/);
    expect(late.json.error?.code).toBe('action_refused');
    // The action's stage is implementation (A12 in reform-plan.rules).
    expect(late.json.error?.reasons).toEqual([{ code: 'finished', message: '本事项已处于「已销账」,不能再办理任何操作', rules: ['A12'] }]);

    // The audit trail has every act, by the unit that took it, in the role derived for it.
    const rows: Array<{ action: string; actor_unit_id: string; after: string }> = await world.h.db.ds.query(
      `SELECT action, actor_unit_id, after FROM audit_log WHERE target_id = '${id}' ORDER BY seq`,
    );
    const acts = rows.filter((r) => r.action === 'plan.act').map((r) => [r.actor_unit_id, (JSON.parse(r.after) as { action: string; role: string }).role]);
    expect(rows[0].action).toBe('plan.registered');
    expect(acts).toEqual([
      ['demo-ndrc', 'lead_unit'],
      ['demo-econ', 'special_group'],
      ['demo-econ', 'special_group'],
      ['demo-legal', 'legal_office'],
      ['demo-reform', 'reform_office'],
      ['demo-reform', 'reform_office'],
      ['demo-leading', 'leading_group'],
      ['demo-reform', 'reform_office'],
      ['demo-ndrc', 'lead_unit'],
      ['demo-ndrc', 'lead_unit'],
      ['demo-ndrc', 'lead_unit'],
      ['demo-ndrc', 'lead_unit'],
      ['demo-ndrc', 'lead_unit'],
      ['demo-ndrc', 'lead_unit'],
      ['demo-econ', 'special_group'],
      ['demo-leading', 'leading_group'],
    ]);
    const verified = await as('demo-reform', 'GET', '/api/audit/verify');
    expect([verified.status, verified.json.ok]).toEqual([200, true]);
  });

  it('reads its own writes: the detail and the ledger right after registering and after an action show the new state', async () => {
    // No waiting between the write and the read: a client that registers and then opens the plan
    // (the README's curl, a console) must find it, and in the stage its action answered with.
    for (let round = 0; round < 3; round++) {
      const reg = await as('demo-ndrc', 'POST', '/api/plans', {
        procedure: 'reform_plan',
        title: `关于读写一致的实施方案之${round + 1}`,
        specialGroupId: 'demo-econ',
        responsibleLeader: '王副省长',
        responsiblePerson: '李明',
      });
      expect(reg.status).toBe(201);
      const id = String(reg.json.planId);
      const first = await as('demo-ndrc', 'GET', `/api/plans/${id}`);
      expect([round, first.status, (first.json.plan as { stage?: { id: string } } | undefined)?.stage?.id]).toEqual([round, 200, 'drafting']);
      await step('demo-ndrc', id, 'submit_draft', 'lead_unit', 'research');
      const after = (await detail('demo-ndrc', id)) as Detail;
      expect([round, after.plan.stage.id, after.actions.map((a) => a.action)]).toEqual([round, 'research', ['complete_research']]);
      const listed = await as('demo-ndrc', 'GET', `/api/plans?text=${encodeURIComponent(id)}`);
      expect((listed.json.rows as Array<{ planId: string; stage: { id: string } }>).map((r) => [r.planId, r.stage.id])).toEqual([[id, 'research']]);
    }
  });

  it('shows the supervision letter of a plan registered and issued with business dates forty days back', async () => {
    // Forty days before the test server's today: the filing (A9, within one month of issuance) is overdue.
    const today = localDateAt(await world.h.env.currentTimeMs());
    const issuedOn = addDays(today, -40);
    const reg = await as('demo-ndrc', 'POST', '/api/plans', {
      procedure: 'reform_plan',
      title: '关于推进政务服务一网通办的实施方案',
      specialGroupId: 'demo-econ',
      responsibleLeader: '王副省长',
      responsiblePerson: '李明',
      registeredOn: issuedOn,
    });
    expect(reg.status).toBe(201);
    const id = String(reg.json.planId);
    const on = { businessDate: issuedOn };
    // Not major: reviews, then the special group's deliberation (A9), then issuance, all on that day.
    await step('demo-ndrc', id, 'submit_draft', 'lead_unit', 'research', on);
    await step('demo-ndrc', id, 'complete_research', 'lead_unit', 'special_group_review', on);
    await step('demo-econ', id, 'pass_special_group_review', 'special_group', 'legality_review', on);
    await step('demo-legal', id, 'pass_legality_review', 'legal_office', 'other_deliberation', on);
    await step('demo-econ', id, 'approve_special_group_meeting', 'special_group', 'issuance', on);
    await step('demo-ndrc', id, 'issue', 'lead_unit', 'filing', on);

    const due = oneMonthAfter(issuedOn);
    const filingLetters = (x: Detail) => x.plan.letters.filter((l) => l.deadlineKey.split('#')[0] === 'filing');
    const d = await eventually(async () => {
      const got = await detail('demo-ndrc', id);
      expect(filingLetters(got).map((l) => l.kind)).toContain('supervision');
      return got;
    });
    expect(d.plan.deadlines.find((x) => x.key.split('#')[0] === 'filing')).toEqual(expect.objectContaining({ due, status: 'overdue' }));
    // The supervision letter (督办函), since the due date has passed; the reminder five working days
    // before it came too late to matter and was passed over, not sent after the fact.
    expect(filingLetters(d).map((l) => l.kind)).toEqual(['supervision']);
    const supervision = filingLetters(d)[0];
    expect(supervision.date > due && supervision.date <= today).toBe(true);
    expect(supervision.number).toMatch(/^\S+〔\d{4}〕\d+号$/);
    // The special group, copied on it (common.rules), sees it too; the ledger lists the plan as overdue.
    expect((await detail('demo-econ', id)).plan.letters.map((l) => l.number)).toContain(supervision.number);
    const overdue = await as('demo-ndrc', 'GET', '/api/plans?overdue=true');
    expect((overdue.json.rows as Array<{ planId: string }>).map((r) => r.planId)).toContain(id);
  });
});
