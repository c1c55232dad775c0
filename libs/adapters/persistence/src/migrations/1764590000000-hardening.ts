import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * - `ix_ledger_plans_projected`: the metrics' projection lag reads the latest projection write
 *   (`ORDER BY projected_at DESC, plan_id DESC LIMIT 1`, LedgerStore.lastProjectionLag) on every
 *   scrape; without an index that sorted the whole ledger.
 * - `users.last_failed_at`: when an account's latest failed login was, so that failures count as
 *   consecutive only within the lock window, for accounts as for the names no account has
 *   (login_failures.updated_at), whose old rows are then deleted.
 * - `ix_login_failures_updated`: that deletion finds the old rows by their time.
 */
export class Hardening1764590000000 implements MigrationInterface {
  name = 'Hardening1764590000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('ledger_plans', new TableIndex({ name: 'ix_ledger_plans_projected', columnNames: ['projected_at', 'plan_id'] }));
    await q.addColumn('users', new TableColumn({ name: 'last_failed_at', type: 'varchar', length: '30', isNullable: true }));
    await q.createIndex('login_failures', new TableIndex({ name: 'ix_login_failures_updated', columnNames: ['updated_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('login_failures', 'ix_login_failures_updated');
    await q.dropColumn('users', 'last_failed_at');
    await q.dropIndex('ledger_plans', 'ix_ledger_plans_projected');
  }
}
