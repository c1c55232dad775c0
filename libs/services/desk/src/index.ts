export * from './plan-desk';
