export * from './connection';
export * from './bundle';
export * from './worker';
export * from './dev-server';
export * from './namespace';
