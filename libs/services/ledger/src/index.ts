export * from './ledger-service';
