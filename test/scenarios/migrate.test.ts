import { addDays, SHIPPED_HOLIDAYS } from '@reform/calendar';
import { ProcessDefinition, ProcessDefinitionSchema } from '@reform/definitions';
import { planMigration, PlanSnapshot } from '@reform/machine';
import { standardProcedure } from '@reform/procedures';
import { migrateUpdate, snapshotQuery } from '@reform/workflows';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { dateIn, nextYear, workingDaysAfter, workingDaysBefore } from '../support/dates';
import { Harness } from '../support/harness';
import { TO_ISSUANCE_SIMPLE } from '../support/paths';
import { reformPlanWithFilingWithin } from '../support/rules';

const REFORM_PLAN = standardProcedure('reform_plan');

/** Version 2 as the office would write it: filing within 20 working days. */
const version2 = (): ProcessDefinition => ({ ...reformPlanWithFilingWithin('20 个工作日'), version: 2 });

const v1 = ProcessDefinitionSchema.parse(REFORM_PLAN);


describe('moving running plans to a new version (an explicit act, with a deadline policy)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create();
  });
  afterAll(() => h?.close());

  it('recompute: the dry run is what the move does; due dates follow the new rules, letters sent stay sent; keep leaves due dates', async () => {
    const v2 = version2();
    const year = nextYear(await h.today());
    const issuedOn = dateIn(year, 3, 10);
    // Version 1: one month, due 10 April; the reminder five working days before (standard ladder).
    const dueV1 = dateIn(year, 4, 10);
    const remindOn = workingDaysBefore(dueV1, 5, SHIPPED_HOLIDAYS);
    // Version 2: 20 working days after issuance, later than that reminder and earlier than 10 April.
    const dueV2 = workingDaysAfter(issuedOn, 20, SHIPPED_HOLIDAYS);
    expect(remindOn < dueV2 && dueV2 < dueV1).toBe(true);

    const recount = await h.start(v1);
    const keep = await h.start(v1);
    for (const handle of [recount, keep]) await h.actAll(handle, TO_ISSUANCE_SIMPLE);
    await h.travelTo(issuedOn, 9 * 60);
    for (const handle of [recount, keep]) await h.act(handle, 'issue', 'lead_unit');
    await h.travelTo(remindOn, 1);
    expect((await h.eventually(() => h.view(recount), (v) => v.letters.length === 1)).letters.map((l) => [l.kind, l.issuedOn])).toEqual([['reminder', remindOn]]);

    const before: PlanSnapshot = await recount.query(snapshotQuery);
    const dryRun = planMigration(before, v2, 'recompute', before.calendar);
    expect(dryRun.problems).toEqual([]);
    expect(dryRun.changes.filter((c) => c.change !== 'unchanged')).toEqual([
      { key: 'filing#0', deadlineId: 'filing', label: '方案备案', change: 'moved', before: dueV1, after: dueV2 },
    ]);

    const applied = await recount.executeUpdate(migrateUpdate, { args: [{ definition: v2, policy: 'recompute', actor: '张三' }] });
    expect(applied).toEqual(dryRun.changes);
    let view = await h.view(recount);
    expect(view.procedure.version).toBe(2);
    expect(view.stage.id).toBe('filing');
    expect(view.deadlines.find((d) => d.id === 'filing')).toMatchObject({ due: dueV2, letters: [expect.objectContaining({ kind: 'reminder', issuedOn: remindOn })] });
    expect(view.log[view.log.length - 1]).toMatchObject({ action: 'migrate', actor: '张三', reason: '由第1版迁移到第2版(按新规则重算截止日期)' });

    expect(await keep.executeUpdate(migrateUpdate, { args: [{ definition: v2, policy: 'keep' }] })).toContainEqual(
      expect.objectContaining({ key: 'filing#0', change: 'kept', before: dueV1, after: dueV1 }),
    );

    // The supervision letter follows the new due date; the reminder is not sent again.
    await h.travelTo(addDays(dueV2, 1), 1);
    view = await h.eventually(() => h.view(recount), (v) => v.letters.length === 2);
    expect(view.letters.map((l) => [l.kind, l.issuedOn])).toEqual([
      ['reminder', remindOn],
      ['supervision', addDays(dueV2, 1)],
    ]);
    expect((await h.view(keep)).letters.map((l) => l.kind)).toEqual(['reminder']);
    expect((await h.letters.forWorkflow(recount.workflowId)).map((l) => l.kind)).toEqual(['reminder', 'supervision']);

    // Business events stay on record across versions, even if a later version renames the action
    // that recorded them: counting again under version 3 still starts from the issue date.
    const renamed = { ...v2, version: 3, stages: v2.stages.map((s) => ({ ...s, actions: s.actions.map((a) => (a.id === 'issue' ? { ...a, id: 'issue_plan' } : a)) })) };
    await keep.executeUpdate(migrateUpdate, { args: [{ definition: renamed, policy: 'recompute' }] });
    const kept: PlanSnapshot = await keep.query(snapshotQuery);
    expect(kept.events.filter((e) => e.event === 'issued')).toEqual([{ event: 'issued', date: issuedOn }]);
    expect(kept.deadlines.find((d) => d.key === 'filing#0')).toMatchObject({ due: dueV2, status: 'open' });

    // Actions go on under version 2.
    view = await h.act(recount, 'file', 'lead_unit');
    expect(view.stage.id).toBe('implementation');
    await h.record(recount, 'migrate-recompute');
  });

  it('refuses a move it cannot make, with the reason, and accepts nothing into history', async () => {
    const handle = await h.start(v1);
    await h.act(handle, 'submit_draft', 'lead_unit');
    const events = async () => (await handle.fetchHistory()).events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
    const length = await events();
    const noResearch = { ...version2(), stages: version2().stages.filter((s) => s.id !== 'research').map((s) => ({ ...s, actions: s.actions.map((a) => (a.to === 'research' ? { ...a, to: 'special_group_review' } : a)) })) };
    const refusal = (definition: ProcessDefinition) => handle.executeUpdate(migrateUpdate, { args: [{ definition, policy: 'recompute' }] }).then(
      () => '',
      (e: WorkflowUpdateFailedError) => e.cause?.message ?? '',
    );
    expect(await refusal(noResearch)).toContain('方案当前所在阶段「调查研究」在第2版中不存在');
    expect(await refusal(v1)).toContain('方案已按第1版办理');
    expect(await refusal({ ...version2(), id: 'pilot' })).toContain('不能迁移到「pilot」');
    expect(await events()).toBe(length);
    expect((await h.view(handle)).procedure.version).toBe(1);
  });
});
