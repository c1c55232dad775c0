import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Holiday arrangements loaded by the reform office, one row per year. */
export class HolidayYears1732250000000 implements MigrationInterface {
  name = 'HolidayYears1732250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'holiday_years',
        columns: [
          { name: 'year', type: 'int', isPrimary: true },
          { name: 'source', type: 'text' },
          { name: 'body', type: 'text' },
          { name: 'loaded_at', type: 'varchar', length: '30' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('holiday_years');
  }
}
