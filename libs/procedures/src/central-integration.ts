import type { ProcessDefinitionInput } from '@reform/definitions';
import { draftingStages, FILING_DEADLINE, PLAN_ATTRIBUTES, PLAN_EVENTS, reviewAndDeliberationStages, ROLES, STANDARD_LADDER } from './common';

/**
 * (c) Central plan integration (S1): for every central plan the province issues a matching plan
 * within half a year, always deliberated by the leading group, never issued by a department
 * alone. Once issued and filed, the matching plan is implemented as a reform plan.
 */
export const CENTRAL_INTEGRATION: ProcessDefinitionInput = {
  id: 'central_integration',
  version: 1,
  title: '中央改革方案对接',
  source: 'S1',
  roles: ROLES,
  attributes: PLAN_ATTRIBUTES,
  events: PLAN_EVENTS,
  startEvents: ['central_plan_issued'],
  stages: [
    ...draftingStages('special_group_review'),
    ...reviewAndDeliberationStages({ alwaysLeadingGroup: true }),
    { id: 'closed', label: '配套方案已出台备案', source: 'S1', final: true },
  ],
  deadlines: [
    {
      id: 'matching_plan',
      label: '出台配套方案',
      source: 'S1',
      from: { event: 'central_plan_issued' },
      within: { amount: 6, unit: 'months' },
      metBy: { event: 'issued' },
      ladder: STANDARD_LADDER,
    },
    FILING_DEADLINE,
  ],
};
