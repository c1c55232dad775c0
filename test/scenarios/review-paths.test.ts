import { addDays } from '@reform/calendar';
import { ProcessDefinitionSchema } from '@reform/definitions';
import { standardProcedure } from '@reform/procedures';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { Harness } from '../support/harness';

const REFORM_PLAN = standardProcedure('reform_plan');

const plan = ProcessDefinitionSchema.parse(REFORM_PLAN);
const TO_LEGALITY: Array<[string, string]> = [
  ['submit_draft', 'lead_unit'],
  ['complete_research', 'lead_unit'],
  ['pass_special_group_review', 'special_group'],
];

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    return (err as WorkflowUpdateFailedError).cause?.message ?? '';
  }
  throw new Error('the update was accepted, but it should have been rejected');
}

describe('reviews and deliberation (A8, A9)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create();
  });
  afterAll(() => h?.close());

  it('skipping legality review is rejected with its reason, and history shows nothing happened', async () => {
    const handle = await h.start(plan, { attributes: { major: true } });
    await h.actAll(handle, TO_LEGALITY);
    const before = await handle.fetchHistory();

    const reason = await rejection(h.act(handle, 'approve_leading_group_meeting', 'leading_group'));
    expect(reason).toContain('须先完成:合法合规性审查(A8)、改革办审核(A8)');
    // A rejected update leaves no update event behind; only the workflow task that ran the validator.
    const after = await handle.fetchHistory();
    const added = after.events!.slice(before.events!.length);
    expect(added.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes || e.workflowExecutionUpdateCompletedEventAttributes)).toEqual([]);
    expect(added.every((e) => e.workflowTaskScheduledEventAttributes || e.workflowTaskStartedEventAttributes || e.workflowTaskCompletedEventAttributes)).toBe(true);
    expect((await h.view(handle)).stage.id).toBe('legality_review');

    expect(await rejection(h.act(handle, 'pass_legality_review', 'lead_unit'))).toContain('应由法制机构办理');
    expect(await rejection(h.act(handle, 'no_such_action', 'lead_unit'))).toContain('没有名为「no_such_action」的操作');
    expect(await rejection(h.act(handle, 'pass_legality_review', 'mayor'))).toContain('未知角色「mayor」');
    expect(await rejection(h.act(handle, 'pass_legality_review', 'legal_office', { businessDate: addDays(await h.today(), 1) }))).toContain('晚于今天');
    expect(await rejection(h.act(handle, 'pass_legality_review', 'legal_office', { businessDate: '2026-02-30' }))).toContain('businessDate');
  });

  it('a rejection loops back to drafting with the reasons kept, and every review must be passed again', async () => {
    const handle = await h.start(plan);
    await h.actAll(handle, TO_LEGALITY);
    expect(await rejection(h.act(handle, 'reject_legality_review', 'legal_office'))).toContain('须写明理由');
    let view = await h.act(handle, 'reject_legality_review', 'legal_office', { reason: '第三条与《行政许可法》不一致' });
    expect(view.stage.id).toBe('drafting');
    expect(view.returns).toEqual([expect.objectContaining({ stage: 'legality_review', action: 'reject_legality_review', reason: '第三条与《行政许可法》不一致' })]);

    view = await h.actAll(handle, TO_LEGALITY);
    expect(view.stage.id).toBe('legality_review');
    view = await h.act(handle, 'reject_legality_review', 'legal_office', { reason: '仍缺少公平竞争审查意见' });
    expect(view.returns.map((r) => r.reason)).toEqual(['第三条与《行政许可法》不一致', '仍缺少公平竞争审查意见']);
    await h.record(handle, 'rejection-loop');
  });

  it('a party-committee document goes to the standing committee after the leading group', async () => {
    const handle = await h.start(plan, { attributes: { major: true, party_document: true } });
    await h.actAll(handle, [...TO_LEGALITY, ['pass_legality_review', 'legal_office'], ['pass_reform_office_review', 'reform_office']]);
    let view = await h.act(handle, 'approve_leading_group_meeting', 'leading_group');
    expect(view.stage.id).toBe('standing_committee');
    expect(await rejection(h.act(handle, 'issue', 'lead_unit'))).toContain('须先完成:党委常委会会议(A9)');
    view = await h.act(handle, 'approve_standing_committee', 'reform_office');
    expect(view.stage.id).toBe('issuance');
    await h.record(handle, 'party-document');
  });

  it('a plan touching government duties goes to the executive meeting before the leading group', async () => {
    const handle = await h.start(plan, { attributes: { major: true, government_duties: true } });
    await h.actAll(handle, [...TO_LEGALITY, ['pass_legality_review', 'legal_office'], ['pass_reform_office_review', 'reform_office']]);
    let view = await h.view(handle);
    expect(view.stage.id).toBe('executive_meeting');
    expect(await rejection(h.act(handle, 'approve_leading_group_meeting', 'leading_group'))).toContain('须先完成:政府常务会议(A9)');
    view = await h.act(handle, 'approve_executive_meeting', 'reform_office');
    expect(view.stage.id).toBe('leading_group_meeting');
    view = await h.act(handle, 'approve_leading_group_meeting', 'leading_group');
    expect(view.stage.id).toBe('issuance');
  });

  it('write-off needs every specific reform item completed and the retrospective (S2, A16)', async () => {
    const handle = await h.start(plan);
    await h.actAll(handle, [...TO_LEGALITY, ['pass_legality_review', 'legal_office'], ['approve_countersign', 'special_group'], ['issue', 'lead_unit'], ['file', 'lead_unit']]);
    expect(await rejection(h.act(handle, 'request_write_off', 'special_group'))).toContain('尚未登记任何具体改革事项(S2)');
    await h.act(handle, 'update_item', 'lead_unit', { item: { id: '1', title: '企业开办一日办结', status: 'started' } });
    const message = await rejection(h.act(handle, 'request_write_off', 'special_group'));
    expect(message).toContain('1 企业开办一日办结(已启动未完成)');
    expect(message).toContain('须先完成“回头看”');
    await h.act(handle, 'update_item', 'lead_unit', { item: { id: '1', status: 'completed' } });
    await h.act(handle, 'submit_retrospective', 'lead_unit');
    let view = await h.act(handle, 'request_write_off', 'special_group');
    expect(view.stage.id).toBe('write_off');
    view = await h.act(handle, 'approve_write_off', 'leading_group');
    expect(view.finished).toBe(true);
    // The instance has ended; its final state stays readable.
    await expect(handle.result()).resolves.toMatchObject({ stage: { id: 'closed', label: '已销账' } });
    expect((await h.view(handle)).items).toEqual({ '1': expect.objectContaining({ status: 'completed' }) });
    await h.record(handle, 'write-off');
  });
});
