import { localDateAt } from '@reform/calendar';
import { toolPaths } from '@reform/config';
import { standardLegalReviewStages } from '@reform/identity';
import { CalendarStore, openDatabase } from '@reform/persistence';
import { PlanService } from '@reform/plans';
import { startDevServer } from '@reform/temporal';
import { Client, Connection } from '@temporalio/client';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { API_USAGE, ApiBenchOptions, BenchDb, parseApiOptions } from './api-options';
import { BENCH_USERS, Http, runActions, runDetails, runFloor, runLag, runLists } from './api-phases';
import { ApiChildArgs, API_CHILD_FLAG, ApiProcess, runApiChild } from './api-process';
import { ApiBenchResults, apiSummary, DbResult } from './api-report';
import { benchEnvironment, benchMain, createDatabase, Resources, SEED_HOW, seedBenchDatabase } from './bench-setup';
import type { ChildArgs } from './protocol';
import { WorkerProcess } from './worker-process';

/**
 * npm run bench:api — the platform API over a ledger of 10,000 plans and 100,000 items, on
 * SQLite and on PostgreSQL: list and detail latency through the API against bare SQL of the same
 * rows, actions per second through the API against Updates sent directly, and the projection
 * lag after an action. Starts its own Temporal dev server (ports 17433/18433), worker and API
 * processes and databases, and removes all of them at the end. It asserts nothing about time.
 */
const ROOT = resolve(__dirname, '../../..');
const NAMESPACE = 'default';
const API_SEED_HOW = `${SEED_HOW}; the plans the actions, details and lag use are real workflows registered through the API`;

const log = (line: string) => console.log(`[bench:api] ${new Date().toISOString().slice(11, 19)} ${line}`);

async function runDatabase(kind: BenchDb, opts: ApiBenchOptions, res: Resources, client: Client): Promise<DbResult> {
  const result: DbResult = { db: kind, seed: { plans: 0, items: 0, ms: 0, how: API_SEED_HOW }, lists: [], problems: [] };
  const taskQueue = `bench-api-${kind}`;
  log(`${kind}: creating the database`);
  const db = await createDatabase(kind, opts.postgresUrl, res.tmp!, 'reform_bench_api');
  const drop = res.defer(db.drop);
  const ds: DataSource = await openDatabase(db.options);
  const destroy = res.defer(() => ds.destroy());
  const { definitions, logins, seed } = await seedBenchDatabase(ds, kind, { plans: opts.plans, items: opts.items, log });
  result.seed = { ...seed, how: API_SEED_HOW };

  log(`${kind}: starting the worker and the API`);
  const workerArgs: ChildArgs = { mode: 'engine', root: ROOT, address: res.devServer!.address, namespace: NAMESPACE, taskQueue, dataDir: res.tmp!, database: db.options };
  const worker = await WorkerProcess.start(workerArgs);
  const stopWorker = res.defer(() => worker.stop());
  const apiArgs: ApiChildArgs = {
    root: ROOT,
    env: {
      ...db.env,
      TEMPORAL_ADDRESS: res.devServer!.address,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TEMPORAL_TASK_QUEUE: taskQueue,
      REFORM_API_HOST: '127.0.0.1',
      REFORM_API_PORT: '0',
      // The run is longer than an access token lives by default (15 minutes).
      REFORM_ACCESS_TOKEN_MINUTES: '600',
    },
    throttleLimit: 1_000_000_000,
  };
  const api = await ApiProcess.start(apiArgs);
  const stopApi = res.defer(() => api.stop());
  const http = new Http(api.url);
  const tokens: Record<string, string> = {};
  for (const user of Object.values(BENCH_USERS)) {
    const login = logins.find((l) => l.username === user);
    if (!login) throw new Error(`the demo seed has no user ${user}`);
    const r = await http.send('POST', '/api/auth/login', undefined, { username: user, password: login.password });
    if (r.status !== 200) throw new Error(`login ${user}: ${r.status}`);
    tokens[user] = String(r.json.accessToken);
  }

  result.floor = await runFloor(http, tokens[BENCH_USERS.reformOffice], opts.samples);
  log(`${kind}: ledger lists, ${opts.samples} samples each`);
  result.lists = await runLists({ http, tokens, ds, today: localDateAt(Date.now()), reviewStages: standardLegalReviewStages(), samples: opts.samples, log });
  for (const l of result.lists) if (!l.sameRows) result.problems.push(`${l.name}: the API's page and the bare query differ`);

  const plans = new PlanService(client, taskQueue, definitions, await new CalendarStore(ds).calendar());
  const actions = await runActions({
    http,
    tokens,
    plans,
    client,
    walk: opts.walk,
    concurrency: opts.concurrency,
    apiPid: api.pid,
    workerCpuMs: async () => {
      const s = await worker.stats();
      return s.cpuUserMs + s.cpuSystemMs;
    },
    log,
  });
  const { apiPlanIds, ...actionFigures } = actions;
  result.actions = actionFigures;
  for (const [name, run] of [['API', actions.api], ['direct', actions.direct]] as const) {
    if (run.failed) result.problems.push(`${name}: ${run.failed} plans stopped on a failed action: ${run.errors.join(' | ')}`);
  }

  log(`${kind}: plan details, ${opts.samples} samples each`);
  result.detail = await runDetails({ http, tokens, ds, client, planIds: apiPlanIds, samples: opts.samples });
  for (const d of [result.detail.lead, result.detail.reformOffice]) if (!d.sameRows) result.problems.push(`${d.name}: the API's plan and the ledger row differ`);

  log(`${kind}: projection lag, ${opts.lagPlans} plans one action at a time`);
  result.lag = await runLag({ http, tokens, ds, plans: opts.lagPlans, log });
  if (result.lag.timeouts) result.problems.push(`lag: ${result.lag.timeouts} actions not seen in the ledger within 30 s`);

  const scrape = await fetch(`${api.url}/api/metrics`).then((r) => r.text());
  const sum = (re: RegExp) => scrape.split('\n').filter((l) => re.test(l)).reduce((s, l) => s + Number(l.split(' ').pop()), 0);
  const lag = /^reform_projection_lag_seconds (\S+)$/m.exec(scrape)?.[1];
  result.metrics = {
    actionsTaken: sum(/^reform_actions_total\{.*outcome="taken".*\} /),
    actionsRefused: sum(/^reform_actions_total\{.*outcome="refused".*\} /),
    projectionLagSeconds: lag === undefined ? undefined : Number(lag),
  };

  await stopApi();
  await stopWorker();
  await destroy();
  await drop();
  return result;
}

