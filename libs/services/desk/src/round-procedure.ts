export { SELF_INSPECTION_PROCEDURE } from '@reform/platform';
/** Its deadline whose due date is the task's limit (报送自查情况). */
export const SELF_INSPECTION_DEADLINE = 'self_inspection_due';
