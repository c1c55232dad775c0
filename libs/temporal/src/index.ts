export * from './connection';
export * from './bundle';
export * from './worker';
export * from './plan-service';
export * from './dev-server';
