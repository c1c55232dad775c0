import type { ProcessDefinitionInput } from '@reform/definitions';

type Def = ProcessDefinitionInput;
type Stage = Def['stages'][number];
type Deadline = NonNullable<Def['deadlines']>[number];
type Ladder = Deadline['ladder'];

/** The roles of the reform procedures (see shared/domain.md, "Who uses it"). */
export const ROLES: Def['roles'] = [
  { id: 'reform_office', label: '改革办' },
  { id: 'leading_group', label: '改革领导小组', addressee: { name: '改革领导小组' } },
  { id: 'special_group', label: '专项小组', addressee: { plan: 'specialGroup' } },
  { id: 'lead_unit', label: '牵头单位', addressee: { plan: 'leadUnit' } },
  { id: 'participating_unit', label: '参与单位', addressee: { plan: 'participatingUnits' } },
  { id: 'legal_office', label: '法制机构', addressee: { name: '法制机构' } },
  { id: 'all_units', label: '各有关单位', addressee: { name: '各有关单位' } },
];

/**
 * The default letter ladder (Y9, A13): reminder five working days before the due date, a
 * supervision letter once it has passed, public naming and then an interview of the principal
 * when each further limit passes without the task done.
 */
export const STANDARD_LADDER: Ladder = [
  { kind: 'reminder', trigger: { type: 'beforeDue', offset: { amount: 5, unit: 'workingDays' } }, to: ['lead_unit'], source: 'Y9' },
  {
    kind: 'supervision',
    trigger: { type: 'dueEnded' },
    to: ['lead_unit'],
    cc: ['special_group'],
    limit: { amount: 10, unit: 'workingDays' },
    source: 'Y9',
  },
  {
    kind: 'public_naming',
    trigger: { type: 'previousLimitEnded' },
    to: ['all_units'],
    cc: ['special_group'],
    limit: { amount: 10, unit: 'workingDays' },
    source: 'A13',
  },
  { kind: 'interview', trigger: { type: 'previousLimitEnded' }, to: ['lead_unit'], cc: ['leading_group'], source: 'A13' },
];

/** A review stage: pass moves on, reject goes back to drafting with the reasons kept (A8). */
export function reviewStage(
  id: string,
  label: string,
  role: string,
  opts: { next: string; when?: Stage['when']; requires?: string[]; source?: string },
): Stage {
  return {
    id,
    label,
    source: opts.source ?? 'A8',
    when: opts.when,
    requires: opts.requires ?? [],
    actions: [
      { id: `pass_${id}`, label: `${label}通过`, roles: [role], to: opts.next },
      { id: `reject_${id}`, label: `${label}退回修改`, roles: [role], to: 'drafting', needsReason: true },
    ],
  };
}

/** A meeting whose decision the reform office (as its secretariat) or the body records (A9). */
export function meetingStage(
  id: string,
  label: string,
  roles: string[],
  opts: { next: string; when?: Stage['when']; requires: string[]; source?: string },
): Stage {
  return {
    id,
    label,
    source: opts.source ?? 'A9',
    when: opts.when,
    requires: opts.requires,
    actions: [
      { id: `approve_${id}`, label: `记录${label}审议通过`, roles, to: opts.next },
      { id: `return_${id}`, label: `记录${label}要求修改`, roles, to: 'drafting', needsReason: true },
    ],
  };
}

export const goesToLeadingGroup = { any: [{ attr: 'major' }, { attr: 'central_plan' }, { attr: 'pilot' }, { attr: 'party_document' }] };

/** Drafting (A5), research (A6) and consultation as the plan's nature requires (A7). */
export function draftingStages(afterConsultation: string): Stage[] {
  return [
    {
      id: 'drafting',
      label: '方案起草',
      source: 'A5',
      actions: [{ id: 'submit_draft', label: '提交方案稿', roles: ['lead_unit'], to: 'research', records: ['draft_submitted'] }],
    },
    {
      id: 'research',
      label: '调查研究',
      source: 'A6',
      actions: [
        { id: 'complete_research', label: '完成调查研究', roles: ['lead_unit', 'special_group'], to: 'department_coordination', records: ['research_done'] },
      ],
    },
    consultation('department_coordination', '部门协调论证', { attr: 'cross_department' }, 'record_consensus', '记录部门协调达成一致', 'public_consultation'),
    consultation('public_consultation', '公众参与论证', { attr: 'affects_public' }, 'record_public_consultation', '记录听证、问卷等公众意见', 'expert_consultation'),
    consultation('expert_consultation', '专家论证', { attr: 'technical' }, 'record_expert_opinion', '记录专家论证意见', 'stability_assessment'),
    consultation('stability_assessment', '社会稳定风险评估', { attr: 'stability_risk' }, 'record_stability_assessment', '记录社会稳定风险评估结论', afterConsultation),
  ];
}

