export * from './plan-desk';
export * from './item-desk';
export * from './evidence-types';
export * from './rules-desk';
export * from './auth-audit';
export * from './problem-desk';
