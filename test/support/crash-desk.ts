// An API process for crash tests: the desks of issue 9 (test/support/desks.ts) on the test's
// database and Temporal, configured from the environment as crash-worker.ts is, running one call:
//   REFORM_TEST_DESK_CALL={"desk":"problems","method":"register","args":[caller, body]}
//   REFORM_TEST_DIE_AFTER=start|act[@n]  SIGKILLs itself right after the n-th (default first)
//       workflow start or Update the engine answered, before the desk does anything more.
//   REFORM_TEST_NOW  the clock "today" is read from (ms; the test server's).
// It tells the test what it does as JSON lines on stdout, written synchronously so the line is
// out before the kill. Started by desk-process.ts; never imported.
import { loadConfig } from '@reform/config';
import type { Command } from '@reform/definitions';
import { openDatabase } from '@reform/persistence';
import { PlanService, StartPlanRequest } from '@reform/plans';
import type { ActBy, ActResult } from '@reform/workflows';
import { Client, Connection } from '@temporalio/client';
import { writeSync } from 'node:fs';
import { buildDesks } from './desks';

function tell(event: Record<string, unknown>): void {
  writeSync(1, `${JSON.stringify({ pid: process.pid, ...event })}\n`);
}

const [dieAt, nth] = (process.env.REFORM_TEST_DIE_AFTER ?? '').split('@');
let count = 0;

async function maybeDie(what: 'start' | 'act', id: string): Promise<void> {
  if (what !== dieAt || ++count !== Number(nth ?? 1)) return;
  tell({ type: 'crash', after: what, workflowId: id });
  process.kill(process.pid, 'SIGKILL');
  await new Promise(() => undefined);
}

/** The engine as this process reaches it, dying on cue right after it answered. */
class DyingPlanService extends PlanService {
  override async start(req: StartPlanRequest, opts?: { once?: boolean }) {
    const started = await super.start(req, opts);
    await maybeDie('start', started.workflowId);
    return started;
  }

  override async act(workflowId: string, command: Command, by?: ActBy): Promise<ActResult> {
    const result = await super.act(workflowId, command, by);
    await maybeDie('act', workflowId);
    return result;
  }
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const ds = await openDatabase(config.database);
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const now = Number(process.env.REFORM_TEST_NOW);
  const desks = buildDesks({ ds, client, taskQueue: config.temporal.taskQueue, now: () => now, evidenceDir: process.env.REFORM_TEST_EVIDENCE_DIR!, planService: DyingPlanService });
  const call = JSON.parse(process.env.REFORM_TEST_DESK_CALL!) as { desk: 'problems' | 'rounds' | 'deliberation'; method: string; args: unknown[] };
  tell({ type: 'ready' });
  const desk = desks[call.desk] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const result = await desk[call.method](...call.args);
  tell({ type: 'done', result });
  await connection.close();
  await ds.destroy();
}

main().catch((err: unknown) => {
  tell({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
});
