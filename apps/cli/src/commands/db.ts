import { createDataSource, DatabaseOptions, migrationStatus, openDatabase } from '@reform/persistence';
import { config } from '../context';

/** Runs the pending migrations (once per release, before the processes that use the database start); answers their names. */
export async function migrateDatabase(options: DatabaseOptions): Promise<string[]> {
  const ds = await openDatabase(options, false);
  try {
    return (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

export async function dbMigrate(): Promise<number> {
  const ran = await migrateDatabase(config().database);
  console.log(ran.length ? `已执行迁移:${ran.join('、')}` : '没有待执行的迁移。');
  return 0;
}

export async function dbStatus(): Promise<number> {
  const ds = createDataSource(config().database);
  await ds.initialize();
  const s = await migrationStatus(ds);
  await ds.destroy();
  console.log(`已执行:${s.applied.join('、') || '无'}`);
  console.log(`待执行:${s.pending.join('、') || '无'}`);
  return 0;
}
