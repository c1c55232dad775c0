import type { ProcessDefinitionInput } from '@reform/definitions';
import { halfYearly, ROLES, STANDARD_LADDER } from './common';

const outcome = (id: string, label: string, to: string) => ({
  id,
  label,
  roles: ['reform_office', 'special_group'],
  to,
  records: ['final_evaluated'],
  source: 'S5',
});

/**
 * (b) A reform pilot (A16, S5, S6): half-year phased evaluations while it runs, the summary
 * report within two months of its end, and a final evaluation with one of four outcomes.
 */
export const PILOT: ProcessDefinitionInput = {
  id: 'pilot',
  version: 1,
  title: '改革试点',
  source: 'S6',
  roles: ROLES,
  attributes: [],
  events: [
    { id: 'registered', label: '任务登记' },
    { id: 'pilot_started', label: '试点启动' },
    { id: 'evaluation_submitted', label: '报送阶段性评估' },
    { id: 'plan_adjusted', label: '反馈并调整试点方案' },
    { id: 'pilot_ended', label: '试点结束' },
    { id: 'summary_submitted', label: '提交总结报告及下一步意见建议' },
    { id: 'final_evaluated', label: '完成终期评估' },
  ],
  startEvents: ['pilot_started'],
  stages: [
    {
      id: 'running',
      label: '试点实施',
      source: 'S6',
      actions: [
        { id: 'submit_phase_evaluation', label: '报送半年阶段性评估', roles: ['lead_unit'], records: ['evaluation_submitted'], source: 'S6' },
        { id: 'report_plan_adjustment', label: '反馈方案欠缺并调整', roles: ['lead_unit'], records: ['plan_adjusted'], needsReason: true, source: 'A16' },
        { id: 'end_pilot', label: '试点结束', roles: ['lead_unit', 'reform_office'], to: 'summary', records: ['pilot_ended'], source: 'A16' },
      ],
    },
    {
      id: 'summary',
      label: '总结报告',
      source: 'A16',
      actions: [
        { id: 'submit_summary', label: '提交总结报告及下一步意见建议', roles: ['lead_unit'], to: 'final_evaluation', records: ['summary_submitted'] },
      ],
    },
    {
      id: 'final_evaluation',
      label: '终期评估',
      source: 'S5',
      actions: [
        outcome('evaluate_completed', '评估结论:已经完成', 'closed'),
        outcome('evaluate_continue', '评估结论:继续试点', 'running'),
        outcome('evaluate_stopped', '评估结论:停止试点', 'closed'),
        outcome('evaluate_promoted', '评估结论:经验推广', 'closed'),
      ],
    },
    { id: 'closed', label: '试点已结束评估', source: 'S5', final: true },
  ],
  deadlines: [
    halfYearly('phase_evaluation', '试点半年阶段性评估', 'S6', 'pilot_started', 'evaluation_submitted'),
    {
      id: 'pilot_summary',
      label: '试点总结报告',
      source: 'A16',
      from: { event: 'pilot_ended' },
      within: { amount: 2, unit: 'months' },
      metBy: { event: 'summary_submitted' },
      ladder: STANDARD_LADDER,
    },
  ],
};
