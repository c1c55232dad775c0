import { AppConfig } from '@reform/config';
import { CalendarStore, DefinitionStore, LetterStore, openDatabase } from '@reform/persistence';
import { connectClient } from '@reform/temporal';
import { PlanService, seedStandardProcedures, UserError } from '@reform/plans';
import type { DataSource } from 'typeorm';
import { config } from './root';

export { config, ROOT } from './root';

/** The database, migrated, with the standard procedures published. */
export async function withDatabase<T>(work: (db: DataSource, cfg: AppConfig) => Promise<T>): Promise<T> {
  const cfg = config();
  const db = await openDatabase(cfg.database);
  try {
    await seedStandardProcedures(new DefinitionStore(db), cfg.rulesDir);
    return await work(db, cfg);
  } finally {
    await db.destroy();
  }
}

export async function withPlans<T>(work: (plans: PlanService, db: DataSource, cfg: AppConfig) => Promise<T>): Promise<T> {
  return withDatabase(async (db, cfg) => {
    let client;
    try {
      client = await connectClient(cfg.temporal);
    } catch {
      throw new UserError(`无法连接 Temporal(${cfg.temporal.address}):请先在另一个终端运行 npm start,或设置 TEMPORAL_ADDRESS 指向已有的 Temporal`);
    }
    try {
      const calendar = await new CalendarStore(db).calendar();
      return await work(new PlanService(client, cfg.temporal.taskQueue, new DefinitionStore(db), calendar, new LetterStore(db)), db, cfg);
    } finally {
      await client.connection.close();
    }
  });
}

export function letters(db: DataSource): LetterStore {
  return new LetterStore(db);
}
