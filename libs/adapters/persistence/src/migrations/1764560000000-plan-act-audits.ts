import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Which acts on a plan the audit trail holds, by (plan, revision): the ledger write that carries
 * an act appends its audit row only when it can claim the act's key here, in the same
 * transaction, so a retried or repeated write records it once.
 */
export class PlanActAudits1764560000000 implements MigrationInterface {
  name = 'PlanActAudits1764560000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'plan_act_audits',
        columns: [
          { name: 'plan_id', type: 'varchar', length: '200', isPrimary: true },
          { name: 'revision', type: 'bigint', isPrimary: true },
          { name: 'audit_seq', type: 'bigint' },
          { name: 'request_id', type: 'varchar', length: '100', isNullable: true },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('plan_act_audits');
  }
}
