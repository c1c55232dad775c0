export * from './plan-desk';
export * from './rules-desk';
