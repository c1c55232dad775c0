export * from './plan-service';
export * from './rulesets';
