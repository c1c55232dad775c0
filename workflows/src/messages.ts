import type { HolidayCalendar } from '@reform/calendar/core';
import type { Command, Plan, ProcessDefinition, StartInputData } from '@reform/definitions/core';
import type { AuditedAct, DeadlineChange, DeadlinePolicy, DeadlineState, LedgerWrite, PlanProjection, PlanSnapshot, PlanView, ProcessContext } from '@reform/machine';
import { defineQuery, defineUpdate } from '@temporalio/workflow';

/**
 * What an action did, kept small: it is written into the plan's history with every Update, and
 * a plan lives for years. The whole plan is the view query.
 */
export interface ActResult {
  workflowId: string;
  /** The action taken, as logged. */
  action: string;
  role: string;
  businessDate: string;
  /** The stage the plan is in now. */
  stage: { id: string; label: string; source?: string };
  finished: boolean;
  /** Deadline occurrences the action met, opened or cancelled. */
  deadlines: Array<{ key: string; label: string; change: 'met' | 'opened' | 'cancelled'; due: string }>;
  /** The actions each role may take now (those still blocked, and why, are in the view). */
  actions: Record<string, Array<{ action: string; label: string }>>;
}

/**
 * Who took an action, as the platform signed them in (PlanDesk): the act goes into the audit
 * trail with the ledger write of its change. Given a request id, a retried request answers what
 * the first one did and changes nothing.
 */
export interface ActBy {
  userId: string;
  name: string;
  unitId: string | null;
  requestId?: string;
  /**
   * What the caller adds to the act's audit row besides what the engine records (an item change's
   * evidence file ids and note): plain values, kept as given.
   */
  notes?: {
    note?: string;
    evidenceIds?: string[];
    statusBefore?: string | null;
    /**
     * What the desk that asked keeps beside the workflow (the library a problem is sent up to, a
     * round task's items as reported): plain JSON values, which the ledger write's desk hook
     * turns into the desk's rows in the same transaction as the act's audit row.
     */
    desk?: Record<string, unknown>;
  };
}

/**
 * Take an action as a role. Rejected by its validator, before history, when it is not legal now.
 * The second argument (absent in plans' histories from before the audit trail) names the user.
 */
export const actUpdate = defineUpdate<ActResult, [Command, ActBy?]>('act');
/** The plan as users see it: stage, allowed actions by role, deadlines, letters. */
export const viewQuery = defineQuery<PlanView>('view');
/** The plan as the ledger keeps it (with its change counter): what `reform ledger rebuild` writes. */
export const projectionQuery = defineQuery<PlanProjection>('projection');
/**
 * The plan's next ledger write: its projection and the acts (registration included) whose audit
 * rows have not landed with a write of the workflow's own yet. Whoever writes it first (the desk
 * before it answers, or the workflow's activity) writes the rows; the other changes nothing.
 */
export const ledgerWriteQuery = defineQuery<LedgerWrite>('ledgerWrite');
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

/**
 * Everything a plan has, handed from one run to the next when its history has grown long
 * (continue-as-new): the next run goes on exactly where this one stopped.
 */
export interface CarriedPlan {
  definition: ProcessDefinition;
  calendar: HolidayCalendar;
  plan: Plan;
  /** The machine's state: stage and context (attributes, events, stages passed, items, returns, log). */
  stage: string;
  context: ProcessContext;
  /** Every deadline occurrence, met and cancelled ones too, with the letters sent for it. */
  deadlines: DeadlineState[];
  /** Business events as recorded, under whichever version was in force then. */
  recorded: PlanSnapshot['events'];
  /** Changes made by Updates so far. */
  changes: number;
  /** The ledger's change counter: every change of the plan's state so far (absent from runs before the ledger). */
  revision?: number;
  /** When the plan last changed (workflow time, ms). */
  changedAt?: number;
  /** Acts whose audit rows have not yet been written with a ledger write. */
  acts?: AuditedAct[];
  /** The latest answers by request id, so a retried request changes nothing. */
  answered?: Array<{ requestId: string; result: ActResult }>;
  /** Runs before this one. */
  runs: number;
  historyLimit?: number;
}

/** A new plan, or a plan going on in a new run. */
export type ProcedureInput = StartInputData | { continued: CarriedPlan };

/** Events a run's history may grow to before the plan continues in a new run (unless its start input sets another bound). */
export const DEFAULT_HISTORY_LIMIT = 5000;

export const PROCEDURE_WORKFLOW = 'procedureWorkflow';
export const ACTION_REJECTED = 'ActionRejected';
