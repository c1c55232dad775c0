// A worker process for crash tests: the engine's real activities and workflows, configured from
// the environment as the production worker is (TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE,
// DATABASE_URL or REFORM_DATA_DIR), with a fault only a test sets:
//   REFORM_TEST_CRASH_AFTER_COMMIT=<key>,<key>…
//       the process SIGKILLs itself right after the first attempt at the letter of one of these
//       idempotency keys committed, before the activity returns: the completion never reaches
//       Temporal, the attempt times out and runs again elsewhere.
//   REFORM_TEST_CRASH_BEFORE_PROJECTION=<plan id>@<change counter>,…
//       the process SIGKILLs itself when the first attempt at a ledger projection of that plan
//       with at least that change counter starts, before anything is written.
//   REFORM_TEST_ACTIVITY_SLOTS=n  letters it writes at once (default: the SDK's).
//   REFORM_WORKFLOW_BUNDLE        the bundle built by global-setup.
// It tells the test what it does as JSON lines on stdout, written synchronously so the line is
// out before a kill. Started by worker-process.ts; never imported.
import { createActivities } from '@reform/activities';
import { loadConfig } from '@reform/config';
import type { IssuedLetter, LetterRequest, OfficeConfig } from '@reform/letters';
import type { AuditedAct, PlanProjection } from '@reform/machine';
import { LedgerStore, LetterStore, openDatabase } from '@reform/persistence';
import { Context } from '@temporalio/activity';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { writeSync } from 'node:fs';
import type { WorkerEvent } from './worker-process';

function tell(event: WorkerEvent): void {
  writeSync(1, `${JSON.stringify(event)}\n`);
}

/** The letter store the activities use, telling the test about every letter and crashing on cue. */
class ObservedLetterStore extends LetterStore {
  constructor(
    ds: ConstructorParameters<typeof LetterStore>[0],
    private readonly crashAfterCommit: Set<string>,
  ) {
    super(ds);
  }

  override async issue(req: LetterRequest, office: OfficeConfig, now?: Date, opts?: { awaitLedger?: boolean }): Promise<IssuedLetter & { created: boolean }> {
    const issued = await super.issue(req, office, now, opts);
    // Here the letter's transaction has committed (or found the letter another attempt committed).
    const { attempt } = Context.current().info;
    const event: WorkerEvent = { type: 'letter', pid: process.pid, key: req.idempotencyKey, attempt, number: issued.number, created: issued.created };
    tell(event);
    // The first attempt only: a retry that wrote the letter again is the bug to show, not a reason to die again.
    if (issued.created && attempt === 1 && this.crashAfterCommit.has(req.idempotencyKey)) {
      tell({ ...event, type: 'crash' });
      process.kill(process.pid, 'SIGKILL');
      await new Promise(() => undefined); // the signal is on its way: never return the result
    }
    return issued;
  }
}

/** The ledger the activities write, telling the test about every projection and crashing on cue. */
class ObservedLedgerStore extends LedgerStore {
  constructor(
    ds: ConstructorParameters<typeof LedgerStore>[0],
    private readonly crashBefore: Map<string, number>,
  ) {
    super(ds);
  }

  override async upsert(p: PlanProjection, now?: Date, acts?: AuditedAct[]): Promise<{ applied: boolean }> {
    const { attempt } = Context.current().info;
    const at = this.crashBefore.get(p.planId);
    const audits = (acts ?? []).map((a) => a.revision);
    if (at !== undefined && p.changeCounter >= at && attempt === 1) {
      tell({ type: 'crash-projection', pid: process.pid, planId: p.planId, changeCounter: p.changeCounter, attempt, applied: false, audits });
      process.kill(process.pid, 'SIGKILL');
      await new Promise(() => undefined);
    }
    const result = await super.upsert(p, now, acts);
    tell({ type: 'projection', pid: process.pid, planId: p.planId, changeCounter: p.changeCounter, attempt, applied: result.applied, audits });
    return result;
  }
}

function crashPoints(raw: string | undefined): Map<string, number> {
  return new Map(
    (raw ?? '')
      .split(',')
      .filter(Boolean)
      .map((entry) => {
        const at = entry.lastIndexOf('@');
        return [entry.slice(0, at), Number(entry.slice(at + 1))] as const;
      }),
  );
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  const config = loadConfig(process.env);
  const db = await openDatabase(config.database);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const slots = Number(process.env.REFORM_TEST_ACTIVITY_SLOTS ?? 0);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle: { codePath: process.env.REFORM_WORKFLOW_BUNDLE! },
    activities: createActivities({
      letters: new ObservedLetterStore(db, new Set((process.env.REFORM_TEST_CRASH_AFTER_COMMIT ?? '').split(',').filter(Boolean))),
      ledger: new ObservedLedgerStore(db, crashPoints(process.env.REFORM_TEST_CRASH_BEFORE_PROJECTION)),
      office: config.office,
    }),
    identity: `crash-worker@${process.pid}`,
    // No sticky queue: a dead worker's sticky queue would hold its plans until it times out.
    maxCachedWorkflows: 0,
    ...(slots ? { maxConcurrentActivityTaskExecutions: slots } : {}),
  });
  tell({ type: 'ready', pid: process.pid });
  await worker.run();
  await connection.close();
  await db.destroy();
}

main().catch((err: unknown) => {
  tell({ type: 'error', pid: process.pid, message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
});
