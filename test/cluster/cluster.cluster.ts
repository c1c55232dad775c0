import { addDays, localDateAt, LocalDate } from '@reform/calendar';
import { toolPaths } from '@reform/config';
import { LetterStore, openDatabase } from '@reform/persistence';
import { temporal } from '@temporalio/proto';
import { Client, Connection } from '@temporalio/client';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { checkClusterInvariants } from '@reform/ledger';
import { callFrom, Reply } from '../api/world';
import { demoLogins, ROOT } from '../e2e/cli';

/**
 * The local cluster end to end (`npm run test:cluster`, not part of `npm test`): `reform cluster
 * up` on a cluster of its own (its folder, databases and ports), a few dozen plans registered
 * through one API and walked through both, one of the three workers SIGKILLed half-way; then every
 * plan stands where its walk took it, every letter that fell due is there once under unbroken
 * official numbers, the audit chain verifies, `up` brings the killed worker back and `down` stops
 * every process.
 */
const PLANS = Number(process.env.REFORM_CLUSTER_TEST_PLANS ?? 30);
const AT_ONCE = 6;
const DIR = join(ROOT, '.data', 'cluster-test');
const PREFIX = `reform_ctest_${randomUUID().slice(0, 8)}`;
const PORT_BASE = Number(process.env.REFORM_CLUSTER_TEST_PORT_BASE ?? 26200);
const PG = process.env.REFORM_CLUSTER_POSTGRES ?? 'postgres://reform:reform@127.0.0.1:5432';
const ENV: NodeJS.ProcessEnv = {
  REFORM_CLUSTER_DIR: DIR,
  REFORM_CLUSTER_DB_PREFIX: PREFIX,
  REFORM_CLUSTER_PORT_BASE: String(PORT_BASE),
  REFORM_CLUSTER_POSTGRES: PG,
  REFORM_CLUSTER_APIS: '2',
  REFORM_CLUSTER_WORKERS: '3',
};
const APIS = [`http://127.0.0.1:${PORT_BASE}`, `http://127.0.0.1:${PORT_BASE + 1}`];
/** Temporal's Web UI runs when scripts/ensure.sh cluster could build it. */
const UI = existsSync(toolPaths(ROOT).temporalUiVersionFile);
/** 改办函〔2026〕12号: the default prefix, the year, the serial. */
const OFFICIAL_NUMBER = /^改办函〔(\d{4})〕(\d+)号$/;

interface Run {
  status: number | null;
  out: string;
}

/** `reform cluster …` in its own process, as an operator runs it. */
function reform(args: string[], timeoutMs = 900_000, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/reform.js'), 'cluster', ...args], { env: { ...process.env, ...ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, out });
    });
  });
}

interface MemberStatus {
  name: string;
  pid?: number;
  running: boolean;
  answering: boolean;
  detail: string;
  rssBytes?: number;
}

async function status(): Promise<{ ok: boolean; members: MemberStatus[]; run: Run }> {
  const run = await reform(['status', '--json']);
  return { ...(JSON.parse(run.out) as { ok: boolean; members: MemberStatus[] }), run };
}

interface Detail {
  plan: { stage: { id: string }; letters: Array<{ kind: string; deadlineKey: string; number: string; level: number }> };
}

async function eventually<T>(check: () => Promise<T>, timeoutMs: number): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() - started > timeoutMs) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Runs `work` over `items`, `n` at a time. */
async function pool<T>(items: T[], n: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i], i);
      }
    }),
  );
}

/** Bytes of each of the cluster's databases (pg_database_size). */
async function databaseSizes(): Promise<Record<string, number>> {
  const admin = new PgClient({ connectionString: `${PG}/postgres` });
  await admin.connect();
  try {
    const r = await admin.query('SELECT datname, pg_database_size(datname)::bigint AS size FROM pg_database WHERE datname = ANY($1)', [[`${PREFIX}_temporal`, `${PREFIX}_visibility`, PREFIX]]);
    return Object.fromEntries(r.rows.map((x: { datname: string; size: string }) => [x.datname, Number(x.size)]));
  } finally {
    await admin.end();
  }
}

