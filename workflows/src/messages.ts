import type { HolidayCalendar } from '@reform/calendar';
import type { Command, ProcessDefinition } from '@reform/definitions';
import type { DeadlineChange, DeadlinePolicy, PlanSnapshot, PlanView } from '@reform/machine';
import { defineQuery, defineUpdate } from '@temporalio/workflow';

/** Take an action as a role. Rejected by its validator, before history, when it is not legal now. */
export const actUpdate = defineUpdate<PlanView, [Command]>('act');
/** The plan as users see it: stage, allowed actions by role, deadlines, letters. */
export const viewQuery = defineQuery<PlanView>('view');
/** What the plan has on record (business events, deadlines, letters sent): for what-if and migration dry runs. */
export const snapshotQuery = defineQuery<PlanSnapshot>('snapshot');

export interface MigrateRequest {
  /** A published version of the plan's procedure. */
  definition: ProcessDefinition;
  policy: DeadlinePolicy;
  actor?: string;
}
/**
 * Moves the plan to another version of its procedure (an explicit act of the reform office):
 * rejected before history when the move is impossible; answers what happened to each deadline.
 */
export const migrateUpdate = defineUpdate<DeadlineChange[], [MigrateRequest]>('migrate');

/**
 * The office loaded holiday arrangements: open deadlines counted in working days are counted
 * again under them. Answers with the deadlines whose due date moved.
 */
export const calendarUpdate = defineUpdate<Array<{ key: string; from: string; to: string }>, [HolidayCalendar]>('calendar');

export const PROCEDURE_WORKFLOW = 'procedureWorkflow';
export const ACTION_REJECTED = 'ActionRejected';
