import { openDatabase } from '@reform/persistence';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import type { DataSource } from 'typeorm';

export type DbKind = 'sqlite' | 'postgres';
export const DB_KINDS: DbKind[] = ['sqlite', 'postgres'];

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
