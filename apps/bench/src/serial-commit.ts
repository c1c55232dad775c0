import { Client } from 'pg';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

/**
 * The ceiling of one serialized row on PostgreSQL: transactions that each update the same row
 * and commit, one after the other (the next cannot take the row's lock before the previous
 * commits). The product's audit chain head and each letter counter (number prefix, year) are such
 * rows: every audited write of a database, and every letter of a prefix and year, passes through
 * one (libs/adapters/persistence/src/audit-store.ts, letter-store.ts). The rate here is an upper
 * bound for either: the real transactions hold the row from its update to their commit, so do
 * more than this while holding it. Makes a scratch database and drops it. A measurement, not a test.
 *
 *     npx tsx apps/bench/src/serial-commit.ts [--url postgres://reform:reform@127.0.0.1:5432] [--commits 2000]
 */
async function main() {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { url: { type: 'string' }, commits: { type: 'string' } } });
  const url = (values.url ?? 'postgres://reform:reform@127.0.0.1:5432').replace(/\/$/, '');
  const commits = Number(values.commits ?? 2000);
  const db = `reform_serial_probe_${process.pid}`;
  const admin = new Client({ connectionString: `${url}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${db}"`);
  try {
    const c = new Client({ connectionString: `${url}/${db}` });
    await c.connect();
    try {
      await c.query('CREATE TABLE head (id int PRIMARY KEY, seq bigint NOT NULL)');
      await c.query('INSERT INTO head VALUES (1, 0)');
      const settings = (await c.query(`SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'wal_sync_method')`)).rows as Array<{ name: string; setting: string }>;
      for (let i = 0; i < 100; i++) await c.query('UPDATE head SET seq = seq + 1 WHERE id = 1'); // warm
      const t0 = performance.now();
      for (let i = 0; i < commits; i++) {
        await c.query('BEGIN');
        await c.query('UPDATE head SET seq = seq + 1 WHERE id = 1');
        await c.query('COMMIT');
      }
      const ms = performance.now() - t0;
      console.log(`${commits} serialized commits in ${ms.toFixed(0)} ms: ${((ms / commits) * 1000).toFixed(0)} µs each, ${((commits / ms) * 1000).toFixed(0)} per second (${settings.map((s) => `${s.name}=${s.setting}`).join(', ')})`);
    } finally {
      await c.end();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
