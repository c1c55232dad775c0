import { ClusterConfig, loadClusterConfig, loadConfig, TEMPORAL_SERVER_VERSION, UserError } from '@reform/config';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client as PgClient } from 'pg';
import { ClusterContext, clusterDown, clusterUp, memberSpecs, productEnv, relaunchProducts } from './cluster';
import { isAlive, readState, stopMember, takeLock, writeState } from './processes';

/** What `reform cluster backup` writes beside the dumps: `<dir>/backup.json`. */
export interface BackupManifest {
  format: 1;
  createdAt: string;
  temporalServer: string;
  /** History shards of the cluster backed up: a restored Temporal database keeps them. */
  shards: number;
  /** The dump of each database (pg_dump's custom format), by role. */
  dumps: { temporal: string; visibility: string; product: string };
  /** The product's data folder (evidence files, demo logins), copied as `data/`. */
  data: boolean;
}

const MANIFEST = 'backup.json';
const ROLES = ['temporal', 'visibility', 'product'] as const;

/** Runs pg_dump or pg_restore against the cluster's PostgreSQL, the password through the environment; a failure names the tool and the database, with its own words in the log file. */
function pgTool(c: ClusterConfig, tool: 'pg_dump' | 'pg_restore', args: string[], database: string, logFile: string): Promise<void> {
  const argv = ['-h', c.postgres.host, '-p', String(c.postgres.port), '-U', c.postgres.user, '--no-password', ...args];
  return new Promise((done, fail) =>
    execFile(tool, argv, { env: { ...process.env, PGPASSWORD: c.postgres.password }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      writeFileSync(logFile, `==== ${new Date().toISOString()} ${tool} ${args.join(' ')}\n${stdout}${stderr}`, { flag: 'a' });
      if (!err) return done();
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      fail(new UserError(missing ? `找不到 ${tool}:请安装 PostgreSQL 客户端(如 apt-get install postgresql-client)` : `${tool} 处理数据库 ${database} 失败:原因见 ${logFile}`));
    }),
  );
}

/**
 * `reform cluster backup <dir>`: Temporal's database, its visibility store's and the product's,
 * each with pg_dump (custom format), and the product's data folder (evidence files). The workers
 * and APIs stop for the dumps and start again after (Temporal keeps running): with them stopped
 * neither database changes the other's story, so the two restore to one moment. Temporal's is
 * dumped first, the product's last: should anything still move, the product is ahead, and a
 * letter Temporal asks for again is found by its idempotency key, never written twice.
 */
