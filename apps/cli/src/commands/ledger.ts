import { UserError } from '@reform/config';
import { LedgerService } from '@reform/ledger';
import { connectClient } from '@reform/temporal';
import { config, withDatabase } from '../context';

/**
 * `reform ledger rebuild`: writes every plan Temporal knows into the ledger from the plan's own
 * projection. Safe beside running workers (a projection never overwrites a later one); with
 * --fresh the ledger is emptied first.
 */
export async function ledgerRebuild(o: { fresh?: boolean }): Promise<number> {
  return withDatabase(async (db) => {
    const cfg = config();
    let client;
    try {
      client = await connectClient(cfg.temporal);
    } catch {
      throw new UserError(`无法连接 Temporal(${cfg.temporal.address}):请先在另一个终端运行 npm start,或设置 TEMPORAL_ADDRESS 指向已有的 Temporal`);
    }
    try {
      const ledger = new LedgerService(db);
      if (o.fresh) await ledger.store.clear();
      const report = await ledger.rebuild(client);
      console.log(`台账重建完成:共 ${report.plans} 个方案,写入 ${report.written} 个,已是最新 ${report.unchanged} 个,失败 ${report.failed.length} 个。`);
      for (const f of report.failed) console.log(`  ${f.planId}:${f.reason}`);
      return report.failed.length ? 1 : 0;
    } finally {
      await client.connection.close();
    }
  });
}
