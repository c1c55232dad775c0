import { AppConfig, ClusterConfig, installedClusterVersions, loadClusterConfig, loadConfig, TEMPORAL_SERVER_VERSION, TEMPORAL_SERVICES, TEMPORAL_UI_VERSION, TemporalService, toolPaths, UserError } from '@reform/config';
import { ensureNamespace, portOpen, taskQueuePollers, workerIdentity } from '@reform/temporal';
import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { migrateDatabase } from '../commands/db';
import { proceduresAtStart } from '../commands/start';
import { ensureWebConsole } from '../web-console';
import { ClusterState, isAlive, Member, MemberKind, processStartTime, readState, residentBytes, spawnDetached, stopMember, takeLock, writeState } from './processes';
import { TEMPORAL_CONFIG_FOLDER, temporalDynamicConfig, temporalServiceConfig, temporalUiConfig, UI_CONFIG_FOLDER } from './temporal-config';

/** One process the cluster runs, in the order `up` starts them. */
export interface MemberSpec {
  name: string;
  kind: MemberKind;
  service?: TemporalService;
  port?: number;
}

/** The cluster's processes; Temporal's Web UI when its server is installed (`ui`). */
export function memberSpecs(c: ClusterConfig, ui = true): MemberSpec[] {
  return [
    // Temporal's worker service serves no gRPC: its membership port is the one it listens on.
    ...TEMPORAL_SERVICES.map((service): MemberSpec => ({ name: `temporal-${service}`, kind: 'temporal', service, port: service === 'worker' ? c.ports.temporal.worker.membership : c.ports.temporal[service].grpc })),
    ...(ui ? [{ name: 'temporal-ui', kind: 'ui', port: c.ports.ui } satisfies MemberSpec] : []),
    ...Array.from({ length: c.workers }, (_, i): MemberSpec => ({ name: `worker-${i + 1}`, kind: 'worker' })),
    ...c.ports.apis.map((port, i): MemberSpec => ({ name: `api-${i + 1}`, kind: 'api', port })),
  ];
}

/** Variables the cluster sets for the product's processes; the caller's own values for them (another database, another Temporal) do not pass. */
const SET_BY_CLUSTER = ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA', 'TEMPORAL_TLS_SERVER_NAME', 'TEMPORAL_API_KEY', 'REFORM_DATA_DIR', 'REFORM_EVIDENCE_DIR', 'REFORM_API_PORT', 'REFORM_DB_MIGRATE'];

