import { stopChild } from '@reform/temporal';

/** What the supervisor needs of a child process (a ChildProcess, or a fake in the spec). */
export interface Child {
  readonly pid?: number;
  kill(signal: NodeJS.Signals): boolean;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  once(event: 'error', listener: (err: Error) => void): unknown;
}

export interface SupervisorOptions {
  /** Starts one child; called again for every restart. */
  spawn: () => Child;
  /** One line for the person at the terminal, in Chinese. */
  log: (line: string) => void;
  /** What the child is, in the log lines. */
  name?: string;
  /** First restart delay, doubled for each death in a row, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A child that ran this long before dying was healthy: the next restart is quick again. */
  healthyAfterMs?: number;
  /** On stop: SIGINT first, SIGKILL if the child has not exited after this long. */
  stopGraceMs?: number;
  now?: () => number;
}

/**
 * Delay before the `deaths`-th restart in a row (1-based): base, 2×base, 4×base, … capped at max.
 * A child that dies right at start-up is restarted less and less often, never in a hot loop.
 */
export function restartDelay(deaths: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(deaths - 1, 0), 30));
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `被信号 ${signal} 终止`;
  return code === null ? '未能启动' : `退出码 ${code}`;
}

/**
 * Keeps one child process running: restarts it when it dies, with exponential back-off, and says
 * so; stop() ends it (SIGINT, then SIGKILL) in any state, including while a restart is pending.
 * Deaths are seen through the 'exit' event, which also fires for a child killed by a signal
 * (whose exitCode stays null).
 */
export class Supervisor {
  private child?: Child;
  private exited?: Promise<void>;
  private restartTimer?: NodeJS.Timeout;
  private deathsInARow = 0;
  private startedAt = 0;
  private stopping = false;
  /** Restarts so far, for the log. */
  restarts = 0;

  private readonly name: string;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly healthyAfterMs: number;
  private readonly stopGraceMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: SupervisorOptions) {
    this.name = opts.name ?? '工作进程';
    this.baseDelayMs = opts.baseDelayMs ?? 1_000;
    this.maxDelayMs = opts.maxDelayMs ?? 30_000;
    this.healthyAfterMs = opts.healthyAfterMs ?? 60_000;
    this.stopGraceMs = opts.stopGraceMs ?? 5_000;
    this.now = opts.now ?? Date.now;
  }

  /** The running child's pid, if one is running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (this.stopping) return;
    const child = this.opts.spawn();
    this.child = child;
    this.startedAt = this.now();
    let done = false;
    this.exited = new Promise<void>((resolve) => {
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        if (done) return;
        done = true;
        if (this.child === child) this.child = undefined;
        resolve();
        this.onExit(code, signal);
      };
      child.once('exit', onExit);
      // A child that could not be spawned at all emits 'error' and no 'exit'.
      child.once('error', (err) => {
        if (child.pid === undefined) {
          this.opts.log(`${this.name}无法启动:${err.message}`);
          onExit(null, null);
        }
      });
    });
    if (child.pid !== undefined) this.opts.log(this.restarts ? `${this.name}已重启(第 ${this.restarts} 次,pid ${child.pid})` : `${this.name}已启动(pid ${child.pid})`);
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping) return;
    this.deathsInARow = this.now() - this.startedAt >= this.healthyAfterMs ? 1 : this.deathsInARow + 1;
    const delay = restartDelay(this.deathsInARow, this.baseDelayMs, this.maxDelayMs);
    this.opts.log(`${this.name}意外退出(${describeExit(code, signal)}),${Math.round(delay / 100) / 10} 秒后重启`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.restarts++;
      this.start();
    }, delay);
  }

  /** At once and without waiting, for a process that is exiting: no restart, SIGKILL to the child. */
  kill(): void {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.child?.kill('SIGKILL');
  }

  /** Ends the child and any pending restart; resolves once the child has exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const child = this.child;
    if (!child) return;
    await stopChild(child, this.exited ?? Promise.resolve(), { graceMs: this.stopGraceMs });
  }
}
