import { toolPaths } from '@reform/config';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoLogins, reform, ROOT, startProduct } from './cli';

describe('the reform command line', () => {
  let dataDir: string;
  // Ports of their own, so a developer's running `npm start` does not get in the way.
  const env = () => ({ REFORM_DATA_DIR: dataDir, TEMPORAL_PORT: '27233', TEMPORAL_UI_PORT: '28233', REFORM_API_PORT: '29233', TEMPORAL_ADDRESS: '' });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'reform-cli-'));
  });
  // A product a failed test left running is stopped, so it does not hold the ports for the next run.
  const products: Array<Awaited<ReturnType<typeof startProduct>>> = [];
  const start = async () => {
    const p = await startProduct(env());
    products.push(p);
    return p;
  };
  afterEach(async () => {
    for (const p of products.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) await p.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers wrong arguments with a Chinese usage line and no stack trace', () => {
    for (const args of [['plan', 'act', 'x'], ['bogus'], ['plan', 'start', '--title']]) {
      const r = reform(args, env());
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^错误:/);
      expect(r.stderr).toContain('reform --help');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(reform(['--help'], env())).toMatchObject({ status: 0, stdout: expect.stringContaining('改革落实闭环') });
  });

  it('output piped into a reader that has gone ends quietly, without a stack trace', () => {
    // `true` exits without reading: every write of the command meets a closed pipe (EPIPE).
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', `node ${join(ROOT, 'bin/reform.js')} rules explain | true`], { encoding: 'utf8', env: { ...process.env, ...env() } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('output that cannot be written (a full disk) ends with a Chinese sentence and exit 1, no stack trace', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [join(ROOT, 'bin/reform.js'), '--help'], { encoding: 'utf8', env: { ...process.env, ...env() }, stdio: ['ignore', full, 'pipe'] });
      expect(r.stderr).toBe('错误:无法写入标准输出(ENOSPC)\n');
      expect(r.status).toBe(1);
    } finally {
      closeSync(full);
    }
  });

  it('doctor names what is missing with a fix, and passes once it is there', () => {
    const before = reform(['doctor'], env());
    expect(before.status).toBe(1);
    expect(before.stdout).toContain('✗ 数据库与迁移');
    expect(before.stdout).toContain('修复:运行 npx reform db migrate');
    expect(before.stdout).toMatch(/✓ Temporal CLI\(开发服务器\):v1\.5\.1\(Server [\d.]+,UI [\d.]+\)/);
    // The local cluster's server is optional: there (✓, with its version) or not (·, with how to build it), never a failure.
    expect(before.stdout).toMatch(/(✓ Temporal 服务器\(本机集群 reform cluster\):v1\.29\.1|· Temporal 服务器\(本机集群 reform cluster\):未安装\n {4}修复:运行 bash scripts\/ensure\.sh cluster)/);

    expect(reform(['db', 'migrate'], env())).toMatchObject({ status: 0, stdout: expect.stringContaining('Initial1732240000000') });
    const after = reform(['doctor'], env());
    expect(after.stdout).toContain('✓ 数据库与迁移');
    expect(after.status).toBe(0);
  });

  it('a user error reads as a sentence: an unknown plan without a server', () => {
    const r = reform(['plan', 'show', 'nope', '--user', 'demo-ndrc'], { ...env(), REFORM_PASSWORD: 'whatever-it-is' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('无法连接 Temporal(127.0.0.1:27233)');
  });

  it('calendar check reads a .holidays file and points at each problem as file:line:col; load refuses it and stores nothing', () => {
    const shipped = reform(['calendar', 'check', join(ROOT, 'rules/calendar/2026.holidays')], env());
    expect(shipped.status).toBe(0);
    expect(shipped.stdout).toMatch(/2026年节假日安排无误.7 个假期.6 个调休上班日/);
    expect(reform(['calendar', 'check', join(ROOT, 'libs/model/calendar/src/data/cn-2026.json')], env())).toMatchObject({ status: 0, stdout: shipped.stdout.replace('rules/calendar/2026.holidays', 'libs/model/calendar/src/data/cn-2026.json') });

    const file = join(dataDir, '2027.holidays');
    writeFileSync(file, '年份 2027\n依据 "通知"\n节假日 元旦 1月1日 至 1月3日\n节日 春节 2月6日\n调休上班 元旦 2月30日\n');
    const bad = reform(['calendar', 'check', file], env());
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain(`${file}:4:1: error: 不认识的关键字「节日」 [unknown-keyword]`);
    expect(bad.stderr).toContain('= 提示:是不是「节假日」?');
    expect(bad.stderr).toContain(`${file}:5:9: error: 2027年2月没有30日 [no-such-date]`);
    expect(bad.stderr).not.toMatch(/\n\s+at /);

    const load = reform(['calendar', 'load', file], env());
    expect(load.status).toBe(1);
    expect(load.stderr).toContain(`${file}:4:1: error:`);
    expect(readdirSync(dataDir)).toEqual(['2027.holidays']);
    expect(existsSync(join(dataDir, 'reform.db'))).toBe(false);
  });

  it('start brings up the dev server and a worker; a plan moves; Ctrl-C stops; the next start finds it', async () => {
    let product = await start();
    expect(product.output()).toContain('Temporal Web UI:  http://localhost:28233');

    // The CLI acts as a real user: the lead department's demo user, with the password start wrote.
    const logins = demoLogins(dataDir);
    const as = (user: string, password = logins[user]) => ({ ...env(), REFORM_USER: user, REFORM_PASSWORD: password });
    const started = reform(
      ['plan', 'register', '--title', '关于深化营商环境改革的实施方案', '--leader', '王副省长', '--person', '李明', '--group', 'demo-econ', '--attr', 'major', '--id', 'e2e-plan'],
      as('demo-ndrc'),
    );
    expect(started).toMatchObject({ status: 0, stdout: expect.stringContaining('编号:e2e-plan') });
    expect(reform(['plan', 'act', 'e2e-plan', 'submit_draft'], as('demo-ndrc'))).toMatchObject({ status: 0, stdout: expect.stringContaining('当前阶段:调查研究(A6)') });
    // The engine refuses a step out of order with its reason and the rule ids, exit 1, no stack trace.
    const refused = reform(['plan', 'act', 'e2e-plan', 'issue'], as('demo-ndrc'));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('须先完成:调查研究(A6)');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    // No role can be claimed: the role is the unit's. Another department does not see the plan at all.
    expect(reform(['plan', 'act', 'e2e-plan', 'complete_research', '--as', 'lead_unit'], as('demo-ndrc'))).toMatchObject({ status: 2, stderr: expect.stringContaining('错误:未知选项 --as') });
    const special = reform(['plan', 'act', 'e2e-plan', 'issue'], as('demo-econ'));
    expect(special.status).toBe(1);
    expect(special.stderr).toContain('「印发方案」须由牵头单位、改革办办理');
    const stranger = reform(['plan', 'show', 'e2e-plan'], as('demo-edu'));
    expect(stranger).toMatchObject({ status: 1, stderr: '错误:没有找到方案「e2e-plan」,或本单位无权查看\n' });
    // A wrong password: a Chinese sentence, exit 1, nothing done, the password never printed.
    const wrong = reform(['plan', 'act', 'e2e-plan', 'complete_research'], as('demo-ndrc', 'not-the-password'));
    expect(wrong).toMatchObject({ status: 1, stdout: '', stderr: '错误:用户名或密码错误\n' });
    // No user, or no password and no terminal to type it at: said in Chinese.
    expect(reform(['plan', 'list'], { ...env(), REFORM_USER: '', REFORM_PASSWORD: '' })).toMatchObject({ status: 1, stderr: expect.stringContaining('--user <用户名>') });
    expect(reform(['plan', 'list', '--user', 'demo-ndrc'], { ...env(), REFORM_USER: '', REFORM_PASSWORD: '' })).toMatchObject({ status: 1, stderr: expect.stringContaining('REFORM_PASSWORD') });

    // A holiday year loads as the province's reform office, signed in, through the API's
    // CalendarDesk: audited with who loaded it, refused to any other unit.
    const year = new Date().getUTCFullYear() + 3;
    const holidays = join(dataDir, `${year}.holidays`);
    writeFileSync(holidays, `年份 ${year}\n依据 "测试用通知"\n节假日 元旦 1月1日\n`);
    expect(reform(['calendar', 'load', holidays], as('demo-ndrc'))).toMatchObject({ status: 1, stderr: expect.stringContaining('节假日安排由改革办管理') });
    const loaded = reform(['calendar', 'load', holidays], as('demo-reform'));
    expect(loaded).toMatchObject({ status: 0, stderr: '' });
    expect(loaded.stdout).toContain(`已载入 ${year} 年节假日安排(测试用通知),已记入审计。`);
    expect(loaded.stdout).toContain('已通知运行中的方案;0 个时限的截止日期随之调整。');
    expect(reform(['calendar', 'list'], env()).stdout).toContain(`${year}年:测试用通知`);
    const login = await fetch('http://127.0.0.1:29233/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo-reform', password: logins['demo-reform'] }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const trail = await fetch('http://127.0.0.1:29233/api/audit/entries?action=calendar.loaded', { headers: { authorization: `Bearer ${accessToken}` } });
    const rows = ((await trail.json()) as { rows: Array<{ target: { id: string }; actor: { name: string; unitId: string } | null }> }).rows;
    expect(rows.map((r) => ({ year: r.target.id, user: r.actor?.name, unit: r.actor?.unitId }))).toEqual([{ year: String(year), user: '示范省改革办演示用户', unit: 'demo-reform' }]);

    const list = spawnSync(toolPaths(ROOT).temporalCli, ['workflow', 'list', '--address', '127.0.0.1:27233'], { encoding: 'utf8' });
    expect(list.stdout).toMatch(/Running\s+e2e-plan\s+procedureWorkflow/);
    const ui = await fetch('http://localhost:28233/');
    expect(ui.status).toBe(200);

    expect(await product.stop()).toBe(0);
    expect(product.output()).toContain('已停止');

    product = await start();
    const shown = reform(['plan', 'show', 'e2e-plan'], as('demo-ndrc'));
    expect(shown.stdout).toContain('当前阶段:调查研究(A6)');
    expect(shown.stdout).toContain('npx reform plan act e2e-plan complete_research    # 完成调查研究(牵头单位)');
    // The ledger in the user's scope, as the API lists it (written by the workflow a moment after a change).
    expect(reform(['plan', 'list'], as('demo-ndrc')).stdout).toMatch(/^e2e-plan  关于深化营商环境改革的实施方案  \[调查研究\]/m);
    expect(reform(['plan', 'list'], as('demo-edu')).stdout).toContain('台账中没有本单位可见的方案');
    expect(await product.stop()).toBe(0);
  }, 360_000);
});
