import { stopChild } from '@reform/temporal';
import { ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import type { TestDatabase } from './db';
import { ROOT, workflowBundle } from './temporal';

/** What a crash-worker process says it did (one JSON line each on its stdout). */
export type WorkerEvent =
  | { type: 'ready'; pid: number }
  | { type: 'letter' | 'crash'; pid: number; key: string; attempt: number; number: string; created: boolean }
  | { type: 'projection' | 'crash-projection'; pid: number; planId: string; changeCounter: number; attempt: number; applied: boolean; audits: number[] }
  | { type: 'error'; pid: number; message: string };

export interface WorkerProcessOptions {
  address: string;
  taskQueue: string;
  db: TestDatabase;
  /** SIGKILL itself right after it committed the letter of one of these keys, before reporting it to Temporal. */
  crashAfterCommit?: string[];
  /** SIGKILL itself when the first attempt at a projection of this plan with at least this change counter starts. */
  crashBeforeProjection?: Array<{ planId: string; changeCounter: number }>;
  /** Letters it writes at once. */
  activitySlots?: number;
}

/** A worker in a process of its own (crash-worker.ts), on the test's Temporal and database. */
export class WorkerProcess {
  readonly events: WorkerEvent[] = [];
  readonly ready: Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private output = '';

  private constructor(readonly child: ChildProcess) {
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop()!;
      for (const line of lines.filter(Boolean)) {
        try {
          this.events.push(JSON.parse(line) as WorkerEvent);
        } catch {
          this.output += `${line}\n`;
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    this.ready = new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        const failed = this.events.find((e) => e.type === 'error');
        if (this.events.some((e) => e.type === 'ready')) resolve();
        else if (failed || child.exitCode !== null || child.signalCode !== null || Date.now() - started > 90_000) {
          reject(new Error(`worker process ${child.pid} did not come up: ${failed?.type === 'error' ? failed.message : ''}\n${this.output}`));
        } else return;
        clearInterval(poll);
      }, 50);
    });
  }

  static spawn(o: WorkerProcessOptions): WorkerProcess {
    const database = o.db.options.url ? { DATABASE_URL: o.db.options.url } : { REFORM_DATA_DIR: dirname(o.db.options.sqlitePath), DATABASE_URL: '' };
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(__dirname, 'crash-worker.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'),
        TEMPORAL_ADDRESS: o.address,
        TEMPORAL_TASK_QUEUE: o.taskQueue,
        REFORM_WORKFLOW_BUNDLE: workflowBundle().codePath,
        REFORM_TEST_CRASH_AFTER_COMMIT: (o.crashAfterCommit ?? []).join(','),
        REFORM_TEST_CRASH_BEFORE_PROJECTION: (o.crashBeforeProjection ?? []).map((c) => `${c.planId}@${c.changeCounter}`).join(','),
        REFORM_TEST_ACTIVITY_SLOTS: String(o.activitySlots ?? 0),
        ...database,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new WorkerProcess(child);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Stops it as an operator would (SIGTERM: the SDK shuts down gracefully), killing it if it hangs. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await stopChild(this.child, this.exited, { signal: 'SIGTERM', graceMs: 15_000 });
  }
}
