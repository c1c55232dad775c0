import { createActivities, LetterFaults } from '@reform/activities';
import { formatLocalDateTime, HolidayCalendar, LocalDate, localDateAt, SHIPPED_HOLIDAYS, startOfLocalDay } from '@reform/calendar';
import { Command, ProcessDefinition, StartInputData } from '@reform/definitions';
import type { PlanView } from '@reform/machine';
import { LedgerStore, LetterStore } from '@reform/persistence';
import { EXAMPLE_PLAN } from '@reform/procedures';
import { ActResult, actUpdate, PROCEDURE_WORKFLOW, viewQuery } from '@reform/workflows';
import { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testBaseInstant } from './dates';
import { testDatabase, TestDatabase, DbKind } from './db';
import { timeSkippingEnv, workflowBundle } from './temporal';

export const OFFICE = { name: '省委全面深化改革委员会办公室', numberPrefix: '改办函' };

export const PLAN = EXAMPLE_PLAN;

/**
 * How many events a run may still gain before the workflow task that continues it starts: the
 * letters and projections of one busy wake (a few letters of seven events each, an act's Update).
 */
const CONTINUE_REACH = 40;

/**
 * One test file's world: the real time-skipping Temporal server, a real database, and a worker
 * with the real activities (optionally with injected faults) that can be stopped and restarted.
 */
export class Harness {
  readonly taskQueue = `test-${randomUUID().slice(0, 8)}`;
  letters!: LetterStore;
  ledger!: LedgerStore;
  faults: LetterFaults = {};
  private worker?: Worker;
  private running?: Promise<void>;
  private stopping?: Promise<void>;
  private workflowCache = true;
  /** The history limit of each plan started with one (those continue as new): see notWhileContinuing. */
  private readonly historyLimits = new Map<string, number>();

  private constructor(
    readonly env: TestWorkflowEnvironment,
    readonly db: TestDatabase,
  ) {
    this.letters = new LetterStore(db.ds);
    this.ledger = new LedgerStore(db.ds);
  }

  /**
   * `workflowCache: false` turns off sticky execution, so a restarted worker is never waited for on
   * a dead worker's sticky queue (which would hold the test server's time still), and every
   * workflow task replays the whole history.
   *
   * With REFORM_TEST_YEAR (e.g. 2031) the server first moves to 1 January of that year, so the
   * scenarios run as if today were then.
   *
   * `prepare` fills the new database (procedures, units, users) while the worker starts. (Not
   * while the test server starts: the SDK gives it a fixed 5 s, which CPU-heavy seeding, argon2
   * hashes, could make it miss on a busy machine.)
   */
  static async create(dbKind: DbKind = 'sqlite', opts: { workflowCache?: boolean; prepare?: (db: TestDatabase) => Promise<void> } = {}): Promise<Harness> {
    const base = testBaseInstant();
    const [env, db] = await Promise.all([timeSkippingEnv(), testDatabase(dbKind)]);
    const h = new Harness(env, db);
    h.workflowCache = opts.workflowCache ?? true;
    if (base !== undefined) {
      try {
        await h.travelTo(localDateAt(base));
      } catch (err) {
        await Promise.all([env.teardown(), db.drop()]);
        throw new Error(`REFORM_TEST_YEAR=${process.env.REFORM_TEST_YEAR}: ${(err as Error).message}`);
      }
    }
    // Both settle before a failure is thrown, so close() finds the worker if it started.
    const failed = (await Promise.allSettled([h.startWorker(), opts.prepare?.(db)])).find((r) => r.status === 'rejected');
    if (failed) {
      await h.close();
      throw failed.reason;
    }
    return h;
  }

  async startWorker(): Promise<void> {
    await this.stopping; // the task queue takes one worker of this process at a time
    this.worker = await Worker.create({
      connection: this.env.nativeConnection,
      taskQueue: this.taskQueue,
      workflowBundle: workflowBundle(),
      activities: createActivities({ letters: this.letters, ledger: this.ledger, office: OFFICE, faults: this.faults }),
      ...(this.workflowCache ? {} : { maxCachedWorkflows: 0 }),
    });
    this.running = this.worker.run();
  }

  /** Stops the worker as a crash would leave things: whatever it had in flight is retried by the next. */
  stopWorker(): Promise<void> {
    const [worker, running] = [this.worker, this.running];
    this.worker = undefined;
    this.running = undefined;
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    this.stopping = Promise.all([this.stopping, running]).then(() => undefined);
    return this.stopping;
  }

  async close(): Promise<void> {
    await this.stopWorker();
    await this.env.teardown();
    await this.db.drop();
  }

  async start(
    definition: ProcessDefinition,
    opts: {
      attributes?: Record<string, boolean>;
      registeredOn?: string;
      startEvents?: Record<string, string>;
      calendar?: HolidayCalendar;
      historyLimit?: number;
      plan?: StartInputData['plan'];
      workflowId?: string;
    } = {},
  ): Promise<WorkflowHandleWithFirstExecutionRunId> {
    const now = await this.env.currentTimeMs();
    const input: StartInputData = {
      definition,
      calendar: opts.calendar ?? SHIPPED_HOLIDAYS,
      plan: opts.plan ?? PLAN,
      attributes: opts.attributes ?? {},
      registeredOn: opts.registeredOn ?? localDateAt(now),
      startEvents: opts.startEvents ?? {},
      ...(opts.historyLimit === undefined ? {} : { historyLimit: opts.historyLimit }),
    };
    const workflowId = opts.workflowId ?? `${definition.id}-${randomUUID().slice(0, 8)}`;
    if (opts.historyLimit !== undefined) this.historyLimits.set(workflowId, opts.historyLimit);
    return this.env.client.workflow.start(PROCEDURE_WORKFLOW, {
      taskQueue: this.taskQueue,
      workflowId,
      args: [input],
    });
  }

