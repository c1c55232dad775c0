import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { maskPassword } from '@reform/config';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DatabaseOptions {
  /** postgres://… selects PostgreSQL; otherwise the SQLite file is used. */
  url?: string;
  sqlitePath: string;
}

export function isPostgres(options: DatabaseOptions): boolean {
  return !!options.url && /^postgres(ql)?:\/\//.test(options.url);
}

/** A data source on SQLite (default) or PostgreSQL; the schema comes only from migrations. */
export function createDataSource(options: DatabaseOptions): DataSource {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, migrationsRun: false, logging: false } as const;
  if (options.url) {
    if (!isPostgres(options)) throw new Error(`DATABASE_URL 只支持 postgres://…,收到:${maskPassword(options.url)}`);
    return new DataSource({ type: 'postgres', url: options.url, ...common });
  }
  if (options.sqlitePath !== ':memory:') mkdirSync(dirname(options.sqlitePath), { recursive: true });
  return new DataSource({
    type: 'better-sqlite3',
    database: options.sqlitePath,
    enableWAL: true,
    // Several workers may share one file: wait for the lock instead of failing at once.
    prepareDatabase: (db: { pragma(s: string): unknown }) => {
      db.pragma('busy_timeout = 10000');
    },
    ...common,
  });
}

export async function openDatabase(options: DatabaseOptions, migrate = true): Promise<DataSource> {
  const ds = createDataSource(options);
  await ds.initialize();
  if (migrate) await ds.runMigrations({ transaction: 'each' });
  return ds;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

export async function migrationStatus(ds: DataSource): Promise<MigrationStatus> {
  const all = MIGRATIONS.map((m) => m.name);
  const runner = ds.createQueryRunner();
  const hasTable = await runner.hasTable('migrations').finally(() => runner.release());
  const applied: string[] = hasTable ? (await ds.query('SELECT name FROM migrations ORDER BY id')).map((r: { name: string }) => r.name) : [];
  return { applied, pending: all.filter((n) => !applied.includes(n)) };
}
