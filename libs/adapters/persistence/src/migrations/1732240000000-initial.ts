import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Letters with their numbering counters, and published procedure definitions. */
export class Initial1732240000000 implements MigrationInterface {
  name = 'Initial1732240000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'letters',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'idempotency_key', type: 'varchar', length: '400' },
          { name: 'number', type: 'varchar', length: '100' },
          { name: 'number_prefix', type: 'varchar', length: '50' },
          { name: 'year', type: 'int' },
          { name: 'serial', type: 'int' },
          { name: 'kind', type: 'varchar', length: '30' },
          { name: 'workflow_id', type: 'varchar', length: '200' },
          { name: 'procedure_id', type: 'varchar', length: '100' },
          { name: 'procedure_version', type: 'int' },
          { name: 'deadline_key', type: 'varchar', length: '120' },
          { name: 'deadline_id', type: 'varchar', length: '100' },
          { name: 'level', type: 'int' },
          { name: 'addressees', type: 'text' },
          { name: 'copy_to', type: 'text' },
          { name: 'subject', type: 'text' },
          { name: 'body', type: 'text' },
          { name: 'due_date', type: 'varchar', length: '10' },
          { name: 'limit_date', type: 'varchar', length: '10', isNullable: true },
          { name: 'rule_id', type: 'varchar', length: '10' },
          { name: 'deadline_rule_id', type: 'varchar', length: '10' },
          { name: 'issued_on', type: 'varchar', length: '10' },
          { name: 'created_at', type: 'varchar', length: '30' },
        ],
        uniques: [
          { name: 'uq_letters_idempotency_key', columnNames: ['idempotency_key'] },
          { name: 'uq_letters_number', columnNames: ['number_prefix', 'year', 'serial'] },
        ],
        indices: [{ name: 'ix_letters_workflow', columnNames: ['workflow_id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'letter_counters',
        columns: [
          { name: 'number_prefix', type: 'varchar', length: '50', isPrimary: true },
          { name: 'year', type: 'int', isPrimary: true },
          { name: 'last', type: 'int' },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'procedure_definitions',
        columns: [
          { name: 'procedure_id', type: 'varchar', length: '100', isPrimary: true },
          { name: 'version', type: 'int', isPrimary: true },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'body', type: 'text' },
          { name: 'published_at', type: 'varchar', length: '30' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('procedure_definitions');
    await q.dropTable('letter_counters');
    await q.dropTable('letters');
  }
}
