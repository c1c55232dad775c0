import { createActivities } from '@reform/activities';
import { loadConfig } from '@reform/config';
import { LedgerStore, LetterStore, openDatabase } from '@reform/persistence';
import { connectWorker, createEngineWorker } from '@reform/temporal';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { hostname } from 'node:os';
import { resolve } from 'node:path';

/**
 * The engine's worker. Run as many as needed against one Temporal: they share the task queue,
 * and letters stay exactly-once through the database's unique key.
 */
async function main() {
  const root = resolve(__dirname, '../../..');
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'WARN', other: 'WARN' } } } });
  const config = loadConfig(process.env, root);
  const db = await openDatabase(config.database);
  const connection = await connectWorker(config.temporal);
  const worker = await createEngineWorker({
    root,
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities: createActivities({ letters: new LetterStore(db), ledger: new LedgerStore(db), office: config.office }),
    identity: `reform-worker@${hostname()}:${process.pid}`,
    maxCachedWorkflows: config.temporal.workerCache,
  });
  console.log(`[worker] 已连接 ${config.temporal.address},任务队列 ${config.temporal.taskQueue}`);
  // The SDK shuts the worker down gracefully on SIGINT and SIGTERM.
  await worker.run();
  await connection.close();
  await db.destroy();
  console.log('[worker] 已停止');
}

main().catch((err: unknown) => {
  console.error(`[worker] 启动失败:${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
