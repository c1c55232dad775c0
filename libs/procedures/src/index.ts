import { standardProcedure } from './standard-rules';

export { readRulesDir, STANDARD_PROCEDURE_IDS, STANDARD_RULES_DIR, standardProcedure, standardProcedures } from './standard-rules';

/** The standard procedures by name, for tests and the benchmark. */
export const REFORM_PLAN = standardProcedure('reform_plan');
export const PILOT = standardProcedure('pilot');
export const CENTRAL_INTEGRATION = standardProcedure('central_integration');
export { EXAMPLE_PLAN } from './example-plan';