/**
 * What the walked plans cost, printed for the record (docs/scaling.md's figures come from
 * `npm run bench:scale`; nothing here is asserted): history events and bytes per plan, database
 * growth per plan, rows per plan in the product's tables, and the workers' memory.
 */
async function printCosts(plans: string[], sizesBefore: Record<string, number>, members: MemberStatus[]): Promise<void> {
  const connection = await Connection.connect({ address: `127.0.0.1:${PORT_BASE + 33}` });
  try {
    const client = new Client({ connection });
    const histories = await Promise.all(plans.map((id) => client.workflow.getHandle(id).fetchHistory()));
    const events = histories.map((h) => h.events?.length ?? 0);
    const bytes = histories.map((h) => temporal.api.history.v1.History.encode(h).finish().length);
    const sizesAfter = await databaseSizes();
    const product = new PgClient({ connectionString: `${PG}/${PREFIX}` });
    await product.connect();
    const rows: string[] = [];
    try {
      const tables = await product.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
      for (const { tablename } of tables.rows as Array<{ tablename: string }>) {
        const n = Number((await product.query(`SELECT count(*) AS n FROM "${tablename}"`)).rows[0].n);
        if (n) rows.push(`${tablename} ${n}`);
      }
    } finally {
      await product.end();
    }
    const avg = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
    console.log(
      [
        `${plans.length} plans, six actions and one letter each:`,
        `  history per plan: ${avg(events)} events (${Math.min(...events)}–${Math.max(...events)}), ${avg(bytes)} bytes`,
        ...Object.entries(sizesAfter).map(([db, size]) => `  ${db}: ${Math.round(size / 1024)} KiB, +${Math.round((size - (sizesBefore[db] ?? 0)) / plans.length / 1024)} KiB per plan (page-granular)`),
        `  product rows (demo province included): ${rows.join(', ')}`,
        `  resident memory after the walk: ${members.map((m) => `${m.name} ${m.running ? `${Math.round((m.rssBytes ?? 0) / 1048576)} MiB` : '(not running)'}`).join(', ')}`,
      ].join('\n'),
    );
  } finally {
    await connection.close();
  }
}

