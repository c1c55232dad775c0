import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * The rules text each procedure version was published from (its own file and the shared
 * declarations), so the API can show the text of a version. Versions published before this
 * have none.
 */
export class ProcedureSources1764550000000 implements MigrationInterface {
  name = 'ProcedureSources1764550000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'procedure_sources',
        columns: [
          { name: 'procedure_id', type: 'varchar', length: '100', isPrimary: true },
          { name: 'version', type: 'int', isPrimary: true },
          { name: 'files', type: 'text' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('procedure_sources');
  }
}
