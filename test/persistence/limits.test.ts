import { LENGTH_LIMITS } from '@reform/definitions';
import { DefinitionEntity, LetterEntity } from '@reform/persistence';

const lengthOf = (entity: typeof LetterEntity | typeof DefinitionEntity, column: string) =>
  Number((entity.options.columns as Record<string, { length?: number | string }>)[column]?.length);

/** The lengths checked at the input are ones the database columns hold (see libs/model/definitions/src/limits.ts). */
describe('input length limits fit the database columns', () => {
  it('a plan id fits letters.workflow_id, an id procedure_id and deadline_id, a title procedure_definitions.title', () => {
    expect(LENGTH_LIMITS.planId).toBeLessThanOrEqual(lengthOf(LetterEntity, 'workflowId'));
    expect(LENGTH_LIMITS.id).toBeLessThanOrEqual(lengthOf(LetterEntity, 'procedureId'));
    expect(LENGTH_LIMITS.id).toBeLessThanOrEqual(lengthOf(LetterEntity, 'deadlineId'));
    expect(LENGTH_LIMITS.id).toBeLessThanOrEqual(lengthOf(DefinitionEntity, 'procedureId'));
    expect(LENGTH_LIMITS.title).toBeLessThanOrEqual(lengthOf(DefinitionEntity, 'title'));
  });

  it('keys made of them fit: deadline key (id#n) and idempotency key (plan/key/level)', () => {
    const deadlineKey = `${'d'.repeat(LENGTH_LIMITS.id)}#${Number.MAX_SAFE_INTEGER}`;
    expect(deadlineKey.length).toBeLessThanOrEqual(lengthOf(LetterEntity, 'deadlineKey'));
    const idempotencyKey = `${'p'.repeat(LENGTH_LIMITS.planId)}/${deadlineKey}/99`;
    expect(idempotencyKey.length).toBeLessThanOrEqual(lengthOf(LetterEntity, 'idempotencyKey'));
  });
});
