import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Imports of annual task lists, one per user and file (import-entities.ts): a repeated import registers nothing twice. */
export class TaskListImports1764600000000 implements MigrationInterface {
  name = 'TaskListImports1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'task_list_imports',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '100' },
          { name: 'unit_id', type: 'varchar', length: '100' },
          { name: 'file_sha256', type: 'varchar', length: '64' },
          { name: 'filename', type: 'varchar', length: '255', isNullable: true },
          { name: 'row_count', type: 'int' },
          { name: 'plans', type: 'text' },
          { name: 'status', type: 'varchar', length: '10' },
          { name: 'created_at', type: 'varchar', length: '30' },
          { name: 'finished_at', type: 'varchar', length: '30', isNullable: true },
          { name: 'request_id', type: 'varchar', length: '128', isNullable: true },
        ],
        indices: [{ name: 'ix_task_list_imports_user', columnNames: ['user_id', 'created_at'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('task_list_imports');
  }
}
