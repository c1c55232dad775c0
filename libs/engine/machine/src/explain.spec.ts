import { Attributes, holds, ProcessDefinition, ProcessDefinitionSchema } from '@reform/definitions';
import { standardProcedure } from '@reform/procedures';
import { initialTransition, SnapshotFrom, transition } from 'xstate';
import { buildMachine, ProcessMachine } from './build-machine';
import { ActionEvent, ProcessContext } from './context';
import { actionsByRole, blockersFor, missingStagesBefore, PlanState } from './explain';

const CENTRAL_INTEGRATION = standardProcedure('central_integration');
const PILOT = standardProcedure('pilot');
const REFORM_PLAN = standardProcedure('reform_plan');

const DAY = '2026-03-02';
const PLAN_DEF = ProcessDefinitionSchema.parse(REFORM_PLAN);
const PLAN_MACHINE = buildMachine(PLAN_DEF);

type Snapshot = SnapshotFrom<ProcessMachine>;

const ev = (type: string, role: string, extra: Partial<ActionEvent> = {}): ActionEvent => ({ type, role, businessDate: DAY, recordedOn: DAY, ...extra });
const planState = (s: Snapshot): PlanState => ({ stage: String(s.value), context: s.context });

/** Drives the machine through actions (role: the first permitted one), failing loudly if one is refused. */
function drive(def: ProcessDefinition, machine: ProcessMachine, attributes: Attributes, steps: Array<string | ActionEvent>): Snapshot {
  let [s] = initialTransition(machine, { attributes, events: { registered: '2026-01-05' } });
  for (const step of steps) {
    const event =
      typeof step === 'string'
        ? ev(step, def.stages.find((st) => st.id === String(s.value))!.actions.find((a) => a.id === step)?.roles[0] ?? 'reform_office')
        : step;
    expect({ step: event.type, blockers: blockersFor(def, planState(s), event) }).toEqual({ step: event.type, blockers: [] });
    [s] = transition(machine, s, event);
  }
  return s;
}

const TO_LEGALITY = ['submit_draft', 'complete_research', 'pass_special_group_review'];
const TO_IMPLEMENTATION = [...TO_LEGALITY, 'pass_legality_review', 'approve_special_group_meeting', 'issue', 'file'];

