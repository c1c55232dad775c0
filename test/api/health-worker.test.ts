import { createActivities } from '@reform/activities';
import { toolPaths } from '@reform/config';
import { LedgerStore, LetterStore } from '@reform/persistence';
import { DevServer, startDevServer } from '@reform/temporal';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OFFICE } from '../support/harness';
import { buildDesks } from '../support/desks';
import { ROOT, workflowBundle } from '../support/temporal';
import { call, startTestApi, TestApi } from './support';

// Ports of this file's own dev server (other tests use 27233–27273).
const PORT = 27395;
const UI_PORT = 28395;

/**
 * The worker check needs a server that lists a task queue's pollers, which the time-skipping
 * test server does not: the Temporal dev server (the one `npm start` runs).
 */
describe('health sees whether a worker polls the task queue (Temporal dev server)', () => {
  let server: DevServer;
  let dataDir: string;
  let client: Client;
  let api: TestApi;
  const taskQueue = `health-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    // The SDK's runtime with quiet logs, as the other tests have it (unless this process has one already).
    try {
      Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
    } catch {
      // Installed by an earlier test file in this worker.
    }
    dataDir = mkdtempSync(join(tmpdir(), 'reform-health-'));
    server = await startDevServer({ cliPath: toolPaths(ROOT).temporalCli, dataDir, port: PORT, uiPort: UI_PORT });
    client = new Client({ connection: await Connection.connect({ address: server.address }) });
    api = await startTestApi({ deps: { temporal: { client, namespace: 'default', taskQueue } } });
  });
  afterAll(async () => {
    await api?.close();
    await client?.connection.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('503 while no worker polls the queue, 200 once one does; a desk waiting for a ledger write gives up at once without a worker; ready (200) all along', async () => {
    const desks = buildDesks({ ds: api.db.ds, client, taskQueue, now: Date.now, evidenceDir: dataDir });
    // No worker: the plan service says so, and a desk's wait for a write (here one that can never
    // land) answers rather than waiting out its window (ten minutes here: longer than the test may run).
    expect(await desks.plans.workerSeen()).toBe(false);
    expect(await desks.desk.settled(`no-such-plan-${randomUUID()}`, 600_000)).toBe(false);
    const before = await call(api, 'GET', '/api/health');
    expect(before.status).toBe(503);
    expect(before.json).toEqual(
      expect.objectContaining({
        message: `不可用:工作进程(任务队列 ${taskQueue} 近期没有工作进程取任务)`,
        checks: { database: { ok: true, message: '正常' }, temporal: { ok: true, message: '正常' }, worker: { ok: false, message: `任务队列 ${taskQueue} 近期没有工作进程取任务` } },
      }),
    );

    // Readiness, for a load balancer, is this process's own: its database and Temporal answer, worker or no worker.
    const ready = await call(api, 'GET', '/api/ready');
    expect([ready.status, ready.json]).toEqual([
      200,
      { status: 'ready', message: '数据库与 Temporal 均可用,可以接收请求', checks: { database: { ok: true, message: '正常' }, temporal: { ok: true, message: '正常' } } },
    ]);

    const connection = await NativeConnection.connect({ address: server.address });
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowBundle: workflowBundle(),
      activities: createActivities({ letters: new LetterStore(api.db.ds), ledger: new LedgerStore(api.db.ds), office: OFFICE }),
    });
    const running = worker.run();
    try {
      let after = await call(api, 'GET', '/api/health');
      for (let i = 0; i < 40 && after.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 500));
        after = await call(api, 'GET', '/api/health');
      }
      expect(after.status).toBe(200);
      expect(after.json).toEqual(expect.objectContaining({ status: 'ok', checks: expect.objectContaining({ worker: { ok: true, message: '1 个工作进程在取任务' } }) }));
      expect(await desks.plans.workerSeen()).toBe(true);
    } finally {
      worker.shutdown();
      await running;
      await connection.close();
    }
  });
});
