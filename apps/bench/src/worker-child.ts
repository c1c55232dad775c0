import { createActivities } from '@reform/activities';
import { loadConfig } from '@reform/config';
import { LedgerStore, LetterStore, openDatabase } from '@reform/persistence';
import { createEngineWorker, quietLogger, workflowBundleOptions } from '@reform/temporal';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { ChildArgs, ChildMessage, ParentMessage, WorkerStats } from './protocol';

const OFFICE = { name: '省委全面深化改革委员会办公室', numberPrefix: '改办函' };

function send(msg: ChildMessage): void {
  process.send?.(msg);
}

function stats(worker: Worker, gc: boolean): WorkerStats {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (gc && collect) collect();
  const mem = process.memoryUsage();
  const cpu = process.cpuUsage();
  const status = worker.getStatus();
  return {
    rss: mem.rss,
    heapUsed: mem.heapUsed,
    heapTotal: mem.heapTotal,
    external: mem.external,
    arrayBuffers: mem.arrayBuffers,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    numCachedWorkflows: status.numCachedWorkflows,
    numInFlightWorkflowActivations: status.numInFlightWorkflowActivations,
    numInFlightActivities: status.numInFlightActivities,
  };
}

/**
 * A worker in its own process, so its memory and CPU are its own: the engine's production
 * worker (createEngineWorker, real activities on a SQLite letter store), or the bare baseline.
 */
export async function runWorkerChild(args: ChildArgs): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  const connection = await NativeConnection.connect({ address: args.address });
  const identity = `bench-${args.mode}@${process.pid}`;
  let db: DataSource | undefined;
  let worker: Worker;
  const bundleStarted = Date.now();
  // Engine and bare workers keep the same number of workflows in memory (the production worker's
  // unless --worker-cache says otherwise), so their memory per cached workflow compares like for like.
  const maxCachedWorkflows = args.cache ?? loadConfig({}).temporal.workerCache;
  if (args.mode === 'engine') {
    db = await openDatabase(args.database ?? { sqlitePath: join(args.dataDir, 'reform.db') });
    const activities = createActivities({ letters: new LetterStore(db), ledger: new LedgerStore(db), office: OFFICE });
    const common = { connection, namespace: args.namespace, taskQueue: args.taskQueue, activities, identity };
    const experiment = !!args.preload?.length;
    if (!experiment) {
      // The production worker's heap limit for its workflow thread, as the cache it is sized for.
      const workflowHeapMb = loadConfig({ REFORM_WORKER_CACHE: String(maxCachedWorkflows), REFORM_WORKER_HEAP_MB: process.env.REFORM_WORKER_HEAP_MB }).temporal.workerHeapMb;
      worker = await createEngineWorker({ root: args.root, ...common, maxCachedWorkflows, workflowHeapMb });
    } else {
      const bundle = await bundleWorkflowCode({ ...workflowBundleOptions(args.root), preloadModules: args.preload, logger: quietLogger });
      worker = await Worker.create({ ...common, workflowBundle: bundle, maxCachedWorkflows });
    }
  } else {
    const bundle = await bundleWorkflowCode({
      workflowsPath: join(__dirname, 'bare-workflow.ts'),
      webpackConfigHook: workflowBundleOptions(args.root).webpackConfigHook,
      logger: quietLogger,
    });
    worker = await Worker.create({
      connection,
      namespace: args.namespace,
      taskQueue: args.taskQueue,
      workflowBundle: bundle,
      identity,
      maxCachedWorkflows,
    });
  }
  const bundleMs = Date.now() - bundleStarted;
  const running = worker.run();

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
      await db?.destroy();
      send({ type: 'stopped' });
      process.exit(0);
    })();
    return stopping;
  };

  process.on('message', (msg: ParentMessage) => {
    if (msg.type === 'stats') send({ type: 'stats', stats: stats(worker, msg.gc ?? false) });
    if (msg.type === 'stop') void stop();
  });
  // The bench went away: do not outlive it.
  process.on('disconnect', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  running.catch((err: unknown) => {
    send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  });
  send({ type: 'ready', bundleMs, maxCachedWorkflows: worker.options.maxCachedWorkflows, stats: stats(worker, true) });
}