describe('blockersFor (reform plan)', () => {
  it('refuses approving the leading group meeting during legality review of a major plan: wrong_stage naming 合法合规性审查(A8)', () => {
    const s = drive(PLAN_DEF, PLAN_MACHINE, { major: true }, TO_LEGALITY);
    expect(s.value).toBe('legality_review');
    const blockers = blockersFor(PLAN_DEF, planState(s), ev('approve_leading_group_meeting', 'leading_group'));
    expect(blockers).toEqual([
      {
        code: 'wrong_stage',
        message: '「记录改革领导小组会议审议通过」属于「改革领导小组会议」阶段,当前处于「合法合规性审查」阶段;须先完成:合法合规性审查(A8)、改革办审核(A8)',
      },
    ]);
    expect(blockers[0].message).toContain('合法合规性审查(A8)');
  });

  it('lists the executive meeting among what must come first when the plan touches government duties', () => {
    const s = drive(PLAN_DEF, PLAN_MACHINE, { major: true, government_duties: true }, TO_LEGALITY);
    expect(blockersFor(PLAN_DEF, planState(s), ev('approve_standing_committee', 'reform_office'))).toEqual([
      {
        code: 'stage_not_applicable',
        message: '「记录党委常委会会议审议通过」属于「党委常委会会议」阶段,当前处于「合法合规性审查」阶段;本方案不适用「党委常委会会议」(适用条件:以党委文件印发)',
      },
    ]);
    expect(blockersFor(PLAN_DEF, planState(s), ev('approve_leading_group_meeting', 'leading_group'))[0].message).toMatch(
      /须先完成:合法合规性审查\(A8\)、改革办审核\(A8\)、政府常务会议\(A9\)$/,
    );
  });

  it('says a stage does not apply, with its condition in words', () => {
    const s = drive(PLAN_DEF, PLAN_MACHINE, {}, TO_LEGALITY);
    expect(blockersFor(PLAN_DEF, planState(s), ev('approve_leading_group_meeting', 'leading_group'))).toEqual([
      {
        code: 'stage_not_applicable',
        message:
          '「记录改革领导小组会议审议通过」属于「改革领导小组会议」阶段,当前处于「合法合规性审查」阶段;本方案不适用「改革领导小组会议」(适用条件:(重大改革方案 或 对接中央改革方案 或 省级以上改革试点 或 以党委文件印发))',
      },
    ]);
  });

  it('refuses an action of a stage already passed', () => {
    const s = drive(PLAN_DEF, PLAN_MACHINE, {}, TO_LEGALITY);
    expect(blockersFor(PLAN_DEF, planState(s), ev('submit_draft', 'lead_unit'))).toEqual([
      { code: 'stage_passed', message: '「提交方案稿」属于「方案起草」阶段,当前处于「合法合规性审查」阶段;该阶段已经过,不能再办理' },
    ]);
  });

  it('refuses an unknown action, listing what the stage offers', () => {
    const [s] = initialTransition(PLAN_MACHINE, { attributes: {}, events: {} });
    expect(blockersFor(PLAN_DEF, planState(s), ev('approve_everything', 'reform_office'))).toEqual([
      { code: 'unknown_action', message: '没有名为「approve_everything」的操作;当前阶段「方案起草」可办理:submit_draft(提交方案稿)' },
    ]);
  });

  it('refuses a role that may not take the action, naming who may', () => {
    const s = drive(PLAN_DEF, PLAN_MACHINE, {}, TO_LEGALITY);
    expect(blockersFor(PLAN_DEF, planState(s), ev('pass_legality_review', 'lead_unit'))).toEqual([
      { code: 'role', message: '「牵头单位」无权办理「合法合规性审查通过」,应由法制机构办理' },
    ]);
    const draft = drive(PLAN_DEF, PLAN_MACHINE, {}, ['submit_draft']);
    expect(blockersFor(PLAN_DEF, planState(draft), ev('complete_research', 'legal_office'))).toEqual([
      { code: 'role', message: '「法制机构」无权办理「完成调查研究」,应由牵头单位或专项小组办理' },
    ]);
  });

  it('refuses a rejection without a reason, or with a blank one, and names both problems together', () => {
    const s = drive(PLAN_DEF, PLAN_MACHINE, {}, TO_LEGALITY);
    const reason = { code: 'reason', message: '「合法合规性审查退回修改」须写明理由' };
    expect(blockersFor(PLAN_DEF, planState(s), ev('reject_legality_review', 'legal_office'))).toEqual([reason]);
    expect(blockersFor(PLAN_DEF, planState(s), ev('reject_legality_review', 'legal_office', { reason: '  ' }))).toEqual([reason]);
    expect(blockersFor(PLAN_DEF, planState(s), ev('reject_legality_review', 'legal_office', { reason: '缺少法律依据' }))).toEqual([]);
    expect(blockersFor(PLAN_DEF, planState(s), ev('reject_legality_review', 'special_group')).map((b) => b.code)).toEqual(['role', 'reason']);
  });

  it('refuses write-off without items or retrospective: items_incomplete and events_missing', () => {
    const s = drive(PLAN_DEF, PLAN_MACHINE, {}, TO_IMPLEMENTATION);
    expect(s.value).toBe('implementation');
    expect(blockersFor(PLAN_DEF, planState(s), ev('request_write_off', 'special_group'))).toEqual([
      { code: 'items_incomplete', message: '尚未登记任何具体改革事项(S2)' },
      { code: 'events_missing', message: '须先完成“回头看”' },
    ]);
  });

  it('names the items still open, with their Chinese status', () => {
    const s = drive(PLAN_DEF, PLAN_MACHINE, {}, [
      ...TO_IMPLEMENTATION,
      ev('update_item', 'lead_unit', { item: { id: 'i1', title: '清理证明事项', status: 'completed' } }),
      ev('update_item', 'lead_unit', { item: { id: 'i2', title: '一网通办', status: 'started' } }),
      ev('update_item', 'lead_unit', { item: { id: 'i3', title: '容缺受理' } }),
      'submit_retrospective',
    ]);
    expect(blockersFor(PLAN_DEF, planState(s), ev('request_write_off', 'special_group'))).toEqual([
      { code: 'items_incomplete', message: '尚有具体改革事项未完成(S2):i2 一网通办(已启动未完成)、i3 容缺受理(未启动)' },
    ]);
  });

  it('allows write-off once every item is completed and the retrospective is in', () => {
    const s = drive(PLAN_DEF, PLAN_MACHINE, {}, [
      ...TO_IMPLEMENTATION,
      ev('update_item', 'lead_unit', { item: { id: 'i1', title: '清理证明事项', status: 'started' } }),
      ev('update_item', 'lead_unit', { item: { id: 'i1', status: 'completed' } }),
      'submit_retrospective',
    ]);
    expect(s.context.items).toEqual({ i1: { title: '清理证明事项', status: 'completed', updatedOn: DAY } });
    expect(blockersFor(PLAN_DEF, planState(s), ev('request_write_off', 'special_group'))).toEqual([]);
  });

  it('refuses an item update without an item, or a new item without a title', () => {
    const s = drive(PLAN_DEF, PLAN_MACHINE, {}, TO_IMPLEMENTATION);
    const item = { code: 'item', message: '须写明具体改革事项的编号;新登记的事项还须写明名称' };
    expect(blockersFor(PLAN_DEF, planState(s), ev('update_item', 'lead_unit'))).toEqual([item]);
    expect(blockersFor(PLAN_DEF, planState(s), ev('update_item', 'lead_unit', { item: { id: 'new' } }))).toEqual([item]);
    expect(blockersFor(PLAN_DEF, planState(s), ev('update_item', 'lead_unit', { item: { id: 'new', title: '新事项' } }))).toEqual([]);
  });

  it('says a finished plan takes no more actions', () => {
    const s = drive(PLAN_DEF, PLAN_MACHINE, {}, [
      ...TO_IMPLEMENTATION,
      ev('update_item', 'lead_unit', { item: { id: 'i1', title: 't', status: 'completed' } }),
      'submit_retrospective',
      'request_write_off',
      'approve_write_off',
    ]);
    expect(s.status).toBe('done');
    expect(blockersFor(PLAN_DEF, planState(s), ev('update_item', 'lead_unit'))).toEqual([
      { code: 'finished', message: '本事项已处于「已销账」,不能再办理任何操作' },
    ]);
  });

  it('names required stages not passed (stages_missing) for a state reached some other way, and the machine agrees', () => {
    const context: ProcessContext = { attributes: { government_duties: true }, events: {}, stages: {}, items: {}, returns: [], log: [] };
    const state: PlanState = { stage: 'executive_meeting', context };
    const event = ev('approve_executive_meeting', 'reform_office');
    expect(blockersFor(PLAN_DEF, state, event)).toEqual([
      { code: 'stages_missing', message: '进入「改革领导小组会议」前须先完成:合法合规性审查(A8)、改革办审核(A8)' },
    ]);
    const snapshot = PLAN_MACHINE.resolveState({ value: 'executive_meeting', context });
    const [next] = transition(PLAN_MACHINE, snapshot, event);
    expect([next.value, next.context]).toEqual(['executive_meeting', context]);
    const passed = { ...context, stages: { legality_review: 'completed' as const, reform_office_review: 'skipped' as const } };
    expect(blockersFor(PLAN_DEF, { stage: 'executive_meeting', context: passed }, event)).toEqual([]);
    const [moved] = transition(PLAN_MACHINE, PLAN_MACHINE.resolveState({ value: 'executive_meeting', context: passed }), event);
    // Not major: the leading group meeting, standing committee and other deliberation are passed over.
    expect(moved.value).toBe('issuance');
  });
});

