import { createDataSource, migrationStatus, openDatabase } from '@reform/persistence';
import { config } from '../context';

export async function dbMigrate(): Promise<number> {
  const cfg = config();
  const ds = await openDatabase(cfg.database, false);
  const ran = await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
  console.log(ran.length ? `已执行迁移:${ran.map((m) => m.name).join('、')}` : '没有待执行的迁移。');
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
