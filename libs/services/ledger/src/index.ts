export * from './ledger-service';
export * from './letter-list';
