import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'bin/reform.js');

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `reform …` as a user would, in its own process. */
export function reform(args: string[], env: NodeJS.ProcessEnv): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `reform start` in the background, with its output collected; resolves once it is ready. */
export async function startProduct(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: () => string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, 'start'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const started = Date.now();
  while (!/\[worker\] 已连接/.test(out)) {
    if (child.exitCode !== null || Date.now() - started > 90_000) throw new Error(`reform start did not come up:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    output: () => out,
    stop: async () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}

/**
 * The demo logins `reform start` wrote on first start (`<dataDir>/demo-logins.txt`: a line
 * `… 用户名 <name>  密码 <password>` per user), by username.
 */
export function demoLogins(dataDir: string): Record<string, string> {
  const text = readFileSync(join(dataDir, 'demo-logins.txt'), 'utf8');
  return Object.fromEntries([...text.matchAll(/用户名 (\S+)\s+密码 (\S+)/g)].map((m) => [m[1], m[2]]));
}