describe('missingStagesBefore', () => {
  it('lists the applicable stages not yet passed between here and the target, in order', () => {
    const s = drive(PLAN_DEF, PLAN_MACHINE, { cross_department: true, technical: true }, ['submit_draft']);
    const target = PLAN_DEF.stages.find((st) => st.id === 'legality_review')!;
    expect(missingStagesBefore(PLAN_DEF, planState(s), target).map((st) => st.id)).toEqual([
      'research',
      'department_coordination',
      'expert_consultation',
      'special_group_review',
    ]);
  });
});

describe('actionsByRole', () => {
  it('offers the legal office both review actions during legality review, and nobody else anything', () => {
    const s = drive(PLAN_DEF, PLAN_MACHINE, {}, TO_LEGALITY);
    expect(actionsByRole(PLAN_DEF, planState(s), DAY)).toEqual({
      legal_office: [
        { action: 'pass_legality_review', label: '合法合规性审查通过', blockers: [], needsReason: false },
        { action: 'reject_legality_review', label: '合法合规性审查退回修改', blockers: [], needsReason: true },
      ],
    });
  });

  it('shows what still blocks write-off during implementation', () => {
    const s = drive(PLAN_DEF, PLAN_MACHINE, {}, TO_IMPLEMENTATION);
    expect(actionsByRole(PLAN_DEF, planState(s), DAY)).toEqual({
      special_group: [
        { action: 'submit_report', label: '报送半年落实情况', blockers: [], needsReason: false },
        { action: 'request_write_off', label: '申请销账', blockers: ['尚未登记任何具体改革事项(S2)', '须先完成“回头看”'], needsReason: false },
      ],
      lead_unit: [
        { action: 'update_item', label: '登记或更新具体改革事项', blockers: [], needsReason: false },
        { action: 'submit_report', label: '报送半年落实情况', blockers: [], needsReason: false },
        { action: 'submit_retrospective', label: '报送“回头看”报告', blockers: [], needsReason: false },
        { action: 'submit_self_inspection', label: '报送年中集中督察自查报告', blockers: [], needsReason: false },
      ],
      reform_office: [{ action: 'record_annual_supervision', label: '记录年度督察', blockers: [], needsReason: false }],
    });
  });

  it('offers an action with a condition only to plans that meet it, and says why to others (S3 monthly reports)', () => {
    const plain = drive(PLAN_DEF, PLAN_MACHINE, {}, TO_IMPLEMENTATION);
    expect(actionsByRole(PLAN_DEF, planState(plain), DAY).lead_unit.map((c) => c.action)).not.toContain('submit_monthly_progress');
    expect(blockersFor(PLAN_DEF, planState(plain), ev('submit_monthly_progress', 'lead_unit'))).toEqual([
      { code: 'action_not_applicable', message: '本方案不适用「报送月度进展」(适用条件:列入按月督察的重大改革方案)' },
    ]);
    expect(transition(PLAN_MACHINE, plain, ev('submit_monthly_progress', 'lead_unit'))[0].context.events.monthly_progress_submitted).toBeUndefined();

    const monthly = drive(PLAN_DEF, PLAN_MACHINE, { monthly_supervision: true }, TO_IMPLEMENTATION);
    expect(actionsByRole(PLAN_DEF, planState(monthly), DAY).lead_unit).toContainEqual({ action: 'submit_monthly_progress', label: '报送月度进展', blockers: [], needsReason: false });
    const after = drive(PLAN_DEF, PLAN_MACHINE, { monthly_supervision: true }, [...TO_IMPLEMENTATION, ev('submit_monthly_progress', 'lead_unit')]);
    expect(after.context.events.monthly_progress_submitted).toBe(DAY);
  });

  it('offers both the leading group and the reform office the meeting record', () => {
    const s = drive(PLAN_DEF, PLAN_MACHINE, { major: true }, [...TO_LEGALITY, 'pass_legality_review', 'pass_reform_office_review']);
    expect(s.value).toBe('leading_group_meeting');
    const byRole = actionsByRole(PLAN_DEF, planState(s), DAY);
    expect(Object.keys(byRole)).toEqual(['reform_office', 'leading_group']);
    expect(byRole.leading_group.map((c) => c.action)).toEqual(['approve_leading_group_meeting', 'return_leading_group_meeting']);
    expect(byRole.reform_office).toEqual(byRole.leading_group);
  });

  it('offers nothing in a final stage', () => {
    const s = PLAN_MACHINE.resolveState({ value: 'closed', context: { attributes: {}, events: {}, stages: {}, items: {}, returns: [], log: [] } });
    expect(actionsByRole(PLAN_DEF, planState(s), DAY)).toEqual({});
  });
});

