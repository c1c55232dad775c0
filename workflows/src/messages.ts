import type { Command } from '@reform/definitions';
import type { PlanView } from '@reform/machine';
import { defineQuery, defineUpdate } from '@temporalio/workflow';

/** Take an action as a role. Rejected by its validator, before history, when it is not legal now. */
export const actUpdate = defineUpdate<PlanView, [Command]>('act');
/** The plan as users see it: stage, allowed actions by role, deadlines, letters. */
export const viewQuery = defineQuery<PlanView>('view');

export const PROCEDURE_WORKFLOW = 'procedureWorkflow';
export const ACTION_REJECTED = 'ActionRejected';
