/** The procedure every self-inspection task of a supervision round runs (rules/standard/self-inspection.rules). */
export const SELF_INSPECTION_PROCEDURE = 'self_inspection';
/** Its deadline whose due date is the task's limit (报送自查情况). */
export const SELF_INSPECTION_DEADLINE = 'self_inspection_due';
