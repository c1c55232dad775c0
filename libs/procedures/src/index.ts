import { checkDefinition, ProcessDefinition } from '@reform/definitions';
import { CENTRAL_INTEGRATION } from './central-integration';
import { PILOT } from './pilot';
import { REFORM_PLAN } from './reform-plan';

export { CENTRAL_INTEGRATION, PILOT, REFORM_PLAN };
export { STANDARD_LADDER } from './common';

/** The procedures shipped with the product, validated once; a broken one fails at load. */
export function standardProcedures(): ProcessDefinition[] {
  return [REFORM_PLAN, PILOT, CENTRAL_INTEGRATION].map((d) => {
    const checked = checkDefinition(d);
    if (!checked.value) {
      throw new Error(`standard procedure ${d.id}: ${checked.diagnostics.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    }
    return checked.value;
  });
}
export { EXAMPLE_PLAN } from './example-plan';
