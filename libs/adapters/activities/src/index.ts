export * from './create-activities';
export * from './outbox-deliverer';
