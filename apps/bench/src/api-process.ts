import { AppConfig, loadConfig } from '@reform/config';
import { ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * The API's composition root (apps/api/src/start.ts), loaded at run time from the monorepo: the
 * API is an app of its own (Nest, built with decorators), not a library the bench builds with.
 */
interface ApiStart {
  startApi(cfg: AppConfig, opts: { options?: { throttle?: { limit: number; ttlMs: number }; webDir?: string | null } }): Promise<{ url: string; close(): Promise<void> }>;
}

export const API_CHILD_FLAG = '--api-child';

export interface ApiChildArgs {
  root: string;
  /** The environment the API reads its configuration from (DATABASE_URL, TEMPORAL_ADDRESS, …). */
  env: Record<string, string>;
  /** Requests one client may make per minute before 429: raised, as the bench is one client. */
  throttleLimit: number;
  /** The built web console the API serves at `/` (as `npm start`'s API does); none when left out. */
  webDir?: string;
}

type ApiChildMessage = { type: 'ready'; url: string } | { type: 'error'; message: string };

/**
 * The API as production runs it (apps/api/src/start.ts: the composition root, structured log
 * lines on stdout), in a process of its own so its CPU is its own. Only the throttle is raised.
 */
export async function runApiChild(args: ApiChildArgs): Promise<void> {
  // Through the CommonJS loader tsx hooks in this process (--require tsx/cjs).
  const load = createRequire(__filename);
  const { startApi } = load(join(args.root, 'apps/api/src/start.ts')) as ApiStart;
  const api = await startApi(loadConfig(args.env, args.root), { options: { throttle: { limit: args.throttleLimit, ttlMs: 60_000 }, webDir: args.webDir ?? null } });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    api.close().finally(() => process.exit(0));
  };
  process.on('message', (msg: { type: string }) => {
    if (msg.type === 'stop') stop();
  });
  process.on('disconnect', stop);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.send?.({ type: 'ready', url: api.url } satisfies ApiChildMessage);
}

/** The API child seen from the bench. */
export class ApiProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    private readonly exited: Promise<void>,
  ) {}

  get pid(): number | undefined {
    return this.child.pid;
  }

  static async start(args: ApiChildArgs): Promise<ApiProcess> {
    const child = fork(join(__dirname, 'api-bench.ts'), [API_CHILD_FLAG, JSON.stringify(args)], {
      cwd: args.root,
      // BENCH_API_NODE_ARGS adds Node flags to the API process only, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof'.
      execArgv: ['--require', require.resolve('tsx/cjs'), ...(process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean)],
      env: { ...process.env, ...args.env, TSX_TSCONFIG_PATH: join(args.root, 'tsconfig.json') },
      // Its log lines (one per request) are written, as in production, and thrown away.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const ready = await Promise.race([
      new Promise<ApiChildMessage>((resolve) => child.on('message', (m: ApiChildMessage) => resolve(m))),
      exited.then((): ApiChildMessage => ({ type: 'error', message: `API process exited (${child.exitCode ?? child.signalCode}) before it was ready` })),
    ]);
    if (ready.type !== 'ready') {
      child.kill('SIGKILL');
      throw new Error(ready.message);
    }
    return new ApiProcess(child, ready.url, exited);
  }

  async stop(graceMs = 15_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.child.connected) this.child.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