async function dropDatabases(prefix = PREFIX): Promise<void> {
  const admin = new PgClient({ connectionString: `${PG}/postgres` });
  await admin.connect();
  try {
    for (const db of [`${prefix}_temporal`, `${prefix}_visibility`, prefix]) await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

describe('reform cluster: what it refuses, in Chinese, starting nothing', () => {
  it('a setting out of range, a PostgreSQL that does not answer, a port another program holds', async () => {
    const bad = await reform(['up'], 60_000, { REFORM_CLUSTER_PORT_BASE: '40000' });
    expect([bad.status, bad.out.trim()]).toEqual([1, `错误:环境变量 REFORM_CLUSTER_PORT_BASE: REFORM_CLUSTER_PORT_BASE 最多为 32668(集群用其后 100 个端口,Temporal 在 PostgreSQL 中以 smallint 记成员端口,不能超过 32767)`]);
    const dir = `${DIR}-refused`;
    rmSync(dir, { recursive: true, force: true });
    const unreachable = await reform(['up'], 60_000, { REFORM_CLUSTER_DIR: dir, REFORM_CLUSTER_POSTGRES: 'postgres://reform:reform@127.0.0.1:1' });
    expect([unreachable.status, unreachable.out.trim()]).toEqual([
      1,
      `错误:无法连接 PostgreSQL(127.0.0.1:1,用户 reform,库 postgres):请先运行 bash scripts/ensure-postgres.sh,或用 REFORM_CLUSTER_POSTGRES 指向一个可以建库的 PostgreSQL`,
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'))).toEqual({ members: {} });

    // A port of the cluster taken by another program: said before anything starts.
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(PORT_BASE + 134, '127.0.0.1', r));
    const prefix = `${PREFIX}_p`;
    try {
      const taken = await reform(['up'], 120_000, { REFORM_CLUSTER_DIR: dir, REFORM_CLUSTER_DB_PREFIX: prefix, REFORM_CLUSTER_PORT_BASE: String(PORT_BASE + 100) });
      expect([taken.status, taken.out]).toEqual([1, expect.stringContaining(`错误:端口 ${PORT_BASE + 134} 已被别的程序占用(temporal-history 要用):请停掉它,或设置 REFORM_CLUSTER_PORT_BASE 换一组端口`)]);
      expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'))).toEqual({ members: {} });
    } finally {
      busy.close();
      await dropDatabases(prefix);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reform cluster: Temporal on PostgreSQL in separate processes, two APIs and three workers, a worker SIGKILLed', () => {
  let up: Run;
  const tokens: Record<string, string> = {};
  const plans: string[] = [];
  let issuedOn: LocalDate;
  let today: LocalDate;

  beforeAll(async () => {
    rmSync(DIR, { recursive: true, force: true });
    up = await reform(['up']);
    if (up.status !== 0) throw new Error(`reform cluster up failed (${up.status}):\n${up.out}`);
  }, 900_000);
  afterAll(async () => {
    // Whatever happened: every process stopped and the databases dropped; the logs stay in .data/cluster-test.
    await reform(['down']);
    await dropDatabases();
  }, 180_000);

  // Not major: reviews, the special group's deliberation (A9), issuance; by the unit of each role.
  const walk: Array<[user: string, action: string, stage: string]> = [
    ['demo-ndrc', 'submit_draft', 'research'],
    ['demo-ndrc', 'complete_research', 'special_group_review'],
    ['demo-econ', 'pass_special_group_review', 'legality_review'],
    ['demo-legal', 'pass_legality_review', 'other_deliberation'],
    ['demo-econ', 'approve_special_group_meeting', 'issuance'],
    ['demo-ndrc', 'issue', 'filing'],
  ];
  const registration = (title: string) => ({ procedure: 'reform_plan', title, specialGroupId: 'demo-econ', responsibleLeader: '王副省长', responsiblePerson: '李明', registeredOn: issuedOn });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  let balancerRetries = 0;
  /**
   * A request as a load balancer in front of both APIs sends it: to the API `api` names first, and
   * while the answer is a broken connection, a 502 or a 503, again (same X-Request-Id) to the
   * other, for up to three minutes.
   */
  async function viaBalancer(user: string, api: number, client: number, method: string, path: string, body: unknown, requestId: string): Promise<Reply> {
    const deadline = Date.now() + 180_000;
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await callFrom(APIS[(api + attempt) % APIS.length], `127.0.1.${(client % 250) + 1}`, method, path, { body, token: tokens[user], headers: { 'x-request-id': requestId } });
        if ((r.status !== 502 && r.status !== 503) || Date.now() > deadline) return r;
      } catch (e) {
        if (Date.now() > deadline) throw e;
      }
      balancerRetries++;
      await sleep(250);
    }
  }
  /** Each plan, read through either API, in filing with exactly one letter for its filing deadline, the 督办函. */
  async function inFilingWithOneLetter(ids: string[], clientBase: number): Promise<Map<string, Detail>> {
    const details = new Map<string, Detail>();
    await pool(ids, AT_ONCE, async (id, i) => {
      const d = await eventually(async () => {
        const r = await as('demo-ndrc', i + 1, clientBase + i, 'GET', `/api/plans/${id}`);
        expect(r.status).toBe(200);
        const got = r.json as unknown as Detail;
        expect([id, got.plan.stage.id, got.plan.letters.filter((l) => l.deadlineKey.split('#')[0] === 'filing').map((l) => l.kind)]).toEqual([id, 'filing', ['supervision']]);
        return got;
      }, 180_000);
      details.set(id, d);
    });
    return details;
  }
  /** checkClusterInvariants on the cluster's product database and Temporal, for these plans (the ledger's others too), and the letters' rows. */
  async function invariants(ids: string[]) {
    const ds = await openDatabase({ url: `${PG}/${PREFIX}`, sqlitePath: ':memory:' }, false);
    const connection = await Connection.connect({ address: `127.0.0.1:${PORT_BASE + 33}` });
    try {
      return { inv: await checkClusterInvariants(ds, new Client({ connection }), { plans: ids }), letters: await new LetterStore(ds).all() };
    } finally {
      await connection.close();
      await ds.destroy();
    }
  }
  /** Signs the demo users in, with the passwords in the cluster's data folder. */
  async function login(): Promise<void> {
    const passwords = demoLogins(join(DIR, 'data'));
    for (const u of ['demo-ndrc', 'demo-econ', 'demo-legal', 'demo-reform']) {
      const r = await callFrom(APIS[0], '127.0.0.61', 'POST', '/api/auth/login', { body: { username: u, password: passwords[u] } });
      expect([u, r.status]).toEqual([u, 200]);
      tokens[u] = String(r.json.accessToken);
    }
  }

  /** One request; the plan's index and the step choose the API and the client address (each client its own, as the throttle counts them apart). */
  const as = (user: string, api: number, client: number, method: string, path: string, body?: unknown): Promise<Reply> =>
    callFrom(APIS[api % APIS.length], `127.0.1.${(client % 250) + 1}`, method, path, { body, token: tokens[user] });

  it('comes up with every process answering: Temporal services, workers polling, APIs ready', async () => {
    expect(up.out).toContain('集群已启动');
    const s = await status();
    expect(s.members.map((m) => [m.name, m.running, m.answering])).toEqual(
      ['temporal-history', 'temporal-matching', 'temporal-frontend', 'temporal-worker', ...(UI ? ['temporal-ui'] : []), 'worker-1', 'worker-2', 'worker-3', 'api-1', 'api-2'].map((n) => [n, true, true]),
    );
    expect([s.run.status, s.ok]).toEqual([0, true]);
    // Memory of each process as it came up, for the record.
    console.log(s.members.map((m) => `${m.name}: ${Math.round((m.rssBytes ?? 0) / 1048576)} MiB`).join('\n'));
    // Health sees the three workers poll, through either API.
    for (const url of APIS) {
      const h = await callFrom(url, '127.0.0.60', 'GET', '/api/health');
      expect([h.status, h.json.checks]).toEqual([200, expect.objectContaining({ worker: { ok: true, message: '3 个工作进程在取任务' } })]);
    }
  });

  it(`walks ${PLANS} plans through both APIs while a worker is SIGKILLed; each stands in filing with one supervision letter, numbers unbroken, audit chain intact`, async () => {
    await login();
    // Business dates forty days back (the machine's clock is the cluster's): the filing, due one
    // month after issuance (A9, rules/standard/reform-plan.rules), is overdue, so each plan gets its 督办函.
    today = localDateAt(Date.now());
    issuedOn = addDays(today, -40);
    const on = { businessDate: issuedOn };

    const sizesBefore = await databaseSizes();
    // Registered through the first API only.
    await pool(
      Array.from({ length: PLANS }, (_, i) => i),
      AT_ONCE,
      async (i) => {
        const r = await as('demo-ndrc', 0, i, 'POST', '/api/plans', {
          procedure: 'reform_plan',
          title: `关于集群验证的实施方案之${i + 1}`,
          specialGroupId: 'demo-econ',
          responsibleLeader: '王副省长',
          responsiblePerson: '李明',
          registeredOn: issuedOn,
        });
        expect([i, r.status]).toEqual([i, 201]);
        plans[i] = String(r.json.planId);
      },
    );

    // Walked through both, alternating; a third of the way through, worker-2 dies by SIGKILL.
    const before = await status();
    const victim = before.members.find((m) => m.name === 'worker-2')!;
    let walked = 0;
    let killed = false;
    await pool(plans, AT_ONCE, async (id, i) => {
      for (const [k, [user, action, stage]] of walk.entries()) {
        const r = await as(user, i + k, i, 'POST', `/api/plans/${id}/actions`, { action, ...on });
        expect([id, action, r.status, r.json.error?.message]).toEqual([id, action, 200, undefined]);
        expect([id, action, (r.json.stage as { id: string }).id]).toEqual([id, action, stage]);
      }
      if (++walked === Math.ceil(PLANS / 3) && !killed) {
        killed = true;
        process.kill(victim.pid!, 'SIGKILL');
      }
    });
    expect(killed).toBe(true);
    const after = await status();
    expect(after.members.find((m) => m.name === 'worker-2')).toEqual(expect.objectContaining({ pid: victim.pid, running: false }));
    expect(after.ok).toBe(false);

    // Each plan, read through either API: in filing, its filing deadline overdue with exactly one letter, the 督办函.
    const details = new Map<string, Detail>();
    await pool(plans, AT_ONCE, async (id, i) => {
      const d = await eventually(async () => {
        const r = await as('demo-ndrc', i + 1, i, 'GET', `/api/plans/${id}`);
        expect(r.status).toBe(200);
        const got = r.json as unknown as Detail;
        expect([id, got.plan.stage.id, got.plan.letters.filter((l) => l.deadlineKey.split('#')[0] === 'filing').map((l) => l.kind)]).toEqual([id, 'filing', ['supervision']]);
        return got;
      }, 180_000);
      details.set(id, d);
    });

    // The invariants the benchmark checks too (libs/services/ledger/src/invariants.ts): each letter
    // the workflows list is in the database once, numbered 1, 2, 3 … in its year with no gap;
    // every ledger row is its workflow's projection; the audit chain verifies with one row per letter.
    const ds = await openDatabase({ url: `${PG}/${PREFIX}`, sqlitePath: ':memory:' }, false);
    const connection = await Connection.connect({ address: `127.0.0.1:${PORT_BASE + 33}` });
    try {
      const inv = await checkClusterInvariants(ds, new Client({ connection }), { plans });
      expect(inv.problems).toEqual([]);
      expect([inv.ledger, inv.audit.ok]).toEqual([{ checked: PLANS, equal: PLANS }, true]);
      // What the invariants compared against is what each plan showed through the API.
      for (const id of plans) expect([id, inv.projections.get(id)!.letters.map((l) => l.number).sort()]).toEqual([id, details.get(id)!.plan.letters.map((l) => l.number).sort()]);
      const rows = await new LetterStore(ds).all();
      expect(rows.length).toBeGreaterThanOrEqual(PLANS);
      for (const r of rows) {
        const m = OFFICIAL_NUMBER.exec(r.number);
        expect([m?.[1], m?.[2]]).toEqual([r.issuedOn.slice(0, 4), String(r.serial)]);
      }
    } finally {
      await connection.close();
      await ds.destroy();
    }
    for (const api of [0, 1]) {
      const v = await as('demo-reform', api, 200, 'GET', '/api/audit/verify');
      expect([v.status, v.json.ok, v.json.broken]).toEqual([200, true, null]);
    }

    await printCosts(plans, sizesBefore, (await status()).members);

    // Temporal's Web UI lists the plans' workflows, running, from the cluster's visibility store.
    if (UI) {
      await eventually(async () => {
        const r = await callFrom(`http://127.0.0.1:${PORT_BASE + 80}`, '127.0.0.62', 'GET', `/api/v1/namespaces/default/workflows?query=${encodeURIComponent(`WorkflowId="${plans[0]}"`)}`);
        expect(r.status).toBe(200);
        const executions = (r.json.executions ?? []) as Array<{ execution: { workflowId: string }; status: string }>;
        expect(executions.map((e) => [e.execution.workflowId, e.status])).toEqual([[plans[0], 'WORKFLOW_EXECUTION_STATUS_RUNNING']]);
      }, 60_000);
    }
  });

  it('up clears the dead worker and starts it again', async () => {
    const again = await reform(['up']);
    expect([again.status, again.out]).toEqual([0, expect.stringContaining('清除已退出进程的记录:worker-2')]);
    expect(again.out).toContain(`本次启动 1 个进程,${UI ? 9 : 8} 个原已在运行`);
    const s = await status();
    expect([s.ok, s.members.filter((m) => !m.running || !m.answering).map((m) => [m.name, m.detail])]).toEqual([true, []]);
    const pids = s.members.map((m) => m.pid!);
    // The shards were fixed when the cluster's database was set up: another number is refused, and nothing changes.
    const reshard = await reform(['up'], 120_000, { REFORM_CLUSTER_SHARDS: '8' });
    expect([reshard.status, reshard.out]).toEqual([1, expect.stringContaining('错误:这个集群建立时历史分片数为 4,不能改为 8(REFORM_CLUSTER_SHARDS)')]);
    expect((await status()).members.map((m) => m.pid)).toEqual(pids);
  });

  const rolled: string[] = [];
  it('a rolling restart of every worker and API while plans are registered and walked through both APIs: every action lands once', async () => {
    const before = await status();
    const pidOf = (s: { members: MemberStatus[] }) => Object.fromEntries(s.members.map((m) => [m.name, m.pid]));
    const on = { businessDate: issuedOn };
    let restartDone = false;
    const restarting = reform(['restart', '--rolling']).finally(() => (restartDone = true));
    // Three clients register and walk plans, a pause between actions, until the restart is over
    // (at least six plans, at most sixty); each request through the balancer with its own request id.
    let next = 0;
    const sent: Array<{ id: string; actions: number }> = [];
    await Promise.all(
      Array.from({ length: 3 }, async () => {
        while ((!restartDone || next < 6) && next < 60) {
          const i = next++;
          const key = `${PREFIX}-roll-${i}`;
          const reg = await viaBalancer('demo-ndrc', i, 100 + i, 'POST', '/api/plans', registration(`关于滚动重启验证的实施方案之${i + 1}`), `${key}-register`);
          expect([i, reg.status, reg.json.error?.message]).toEqual([i, 201, undefined]);
          const id = String(reg.json.planId);
          rolled.push(id);
          const record = { id, actions: 0 };
          sent.push(record);
          for (const [k, [user, action, stage]] of walk.entries()) {
            const r = await viaBalancer(user, i + k, 100 + i, 'POST', `/api/plans/${id}/actions`, { action, ...on }, `${key}-${k}`);
            expect([id, action, r.status, r.json.error?.message]).toEqual([id, action, 200, undefined]);
            expect([id, action, (r.json.stage as { id: string }).id]).toEqual([id, action, stage]);
            record.actions++;
            await sleep(300);
          }
        }
      }),
    );
    const restart = await restarting;
    expect([restart.status, restart.out]).toEqual([0, expect.stringContaining('已逐个重启 5 个进程')]);
    // Workers first, then the APIs, one at a time: each stopped, started and ready before the next.
    const order = [...restart.out.matchAll(/^(worker-\d|api-\d) 已就绪$/gm)].map((m) => m[1]);
    expect(order).toEqual(['worker-1', 'worker-2', 'worker-3', 'api-1', 'api-2']);
    const after = await status();
    expect([after.ok, after.members.filter((m) => !m.running || !m.answering).map((m) => m.name)]).toEqual([true, []]);
    const [was, now] = [pidOf(before), pidOf(after)];
    for (const m of after.members) expect([m.name, now[m.name] === was[m.name]]).toEqual([m.name, m.name.startsWith('temporal')]);
    console.log(`rolling restart: ${rolled.length} plans registered and walked during it (${sent.reduce((a, r) => a + r.actions, 0)} actions), ${balancerRetries} requests sent again by the balancer`);

    // Every plan where its six actions lead, its 督办函 once; one registration and six acts audited per plan.
    await inFilingWithOneLetter(rolled, 100);
    const db = new PgClient({ connectionString: `${PG}/${PREFIX}` });
    await db.connect();
    try {
      const r = await db.query(
        `SELECT target_id, action, count(*)::int AS n FROM audit_log WHERE target_type = 'plan' AND target_id = ANY($1) AND action IN ('plan.registered', 'plan.act') GROUP BY target_id, action`,
        [rolled],
      );
      const counts = new Map(r.rows.map((x: { target_id: string; action: string; n: number }) => [`${x.target_id} ${x.action}`, x.n]));
      for (const id of rolled) expect([id, counts.get(`${id} plan.registered`), counts.get(`${id} plan.act`)]).toEqual([id, 1, walk.length]);
      // No registration doubled by a retry: as many plans of these titles in the ledger as were registered.
      const titles = await db.query(`SELECT count(*)::int AS n FROM ledger_plans WHERE title LIKE '关于滚动重启验证的实施方案之%'`);
      expect(titles.rows[0].n).toBe(rolled.length);
    } finally {
      await db.end();
    }
    const { inv } = await invariants([...plans, ...rolled]);
    expect(inv.problems).toEqual([]);
    expect([inv.extraPlans, inv.ledger, inv.audit.ok]).toEqual([0, { checked: plans.length + rolled.length, equal: plans.length + rolled.length }, true]);
  });

  it('backup, tear down and wipe, restore into a fresh cluster: plans mid-procedure carry on, the next letter takes the next number', async () => {
    const on = { businessDate: issuedOn };
    // Four plans walked to issuance (five actions): their filing deadline, one month after the
    // issuance still to come (A9), is the letter the restored cluster must write.
    const pending: string[] = [];
    await pool([0, 1, 2, 3], 4, async (i) => {
      const key = `${PREFIX}-kept-${i}`;
      const reg = await viaBalancer('demo-ndrc', i, 180 + i, 'POST', '/api/plans', registration(`关于备份恢复验证的实施方案之${i + 1}`), `${key}-register`);
      expect([i, reg.status]).toEqual([i, 201]);
      const id = String(reg.json.planId);
      for (const [k, [user, action, stage]] of walk.slice(0, 5).entries()) {
        const r = await viaBalancer(user, i + k, 180 + i, 'POST', `/api/plans/${id}/actions`, { action, ...on }, `${key}-${k}`);
        expect([id, action, r.status, (r.json.stage as { id: string } | undefined)?.id]).toEqual([id, action, 200, stage]);
      }
      pending[i] = id;
    });
    const everyPlan = [...plans, ...rolled, ...pending];
    const { inv: beforeBackup, letters: lettersBefore } = await invariants(everyPlan);
    expect(beforeBackup.problems).toEqual([]);
    /** The last official serial of a year before the backup (letters are numbered per year). */
    const lastSerial = (year: number) => Math.max(0, ...lettersBefore.filter((l) => l.year === year).map((l) => l.serial));

    const backupDir = `${DIR}-backup`;
    rmSync(backupDir, { recursive: true, force: true });
    try {
      const backup = await reform(['backup', backupDir]);
      expect([backup.status, backup.out]).toEqual([0, expect.stringContaining(`备份完成:${backupDir}`)]);
      expect(JSON.parse(readFileSync(join(backupDir, 'backup.json'), 'utf8'))).toEqual(expect.objectContaining({ format: 1, shards: 4, data: true }));
      // The APIs and workers stopped for the dumps are back.
      const s = await status();
      expect([s.ok, s.members.filter((m) => !m.running || !m.answering).map((m) => m.name)]).toEqual([true, []]);
      // A backup is written into an empty folder only.
      const twice = await reform(['backup', backupDir]);
      expect([twice.status, twice.out.trim()]).toEqual([1, `错误:备份目录 ${backupDir} 不是空的:请指定一个新目录`]);

      // Tear down and wipe: no process, no database, no folder.
      expect((await reform(['down'])).status).toBe(0);
      await dropDatabases();
      rmSync(DIR, { recursive: true, force: true });
      // Not a backup: refused before anything changes.
      const notBackup = await reform(['restore', join(ROOT, 'rules')]);
      expect([notBackup.status, notBackup.out.trim()]).toEqual([1, `错误:${join(ROOT, 'rules')} 不是 reform cluster backup 写的备份(没有可读的 backup.json)`]);

      const restore = await reform(['restore', backupDir]);
      expect([restore.status, restore.out]).toEqual([0, expect.stringContaining(`已从 ${backupDir} 恢复集群并启动`)]);
      const restored = await status();
      expect([restored.ok, restored.members.filter((m) => !m.running || !m.answering).map((m) => m.name)]).toEqual([true, []]);
    } finally {
      rmSync(backupDir, { recursive: true, force: true });
    }

    // The restored data folder has the demo logins; sessions are in the database.
    await login();
    // Every plan as it was, through either API; the pending ones take their issuance now.
    await inFilingWithOneLetter([...plans, ...rolled], 200);
    await pool(pending, 4, async (id, i) => {
      const r = await viaBalancer('demo-ndrc', i, 190 + i, 'POST', `/api/plans/${id}/actions`, { action: 'issue', ...on }, `${PREFIX}-kept-${i}-issue`);
      expect([id, r.status, (r.json.stage as { id: string } | undefined)?.id]).toEqual([id, 200, 'filing']);
    });
    const details = await inFilingWithOneLetter(pending, 210);
    const { inv, letters } = await invariants(everyPlan);
    expect(inv.problems).toEqual([]);
    expect([inv.extraPlans, inv.ledger, inv.audit.ok]).toEqual([0, { checked: everyPlan.length, equal: everyPlan.length }, true]);
    // Exactly one new letter per pending plan, numbered on from the last before the backup.
    const known = new Set(lettersBefore.map((l) => l.id));
    const added = letters.filter((l) => !known.has(l.id));
    expect(added.length).toBe(pending.length);
    const fresh = pending.map((id) => details.get(id)!.plan.letters.find((l) => l.deadlineKey.split('#')[0] === 'filing')!.number);
    expect(added.map((l) => l.number).sort()).toEqual([...fresh].sort());
    for (const year of new Set(added.map((l) => l.year))) {
      const serials = added.filter((l) => l.year === year).map((l) => l.serial).sort((a, b) => a - b);
      expect([year, serials]).toEqual([year, serials.map((_, i) => lastSerial(year) + i + 1)]);
    }
    for (const api of [0, 1]) {
      const v = await as('demo-reform', api, 220, 'GET', '/api/audit/verify');
      expect([v.status, v.json.ok, v.json.broken]).toEqual([200, true, null]);
    }
  });

  it('down stops every process', async () => {
    const s = await status();
    expect(s.ok).toBe(true);
    const pids = s.members.map((m) => m.pid!);

    const down = await reform(['down']);
    expect([down.status, down.out]).toEqual([0, expect.stringContaining('集群已停止')]);
    const gone = await status();
    expect([gone.run.status, gone.members.map((m) => m.detail)]).toEqual([1, s.members.map(() => '未启动')]);
    // Gone, or at most a zombie its new parent (init) has not reaped yet.
    const runs = (pid: number) => {
      try {
        return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    for (const pid of pids) expect([pid, runs(pid)]).toEqual([pid, false]);
    expect(JSON.parse(readFileSync(join(DIR, 'state.json'), 'utf8'))).toEqual({ members: {} });
  });
});
