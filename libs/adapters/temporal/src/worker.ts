import type { EngineActivities } from '@reform/letters';
import type { NativeConnection, Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { workflowBundleOptions } from './bundle';
import { readCachedBundle, writeCachedBundle } from './bundle-cache';
import { workerSdk } from './worker-sdk';

let cached: Promise<WorkflowBundleWithSourceMap> | undefined;

/**
 * Bundles the workflows once per process; every worker in it shares the bundle. The bundle is
 * also kept in `<root>/.data/cache/workflows/` with the size and time of every file it was built
 * from (the files its inline source map names), and used again while none of them has changed:
 * bundling takes webpack several seconds of CPU, which every worker start (and every restart of
 * a worker that died) would otherwise pay again.
 */
export function workflowBundle(root: string): Promise<WorkflowBundleWithSourceMap> {
  cached ??= (async () => {
    const dir = join(root, '.data', 'cache', 'workflows');
    const reused = readCachedBundle(dir);
    if (reused) return reused;
    const startedAt = Date.now();
    const bundle = await workerSdk().bundleWorkflowCode({ ...workflowBundleOptions(root), logger: quietLogger });
    try {
      writeCachedBundle(dir, bundle, startedAt, [join(root, 'libs/adapters/temporal/src/bundle.ts'), join(root, 'tsconfig.base.json'), require.resolve('@temporalio/worker/package.json')]);
    } catch {
      // A cache that cannot be written (a read-only checkout) only costs the next start the bundling.
    }
    return bundle;
  })();
  return cached;
}

/** For bundling: warnings and errors only. */
export const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};

export async function createEngineWorker(args: {
  root: string;
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: EngineActivities;
  identity?: string;
  /**
   * Workflows kept in memory. Each costs about 0.5–0.8 MiB of resident memory (the SDK's own
   * share about 270 KiB; every workflow loads its own copy of the bundle's modules, zod kept out
   * of it, keeps its definition, about 27 KiB, and builds its machine, about 80 KiB), so the SDK's
   * default, sized from the heap, is too many: see apps/bench/README.md, "Worker memory".
   */
  maxCachedWorkflows?: number;
  /**
   * Heap limit in MiB of the thread the SDK runs the workflows in (V8's max-old-space-size, set
   * before the SDK creates the thread; the process's main heap, already set up, keeps its own).
   * Without it V8 lets that heap grow far past what the cached workflows hold while plans churn
   * through the cache: 848 MiB against 589 MiB with 384 here, 500 cached of 2,000 (apps/bench).
   */
  workflowHeapMb?: number;
}): Promise<Worker> {
  if (args.workflowHeapMb) setFlagsFromString(`--max-old-space-size=${args.workflowHeapMb}`);
  return workerSdk().Worker.create({
    connection: args.connection,
    namespace: args.namespace,
    taskQueue: args.taskQueue,
    workflowBundle: await workflowBundle(args.root),
    activities: args.activities,
    identity: args.identity,
    ...(args.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: args.maxCachedWorkflows }),
  });
}
