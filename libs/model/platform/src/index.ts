export * from './scope';
export * from './audit';
