export * from './plan-service';
