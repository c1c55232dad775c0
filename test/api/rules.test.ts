import { addDays, addMonths, LocalDate, localDateAt, SHIPPED_HOLIDAYS } from '@reform/calendar';
import type { PlanService } from '@reform/plans';
import { workingDaysAfter, workingDaysBefore } from '../support/dates';
import { DB_KINDS } from '../support/db';
import { Harness } from '../support/harness';
import { call, HarnessApi, leaks, standardRulesFiles, startHarnessApi } from './support';
import { eventually } from './world';

/**
 * Procedures and rulesets over HTTP (issue 8, section 4): the reform office edits a deadline in
 * the rules, sees the check, diff and simulation tell the truth, publishes, and migrates a running
 * plan; why a deadline falls due is answered for plans in scope only. The edit and the expected
 * dates come from rules/standard/reform-plan.rules: 方案备案 is due one month after issue, the
 * edit makes it 20 working days, and the standard ladder reminds 5 working days before the due date.
 */
const FILING = /(时限 filing "方案备案"\n {2}依据 A9\n {2}起算 issued\n {2}期限 )1 个月/;

const planFile = () => standardRulesFiles().find((f) => f.name === 'reform-plan.rules')!;
const edited = () => {
  const f = planFile();
  const text = f.text.replace(FILING, '$120 个工作日');
  expect(text).not.toBe(f.text);
  return { name: f.name, text };
};

/** A day in the two weeks before `today` on which the edit moves the filing reminder (as test/e2e/rules-publish does). */
function issueDateTheEditMoves(today: LocalDate): LocalDate {
  const reminder = (due: LocalDate) => workingDaysBefore(due, 5, SHIPPED_HOLIDAYS);
  for (let back = 1; back <= 14; back++) {
    const issued = addDays(today, -back);
    if (reminder(addMonths(issued, 1).date) !== reminder(workingDaysAfter(issued, 20, SHIPPED_HOLIDAYS))) return issued;
  }
  throw new Error(`no day in the two weeks before ${today} on which the edit moves the filing reminder`);
}

type Letter = { deadlineId: string; deadlineKey: string; kind: string; due: string; issuedOn: string };
type SimPlan = { workflowId: string; procedure: string; affected: boolean; changes: Array<{ change: string; before?: Letter; after?: Letter; to: string[] }> };
type Why = { deadlines: Array<{ key: string; due: string; procedure: { version: number }; rule: { id: string }; from: { event: string; date: string }; explanation: string[] }> };

