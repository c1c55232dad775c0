import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** The yearly deliberation schedule (年度上会审议计划, W5): meetings and the plans listed for them (deliberation-entities.ts). */
export class DeliberationSchedule1764660000000 implements MigrationInterface {
  name = 'DeliberationSchedule1764660000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'deliberation_meetings',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'owner_unit_id', type: 'varchar', length: '100' },
          { name: 'region_path', type: 'varchar', length: '200' },
          { name: 'year', type: 'int' },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'meeting_date', type: 'varchar', length: '10' },
          { name: 'created_by', type: 'varchar', length: '100' },
          { name: 'created_at', type: 'varchar', length: '30' },
        ],
        indices: [{ name: 'ix_deliberation_meetings_owner_year', columnNames: ['owner_unit_id', 'year', 'meeting_date'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'deliberation_entries',
        columns: [
          { name: 'meeting_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'plan_id', type: 'varchar', length: '200', isPrimary: true },
          { name: 'owner_unit_id', type: 'varchar', length: '100' },
          { name: 'year', type: 'int' },
          { name: 'note', type: 'text', isNullable: true },
          { name: 'added_by', type: 'varchar', length: '100' },
          { name: 'added_at', type: 'varchar', length: '30' },
        ],
        uniques: [{ name: 'uq_deliberation_entries_plan_year', columnNames: ['owner_unit_id', 'year', 'plan_id'] }],
        foreignKeys: [{ columnNames: ['meeting_id'], referencedTableName: 'deliberation_meetings', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('deliberation_entries');
    await q.dropTable('deliberation_meetings');
  }
}
