/**
 * Every procedure shipped in rules/standard, in the order the product lists them (the main
 * procedure first). The one list of them: the tests compare it with what rules/standard compiles
 * to (libs/services/procedures/src/procedures.spec.ts), so a procedure added there and not here
 * fails that test, and every other test reads this list instead of writing the ids out.
 */
export const STANDARD_PROCEDURE_IDS: readonly string[] = ['reform_plan', 'pilot', 'central_integration', 'problem', 'leader_led', 'blocked_reform', 'self_inspection'];

/** The procedure every problem of the problem library runs (rules/standard/problem.rules). */
export const PROBLEM_PROCEDURE = 'problem';
/** The problem procedure's deadline whose due date is the problem's rectification limit, and whose first letter is the 整改意见书. */
export const RECTIFICATION_DEADLINE = 'rectification_due';
/**
 * The problem procedure's deadline of a problem handed over with others in one 整改意见书 (the
 * letter goes out once, from the first problem's rectification_due): the same limit, the ladder
 * after it, no letter of its own at handover.
 */
export const RECTIFICATION_LISTED_DEADLINE = 'rectification_due_listed';
/** The problem procedure's action that hands a problem over in another problem's 整改意见书 (ProblemDesk.handOver only). */
export const HAND_OVER_LISTED_ACTION = 'hand_over_listed';
/** The procedure every self-inspection task of a supervision round runs (rules/standard/self-inspection.rules). */
export const SELF_INSPECTION_PROCEDURE = 'self_inspection';
/** The self-inspection procedure's deadline whose due date is the task's limit (报送自查情况). */
export const SELF_INSPECTION_DEADLINE = 'self_inspection_due';

/**
 * Procedures whose instances run on the engine and keep a ledger row like plans, but are not
 * plans: a problem (problem library) and a self-inspection task (supervision round). Each is
 * registered and acted on through its own desk; the ledger of plans, its export, the task list,
 * the dashboards' plan counts, the assessment's plan measures and the rounds leave them out.
 */
export const NON_PLAN_PROCEDURES: readonly string[] = [PROBLEM_PROCEDURE, SELF_INSPECTION_PROCEDURE];

/** Whether instances of the procedure are plans (see NON_PLAN_PROCEDURES). */
export function isPlanProcedure(procedureId: string): boolean {
  return !NON_PLAN_PROCEDURES.includes(procedureId);
}
