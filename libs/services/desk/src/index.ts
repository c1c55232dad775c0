export * from './plan-desk';
export * from './auth-audit';