  /** Takes an action and answers the whole plan as read after it (the Update itself answers only what changed). */
  async act(handle: WorkflowHandle, action: string, role: string, extra: Partial<Command> = {}): Promise<PlanView> {
    await this.actOnly(handle, action, role, extra);
    return this.view(handle);
  }

  /** The Update alone: its own small answer. */
  actOnly(handle: WorkflowHandle, action: string, role: string, extra: Partial<Command> = {}): Promise<ActResult> {
    return handle.executeUpdate(actUpdate, { args: [{ action, role, ...extra }] });
  }

  async actAll(handle: WorkflowHandle, steps: Array<[string, string, Partial<Command>?]>): Promise<PlanView> {
    for (const [action, role, extra] of steps) await this.actOnly(handle, action, role, extra);
    return this.view(handle);
  }

  /**
   * With RECORD_HISTORIES=1 (npm run histories:record), keeps the instance's history in
   * test/histories so replay.test.ts proves later workflow code still replays it.
   */
  async record(handle: WorkflowHandle, name: string): Promise<void> {
    if (process.env.RECORD_HISTORIES !== '1') return;
    // Never overwrite: a history recorded by older workflow code is exactly what must keep replaying.
    const file = join(__dirname, '../histories', `${name}.json`);
    if (existsSync(file)) return;
    const history = await handle.fetchHistory();
    writeFileSync(file, JSON.stringify(history) + '\n');
  }

  async view(handle: WorkflowHandle): Promise<PlanView> {
    await this.notWhileContinuing(handle.workflowId);
    return handle.query(viewQuery);
  }

  /**
   * Works around a defect of the Java time-skipping test server (1.38.0): a query that reaches a
   * run while the workflow task that continues it as new is in flight is buffered as an event-less
   * change; completing that task then tries to schedule another on the closed run, fails, and
   * leaves the run half-closed: its history has no close event and its workflow task never ends,
   * which locks time skipping for the rest of the file (every later travelTo waits forever). A real
   * Temporal server is not affected. So a query to a plan that continues as new waits while its
   * run is within reach of its history limit and still moving, until the run has continued or has
   * stood still (then no workflow task is in flight) with no activity whose completion would
   * bring the task that continues it.
   */
  private async notWhileContinuing(workflowId: string): Promise<void> {
    const limit = this.historyLimits.get(workflowId);
    if (limit === undefined) return;
    const latest = this.env.client.workflow.getHandle(workflowId);
    let last = await latest.describe();
    let still = Date.now();
    const started = Date.now();
    while (Date.now() - started < 10_000) {
      if (last.status.name !== 'RUNNING' || last.historyLength < limit - CONTINUE_REACH) return;
      // Stood still with nothing of its own in flight: below the limit no task will continue it;
      // at or past it (the length the run saw when its last task started was under the limit)
      // it continues only at its next wake, which a query does not bring.
      const idle = last.historyLength < limit || !last.raw.pendingActivities?.length;
      if (idle && Date.now() - still >= 300) return;
      await new Promise((r) => setTimeout(r, 50));
      const next = await latest.describe();
      if (next.runId !== last.runId) return;
      if (next.historyLength !== last.historyLength) still = Date.now();
      last = next;
    }
  }

  /** The server's local date (Asia/Shanghai): the "today" every scenario counts its dates from. */
  async today(): Promise<LocalDate> {
    return localDateAt(await this.env.currentTimeMs());
  }

  /**
   * Moves the server's clock to the start of a local date (Asia/Shanghai) plus some minutes. The
   * server's clock only moves forward: a target that is not after its time is a mistake in the
   * test (it would silently check nothing), so it throws.
   */
  async travelTo(date: LocalDate, minutes = 0): Promise<void> {
    const target = startOfLocalDay(date) + minutes * 60_000;
    const now = await this.env.currentTimeMs();
    if (target <= now) {
      throw new Error(
        `travelTo ${formatLocalDateTime(target)}: not after the test server's time ${formatLocalDateTime(now)} (Asia/Shanghai); its clock only moves forward, so derive dates from h.today()`,
      );
    }
    // The server skips time whenever nothing is in flight; it stands still only while an activity
    // or workflow task runs (seconds). A clock that has not moved for a minute is stuck (see
    // notWhileContinuing): fail with that rather than wait for the test's own time-out.
    let watchdog: NodeJS.Timeout | undefined;
    const stuck = new Promise<never>((_, reject) => {
      let seen = now;
      let since = Date.now();
      watchdog = setInterval(() => {
        void this.env.currentTimeMs().then((t) => {
          if (t !== seen) [seen, since] = [t, Date.now()];
          else if (Date.now() - since > 60_000)
            reject(new Error(`travelTo ${formatLocalDateTime(target)}: the test server's clock has stood at ${formatLocalDateTime(t)} for a minute; a workflow task or activity never finished`));
        }, reject);
      }, 5_000);
    });
    try {
      await Promise.race([this.env.sleep(target - now), stuck]);
    } finally {
      clearInterval(watchdog);
    }
  }

  /**
   * Waits for the workflow to finish the work a timer started (activities run in real time).
   * Throws once `timeoutMs` has passed without `ok`, naming the last value read.
   */
  async eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
    const started = Date.now();
    for (;;) {
      const v = await read();
      if (ok(v)) return v;
      if (Date.now() - started > timeoutMs) throw new Error(`eventually: no value passed the check within ${timeoutMs} ms; the last read was ${shorten(v)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A value as JSON, cut to a length that still reads in a test failure. */
function shorten(value: unknown, max = 600): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}