export async function clusterBackup(ctx: ClusterContext, target: string): Promise<{ dir: string; manifest: BackupManifest; stopped: string[] }> {
  const c = loadClusterConfig(ctx.env, ctx.root);
  const dir = resolve(target);
  if (existsSync(dir) && readdirSync(dir).length) throw new UserError(`备份目录 ${dir} 不是空的:请指定一个新目录`);
  const release = takeLock(c.dir);
  const state = readState(c.dir);
  const product = loadConfig(productEnv(c, ctx.env), ctx.root);
  const stopped: string[] = [];
  try {
    await assertDatabases(c);
    mkdirSync(dir, { recursive: true });
    // The product's processes stop (APIs first: no new work; then the workers), Temporal runs on.
    for (const kind of ['api', 'worker'] as const) {
      for (const m of Object.values(state.members).filter((x) => x.kind === kind && isAlive(x))) {
        await stopMember(m, 15_000);
        delete state.members[m.name];
        writeState(c.dir, state);
        stopped.push(m.name);
        ctx.log(`${m.name}(pid ${m.pid}):已停止(备份期间)`);
      }
    }
    const dumps = { temporal: 'temporal.dump', visibility: 'visibility.dump', product: 'product.dump' };
    for (const role of ROLES) {
      const database = c.databases[role];
      await pgTool(c, 'pg_dump', ['-Fc', '-d', database, '-f', join(dir, dumps[role])], database, join(dir, 'backup.log'));
      ctx.log(`已备份数据库 ${database} → ${join(dir, dumps[role])}`);
    }
    const data = existsSync(c.dataDir);
    if (data) {
      cpSync(c.dataDir, join(dir, 'data'), { recursive: true });
      ctx.log(`已备份数据目录 ${c.dataDir}(证明材料等)→ ${join(dir, 'data')}`);
    }
    const manifest: BackupManifest = { format: 1, createdAt: new Date().toISOString(), temporalServer: TEMPORAL_SERVER_VERSION, shards: c.shards, dumps, data };
    writeFileSync(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    return { dir, manifest, stopped };
  } finally {
    // Whatever happened: the processes stopped for the backup start again, workers first.
    try {
      const specs = memberSpecs(c, false).filter((s) => stopped.includes(s.name));
      for (const kind of ['worker', 'api'] as const) await relaunchProducts(ctx, c, product, state, specs.filter((s) => s.kind === kind));
    } finally {
      release();
    }
  }
}

async function assertDatabases(c: ClusterConfig): Promise<void> {
  const admin = new PgClient({ host: c.postgres.host, port: c.postgres.port, user: c.postgres.user, password: c.postgres.password, database: 'postgres', connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch {
    await admin.end().catch(() => undefined);
    throw new UserError(`无法连接 PostgreSQL(${c.postgres.host}:${c.postgres.port},用户 ${c.postgres.user}):请先运行 bash scripts/ensure-postgres.sh`);
  }
  try {
    const r = await admin.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [ROLES.map((role) => c.databases[role])]);
    const have = new Set(r.rows.map((x: { datname: string }) => x.datname));
    const missing = ROLES.map((role) => c.databases[role]).filter((d) => !have.has(d));
    if (missing.length) throw new UserError(`集群的数据库 ${missing.join('、')} 不存在:没有可备份的集群(先 reform cluster up)`);
  } finally {
    await admin.end();
  }
}

/** The manifest of a backup directory, checked: a directory that is not a backup is said so before anything changes. */
export function readBackup(target: string): { dir: string; manifest: BackupManifest } {
  const dir = resolve(target);
  const file = join(dir, MANIFEST);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  } catch {
    throw new UserError(`${dir} 不是 reform cluster backup 写的备份(没有可读的 ${MANIFEST})`);
  }
  if (manifest.format !== 1 || !manifest.dumps) throw new UserError(`${file} 的格式不认识(format ${String(manifest.format)})`);
  for (const role of ROLES) {
    if (!existsSync(join(dir, manifest.dumps[role]))) throw new UserError(`备份不完整:缺少 ${join(dir, manifest.dumps[role])}`);
  }
  return { dir, manifest };
}

/**
 * `reform cluster restore <dir>`: the cluster (this configuration's databases and folder) becomes
 * the backup: every process stopped, the three databases dropped and created again, each
 * restored with pg_restore, the data folder put back, the history shards taken from the backup;
 * then `up` (Temporal's schema brought to this release, the product's migrations once, every
 * process started). The plans carry on from where the backup left them: their workflows, timers
 * and letters, the ledger and the audit chain.
 */
export async function clusterRestore(ctx: ClusterContext, target: string): Promise<Awaited<ReturnType<typeof clusterUp>> & { restoredFrom: string }> {
  const c = loadClusterConfig(ctx.env, ctx.root);
  const { dir, manifest } = readBackup(target);
  if (manifest.shards !== c.shards && ctx.env.REFORM_CLUSTER_SHARDS !== undefined) {
    throw new UserError(`备份中的集群有 ${manifest.shards} 个历史分片,不能恢复为 ${c.shards} 个(REFORM_CLUSTER_SHARDS):Temporal 的分片数在建库时确定;请去掉该变量或设为 ${manifest.shards}`);
  }
  if (manifest.temporalServer !== TEMPORAL_SERVER_VERSION) ctx.log(`注意:备份来自 Temporal ${manifest.temporalServer},本版本为 ${TEMPORAL_SERVER_VERSION};up 会把表结构更新到本版本`);
  await clusterDown(ctx);
  const release = takeLock(c.dir);
  try {
    const admin = new PgClient({ host: c.postgres.host, port: c.postgres.port, user: c.postgres.user, password: c.postgres.password, database: 'postgres', connectionTimeoutMillis: 5_000 });
    try {
      await admin.connect();
    } catch {
      await admin.end().catch(() => undefined);
      throw new UserError(`无法连接 PostgreSQL(${c.postgres.host}:${c.postgres.port},用户 ${c.postgres.user}):请先运行 bash scripts/ensure-postgres.sh`);
    }
    try {
      for (const role of ROLES) {
        // Names checked by loadClusterConfig: lower-case letters, digits, underscores.
        await admin.query(`DROP DATABASE IF EXISTS "${c.databases[role]}" WITH (FORCE)`);
        await admin.query(`CREATE DATABASE "${c.databases[role]}"`);
      }
    } finally {
      await admin.end();
    }
    mkdirSync(join(c.dir, 'logs'), { recursive: true });
    for (const role of ROLES) {
      const database = c.databases[role];
      await pgTool(c, 'pg_restore', ['--no-owner', '--exit-on-error', '-d', database, join(dir, manifest.dumps[role])], database, join(c.dir, 'logs', 'restore.log'));
      ctx.log(`已恢复数据库 ${database} ← ${join(dir, manifest.dumps[role])}`);
    }
    rmSync(c.dataDir, { recursive: true, force: true });
    if (manifest.data) {
      cpSync(join(dir, 'data'), c.dataDir, { recursive: true });
      ctx.log(`已恢复数据目录 ${c.dataDir}`);
    }
    // The restored Temporal database has the backup's shards: `up` must configure the same number.
    writeFileSync(join(c.dir, 'cluster.json'), `${JSON.stringify({ shards: manifest.shards, databases: c.databases }, null, 2)}\n`);
  } finally {
    release();
  }
  const up = await clusterUp({ ...ctx, env: { ...ctx.env, REFORM_CLUSTER_SHARDS: String(manifest.shards) } });
  return { ...up, restoredFrom: dir };
}
