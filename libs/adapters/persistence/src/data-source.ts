import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { maskPassword, UserError } from '@reform/config';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DatabaseOptions {
  /** postgres://… selects PostgreSQL; otherwise the SQLite file is used. */
  url?: string;
  sqlitePath: string;
  /**
   * What opening does about pending migrations: `run` them (the default), or `check` and refuse
   * (REFORM_DB_MIGRATE=check: many processes on one database, `reform db migrate` runs them once).
   */
  migrations?: 'run' | 'check';
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

/**
 * Opens the database. With `migrate` (the default) pending migrations run, or, when the options
 * say `migrations: 'check'`, refuse the opening with a sentence naming them.
 */
export async function openDatabase(options: DatabaseOptions, migrate = true): Promise<DataSource> {
  const ds = createDataSource(options);
  await ds.initialize();
  try {
    if (migrate && options.migrations === 'check') {
      const { pending } = await migrationStatus(ds);
      if (pending.length) {
        throw new UserError(`数据库有 ${pending.length} 个迁移尚未执行(${pending.join('、')}):本进程不执行迁移(REFORM_DB_MIGRATE=check),请先运行 npx reform db migrate`);
      }
    } else if (migrate) {
      await ds.runMigrations({ transaction: 'each' });
    }
  } catch (e) {
    await ds.destroy();
    throw e;
  }
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
