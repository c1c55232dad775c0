export * from './scope';
export * from './units';
export * from './users';
export * from './auth';
export * from './audit';
export * from './procedures';
