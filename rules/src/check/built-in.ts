/** The event the engine records when a task is registered: every procedure can count from it. */
export const BUILT_IN_EVENTS = [{ id: 'registered', label: '任务登记' }];
/** The file name the checker gives built-in declarations. */
export const BUILT_IN_FILE = '(内置)';
