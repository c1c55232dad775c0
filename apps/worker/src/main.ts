import { createActivities, OutboxDeliverer } from '@reform/activities';
import { loadConfig } from '@reform/config';
import { LedgerStore, LetterStore, openDatabase } from '@reform/persistence';
import { connectWorker, createEngineWorker, workerIdentity } from '@reform/temporal';
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
    activities: createActivities({ letters: new LetterStore(db, undefined, { signWithinWorkingDays: config.letters.signWithinWorkingDays }), ledger: new LedgerStore(db), office: config.office }),
    identity: workerIdentity(hostname(), process.pid),
    maxCachedWorkflows: config.temporal.workerCache,
    workflowHeapMb: config.temporal.workerHeapMb,
  });
  console.log(`[worker] 已连接 ${config.temporal.address},任务队列 ${config.temporal.taskQueue}`);
  // The letters' notifications go out from here, beside the activities that write the letters
  // (docs/api.md, "Letters reach their unit"): several workers share the rows through leases.
  const deliverer = new OutboxDeliverer(db, {
    url: config.letters.notifyUrl,
    owner: workerIdentity(hostname(), process.pid),
    log: (level, msg, fields) => console[level === 'info' ? 'log' : level](`[worker] ${msg} ${JSON.stringify(fields ?? {})}`),
  });
  deliverer.start();
  console.log(deliverer.configured ? `[worker] 函件通知投递至 ${new URL(config.letters.notifyUrl!).origin}` : '[worker] 未配置 REFORM_NOTIFY_URL:函件通知保持待投递');
  // The SDK shuts the worker down gracefully on SIGINT and SIGTERM; the deliverer finishes its pass.
  await worker.run();
  await deliverer.stop();
  await connection.close();
  await db.destroy();
  console.log('[worker] 已停止');
}

main().catch((err: unknown) => {
  console.error(`[worker] 启动失败:${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