/**
 * Guards and explanations agree: for every stage of every standard procedure, under several
 * contexts, every action of the definition by several roles is refused by blockersFor exactly
 * when the machine's transition leaves the snapshot as it was.
 */
describe('blockersFor agrees with the machine’s guards', () => {
  const PROCEDURES = [REFORM_PLAN, PILOT, CENTRAL_INTEGRATION].map((d) => ProcessDefinitionSchema.parse(d));
  const ATTRIBUTE_SETS: Attributes[] = [
    {},
    { major: true, party_document: true, government_duties: true },
    { government_duties: true },
    { cross_department: true, affects_public: true, technical: true, stability_risk: true },
    { monthly_supervision: true },
  ];

  function contexts(def: ProcessDefinition, attributes: Attributes, stageIndex: number): ProcessContext[] {
    const earlier = Object.fromEntries(def.stages.slice(0, stageIndex).map((s) => [s.id, 'completed' as const]));
    const allEvents = Object.fromEntries(def.events.map((e) => [e.id, DAY]));
    const itemSets: ProcessContext['items'][] = [
      {},
      { i1: { title: '事项一', status: 'completed', updatedOn: DAY } },
      { i1: { title: '事项一', status: 'started', updatedOn: DAY } },
    ];
    return [{}, earlier].flatMap((stages) =>
      [{}, allEvents].flatMap((events) => itemSets.map((items) => ({ attributes, events, stages, items, returns: [], log: [] }))),
    );
  }

  function probes(def: ProcessDefinition, stageId: string): ActionEvent[] {
    const stage = def.stages.find((s) => s.id === stageId)!;
    const own = stage.actions.flatMap((a) =>
      def.roles.flatMap((r) => {
        const reasons = a.needsReason ? [undefined, ' ', '理由'] : [undefined];
        const items: ActionEvent['item'][] = a.item ? [undefined, { id: 'i1' }, { id: 'i9' }, { id: 'i9', title: '新事项', status: 'completed' }] : [undefined];
        return reasons.flatMap((reason) => items.map((item) => ev(a.id, r.id, { reason, item })));
      }),
    );
    const others = def.stages
      .filter((s) => s.id !== stageId)
      .flatMap((s) => s.actions.map((a) => ev(a.id, a.roles[0], { reason: '理由', item: { id: 'i1', title: 't' } })));
    return [...own, ...others, ev('no_such_action', 'reform_office')];
  }

  it.each(PROCEDURES.map((d): [string, ProcessDefinition] => [d.id, d]))('%s', (_id, def) => {
    const machine = buildMachine(def);
    const disagreements: string[] = [];
    let allowed = 0;
    let refused = 0;
    const covered = new Set<string>();
    for (const attributes of ATTRIBUTE_SETS) {
      def.stages.forEach((stage, i) => {
        // A stage that does not apply is passed over at once, so no plan ever rests in it.
        if (stage.when && !holds(stage.when, attributes)) return;
        covered.add(stage.id);
        for (const context of contexts(def, attributes, i)) {
          const snapshot = machine.resolveState({ value: stage.id, context });
          for (const event of probes(def, stage.id)) {
            const blockers = blockersFor(def, { stage: stage.id, context }, event);
            const [next] = transition(machine, snapshot, event);
            const changed = next.value !== snapshot.value || JSON.stringify(next.context) !== JSON.stringify(snapshot.context);
            if (changed) allowed++;
            else refused++;
            if (changed !== (blockers.length === 0)) {
              disagreements.push(`${stage.id} ${JSON.stringify(event)} ctx=${JSON.stringify(context)}: changed=${changed} blockers=${JSON.stringify(blockers)}`);
            }
          }
        }
      });
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    expect([...covered].sort()).toEqual(def.stages.map((st) => st.id).sort());
    // Both outcomes are exercised, so agreement is not vacuous.
    expect(allowed).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(500);
  });
});