export function productDatabaseUrl(c: ClusterConfig): string {
  const { user, password, host, port } = c.postgres;
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${c.databases.product}`;
}

/**
 * The environment of the product's processes in the cluster: the same programs as `npm start`
 * runs (bin/worker.js, bin/api.js), pointed by environment variables only at the cluster's
 * Temporal and PostgreSQL, and told not to migrate (`up` runs the migrations once, first).
 */
export function productEnv(c: ClusterConfig, base: NodeJS.ProcessEnv, apiPort?: number): NodeJS.ProcessEnv {
  const env = { ...base };
  for (const k of SET_BY_CLUSTER) delete env[k];
  return {
    ...env,
    DATABASE_URL: productDatabaseUrl(c),
    TEMPORAL_ADDRESS: `127.0.0.1:${c.ports.temporal.frontend.grpc}`,
    REFORM_DATA_DIR: c.dataDir,
    REFORM_DB_MIGRATE: 'check',
    ...(apiPort !== undefined ? { REFORM_API_PORT: String(apiPort) } : {}),
  };
}

/** The Temporal server and SQL tool `scripts/ensure.sh cluster` builds, at the release this code configures; the Web UI server if it is there. */
function clusterTools(root: string) {
  const t = toolPaths(root);
  const { server, ui } = installedClusterVersions(root);
  if (server !== TEMPORAL_SERVER_VERSION) {
    throw new UserError(
      `${server ? `已安装的 Temporal 服务器是 ${server},需要 ${TEMPORAL_SERVER_VERSION}` : `找不到 Temporal 服务器(${t.temporalServer})`}:请运行 npm run cluster -- up(先构建,需要 Go),或 bash scripts/ensure.sh cluster`,
    );
  }
  return { server: t.temporalServer, sql: t.temporalSqlTool, ui: ui === TEMPORAL_UI_VERSION ? t.temporalUi : undefined };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pgClient(c: ClusterConfig, database: string): Promise<PgClient> {
  const client = new PgClient({ host: c.postgres.host, port: c.postgres.port, user: c.postgres.user, password: c.postgres.password, database, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch {
    await client.end().catch(() => undefined);
    throw new UserError(
      `无法连接 PostgreSQL(${c.postgres.host}:${c.postgres.port},用户 ${c.postgres.user},库 ${database}):请先运行 bash scripts/ensure-postgres.sh,或用 REFORM_CLUSTER_POSTGRES 指向一个可以建库的 PostgreSQL`,
    );
  }
  return client;
}

/** Runs Temporal's SQL tool on a database; its output goes to `<dir>/logs/schema-<database>.log`, which a failure names. */
function sqlTool(c: ClusterConfig, sql: string, database: string, args: string[]): Promise<void> {
  const argv = ['--plugin', 'postgres12', '--ep', c.postgres.host, '-p', String(c.postgres.port), '-u', c.postgres.user, '--db', database, ...args];
  const log = join(c.dir, 'logs', `schema-${database}.log`);
  mkdirSync(join(c.dir, 'logs'), { recursive: true });
  return new Promise((resolve, reject) =>
    // The password through the environment, not the command line (ps shows that to everyone).
    execFile(sql, argv, { env: { ...process.env, SQL_PASSWORD: c.postgres.password }, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      appendFileSync(log, `\n==== ${new Date().toISOString()} ${args.join(' ')}\n${stdout}${stderr}`);
      if (!err) return resolve();
      reject(new UserError(`Temporal 数据库 ${database} 的表结构未能${args[0] === 'setup-schema' ? '建立' : '更新'}:原因见 ${log}`));
    }),
  );
}

/** The schema version Temporal's SQL tool recorded in a database, or undefined before it set one up. */
async function temporalSchemaVersion(c: ClusterConfig, database: string): Promise<string | undefined> {
  const client = await pgClient(c, database);
  try {
    const exists = await client.query(`SELECT to_regclass('public.schema_version') AS t`);
    if (!exists.rows[0].t) return undefined;
    const r = await client.query('SELECT curr_version FROM schema_version');
    return r.rows[0]?.curr_version as string | undefined;
  } finally {
    await client.end();
  }
}

/**
 * The three databases (Temporal's, its visibility store's, the product's), created when absent;
 * Temporal's schemas set up on a new database and brought to this release's version otherwise.
 */
async function prepareDatabases(c: ClusterConfig, sql: string, log: (line: string) => void): Promise<void> {
  const admin = await pgClient(c, 'postgres');
  try {
    for (const name of [c.databases.temporal, c.databases.visibility, c.databases.product]) {
      const r = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (r.rowCount) continue;
      // The name is checked by loadClusterConfig: lower-case letters, digits, underscores.
      await admin.query(`CREATE DATABASE "${name}"`);
      log(`已创建数据库 ${name}`);
    }
  } finally {
    await admin.end();
  }
  for (const [database, schema] of [
    [c.databases.temporal, 'postgresql/v12/temporal'],
    [c.databases.visibility, 'postgresql/v12/visibility'],
  ] as const) {
    const before = await temporalSchemaVersion(c, database);
    if (before === undefined) await sqlTool(c, sql, database, ['setup-schema', '-v', '0.0']);
    await sqlTool(c, sql, database, ['update-schema', '--schema-name', schema]);
    const after = await temporalSchemaVersion(c, database);
    log(before === after ? `Temporal 表结构 ${database}:${after}(已是最新)` : `Temporal 表结构 ${database}:${before ?? '无'} → ${after}`);
  }
}

/**
 * Writes each Temporal service's configuration. The number of history shards is fixed when the
 * cluster's database is first set up: `<dir>/cluster.json` keeps it, and a different one is refused.
 */
function writeTemporalConfig(c: ClusterConfig): void {
  const fixed = join(c.dir, 'cluster.json');
  if (existsSync(fixed)) {
    const was = (JSON.parse(readFileSync(fixed, 'utf8')) as { shards?: number }).shards;
    if (was !== undefined && was !== c.shards) {
      throw new UserError(
        `这个集群建立时历史分片数为 ${was},不能改为 ${c.shards}(REFORM_CLUSTER_SHARDS):Temporal 的分片数在建库时确定;要换分片数,须 reform cluster down 后删除数据库 ${c.databases.temporal}、${c.databases.visibility} 和 ${fixed},重新 up`,
      );
    }
  } else {
    mkdirSync(c.dir, { recursive: true });
    writeFileSync(fixed, `${JSON.stringify({ shards: c.shards, databases: c.databases }, null, 2)}\n`);
  }
  const folder = join(c.dir, TEMPORAL_CONFIG_FOLDER);
  mkdirSync(folder, { recursive: true });
  const dynamic = join(folder, 'dynamic.yaml');
  writeFileSync(dynamic, temporalDynamicConfig());
  for (const service of TEMPORAL_SERVICES) writeFileSync(join(folder, `${service}.yaml`), temporalServiceConfig(c, service, dynamic), { mode: 0o600 });
}

/** GET a path of an API process; status and parsed body, or undefined when it does not answer within `timeoutMs`. */
function getJson(port: number, path: string, timeoutMs = 5_000): Promise<{ status: number; body: Record<string, unknown> } | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: timeoutMs }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString('utf8')));
      res.on('end', () => {
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // Not JSON: the status says enough.
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

export interface ClusterContext {
  root: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

interface Started {
  member: Member;
}

/**
 * Waits for `ready` while the process lives; a process that dies, or a wait that runs out, is an
 * error with its log's last lines. Several waits at once: the first to fail ends the others.
 */
async function waitFor(m: Member, what: string, timeoutMs: number, ready: () => Promise<boolean>, failed: { at?: string } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const fail = (why: string) => {
    failed.at = m.name;
    // The log is the process's own (English, with stack traces): named, not printed.
    return new UserError(`${m.name} ${why}:原因见日志 ${m.log}(如 tail -n 30 ${m.log})。已启动的进程仍在运行:reform cluster down 全部停止,或改正后再次 reform cluster up`);
  };
  for (;;) {
    if (failed.at) return;
    if (await ready()) return;
    if (!isAlive(m)) throw fail(`启动失败(${what}前已退出)`);
    if (Date.now() > deadline) throw fail(`在 ${timeoutMs / 1000} 秒内未${what}`);
    await sleep(250);
  }
}

/**
 * Starts one member detached and records it in the state file (with its kernel start time: a
 * later process that gets its pid is not taken for it). A port of its held by another program is
 * refused before anything starts.
 */
async function launch(c: ClusterConfig, state: ClusterState, spec: MemberSpec, command: string, args: string[], env: NodeJS.ProcessEnv, root: string, log: (line: string) => void): Promise<Member> {
  if (spec.port !== undefined && (await portOpen(spec.port))) {
    throw new UserError(`端口 ${spec.port} 已被别的程序占用(${spec.name} 要用):请停掉它,或设置 REFORM_CLUSTER_PORT_BASE 换一组端口`);
  }
  const logFile = join(c.dir, 'logs', `${spec.name}.log`);
  const pid = spawnDetached(command, args, { env, cwd: spec.kind === 'temporal' ? c.dir : root, log: logFile });
  const member: Member = { name: spec.name, kind: spec.kind, pid, startTime: processStartTime(pid), port: spec.port, log: logFile, startedAt: new Date().toISOString() };
  state.members[spec.name] = member;
  writeState(c.dir, state);
  log(`已启动 ${spec.name}(pid ${pid}${spec.port ? `,端口 ${spec.port}` : ''})`);
  return member;
}

/** The command of a product process (a worker or an API): the same programs as `npm start` runs, with the cluster's environment. */
function productCommand(c: ClusterConfig, root: string, env: NodeJS.ProcessEnv, spec: MemberSpec): [string, string[], NodeJS.ProcessEnv] {
  if (spec.kind === 'worker') return [process.execPath, [join(root, 'bin/worker.js')], productEnv(c, env)];
  return [process.execPath, [join(root, 'bin/api.js')], productEnv(c, env, spec.port)];
}

/**
 * Waits until a product process is ready: a worker once Temporal lists it among the task queue's
 * pollers (the first may bundle the workflow code: up to 5 minutes), an API once `/api/ready` answers 200.
 */
function waitProductReady(product: AppConfig, m: Member, failed: { at?: string } = {}): Promise<void> {
  if (m.kind === 'api') return waitFor(m, '就绪(/api/ready)', 180_000, async () => (await getJson(m.port!, '/api/ready'))?.status === 200, failed);
  const identity = workerIdentity(hostname(), m.pid);
  return waitFor(
    m,
    '开始取任务',
    300_000,
    async () => {
      const pollers = await taskQueuePollers(product.temporal.address, product.temporal.namespace, product.temporal.taskQueue).catch(() => []);
      return pollers.some((p) => p.identity === identity);
    },
    failed,
  );
}

/** Starts a worker or an API of the cluster and waits until it is ready (the caller holds the lock). */
export async function relaunchProduct(ctx: ClusterContext, c: ClusterConfig, product: AppConfig, state: ClusterState, spec: MemberSpec): Promise<Member> {
  const member = await launch(c, state, spec, ...productCommand(c, ctx.root, ctx.env, spec), ctx.root, ctx.log);
  await waitProductReady(product, member);
  ctx.log(`${spec.name} 已就绪`);
  return member;
}

/** Starts several workers or APIs of the cluster at once and waits until all are ready (the caller holds the lock; the workflow bundle is cached already). */
export async function relaunchProducts(ctx: ClusterContext, c: ClusterConfig, product: AppConfig, state: ClusterState, specs: MemberSpec[]): Promise<void> {
  if (!specs.length) return;
  const members: Member[] = [];
  for (const spec of specs) members.push(await launch(c, state, spec, ...productCommand(c, ctx.root, ctx.env, spec), ctx.root, ctx.log));
  const failed = {};
  await Promise.all(members.map((m) => waitProductReady(product, m, failed)));
  ctx.log(`${members.map((m) => m.name).join('、')} 已就绪`);
}

/**
 * A rolling restart of the product's processes (`reform cluster restart`): the workers one at a
 * time, then the APIs one at a time, each stopped (SIGTERM: a worker finishes its tasks in hand,
 * an API the requests in flight; SIGKILL after 15 s) and started again with the same code on
 * disk, and waited for (a worker polling its task queue, an API whose /api/ready answers 200)
 * before the next is touched. The others serve meanwhile: nothing is lost as long as the clients
 * (a load balancer) send a request the stopping API did not answer to another, and the whole
 * cluster is never without a worker or an API. Temporal's services are not restarted. A member
 * not running is started, not restarted.
 */
export async function clusterRestart(ctx: ClusterContext, opts: { kinds?: Array<'worker' | 'api'> } = {}): Promise<Array<{ name: string; oldPid?: number; pid: number }>> {
  const { root, log } = ctx;
  const c = loadClusterConfig(ctx.env, root);
  const product = loadConfig(productEnv(c, ctx.env), root);
  const kinds = opts.kinds ?? ['worker', 'api'];
  const release = takeLock(c.dir);
  try {
    const state = readState(c.dir);
    const temporalDown = memberSpecs(c, false).filter((s) => s.kind === 'temporal' && !(state.members[s.name] && isAlive(state.members[s.name])));
    if (temporalDown.length) throw new UserError(`Temporal 的 ${temporalDown.map((s) => s.name).join('、')} 未在运行:请先 reform cluster up`);
    const done: Array<{ name: string; oldPid?: number; pid: number }> = [];
    // Workers first (new workflow code must replay old histories: patched), then the APIs that start new work.
    for (const kind of (['worker', 'api'] as const).filter((k) => kinds.includes(k))) {
      for (const spec of memberSpecs(c, false).filter((s) => s.kind === kind)) {
        const old = state.members[spec.name];
        if (old) {
          const outcome = await stopMember(old, 15_000);
          log(`${spec.name}(pid ${old.pid}):${{ stopped: '已停止', killed: '未在 15 秒内停止,已强制结束', gone: '早已退出' }[outcome]}`);
          delete state.members[spec.name];
          writeState(c.dir, state);
        }
        const member = await relaunchProduct(ctx, c, product, state, spec);
        done.push({ name: spec.name, ...(old ? { oldPid: old.pid } : {}), pid: member.pid });
      }
    }
    return done;
  } finally {
    release();
  }
}

/**
 * Brings the cluster up, or what of it is not running: databases and schemas, the Temporal
 * services (frontend, history, matching, worker, each its own process), the namespace, then the
 * product: migrations once, the standard procedures and demo province, the workers one by one
 * (the first bundles the workflow code, the others reuse it), the API processes. Processes that
 * run already are left alone; records of processes that died are cleared first.
 */
export async function clusterUp(ctx: ClusterContext): Promise<{ cluster: ClusterConfig; product: AppConfig; started: string[]; running: string[]; ui: boolean }> {
  const { root, log } = ctx;
  const c = loadClusterConfig(ctx.env, root);
  const tools = clusterTools(root);
  const product = loadConfig(productEnv(c, ctx.env), root);
  const release = takeLock(c.dir);
  try {
    const state = readState(c.dir);
    for (const m of Object.values(state.members)) {
      if (isAlive(m)) continue;
      log(`清除已退出进程的记录:${m.name}(pid ${m.pid})`);
      delete state.members[m.name];
    }
    writeState(c.dir, state);
    const specs = memberSpecs(c, !!tools.ui);
    const running = specs.filter((s) => state.members[s.name]).map((s) => s.name);

    const started: string[] = [];
    const start = async (spec: MemberSpec, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Started | undefined> => {
      if (state.members[spec.name]) return undefined;
      const member = await launch(c, state, spec, command, args, env, root, log);
      started.push(spec.name);
      return { member };
    };

    await prepareDatabases(c, tools.sql, log);
    writeTemporalConfig(c);

    // Temporal's services find each other through the membership table. The first on a new
    // database writes the cluster's metadata: it starts alone (two at once race on that row).
    const temporal: Started[] = [];
    const temporalSpecs = specs.filter((s) => s.kind === 'temporal');
    for (const batch of [temporalSpecs.slice(0, 1), temporalSpecs.slice(1)]) {
      const startedNow: Started[] = [];
      for (const spec of batch) {
        const s = await start(spec, tools.server, ['--root', c.dir, '--config', TEMPORAL_CONFIG_FOLDER, '--env', spec.service!, '--allow-no-auth', 'start', '--service', spec.service!], { ...process.env });
        if (s) startedNow.push(s);
      }
      const failed = {};
      await Promise.all(startedNow.map((s) => waitFor(s.member, '开始监听端口', 90_000, () => portOpen(s.member.port!), failed)));
      temporal.push(...startedNow);
    }
    log(`Temporal 前端 127.0.0.1:${c.ports.temporal.frontend.grpc};等待命名空间 ${product.temporal.namespace}……`);
    try {
      if (await ensureNamespace(product.temporal.address, product.temporal.namespace, { timeoutMs: 90_000 })) log(`已注册命名空间 ${product.temporal.namespace}`);
    } catch (e) {
      if (process.env.REFORM_DEBUG === '1') console.error(e);
      throw new UserError(`Temporal 在 90 秒内未能提供命名空间 ${product.temporal.namespace}:原因见日志 ${join(c.dir, 'logs')} 下的 temporal-*.log。已启动的进程仍在运行:reform cluster down 全部停止`);
    }

    // Temporal's Web UI, on the frontend.
    const uiSpec = specs.find((s) => s.kind === 'ui');
    if (uiSpec && tools.ui) {
      mkdirSync(join(c.dir, UI_CONFIG_FOLDER), { recursive: true });
      writeFileSync(join(c.dir, UI_CONFIG_FOLDER, 'cluster.yaml'), temporalUiConfig(c, product.temporal.namespace));
      const s = await start(uiSpec, tools.ui, ['--root', c.dir, '--config', UI_CONFIG_FOLDER, '--env', 'cluster', 'start'], { ...process.env });
      if (s) await waitFor(s.member, '开始服务网页', 60_000, async () => (await getJson(uiSpec.port!, '/'))?.status === 200);
    }
    // Said here, where the UI would start, not before: an `up` refused before it starts anything says only why.
    if (!tools.ui) log('未安装 Temporal Web UI(bash scripts/ensure.sh cluster 会构建它):集群不带网页界面运行');

    // The product's database: migrations once, here, before any process opens it (they check, and do not migrate).
    const ran = await migrateDatabase({ ...product.database, migrations: 'run' });
    log(ran.length ? `已执行迁移:${ran.join('、')}` : '产品数据库:没有待执行的迁移');
    const procedures = await proceduresAtStart(product);
    if (procedures.demo.created) log(`已建立演示省份和账号(密码见 ${procedures.demo.loginsFile})`);
    await ensureWebConsole(root, log).catch((e: unknown) => log(`注意:${(e as Error).message}\n网页控制台暂不可用,接口照常可用`));

    // Workers one at a time: the first bundles the workflow code into .data/cache, the others find it there.
    for (const spec of specs.filter((s) => s.kind === 'worker')) {
      const s = await start(spec, ...productCommand(c, root, ctx.env, spec));
      if (s) await waitProductReady(product, s.member);
    }
    const apis: Started[] = [];
    for (const spec of specs.filter((s) => s.kind === 'api')) {
      const s = await start(spec, ...productCommand(c, root, ctx.env, spec));
      if (s) apis.push(s);
    }
    const failed = {};
    await Promise.all(apis.map((s) => waitProductReady(product, s.member, failed)));
    return { cluster: c, product, started, running, ui: !!uiSpec };
  } finally {
    release();
  }
}

/** Stops every process of the cluster: the APIs and workers first, then Temporal's services. */
export async function clusterDown(ctx: ClusterContext): Promise<Array<{ name: string; pid: number; outcome: 'stopped' | 'killed' | 'gone' }>> {
  const c = loadClusterConfig(ctx.env, ctx.root);
  const release = takeLock(c.dir);
  try {
    const state = readState(c.dir);
    const order = [...memberSpecs(c).map((s) => s.name), ...Object.keys(state.members)];
    const byGroup = (kinds: MemberKind[]) => [...new Set(order)].map((n) => state.members[n]).filter((m): m is Member => !!m && kinds.includes(m.kind));
    const outcomes: Array<{ name: string; pid: number; outcome: 'stopped' | 'killed' | 'gone' }> = [];
    for (const group of [byGroup(['api', 'worker', 'ui']), byGroup(['temporal'])]) {
      await Promise.all(
        group.map(async (m) => {
          const outcome = await stopMember(m, 15_000);
          delete state.members[m.name];
          writeState(c.dir, state);
          outcomes.push({ name: m.name, pid: m.pid, outcome });
          ctx.log(`${m.name}(pid ${m.pid}):${{ stopped: '已停止', killed: '未在 15 秒内停止,已强制结束', gone: '早已退出' }[outcome]}`);
        }),
      );
    }
    return outcomes;
  } finally {
    release();
  }
}

export interface MemberStatus {
  name: string;
  kind: MemberKind;
  pid?: number;
  port?: number;
  running: boolean;
  answering: boolean;
  /** What it answered, in Chinese. */
  detail: string;
  rssBytes?: number;
  log?: string;
}

/** Each process of the cluster: whether it runs, whether it answers (a port, /api/ready, a poll of the task queue), its memory. */
export async function clusterStatus(ctx: ClusterContext): Promise<{ cluster: ClusterConfig; members: MemberStatus[] }> {
  const c = loadClusterConfig(ctx.env, ctx.root);
  const product = loadConfig(productEnv(c, ctx.env), ctx.root);
  const state = readState(c.dir);
  const withUi = installedClusterVersions(ctx.root).ui === TEMPORAL_UI_VERSION || !!state.members['temporal-ui'];
  let pollers: Array<{ identity: string; lastAccessMs?: number }> | undefined;
  const members: MemberStatus[] = [];
  for (const spec of memberSpecs(c, withUi)) {
    const m = state.members[spec.name];
    if (!m) {
      members.push({ name: spec.name, kind: spec.kind, port: spec.port, running: false, answering: false, detail: '未启动' });
      continue;
    }
    const running = isAlive(m);
    const base = { name: m.name, kind: m.kind, pid: m.pid, port: m.port, running, log: m.log, rssBytes: running ? residentBytes(m.pid) : undefined };
    if (!running) {
      members.push({ ...base, answering: false, detail: '已退出(reform cluster up 会重新启动)' });
      continue;
    }
    if (m.kind === 'temporal') {
      const open = await portOpen(m.port!);
      members.push({ ...base, answering: open, detail: open ? `端口 ${m.port} 在监听` : `端口 ${m.port} 无应答` });
    } else if (m.kind === 'ui') {
      const r = await getJson(m.port!, '/');
      members.push({ ...base, answering: r?.status === 200, detail: r ? `http://127.0.0.1:${m.port}/ 应答 ${r.status}` : `http://127.0.0.1:${m.port}/ 无应答` });
    } else if (m.kind === 'api') {
      const r = await getJson(m.port!, '/api/ready');
      const message = typeof r?.body.message === 'string' ? r.body.message : undefined;
      members.push({ ...base, answering: r?.status === 200, detail: r ? `/api/ready ${r.status}${message ? `:${message}` : ''}` : '/api/ready 无应答' });
    } else {
      pollers ??= await taskQueuePollers(product.temporal.address, product.temporal.namespace, product.temporal.taskQueue).catch(() => []);
      const mine = pollers.find((p) => p.identity === workerIdentity(hostname(), m.pid));
      const fresh = !!mine && (mine.lastAccessMs === undefined || Date.now() - mine.lastAccessMs < 120_000);
      members.push({ ...base, answering: fresh, detail: fresh ? `在取任务队列 ${product.temporal.taskQueue} 的任务` : `近期未见它取任务队列 ${product.temporal.taskQueue} 的任务` });
    }
  }
  return { cluster: c, members };
}
