import { LAST_PROJECTION_SQL } from '@reform/persistence';
import { DB_KINDS, TestDatabase, testDatabase } from '../support/db';

/**
 * The metrics read the projection lag on every scrape (LedgerStore.lastProjectionLag): the query
 * must walk the index on projected_at (migration Hardening1764590000000) from its end, not sort
 * the ledger. The plans are the databases' own: SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN
 * with sequential scans priced out (on a small table it would otherwise prefer one).
 */
describe.each(DB_KINDS)('the projection-lag query on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase(kind);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('walks ix_ledger_plans_projected and sorts nothing', async () => {
    const runner = db.ds.createQueryRunner();
    try {
      let plan: string;
      if (kind === 'sqlite') {
        const rows: Array<{ detail: string }> = await runner.query(`EXPLAIN QUERY PLAN ${LAST_PROJECTION_SQL}`);
        plan = rows.map((r) => r.detail).join('\n');
        expect(plan).not.toMatch(/TEMP B-TREE/);
      } else {
        await runner.query('SET enable_seqscan = off');
        const rows: Array<{ 'QUERY PLAN': string }> = await runner.query(`EXPLAIN ${LAST_PROJECTION_SQL}`);
        plan = rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).not.toMatch(/\bSort\b/);
      }
      expect(plan).toContain('ix_ledger_plans_projected');
    } finally {
      await runner.release();
    }
  });
});