function consultation(id: string, label: string, when: Stage['when'], action: string, actionLabel: string, next: string): Stage {
  return { id, label, source: 'A7', when, actions: [{ id: action, label: actionLabel, roles: ['lead_unit'], to: next }] };
}

/** Reviews and deliberation (A8, A9), from special-group review to issuance. */
export function reviewAndDeliberationStages(opts: { alwaysLeadingGroup: boolean }): Stage[] {
  const toLeadingGroup = opts.alwaysLeadingGroup ? undefined : goesToLeadingGroup;
  const stages: Stage[] = [
    reviewStage('special_group_review', '专项小组审核', 'special_group', { next: 'legality_review' }),
    reviewStage('legality_review', '合法合规性审查', 'legal_office', { next: 'reform_office_review', requires: ['special_group_review'] }),
    reviewStage('reform_office_review', '改革办审核', 'reform_office', {
      next: 'executive_meeting',
      when: toLeadingGroup,
      requires: ['legality_review'],
    }),
    meetingStage('executive_meeting', '政府常务会议', ['reform_office'], {
      next: 'leading_group_meeting',
      when: { attr: 'government_duties' },
      requires: ['legality_review'],
    }),
    meetingStage('leading_group_meeting', '改革领导小组会议', ['leading_group', 'reform_office'], {
      next: 'standing_committee',
      when: toLeadingGroup,
      requires: ['legality_review', 'reform_office_review', 'executive_meeting'],
      source: opts.alwaysLeadingGroup ? 'S1' : 'A9',
    }),
    meetingStage('standing_committee', '党委常委会会议', ['reform_office'], {
      next: 'issuance',
      when: { attr: 'party_document' },
      requires: ['leading_group_meeting'],
    }),
  ];
  if (!opts.alwaysLeadingGroup) {
    stages.push({
      id: 'other_deliberation',
      label: '专项小组会议审议或会签',
      source: 'A9',
      when: { not: { any: [goesToLeadingGroup, { attr: 'government_duties' }] } },
      requires: ['legality_review'],
      actions: [
        { id: 'approve_special_group_meeting', label: '记录专项小组会议审议通过', roles: ['special_group'], to: 'issuance' },
        { id: 'approve_countersign', label: '记录会签完成', roles: ['special_group'], to: 'issuance' },
        { id: 'return_other_deliberation', label: '记录审议要求修改', roles: ['special_group'], to: 'drafting', needsReason: true },
      ],
    });
  }
  stages.push({
    id: 'issuance',
    label: '印发出台',
    source: 'A9',
    requires: ['legality_review'],
    actions: [{ id: 'issue', label: '印发方案', roles: ['lead_unit', 'reform_office'], to: 'filing', records: ['issued'] }],
  });
  stages.push({
    id: 'filing',
    label: '备案',
    source: 'A9',
    actions: [{ id: 'file', label: '向改革办备案', roles: ['lead_unit'], to: opts.alwaysLeadingGroup ? 'closed' : 'implementation', records: ['filed'] }],
  });
  return stages;
}

export const PLAN_ATTRIBUTES: Def['attributes'] = [
  { id: 'major', label: '重大改革方案' },
  { id: 'cross_department', label: '涉及多个部门' },
  { id: 'affects_public', label: '涉及群众切身利益' },
  { id: 'technical', label: '专业性技术性较强' },
  { id: 'stability_risk', label: '涉及重大公共利益或社会稳定风险' },
  { id: 'party_document', label: '以党委文件印发' },
  { id: 'government_duties', label: '涉及政府职责' },
  { id: 'central_plan', label: '对接中央改革方案' },
  { id: 'pilot', label: '省级以上改革试点' },
];

export const PLAN_EVENTS: Def['events'] = [
  { id: 'registered', label: '任务登记' },
  { id: 'draft_submitted', label: '提交方案稿' },
  { id: 'research_done', label: '完成调查研究' },
  { id: 'issued', label: '方案印发' },
  { id: 'filed', label: '方案备案' },
  { id: 'report_submitted', label: '报送半年落实情况' },
  { id: 'retrospective_done', label: '完成“回头看”' },
  { id: 'written_off', label: '销账' },
  { id: 'central_plan_issued', label: '中央改革方案印发' },
];

export const FILING_DEADLINE: Deadline = {
  id: 'filing',
  label: '方案备案',
  source: 'A9',
  from: { event: 'issued' },
  within: { amount: 1, unit: 'months' },
  metBy: { event: 'filed' },
  ladder: STANDARD_LADDER,
};

/** A report due every half year from an event (A12, S6): reminded, then supervised, each time. */
export function halfYearly(id: string, label: string, source: string, from: string, metBy: string): Deadline {
  return {
    id,
    label,
    source,
    from: { event: from },
    within: { amount: 6, unit: 'months' },
    repeat: { every: { amount: 6, unit: 'months' } },
    metBy: { event: metBy },
    ladder: STANDARD_LADDER.slice(0, 2),
  };
}