async function bench(opts: ApiBenchOptions, res: Resources): Promise<ApiBenchResults> {
  const started = new Date();
  const results: ApiBenchResults = {
    bench: 'api',
    startedAt: started.toISOString(),
    finishedAt: '',
    durationMs: 0,
    options: opts,
    environment: benchEnvironment(ROOT, { port: opts.port, uiPort: opts.uiPort }),
    databases: [],
    problems: [],
  };
  res.tmp = mkdtempSync(join(tmpdir(), 'reform-bench-api-'));
  log(`starting the Temporal dev server on ${opts.port} (UI ${opts.uiPort})`);
  res.devServer = await startDevServer({ cliPath: toolPaths(ROOT).temporalCli, dataDir: join(res.tmp, 'temporal'), port: opts.port, uiPort: opts.uiPort });
  res.connection = await Connection.connect({ address: res.devServer.address });
  const client = new Client({ connection: res.connection, namespace: NAMESPACE });
  for (const kind of opts.databases) {
    try {
      results.databases.push(await runDatabase(kind, opts, res, client));
    } catch (e) {
      results.problems.push(`${kind}: ${e instanceof Error ? e.message : String(e)}`);
      log(`${kind} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  const finished = new Date();
  results.finishedAt = finished.toISOString();
  results.durationMs = finished.getTime() - started.getTime();
  return results;
}

function main(): Promise<number> {
  return benchMain({ name: 'api', root: ROOT, usage: API_USAGE, parse: parseApiOptions, summary: apiSummary, run: bench, log });
}

// The worker child runs through engine-bench.ts (WorkerProcess); the API child through this file.
if (process.argv[2] === API_CHILD_FLAG) {
  runApiChild(JSON.parse(process.argv[3]) as ApiChildArgs).catch((err: unknown) => {
    console.error(`[bench api] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  });
} else {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
