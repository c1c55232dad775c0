export * from './condition';
export * from './definition';
export * from './check-definition';
export * from './plan';
export * from './limits';
