import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** The problem library (问题库, Y9, Y11): one row per problem beside its workflow (problem-entities.ts). */
export class Problems1764620000000 implements MigrationInterface {
  name = 'Problems1764620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'problems',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'number', type: 'varchar', length: '200' },
          { name: 'year', type: 'int' },
          { name: 'seq', type: 'int' },
          { name: 'origin_region_path', type: 'varchar', length: '200' },
          { name: 'library_region_path', type: 'varchar', length: '200' },
          { name: 'owner_unit_id', type: 'varchar', length: '100' },
          { name: 'escalated_from_region_path', type: 'varchar', length: '200', isNullable: true },
          { name: 'against_type', type: 'varchar', length: '10' },
          { name: 'plan_id', type: 'varchar', length: '200', isNullable: true },
          { name: 'item_id', type: 'varchar', length: '50', isNullable: true },
          { name: 'unit_id', type: 'varchar', length: '100' },
          { name: 'description', type: 'text' },
          { name: 'found_on', type: 'varchar', length: '10' },
          { name: 'limit_date', type: 'varchar', length: '10', isNullable: true },
          { name: 'status', type: 'varchar', length: '20' },
          { name: 'workflow_id', type: 'varchar', length: '200' },
          { name: 'evidence_ids', type: 'text' },
          { name: 'note', type: 'text', isNullable: true },
          { name: 'registered_by', type: 'varchar', length: '100' },
          { name: 'registered_at', type: 'varchar', length: '30' },
          { name: 'updated_at', type: 'varchar', length: '30' },
        ],
        uniques: [{ name: 'uq_problems_number', columnNames: ['origin_region_path', 'year', 'seq'] }],
        indices: [
          { name: 'ix_problems_library', columnNames: ['library_region_path', 'registered_at'] },
          { name: 'ix_problems_escalated_from', columnNames: ['escalated_from_region_path'] },
          { name: 'ix_problems_unit', columnNames: ['unit_id'] },
          { name: 'ix_problems_workflow', columnNames: ['workflow_id'] },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('problems');
  }
}
