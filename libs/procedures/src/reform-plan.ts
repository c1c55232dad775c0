import type { ProcessDefinitionInput } from '@reform/definitions';
import { draftingStages, FILING_DEADLINE, halfYearly, PLAN_ATTRIBUTES, PLAN_EVENTS, reviewAndDeliberationStages, ROLES, STANDARD_LADDER } from './common';

/**
 * (a) The reform plan procedure (A5–A10, A12, A16, S1, S2): drafting to write-off.
 * A central plan's matching plan (attribute central_plan) must be issued within half a year (S1).
 */
export const REFORM_PLAN: ProcessDefinitionInput = {
  id: 'reform_plan',
  version: 1,
  title: '改革方案',
  source: 'A5',
  roles: ROLES,
  attributes: PLAN_ATTRIBUTES,
  events: PLAN_EVENTS,
  startEvents: ['central_plan_issued'],
  stages: [
    ...draftingStages('special_group_review'),
    ...reviewAndDeliberationStages({ alwaysLeadingGroup: false }),
    {
      id: 'implementation',
      label: '组织实施',
      source: 'A12',
      actions: [
        { id: 'update_item', label: '登记或更新具体改革事项', roles: ['lead_unit'], item: 'upsert', source: 'S2' },
        { id: 'submit_report', label: '报送半年落实情况', roles: ['lead_unit', 'special_group'], records: ['report_submitted'], source: 'A12' },
        { id: 'submit_retrospective', label: '报送“回头看”报告', roles: ['lead_unit'], records: ['retrospective_done'], source: 'A16' },
        {
          id: 'request_write_off',
          label: '申请销账',
          roles: ['special_group'],
          to: 'write_off',
          needsAllItemsCompleted: true,
          needsEvents: ['retrospective_done'],
          source: 'S2',
        },
      ],
    },
    {
      id: 'write_off',
      label: '销账审批',
      source: 'S2',
      actions: [
        { id: 'approve_write_off', label: '同意销账', roles: ['leading_group'], to: 'closed', records: ['written_off'] },
        { id: 'reject_write_off', label: '不同意销账', roles: ['leading_group'], to: 'implementation', needsReason: true },
      ],
    },
    { id: 'closed', label: '已销账', source: 'S2', final: true },
  ],
  deadlines: [
    FILING_DEADLINE,
    halfYearly('half_year_report', '半年落实情况报告', 'A12', 'issued', 'report_submitted'),
    {
      id: 'retrospective',
      label: '实施满一年“回头看”',
      source: 'A16',
      from: { event: 'issued' },
      within: { amount: 1, unit: 'years' },
      metBy: { event: 'retrospective_done' },
      ladder: STANDARD_LADDER,
    },
    {
      id: 'central_integration',
      label: '出台中央改革方案的配套方案',
      source: 'S1',
      when: { attr: 'central_plan' },
      from: { event: 'central_plan_issued' },
      within: { amount: 6, unit: 'months' },
      metBy: { event: 'issued' },
      ladder: STANDARD_LADDER,
    },
  ],
};
