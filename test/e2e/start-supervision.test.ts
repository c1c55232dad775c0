import { addDays, localDateAt } from '@reform/calendar';
import { portOpen } from '@reform/temporal';
import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoLogins, reform, ROOT, startProduct } from './cli';

const TEMPORAL_PORT = 27263;

/** Resolves with the exit code, or 'still running' if the process has not exited within `ms`. */
function exitWithin(child: ChildProcess, ms: number): Promise<number | null | 'still running'> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('still running'), ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 180_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const workerPids = (output: string) => [...output.matchAll(/工作进程已(?:启动|重启)[^\n]*pid (\d+)/g)].map((m) => Number(m[1]));

/**
 * `reform start` supervises its worker: one killed outright is restarted and letters go out again;
 * Ctrl-C ends everything within seconds in every state. And a broken rules/standard stops nothing.
 */
describe('reform start supervises the product', () => {
  let dataDir: string;
  const env = (extra: Record<string, string> = {}) => ({ REFORM_DATA_DIR: dataDir, TEMPORAL_PORT: String(TEMPORAL_PORT), TEMPORAL_UI_PORT: '28263', REFORM_API_PORT: '29263', TEMPORAL_ADDRESS: '', ...extra });
  const ok = (args: string[], extra?: Record<string, string>) => {
    const r = reform(args, env(extra));
    if (r.status !== 0) throw new Error(`reform ${args.join(' ')} → ${r.status}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };

  /** The lead department's demo user, with the password the first start wrote. */
  const lead = () => ({ REFORM_USER: 'demo-ndrc', REFORM_PASSWORD: demoLogins(dataDir)['demo-ndrc'] });

  // Each test starts the whole product and runs the CLI several times, each a fresh Node process.
  jest.setTimeout(600_000);

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'reform-supervision-'));
  });
  // A test that fails half-way still leaves no product running on these ports.
  let started: ChildProcess[] = [];
  const launch = async (extra?: Record<string, string>) => {
    const product = await startProduct(env(extra));
    started.push(product.child);
    return product;
  };
  afterEach(async () => {
    for (const child of started) {
      child.kill('SIGINT');
      if ((await exitWithin(child, 30_000)) === 'still running') child.kill('SIGKILL');
    }
    started = [];
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a worker killed with SIGKILL is restarted, letters go out again, and Ctrl-C then stops everything', async () => {
    const product = await launch();
    const [first] = workerPids(product.output());
    expect(first).toBeGreaterThan(0);

    process.kill(first, 'SIGKILL');
    await waitFor('the restart', () => /工作进程已重启/.test(product.output()));
    expect(product.output()).toContain('工作进程意外退出(被信号 SIGKILL 终止),1 秒后重启');
    const [, second] = workerPids(product.output());
    expect(second).not.toBe(first);
    await waitFor('the new worker to connect', () => (product.output().match(/\[worker\] 已连接/g) ?? []).length >= 2);

    // A plan answering a central reform plan issued seven months ago has missed its six-month
    // deadline (S1): the restarted worker writes the supervision letter (督办函, after the due date, Y9).
    const today = localDateAt(Date.now());
    ok(['plan', 'register', '--title', '关于对接中央改革方案的实施方案', '--leader', '王副省长', '--person', '李明', '--group', 'demo-econ', '--attr', 'central_plan', '--event', `central_plan_issued=${addDays(today, -215)}`, '--id', 'overdue-plan'], lead());
    await waitFor('a letter', () => /督办函.*overdue-plan/.test(reform(['letters', '--plan', 'overdue-plan'], env()).stdout));

    product.child.kill('SIGINT');
    expect(await exitWithin(product.child, 20_000)).toBe(0);
    expect(product.output()).toContain('已停止');
    expect(await portOpen(TEMPORAL_PORT)).toBe(false);
    expect(alive(second)).toBe(false);
  });

  it('Ctrl-C while a restart is pending stops at once and starts no new worker', async () => {
    const product = await launch();
    const [first] = workerPids(product.output());
    process.kill(first, 'SIGKILL');
    await waitFor('the death to be seen', () => /秒后重启/.test(product.output()));
    product.child.kill('SIGINT');
    expect(await exitWithin(product.child, 20_000)).toBe(0);
    expect(product.output()).not.toContain('工作进程已重启');
    expect(await portOpen(TEMPORAL_PORT)).toBe(false);
  });

  it('Ctrl-C while the dev server is still starting stops it too', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/reform.js'), 'start'], { env: { ...process.env, ...env() }, stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(child);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    await waitFor('the dev server to be starting', () => out.includes('启动 Temporal 开发服务器'));
    child.kill('SIGINT');
    expect(await exitWithin(child, 20_000)).toBe(0);
    expect(out).toContain('已停止');
    expect(out).not.toMatch(/工作进程已启动|\n\s+at /);
    expect(await portOpen(TEMPORAL_PORT)).toBe(false);
  });

  it('a typo in the standard rules stops neither rules check on another file nor start, which says what is wrong', async () => {
    const rulesDir = join(dataDir, 'standard');
    const otherDir = join(dataDir, 'other');
    cpSync(join(ROOT, 'rules/standard'), rulesDir, { recursive: true });
    cpSync(join(ROOT, 'rules/standard'), otherDir, { recursive: true });
    const rules = { REFORM_RULES_DIR: rulesDir };
    // A database that has the standard procedures published, from the folder while it was sound.
    expect(ok(['procedures'], rules)).toContain('reform_plan 第1版');

    const file = join(rulesDir, 'pilot.rules');
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.startsWith('阶段'));
    lines[at] = lines[at].replace('阶段', '阶断');
    writeFileSync(file, lines.join('\n'));

    const broken = reform(['rules', 'check'], env(rules));
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain(`pilot.rules:${at + 1}:1: error:`);
    const other = reform(['rules', 'check', join(otherDir, 'pilot.rules')], env(rules));
    expect(other.stderr).not.toContain('标准规则有错误');
    expect(other).toMatchObject({ status: 0, stdout: expect.stringContaining('规则无误') });

    const product = await launch(rules);
    try {
      expect(product.output()).toContain(`注意:${rulesDir} 有错误(见下),按已发布的流程运行`);
      expect(product.output()).toContain(`${file}:${at + 1}:1: error:`);
      expect(product.output()).toMatch(/已发布流程: .*pilot 第1版/);
      expect(ok(['plan', 'register', '--procedure', 'pilot', '--title', '试点方案', '--leader', '王副省长', '--person', '李明', '--group', 'demo-econ', '--id', 'pilot-plan'], { ...rules, ...lead() })).toContain('编号:pilot-plan');
    } finally {
      expect(await product.stop()).toBe(0);
    }
  });
});
