export { readRulesDir, STANDARD_PROCEDURE_IDS, STANDARD_RULES_DIR, standardProcedure, standardProcedures, StandardRulesError } from './standard-rules';
export { EXAMPLE_PLAN } from './example-plan';
export * from './check-rules';
export * from './rules-tools';
