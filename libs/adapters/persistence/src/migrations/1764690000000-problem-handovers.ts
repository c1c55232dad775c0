import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Problems handed over together in one 整改意见书 (A13: the problem list and the limit):
 * `problem_handovers` keeps each handover's list, which its letter prints, and
 * `problem_handover_members` puts a problem in one handover at most (problem-entities.ts).
 */
export class ProblemHandovers1764690000000 implements MigrationInterface {
  name = 'ProblemHandovers1764690000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'problem_handovers',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'library_region_path', type: 'varchar', length: '200' },
          { name: 'unit_id', type: 'varchar', length: '100' },
          { name: 'carrier_workflow_id', type: 'varchar', length: '200' },
          { name: 'problems', type: 'text' },
          { name: 'business_date', type: 'varchar', length: '10', isNullable: true },
          { name: 'created_by', type: 'varchar', length: '100' },
          { name: 'request_id', type: 'varchar', length: '128', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '30' },
        ],
        uniques: [{ name: 'uq_problem_handovers_carrier', columnNames: ['carrier_workflow_id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'problem_handover_members',
        columns: [
          { name: 'problem_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'handover_id', type: 'varchar', length: '36' },
          { name: 'seq', type: 'int' },
        ],
        indices: [{ name: 'ix_problem_handover_members_handover', columnNames: ['handover_id', 'seq'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('problem_handover_members');
    await q.dropTable('problem_handovers');
  }
}
