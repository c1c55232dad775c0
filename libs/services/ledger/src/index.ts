export * from './ledger-service';
export * from './letter-list';
export * from './inbox';
export * from './lights';
export * from './invariants';
