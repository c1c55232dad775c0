import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Saved views of the ledger (台账视图): a user's filters under a name they chose (ledger-view-entities.ts). */
export class LedgerViews1764700000000 implements MigrationInterface {
  name = 'LedgerViews1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'ledger_views',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '100' },
          { name: 'name', type: 'varchar', length: '50' },
          { name: 'filters', type: 'text' },
          { name: 'created_at', type: 'varchar', length: '30' },
        ],
        uniques: [{ name: 'uq_ledger_views_user_name', columnNames: ['user_id', 'name'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('ledger_views');
  }
}
