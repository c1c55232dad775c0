import { toolPaths } from '@reform/config';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(__dirname, '../..');

let runtimeInstalled = false;

/** How long the test server's JVM may take to listen: seconds alone, far longer on a crowded machine. */
const SERVER_START_MS = 120_000;

/**
 * The real Java time-skipping test server, installed by scripts/ensure.sh. Started here rather
 * than by the SDK, which gives it a fixed 5 s to answer: a JVM on a busy machine (two cores, two
 * test files at once, each seeding and loading) can take longer, and every failed start cost the
 * file 5 s and a fresh JVM, or the whole file after three.
 */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
    runtimeInstalled = true;
  }
  const path = toolPaths(ROOT).testServer;
  if (!existsSync(path)) throw new Error(`Temporal test server missing at ${path}: run 'bash scripts/ensure.sh test'`);
  const port = await freePort();
  // The launcher execs java: the child is the server itself. Started as the SDK starts it (the
  // port alone): time skipping locked until a sleep or a result unlocks it.
  const server = spawn(path, [String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  server.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-2000)));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    await exited;
  };
  try {
    await listening(port, server, () => stderr);
    // What createTimeSkipping does once its own server is up, on this one (create is private in the SDK's types).
    const env = await (TestWorkflowEnvironment as unknown as { create(opts: object): Promise<TestWorkflowEnvironment> }).create({
      server: { type: 'existing' },
      address: `127.0.0.1:${port}`,
      supportsTimeSkipping: true,
    });
    const teardown = env.teardown.bind(env);
    env.teardown = async () => {
      await teardown();
      await stop();
    };
    return env;
  } catch (err) {
    await stop();
    throw err;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once the server accepts connections on the port; rejects if it exits or takes too long. */
async function listening(port: number, server: ReturnType<typeof spawn>, output: () => string): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) throw new Error(`Temporal test server exited (${server.exitCode ?? server.signalCode}) before listening on ${port}: ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() - started > SERVER_START_MS) throw new Error(`Temporal test server did not listen on ${port} within ${SERVER_START_MS / 1000} s: ${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The workflow bundle built by global-setup, so workers start without bundling again. */
export function workflowBundle(): { codePath: string } {
  const codePath = process.env.REFORM_WORKFLOW_BUNDLE ?? join(ROOT, '.data/cache/workflow-bundle.js');
  return { codePath };
}
