export * from './audit-service';
