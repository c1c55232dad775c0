export * from './entities';
export * from './data-source';
export * from './letter-store';
export * from './definition-store';
export { MIGRATIONS } from './migrations';
export * from './calendar-store';
export { describeWriteError, isPermanentWriteError, PermanentWriteError } from './errors';
export * from './ledger-entities';
export * from './ledger-store';