describe.each(DB_KINDS)('procedures and rulesets over HTTP (%s)', (kind) => {
  let h: Harness;
  let api: HarnessApi;
  let url: string;
  let plans: PlanService;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    api = await startHarnessApi(kind, { logins: ['sf-ndrc', 'sf-edu', 'sf-reform', 'jia-reform'] });
    ({ h, url, plans } = api);
    Object.assign(tokens, api.tokens);
  });
  afterAll(async () => {
    await api?.close();
  });

  const as = (user: string, method: string, path: string, body?: unknown) => call({ url }, method, path, { body, headers: { authorization: `Bearer ${tokens[user]}` } });
  const versions = async () => ((await as('sf-reform', 'GET', '/api/procedures/reform_plan/versions')).json.versions as Array<{ version: number }>).map((v) => v.version);
  const auditActions = async (): Promise<Array<{ action: string; target_id: string | null; actor_user_id: string | null }>> =>
    h.db.ds.query('SELECT action, target_id, actor_user_id FROM audit_log ORDER BY seq');

  /** A plan of sf-ndrc issued on `issuedOn` (the setup walks it with the engine's roles directly; the API derives them, which test/api/plans covers). */
  async function issuedPlan(issuedOn: LocalDate): Promise<string> {
    const reg = await as('sf-ndrc', 'POST', '/api/plans', {
      procedure: 'reform_plan',
      title: '关于深化营商环境改革的实施方案',
      specialGroupId: 'sf-econ',
      responsibleLeader: '王副省长',
      responsiblePerson: '李明',
      registeredOn: addDays(issuedOn, -9),
    });
    expect(reg.status).toBe(201);
    const id = String(reg.json.planId);
    for (const [action, role] of [['submit_draft', 'lead_unit'], ['complete_research', 'lead_unit'], ['pass_special_group_review', 'special_group'], ['pass_legality_review', 'legal_office'], ['approve_countersign', 'special_group']] as const) {
      await plans.act(id, { action, role, actor: '经办人', businessDate: addDays(issuedOn, -4) });
    }
    await plans.act(id, { action: 'issue', role: 'lead_unit', actor: '经办人', businessDate: issuedOn });
    return id;
  }

  it('checks, diffs, simulates, publishes and migrates; who may do what; why a deadline falls due', async () => {
    // Every route needs a signed-in user.
    for (const [method, path] of [['POST', '/api/rules/publish'], ['POST', '/api/rules/diff'], ['POST', '/api/rules/simulate'], ['POST', '/api/rules/migrate'], ['GET', '/api/procedures/reform_plan/versions/1/text'], ['GET', '/api/procedures/reform_plan/versions/1/diff'], ['GET', '/api/plans/x/why']]) {
      expect([method, path, (await call({ url }, method, path, { body: method === 'POST' ? { files: [edited()] } : undefined })).status]).toEqual([method, path, 401]);
    }

    // A broken file: 422 with the file, line and column of the mistake, and nothing published.
    const good = planFile();
    const broken = good.text.replace(FILING, (m) => m.replace('起算 issued', '起算 isued'));
    expect(broken).not.toBe(good.text);
    const at = broken.indexOf('起算 isued') + '起算 '.length;
    const line = broken.slice(0, at).split('\n').length;
    const column = at - broken.lastIndexOf('\n', at - 1);
    const refused = await as('sf-reform', 'POST', '/api/rules/publish', { files: [{ name: 'reform-plan.rules', text: broken }] });
    expect(refused.status).toBe(422);
    expect(refused.json.error?.diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'reform-plan.rules', line, column, severity: 'error', message: expect.stringContaining('isued') })]));
    expect(refused.json.error?.message).toContain(`reform-plan.rules:${line}:${column}`);
    expect(leaks(refused.text)).toEqual([]);
    const checked = await as('sf-reform', 'POST', '/api/rules/check', { files: [{ name: 'reform-plan.rules', text: broken }] });
    expect(checked.status).toBe(422);
    expect(checked.json.error?.diagnostics).toEqual(refused.json.error?.diagnostics);
    expect(await versions()).toEqual([1]);

    // Only the province's reform office publishes: a lead unit and a city's reform office are refused (403), nothing published.
    expect((await as('sf-ndrc', 'POST', '/api/rules/publish', { files: [edited()] })).status).toBe(403);
    expect((await as('jia-reform', 'POST', '/api/rules/publish', { files: [edited()] })).status).toBe(403);
    expect(await versions()).toEqual([1]);

    // The diff of the edited file against what is published: the one change made.
    const diff = await as('sf-ndrc', 'POST', '/api/rules/diff', { files: [edited()] });
    expect(diff.status).toBe(200);
    const [planDiff] = diff.json.procedures as Array<{ id: string; from: number; changes: unknown[]; lines: string[] }>;
    expect(planDiff).toEqual(expect.objectContaining({ id: 'reform_plan', from: 1 }));
    expect(planDiff.changes).toHaveLength(1);
    expect(planDiff.lines).toContain('  ~ 时限「方案备案」期限:1个月 → 20个工作日');

    // A plan issued recently, in sf-ndrc's scope; the simulation moves its filing reminder.
    const today = localDateAt(await h.env.currentTimeMs());
    const issuedOn = issueDateTheEditMoves(today);
    const id = await issuedPlan(issuedOn);
    const oldDue = addMonths(issuedOn, 1).date;
    const newDue = workingDaysAfter(issuedOn, 20, SHIPPED_HOLIDAYS);
    // The ledger lists the plan a moment after its registration.
    const mine = await eventually(async () => {
      const sim = await as('sf-ndrc', 'POST', '/api/rules/simulate', { files: [edited()] });
      expect(sim.status).toBe(200);
      const found = (sim.json.plans as SimPlan[]).find((p) => p.workflowId === id);
      expect(found).toBeDefined();
      return found!;
    });
    expect(mine).toEqual(expect.objectContaining({ procedure: 'reform_plan@1', affected: true }));
    const moved = mine.changes.find((c) => c.change === 'moved' && c.before?.deadlineId === 'filing');
    expect(moved?.before).toEqual(expect.objectContaining({ kind: 'reminder', due: oldDue, issuedOn: workingDaysBefore(oldDue, 5, SHIPPED_HOLIDAYS) }));
    expect(moved?.after).toEqual(expect.objectContaining({ kind: 'reminder', due: newDue, issuedOn: workingDaysBefore(newDue, 5, SHIPPED_HOLIDAYS) }));
    // A horizon in the past names the field.
    const past = await as('sf-ndrc', 'POST', '/api/rules/simulate', { files: [edited()], until: addDays(today, -1) });
    expect(past.status).toBe(400);
    expect(past.json.error?.issues).toEqual([expect.objectContaining({ path: 'until' })]);
    // Another department's simulation does not see the plan.
    const other = await as('sf-edu', 'POST', '/api/rules/simulate', { files: [edited()] });
    expect(other.status).toBe(200);
    expect((other.json.plans as SimPlan[]).map((p) => p.workflowId)).not.toContain(id);

    // Why the filing deadline falls due: one month after issue, for the lead unit; 404 for a unit that may not see the plan.
    const why = await as('sf-ndrc', 'GET', `/api/plans/${id}/why?deadline=filing`);
    expect(why.status).toBe(200);
    const [filing] = (why.json as unknown as Why).deadlines;
    expect(filing).toEqual(expect.objectContaining({ due: oldDue, rule: expect.objectContaining({ id: 'A9' }), from: { event: 'issued', label: expect.any(String), date: issuedOn }, procedure: expect.objectContaining({ version: 1 }) }));
    expect(filing.explanation.join('\n')).toContain('1个月后为');
    const hidden = await as('sf-edu', 'GET', `/api/plans/${id}/why`);
    expect(hidden.status).toBe(404);
    expect(hidden.json.error?.message).not.toContain('方案备案');
    expect((await as('jia-reform', 'GET', `/api/plans/${id}/why`)).status).toBe(404);
    expect((await as('sf-ndrc', 'GET', '/api/plans/no-such-plan/why')).status).toBe(404);

    // The reform office publishes: version 2 is listed, with its text; publishing again changes nothing.
    const published = await as('sf-reform', 'POST', '/api/rules/publish', { files: [edited()] });
    expect(published.status).toBe(201);
    expect(published.json.procedures).toEqual([expect.objectContaining({ id: 'reform_plan', version: 2, status: 'published' })]);
    expect(await versions()).toEqual([1, 2]);
    const again = await as('sf-reform', 'POST', '/api/rules/publish', { files: [edited()] });
    expect(again.json.procedures).toEqual([expect.objectContaining({ id: 'reform_plan', version: 2, status: 'unchanged' })]);
    const text = await as('sf-ndrc', 'GET', '/api/procedures/reform_plan/versions/2/text');
    expect(text.status).toBe(200);
    const files = text.json.files as Array<{ name: string; text: string }>;
    expect(files.map((f) => f.name).sort()).toEqual(['common.rules', 'reform-plan.rules']);
    expect(files.find((f) => f.name === 'reform-plan.rules')!.text).toBe(edited().text);
    expect((await as('sf-ndrc', 'GET', '/api/procedures/reform_plan/versions/1/text')).json.files).toEqual(expect.arrayContaining([planFile()]));
    expect((await as('sf-ndrc', 'GET', '/api/procedures/reform_plan/versions/3/text')).status).toBe(404);
    // The diff of version 2 against version 1, as `reform rules diff reform_plan@1 reform_plan@2`.
    const versionDiff = await as('sf-ndrc', 'GET', '/api/procedures/reform_plan/versions/2/diff?against=1');
    expect(versionDiff.status).toBe(200);
    expect(versionDiff.json).toEqual(expect.objectContaining({ id: 'reform_plan', from: 1, to: 2 }));
    expect(versionDiff.json.lines).toEqual(['改革方案(reform_plan):1 处变化', '  ~ 时限「方案备案」期限:1个月 → 20个工作日']);
    expect((await as('sf-ndrc', 'GET', '/api/procedures/reform_plan/versions/2/diff')).json.lines).toEqual(['改革方案(reform_plan):含义没有变化']);
    const publishRows = (await auditActions()).filter((r) => r.action === 'procedure.published');
    expect(publishRows).toEqual([expect.objectContaining({ target_id: 'reform_plan@2', actor_user_id: expect.any(String) })]);

    // Migration: the reform office only; the dry run shows the move and changes nothing.
    const body = { procedure: 'reform_plan', version: 2, policy: 'recompute', planId: id };
    expect((await as('sf-ndrc', 'POST', '/api/rules/migrate', body)).status).toBe(403);
    expect((await as('sf-reform', 'POST', '/api/rules/migrate', { ...body, version: 9 })).status).toBe(404);
    const dry = await as('sf-reform', 'POST', '/api/rules/migrate', body);
    expect(dry.status).toBe(200);
    expect(dry.json).toEqual(expect.objectContaining({ applied: false, migrated: 0, refused: 0 }));
    const [preview] = dry.json.plans as Array<{ workflowId: string; fromVersion: number; migrated: boolean; deadlines: Array<{ key: string; change: string; before?: string; after?: string }> }>;
    expect(preview).toEqual(expect.objectContaining({ workflowId: id, fromVersion: 1, migrated: false }));
    expect(preview.deadlines.find((d) => d.key === 'filing#0')).toEqual(expect.objectContaining({ change: 'moved', before: oldDue, after: newDue }));
    const stillOne = (await as('sf-ndrc', 'GET', `/api/plans/${id}/why?deadline=filing`)).json as unknown as Why;
    expect(stillOne.deadlines[0]).toEqual(expect.objectContaining({ due: oldDue, procedure: expect.objectContaining({ version: 1 }) }));
    expect((await auditActions()).filter((r) => r.action === 'plan.migrated')).toEqual([]);

    // Applied: the plan runs under version 2, its filing deadline counted again, and the move is audited.
    const applied = await as('sf-reform', 'POST', '/api/rules/migrate', { ...body, apply: true });
    expect(applied.status).toBe(200);
    expect(applied.json).toEqual(expect.objectContaining({ applied: true, migrated: 1 }));
    const nowTwo = (await as('sf-ndrc', 'GET', `/api/plans/${id}/why?deadline=filing`)).json as unknown as Why;
    expect(nowTwo.deadlines[0]).toEqual(expect.objectContaining({ due: newDue, procedure: expect.objectContaining({ version: 2 }) }));
    expect(nowTwo.deadlines[0].explanation.join('\n')).toContain('20个工作日后为');
    expect((await auditActions()).filter((r) => r.action === 'plan.migrated')).toEqual([expect.objectContaining({ target_id: id })]);
    // Nothing left to move: a run over every plan of the procedure skips those on version 2 already.
    const rest = await as('sf-reform', 'POST', '/api/rules/migrate', { procedure: 'reform_plan', version: 'latest', policy: 'keep' });
    expect((rest.json.plans as Array<{ workflowId: string }>).map((p) => p.workflowId)).not.toContain(id);
  });
});
