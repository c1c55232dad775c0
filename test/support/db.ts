import { openDatabase } from '@reform/persistence';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import type { DataSource } from 'typeorm';

export type DbKind = 'sqlite' | 'postgres';
/**
 * The databases every persistence test runs on. REFORM_TEST_DATABASES narrows them (a comma list):
 * the second pass of the scenarios (scripts/test.sh, as if in a later year) runs on SQLite only,
 * since what it checks is the date, and the first pass has run them on both.
 */
export const DB_KINDS: DbKind[] = testDatabases(process.env.REFORM_TEST_DATABASES);

function testDatabases(setting: string | undefined): DbKind[] {
  const all: DbKind[] = ['sqlite', 'postgres'];
  if (!setting) return all;
  const chosen = setting.split(',').map((s) => s.trim());
  const unknown = chosen.filter((s) => !all.includes(s as DbKind));
  if (unknown.length || !chosen.length) throw new Error(`REFORM_TEST_DATABASES=${setting}: only sqlite and postgres are known`);
  return all.filter((k) => chosen.includes(k));
}

/** The server scripts/ensure-postgres.sh starts; TEST_DATABASE_URL points elsewhere. */
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://reform:reform@127.0.0.1:5432/postgres';

export interface TestDatabase {
  kind: DbKind;
  ds: DataSource;
  options: { url?: string; sqlitePath: string };
  drop(): Promise<void>;
}

/** A fresh, migrated database of the kind: a temporary SQLite file, or a new PostgreSQL database. */
export async function testDatabase(kind: DbKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'reform-test-'));
    const options = { sqlitePath: join(dir, 'reform.db') };
    const ds = await openDatabase(options);
    return { kind, ds, options, drop: async () => { await ds.destroy(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const name = `reform_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new PgClient({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const options = { url: url.toString(), sqlitePath: ':memory:' };
  const ds = await openDatabase(options);
  return {
    kind,
    ds,
    options,
    drop: async () => {
      await ds.destroy();
      const a = new PgClient({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name}`);
      await a.end();
    },
  };
}
