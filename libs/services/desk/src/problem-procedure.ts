export { PROBLEM_PROCEDURE } from '@reform/platform';
/** Its deadline whose due date is the problem's rectification limit, and whose first letter is the 整改意见书. */
export const RECTIFICATION_DEADLINE = 'rectification_due';
