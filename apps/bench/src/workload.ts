import { localDateAt, SHIPPED_HOLIDAYS } from '@reform/calendar';
import type { Command, ProcessDefinition, StartInputData } from '@reform/definitions';
import { EXAMPLE_PLAN, standardProcedures } from '@reform/procedures';

/** The plan every bench instance is registered with (as in the scenario tests). */
export const BENCH_PLAN = EXAMPLE_PLAN;

/**
 * Ten actions that take a plan with no attributes from drafting into implementation and report
 * on it: the legal path when every consultation stage is skipped and the plan is countersigned.
 */
export const TEN_ACTIONS: Command[] = [
  { action: 'submit_draft', role: 'lead_unit' },
  { action: 'complete_research', role: 'lead_unit' },
  { action: 'pass_special_group_review', role: 'special_group' },
  { action: 'pass_legality_review', role: 'legal_office' },
  { action: 'approve_countersign', role: 'special_group' },
  { action: 'issue', role: 'lead_unit' },
  { action: 'file', role: 'lead_unit' },
  { action: 'update_item', role: 'lead_unit', item: { id: '1', title: '事项一', status: 'started' } },
  { action: 'update_item', role: 'lead_unit', item: { id: '1', status: 'completed' } },
  { action: 'submit_report', role: 'lead_unit' },
];

/** REFORM_PLAN as the plan service sends it: the published (parsed and checked) definition. */
export function reformPlan(): ProcessDefinition {
  return standardProcedures().find((d) => d.id === 'reform_plan')!;
}

/** A walk instance: no attributes, registered today. */
export function walkInput(definition: ProcessDefinition): StartInputData {
  return { definition, calendar: SHIPPED_HOLIDAYS, plan: BENCH_PLAN, attributes: {}, registeredOn: localDateAt(Date.now()), startEvents: {} };
}

/**
 * A live instance with an open durable timer from its first workflow task and no Updates: a
 * central plan's matching plan, whose half-year deadline (S1) counts from the central plan's issue today.
 */
export function liveInput(definition: ProcessDefinition): StartInputData {
  const today = localDateAt(Date.now());
  return {
    definition,
    calendar: SHIPPED_HOLIDAYS,
    plan: BENCH_PLAN,
    attributes: { central_plan: true },
    registeredOn: today,
    startEvents: { central_plan_issued: today },
  };
}
