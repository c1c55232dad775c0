/** The procedure every problem of the problem library runs (rules/standard/problem.rules). */
export const PROBLEM_PROCEDURE = 'problem';
/** Its deadline whose due date is the problem's rectification limit, and whose first letter is the 整改意见书. */
export const RECTIFICATION_DEADLINE = 'rectification_due';
