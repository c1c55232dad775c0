import { localDateAt } from '@reform/calendar';
import { loadClusterConfig, loadConfig } from '@reform/config';
import { openDatabase } from '@reform/persistence';
import { projectionQuery } from '@reform/workflows';
import { temporal } from '@temporalio/proto';
import { Client, Connection } from '@temporalio/client';
import { readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { checkClusterInvariants } from '@reform/ledger';
import { benchMain, gitHead, Resources } from './bench-setup';
import { ClusterControl, Faults, postgresCluster } from './scale-cluster';
import { CpuSampler } from './scale-cpu';
import { call, planRuns, runLoad, USERS, waves } from './scale-load';
import { SCALE_USAGE, parseScaleOptions, ScaleOptions } from './scale-options';
import { ScaleResults, scaleSummary } from './scale-report';
import { distribution, pool, sleep } from './stats';

/**
 * npm run bench:scale — the local cluster (`reform cluster up`: Temporal's services on
 * PostgreSQL, two APIs, three workers) under load and faults: plans registered and walked through
 * both APIs with their filing deadlines falling due in waves (the 30 June round the peak), a worker
 * SIGKILLed again and again, the history service restarted, PostgreSQL stopped for 30 s; then the
 * invariants (libs/services/ledger/src/invariants.ts, which the cluster test checks too) and the
 * figures. Its own cluster (ports from 27400, databases reform_scale*), brought down at the end.
 * It asserts nothing about time; it exits 1 when an invariant fails, after writing the results.
 */
const ROOT = resolve(__dirname, '../../..');
const log = (line: string) => console.log(`[bench:scale] ${new Date().toISOString().slice(11, 19)} ${line}`);

async function bench(opts: ScaleOptions, cluster: ClusterControl, faults: Faults, results: ScaleResults): Promise<void> {
  const c = cluster.config;
  log(`bringing up the bench cluster in ${c.dir} (ports from ${opts.portBase}, databases ${c.databases.product}*)`);
  await cluster.run(['down']);
  await cluster.dropDatabases();
  rmSync(c.dir, { recursive: true, force: true });
  const upStarted = Date.now();
  await cluster.up();
  results.cluster.upMs = Date.now() - upStarted;
  const apis = c.ports.apis.map((p) => `http://127.0.0.1:${p}`);

  const logins = Object.fromEntries([...readFileSync(join(c.dataDir, 'demo-logins.txt'), 'utf8').matchAll(/用户名 (\S+)\s+密码 (\S+)/g)].map((m) => [m[1], m[2]]));
  const tokens: Record<string, string> = {};
  for (const u of USERS) {
    const r = await call(apis[0], 249, 'POST', '/api/auth/login', undefined, { username: u, password: logins[u] });
    if (r.status !== 200) throw new Error(`login ${u}: ${r.status}`);
    tokens[u] = String(r.json.accessToken);
  }

  const today = localDateAt(Date.now());
  const ws = waves(today);
  results.waves = ws;
  const runs = planRuns(opts.plans, ws, opts.walkShare);
  const sizesBefore = await cluster.databaseSizes();
  const rowsBefore = await cluster.tableRows();

  // CPU of the cluster's processes over the load; PostgreSQL's only when it is the bench's own
  // (--postgres-cluster other than main: the machine's main one serves other work too).
  const [pgVersion, pgName] = postgresCluster(opts.postgresCluster);
  const cpu = new CpuSampler(c.dir, pgName !== 'main' ? `/var/lib/postgresql/${pgVersion}/${pgName}` : undefined, `PostgreSQL ${pgVersion}/${pgName}`);
  let progress = 0;
  cpu.start();
  faults.start(() => progress);
  const load = await runLoad({ apis, tokens, plans: runs, waves: ws, concurrency: opts.concurrency, log, onProgress: (p) => (progress = p) });
  await faults.stop();
  results.cpu = cpu.stop();
  results.faults = faults.events;
  results.load = { ...load, failures: load.failures.slice(0, 50), failureCount: load.failures.length, actionsPerSecond: (load.registrations + load.actions) / (load.ms / 1000) };
  log(`load done: ${load.registrations} registrations, ${load.actions} actions in ${(load.ms / 1000).toFixed(0)} s, ${load.failures.length} failures`);
  for (const f of load.failures.slice(0, 10)) results.problems.push(`load: ${f}`);
  if (load.failures.length > 10) results.problems.push(`load: … ${load.failures.length - 10} more failures`);

  // Everything back (a worker killed last may still be down), then the letters settle.
  await cluster.up();
  const connection = await Connection.connect({ address: `127.0.0.1:${c.ports.temporal.frontend.grpc}` });
  try {
    const client = new Client({ connection });
    const ids = runs.filter((r) => r.id).map((r) => r.id!);
    // Every walked plan's 督办函 for its overdue filing (A9, rules/standard: one month after issue).
    const walked = runs.filter((r) => r.id && r.stage === 'filing');
    const missing = new Set(walked.map((r) => r.id!));
    const settleUntil = Date.now() + 300_000;
    while (missing.size && Date.now() < settleUntil) {
      // The round's ids taken once: each task deletes its own from `missing`, never shifting another's.
      const round = [...missing];
      await pool(round.length, 16, async (k) => {
        const id = round[k];
        const p = await client.workflow.getHandle(id).query(projectionQuery).catch(() => undefined);
        if (p?.letters.some((l) => l.kind === 'supervision' && l.deadlineKey.split('#')[0] === 'filing')) missing.delete(id);
      });
      if (missing.size) await sleep(2_000);
    }
    for (const id of [...missing].slice(0, 10)) results.problems.push(`${id}: walked to filing, overdue since its wave, but no supervision letter for filing after 5 minutes`);
    if (missing.size > 10) results.problems.push(`… ${missing.size - 10} more walked plans without their supervision letter`);

    log(`checking the invariants over ${ids.length} plans`);
    const ds = await openDatabase({ url: `postgres://${encodeURIComponent(c.postgres.user)}:${encodeURIComponent(c.postgres.password)}@${c.postgres.host}:${c.postgres.port}/${c.databases.product}`, sqlitePath: ':memory:' }, false);
    try {
      const inv = await checkClusterInvariants(ds, client, { plans: ids });
      const { projections, problems, ...figures } = inv;
      results.invariants = figures;
      results.problems.push(...problems.slice(0, 50));
      if (problems.length > 50) results.problems.push(`… ${problems.length - 50} more invariant problems`);
      void projections; // the checks' own reading, not a figure of the results

      // Letter delay: from the request that made it due (the plan's latest change sent before the letter) to the letter's row.
      const byId = new Map(runs.filter((r) => r.id).map((r) => [r.id!, r]));
      const rows = (await ds.query('SELECT workflow_id, created_at FROM letters')) as Array<{ workflow_id: string; created_at: string }>;
      const delays: number[] = [];
      for (const row of rows) {
        const at = Date.parse(row.created_at);
        const sent = byId.get(row.workflow_id)?.sent.filter((t) => t <= at) ?? [];
        if (sent.length) delays.push(at - Math.max(...sent));
      }
      results.letterDelayMs = distribution(delays);
    } finally {
      await ds.destroy();
    }

    // History per plan, from a sample of the walked and of the registered-only plans.
    const sample = (xs: string[], n: number) => xs.filter((_, i) => i % Math.max(1, Math.floor(xs.length / n)) === 0).slice(0, n);
    for (const [name, group] of [
      ['walked', walked.map((r) => r.id!)],
      ['registered', runs.filter((r) => r.id && !r.walked).map((r) => r.id!)],
    ] as const) {
      const picked = sample(group, opts.historySample);
      if (!picked.length) continue;
      const events: number[] = [];
      const bytes: number[] = [];
      await pool(picked.length, 8, async (k) => {
        const h = await client.workflow.getHandle(picked[k]).fetchHistory();
        events.push(h.events?.length ?? 0);
        bytes.push(temporal.api.history.v1.History.encode(h).finish().length);
      });
      const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      results.history.push({ plans: name, sampled: picked.length, eventsPerPlan: avg(events), bytesPerPlan: avg(bytes), maxEvents: Math.max(...events) });
    }
  } finally {
    await connection.close();
  }

  const members = await cluster.status();
  results.memory = members.map((m) => ({ name: m.name, running: m.running, rssBytes: m.rssBytes }));
  const sizesAfter = await cluster.databaseSizes();
  const rowsAfter = await cluster.tableRows();
  const plans = results.load.registrations;
  results.database = (['temporal', 'visibility', 'product'] as const).map((db) => ({
    db,
    bytes: sizesAfter[db],
    perPlanBytes: plans ? (sizesAfter[db] - sizesBefore[db]) / plans : 0,
    rows: Object.values(rowsAfter[db]).reduce((a, b) => a + b, 0),
    perPlanRows: plans ? Object.entries(rowsAfter[db]).reduce((a, [t, n]) => a + n - (rowsBefore[db][t] ?? 0), 0) / plans : 0,
    tables: rowsAfter[db],
  }));
}

/** One run: the bench's cluster up, load and faults, the checks; the cluster down (and its databases dropped) by `res`, also on Ctrl-C. */
async function runScale(opts: ScaleOptions, res: Resources): Promise<ScaleResults> {
  const env: NodeJS.ProcessEnv = {
    REFORM_CLUSTER_DIR: join(ROOT, '.data', 'cluster-scale'),
    REFORM_CLUSTER_DB_PREFIX: opts.dbPrefix,
    REFORM_CLUSTER_PORT_BASE: String(opts.portBase),
    REFORM_CLUSTER_APIS: '2',
    REFORM_CLUSTER_WORKERS: String(opts.workers),
    REFORM_CLUSTER_SHARDS: String(opts.shards),
    // A long run outlives the default access token (15 minutes).
    REFORM_ACCESS_TOKEN_MINUTES: '600',
  };
  const config = loadClusterConfig({ ...process.env, ...env }, ROOT);
  const cluster = new ClusterControl(ROOT, env, config);
  const faults = new Faults(cluster, opts, log);
  const started = new Date();
  const results: ScaleResults = {
    bench: 'scale',
    startedAt: started.toISOString(),
    finishedAt: '',
    durationMs: 0,
    options: { ...opts, faults: [...opts.faults] },
    environment: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? '?',
      totalMemory: totalmem(),
      loadAverageAtStart: loadavg().map((x) => x.toFixed(2)).join(' '),
      gitHead: gitHead(ROOT),
    },
    cluster: { dir: config.dir, portBase: opts.portBase, databases: config.databases, workers: opts.workers, apis: 2, shards: opts.shards, workerCache: loadConfig({ REFORM_WORKER_CACHE: process.env.REFORM_WORKER_CACHE }, ROOT).temporal.workerCache },
    waves: [],
    faults: [],
    history: [],
    memory: [],
    database: [],
    problems: [],
  };
  const cleanUp = res.defer(async () => {
    await faults.stop().catch(() => undefined);
    await faults.restorePostgres().catch((e: unknown) => log(`PostgreSQL could not be started again: ${String(e)}; run bash scripts/ensure-postgres.sh`));
    log('bringing the bench cluster down');
    await cluster.run(['down']).catch(() => undefined);
    if (!opts.keep) await cluster.dropDatabases().catch((e: unknown) => log(`the databases were not dropped: ${String(e)}`));
  });
  try {
    await bench(opts, cluster, faults, results);
  } catch (e) {
    // The results are written all the same: a stopped run is a problem of the run, not a crash of the bench.
    results.problems.push(`the run stopped: ${e instanceof Error ? e.message : String(e)}`);
    log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  } finally {
    results.environment.loadAverageAtEnd = loadavg().map((x) => x.toFixed(2)).join(' ');
    await cleanUp();
  }
  const finished = new Date();
  results.finishedAt = finished.toISOString();
  results.durationMs = finished.getTime() - started.getTime();
  return results;
}

function main(): Promise<number> {
  return benchMain({ name: 'scale', root: ROOT, usage: SCALE_USAGE, parse: parseScaleOptions, summary: scaleSummary, run: runScale, log });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
