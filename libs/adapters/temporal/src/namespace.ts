import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';

/** gRPC status codes this file tells apart. */
const ALREADY_EXISTS = 6;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Registers the namespace on a fresh Temporal cluster (a dev server has `default` already; a
 * cluster has only its system namespace), then waits until the frontend serves it: a new
 * namespace reaches the services' caches within seconds. Answers whether it was created.
 */
export async function ensureNamespace(address: string, namespace: string, opts: { retentionDays?: number; timeoutMs?: number } = {}): Promise<boolean> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  const connection = await Connection.connect({ address, connectTimeout: '5s' });
  try {
    let created = false;
    try {
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(`${opts.retentionDays ?? 30} days`) });
      created = true;
    } catch (e) {
      if ((e as { code?: number }).code !== ALREADY_EXISTS) throw e;
    }
    for (;;) {
      try {
        await connection.workflowService.describeTaskQueue({ namespace, taskQueue: { name: 'reform-namespace-probe' }, taskQueueType: 1 });
        return created;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`Temporal 命名空间 ${namespace} 在时限内未就绪:${(e as Error).message}`);
        await sleep(500);
      }
    }
  } finally {
    await connection.close();
  }
}

/** The identity a product worker process polls under (apps/worker), by which `reform cluster status` finds it among a task queue's pollers. */
export function workerIdentity(host: string, pid: number): string {
  return `reform-worker@${host}:${pid}`;
}

/** Identities of the workers that polled a workflow task queue in the last minutes (Temporal keeps them a while after they stop). */
export async function taskQueuePollers(address: string, namespace: string, taskQueue: string): Promise<Array<{ identity: string; lastAccessMs?: number }>> {
  const connection = await Connection.connect({ address, connectTimeout: '3s' });
  try {
    const r = await connection.withDeadline(Date.now() + 5_000, () => connection.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType: 1 }));
    return (r.pollers ?? []).map((p) => ({
      identity: p.identity ?? '',
      lastAccessMs: p.lastAccessTime?.seconds != null ? Number(p.lastAccessTime.seconds) * 1000 + Math.floor((p.lastAccessTime.nanos ?? 0) / 1e6) : undefined,
    }));
  } finally {
    await connection.close();
  }
}
