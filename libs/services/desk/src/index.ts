export * from './plan-desk';
export * from './item-desk';
export * from './evidence-types';
export * from './rules-desk';
export * from './auth-audit';
export * from './xlsx';
export * from './task-list';
export * from './excel-export';
