import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Supervision rounds (督察轮次, S3), their plans fixed at opening and the items' self-inspection and findings (round-entities.ts). */
export class SupervisionRounds1764630000000 implements MigrationInterface {
  name = 'SupervisionRounds1764630000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'supervision_rounds',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'year', type: 'int' },
          { name: 'region_path', type: 'varchar', length: '200' },
          { name: 'owner_unit_id', type: 'varchar', length: '100' },
          { name: 'opened_on', type: 'varchar', length: '10' },
          { name: 'cutoff', type: 'varchar', length: '10' },
          { name: 'status', type: 'varchar', length: '10' },
          { name: 'opened_by', type: 'varchar', length: '100' },
          { name: 'opened_at', type: 'varchar', length: '30' },
          { name: 'closed_on', type: 'varchar', length: '10', isNullable: true },
          { name: 'closed_at', type: 'varchar', length: '30', isNullable: true },
        ],
        indices: [{ name: 'ix_supervision_rounds_region', columnNames: ['region_path', 'opened_at'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'supervision_round_plans',
        columns: [
          { name: 'round_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'plan_id', type: 'varchar', length: '200', isPrimary: true },
          { name: 'plan_title', type: 'varchar', length: '200' },
          { name: 'procedure_id', type: 'varchar', length: '100' },
          { name: 'lead_unit_id', type: 'varchar', length: '100' },
          { name: 'special_group_id', type: 'varchar', length: '100', isNullable: true },
          { name: 'issued_on', type: 'varchar', length: '10' },
          { name: 'workflow_id', type: 'varchar', length: '200' },
          { name: 'limit_date', type: 'varchar', length: '10', isNullable: true },
          { name: 'status', type: 'varchar', length: '20' },
          { name: 'reported_on', type: 'varchar', length: '10', isNullable: true },
          { name: 'verified_on', type: 'varchar', length: '10', isNullable: true },
          { name: 'updated_at', type: 'varchar', length: '30' },
        ],
        indices: [
          { name: 'ix_supervision_round_plans_lead', columnNames: ['lead_unit_id'] },
          { name: 'ix_supervision_round_plans_workflow', columnNames: ['workflow_id'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'supervision_round_items',
        columns: [
          { name: 'round_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'plan_id', type: 'varchar', length: '200', isPrimary: true },
          { name: 'item_id', type: 'varchar', length: '50', isPrimary: true },
          { name: 'item_title', type: 'varchar', length: '200' },
          { name: 'status_at_opening', type: 'varchar', length: '20' },
          { name: 'self_status', type: 'varchar', length: '20', isNullable: true },
          { name: 'self_note', type: 'text', isNullable: true },
          { name: 'evidence_ids', type: 'text' },
          { name: 'verified_status', type: 'varchar', length: '20', isNullable: true },
          { name: 'verify_note', type: 'text', isNullable: true },
        ],
        indices: [{ name: 'ix_supervision_round_items_plan', columnNames: ['plan_id', 'verified_status'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('supervision_round_items');
    await q.dropTable('supervision_round_plans');
    await q.dropTable('supervision_rounds');
  }
}
