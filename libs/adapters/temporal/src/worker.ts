import type { EngineActivities } from '@reform/letters';
import { bundleWorkflowCode, NativeConnection, Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { workflowBundleOptions } from './bundle';

let cached: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundles the workflows once per process; every worker in it shares the bundle. */
export function workflowBundle(root: string): Promise<WorkflowBundleWithSourceMap> {
  cached ??= bundleWorkflowCode({ ...workflowBundleOptions(root), logger: quietLogger });
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
   * Workflows kept in memory. Each costs about 0.5 MiB here (every workflow loads its own copy of
   * the bundle's modules, zod kept out of it, and builds its machine), so the SDK's default, sized
   * from the heap, is too many: see apps/bench.
   */
  maxCachedWorkflows?: number;
}): Promise<Worker> {
  return Worker.create({
    connection: args.connection,
    namespace: args.namespace,
    taskQueue: args.taskQueue,
    workflowBundle: await workflowBundle(args.root),
    activities: args.activities,
    identity: args.identity,
    ...(args.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: args.maxCachedWorkflows }),
  });
}
