export * from './core';
export * from './definition';
export * from './check-definition';
export * from './plan';
export * from './limits';
