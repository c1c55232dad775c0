import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { CHILD_FLAG, ChildArgs, ChildMessage, ParentMessage, WorkerStats } from './protocol';

/** A worker running in a child process of the bench (see worker-child.ts). */
export class WorkerProcess {
  private waiters: Array<(msg: ChildMessage) => boolean> = [];
  private exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly mode: ChildArgs['mode'],
  ) {
    child.on('message', (msg: ChildMessage) => {
      if (msg.type === 'error') console.error(`[bench] ${mode} worker failed: ${msg.message}`);
      // Each message answers the oldest waiter that wants it.
      const i = this.waiters.findIndex((w) => w(msg));
      if (i >= 0) this.waiters.splice(i, 1);
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  ready!: { bundleMs: number; maxCachedWorkflows: number; stats: WorkerStats };

  static async start(args: ChildArgs): Promise<WorkerProcess> {
    // The child runs this app's entry again through tsx with the monorepo's path aliases, however
    // the bench itself was started; --expose-gc lets it collect before memory is read.
    const child = fork(join(__dirname, 'engine-bench.ts'), [CHILD_FLAG, JSON.stringify(args)], {
      cwd: args.root,
      // BENCH_WORKER_NODE_ARGS adds Node flags to the worker only, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof'.
      execArgv: ['--require', require.resolve('tsx/cjs'), '--expose-gc', ...(process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean)],
      env: { ...process.env, TSX_TSCONFIG_PATH: join(args.root, 'tsconfig.json') },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const wp = new WorkerProcess(child, args.mode);
    const ready = await Promise.race([
      wp.next((m) => (m.type === 'ready' || m.type === 'error' ? m : undefined)),
      wp.exited.then((code) => ({ type: 'error' as const, message: `worker process exited (${code}) before it was ready` })),
    ]);
    if (ready.type !== 'ready') {
      wp.kill();
      throw new Error(`${args.mode} worker: ${ready.type === 'error' ? ready.message : 'unexpected message'}`);
    }
    wp.ready = ready;
    return wp;
  }

  private next<T>(pick: (msg: ChildMessage) => T | undefined): Promise<T> {
    return new Promise((resolve) => {
      this.waiters.push((msg) => {
        const v = pick(msg);
        if (v === undefined) return false;
        resolve(v);
        return true;
      });
    });
  }

  private send(msg: ParentMessage): void {
    if (this.child.connected) this.child.send(msg);
  }

  /** The worker's memory, CPU and cache; rejects if the worker process has gone or does not answer. */
  async stats(gc = false, timeoutMs = 60_000): Promise<WorkerStats> {
    if (!this.alive) throw new Error(`${this.mode} worker process has exited (${this.child.exitCode ?? this.child.signalCode})`);
    const reply = this.next((m) => (m.type === 'stats' ? m.stats : undefined));
    this.send({ type: 'stats', gc });
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        reply,
        this.exited.then((code) => Promise.reject(new Error(`${this.mode} worker process exited (${code ?? this.child.signalCode})`))),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${this.mode} worker did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Graceful shutdown; killed if it has not exited within the grace time. */
  async stop(graceMs = 20_000): Promise<void> {
    if (!this.alive) return;
    this.send({ type: 'stop' });
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }
}
