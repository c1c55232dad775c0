import { Connection } from '@temporalio/client';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';

export interface DevServerOptions {
  /** The Temporal CLI built by scripts/ensure.sh. */
  cliPath: string;
  dataDir: string;
  port: number;
  uiPort: number;
  /** Where the server's own log lines go; quiet by default. */
  onLog?: (line: string) => void;
  /** Aborting it while the server starts stops the server, and startDevServer rejects. */
  signal?: AbortSignal;
}

/** A child that does not stop on its signal within this long is killed. */
export const STOP_GRACE_MS = 5_000;

/**
 * Stops a child process: `signal` (SIGINT by default), then SIGKILL if it is still there after the
 * grace period. `exited` resolves when the child has exited (however it ended). The one way every
 * process the product or its tests start is stopped.
 */
export function stopChild<T>(child: { kill(signal: NodeJS.Signals): boolean }, exited: Promise<T>, options: { signal?: NodeJS.Signals; graceMs?: number } = {}): Promise<T> {
  child.kill(options.signal ?? 'SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.graceMs ?? STOP_GRACE_MS);
  return exited.finally(() => clearTimeout(timer));
}

export interface DevServer {
  address: string;
  uiUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts `temporal server start-dev` persisted to a SQLite file in the data folder, and waits
 * until its frontend answers. Stopping sends SIGINT and waits for a clean exit.
 */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  if (!existsSync(opts.cliPath)) throw new Error(`找不到 Temporal CLI(${opts.cliPath});请先运行 npm start 或 bash scripts/ensure.sh`);
  if (await portOpen(opts.port)) {
    throw new Error(`端口 ${opts.port} 已被占用:是否已有一个 npm start 在运行?如要连接已有的 Temporal,请设置 TEMPORAL_ADDRESS`);
  }
  if (opts.signal?.aborted) throw new Error('Temporal 开发服务器启动中被停止');
  mkdirSync(opts.dataDir, { recursive: true });
  const args = ['server', 'start-dev', '--db-filename', join(opts.dataDir, 'temporal.db'), '--ip', '127.0.0.1', '--port', String(opts.port), '--ui-port', String(opts.uiPort), '--log-level', 'error'];
  // Its own process group: Ctrl-C in the terminal reaches the caller, which stops the workers
  // first and the server last, instead of the server dying under a worker still finishing a task.
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const tail: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      opts.onLog?.(line);
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  // The 'exit' event, not exitCode: a process killed by a signal exits with exitCode null.
  let done = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      done = true;
      resolve(code);
    }),
  );
  const onAbort = () => void stopChild(child, exited);
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const address = `127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const early = await Promise.race([exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 250))]);
    if (early !== 'running') {
      process.removeListener('exit', orphanGuard);
      if (opts.signal?.aborted) throw new Error('Temporal 开发服务器启动中被停止');
      throw new Error(`Temporal 开发服务器启动失败(退出码 ${early}):\n${tail.join('\n')}`);
    }
    if (await portOpen(opts.port)) {
      try {
        const connection = await Connection.connect({ address, connectTimeout: '2s' });
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        await connection.close();
        break;
      } catch {
        // Frontend is up but the namespace is not ready yet.
      }
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Temporal 开发服务器 60 秒内未就绪:\n${tail.join('\n')}`);
    }
  }
  opts.signal?.removeEventListener('abort', onAbort);
  return {
    address,
    uiUrl: `http://localhost:${opts.uiPort}`,
    process: child,
    stop: async () => {
      process.removeListener('exit', orphanGuard);
      if (!done) await stopChild(child, exited);
    },
  };
}
