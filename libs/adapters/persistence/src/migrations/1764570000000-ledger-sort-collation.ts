import { MigrationInterface, QueryRunner } from 'typeorm';

/** The ledger's sort orders, each ending on the plan id (LedgerService: due, updated, title, stage). */
const SORTS: Array<[string, string]> = [
  ['ix_ledger_plans_due_c', 'due_key'],
  ['ix_ledger_plans_updated_c', 'updated_at'],
  ['ix_ledger_plans_title_c', 'title'],
  ['ix_ledger_plans_stage_c', 'stage_id'],
];

/**
 * On PostgreSQL the ledger lists sort by code point (`COLLATE "C"`, as SQLite does), which the
 * indexes of the database's default collation cannot serve: every list page sorted the whole
 * scope (a sequential scan of 10,000 plans, ~50 ms, where the index walk takes ~0.1 ms;
 * `npm run bench:api`). These indexes have the sort's collation. SQLite needs none.
 */
export class LedgerSortCollation1764570000000 implements MigrationInterface {
  name = 'LedgerSortCollation1764570000000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    for (const [name, column] of SORTS) await q.query(`CREATE INDEX ${name} ON ledger_plans (${column} COLLATE "C", plan_id COLLATE "C")`);
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    for (const [name] of SORTS) await q.query(`DROP INDEX ${name}`);
  }
}
