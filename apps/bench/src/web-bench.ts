import { toolPaths } from '@reform/config';
import { openDatabase } from '@reform/persistence';
import { startDevServer } from '@reform/temporal';
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { BenchDb } from './api-options';
import { BENCH_USERS, Http } from './api-phases';
import { ApiProcess } from './api-process';
import { benchEnvironment, benchMain, createDatabase, Resources, SEED_HOW, seedBenchDatabase } from './bench-setup';
import { measureFirstLoad, measureLedger } from './web-phases';
import { parseWebOptions, WEB_USAGE, WebBenchOptions } from './web-options';
import { WebBenchResults, WebDbResult, webSummary } from './web-report';

/**
 * npm run bench:web — the web console in Chromium against the API over a seeded ledger (10,000
 * plans by default, as bench:api seeds them): the size of the first load (JS and CSS, raw and
 * gzipped; the entry chunk, what it preloads, and each lazily loaded page's own chunks), and the
 * time until the ledger page shows its first page of rows and until a changed filter shows its
 * answer, with the API's own time for the same request beside it. Builds the console as
 * `reform start` does; starts its own Temporal dev server (17533/18533), API process, database
 * and browser, and removes all of them at the end. It asserts nothing about time; it fails (exit
 * 1) only when the work failed: a page that never showed its rows, a build or a server that did not start.
 */
const ROOT = resolve(__dirname, '../../..');
const NAMESPACE = 'default';

const log = (line: string) => console.log(`[bench:web] ${new Date().toISOString().slice(11, 19)} ${line}`);

/** The console's build as `reform start` makes it (apps/cli, loaded at run time: an app, not a library the bench builds with). */
interface WebConsoleModule {
  ensureWebConsole(root: string, log?: (line: string) => void): Promise<'built' | 'current'>;
  webConsolePaths(root: string): { dist: string };
}
const webConsole = () => createRequire(__filename)(join(ROOT, 'apps/cli/src/web-console.ts')) as WebConsoleModule;

async function runDatabase(kind: BenchDb, opts: WebBenchOptions, res: Resources, results: WebBenchResults, dist: string): Promise<WebDbResult> {
  const result: WebDbResult = { db: kind, seed: { plans: 0, items: 0, ms: 0, how: SEED_HOW }, ledger: [], problems: [] };
  log(`${kind}: creating the database`);
  const db = await createDatabase(kind, opts.postgresUrl, res.tmp!, 'reform_bench_web');
  const drop = res.defer(db.drop);
  const ds = await openDatabase(db.options);
  const destroy = res.defer(() => ds.destroy());
  const { logins, seed } = await seedBenchDatabase(ds, kind, { plans: opts.plans, items: opts.items, log });
  result.seed = { ...seed, how: SEED_HOW };
  await destroy();

  log(`${kind}: starting the API (serving the console)`);
  const api = await ApiProcess.start({
    root: ROOT,
    env: {
      ...db.env,
      TEMPORAL_ADDRESS: res.devServer!.address,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TEMPORAL_TASK_QUEUE: `bench-web-${kind}`,
      REFORM_API_HOST: '127.0.0.1',
      REFORM_API_PORT: '0',
      REFORM_ACCESS_TOKEN_MINUTES: '600',
    },
    throttleLimit: 1_000_000_000,
    webDir: dist,
  });
  const stopApi = res.defer(() => api.stop());
  const user = BENCH_USERS.reformOffice;
  const password = logins.find((l) => l.username === user)?.password;
  if (!password) throw new Error(`the demo seed has no user ${user}`);
  const http = new Http(api.url);
  const login = await http.send('POST', '/api/auth/login', undefined, { username: user, password });
  if (login.status !== 200) throw new Error(`login ${user}: ${login.status}`);
  const token = String(login.json.accessToken);
  const expected = async (query: Record<string, string>) => {
    const qs = new URLSearchParams(query).toString();
    const r = await http.send('GET', `/api/plans${qs ? `?${qs}` : ''}`, token);
    if (r.status !== 200) throw new Error(`GET /api/plans?${qs}: ${r.status}`);
    return (r.json.rows as Array<{ title: string }>).map((row) => row.title);
  };

  const browser = await chromium.launch({ executablePath: opts.chromium, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const closeBrowser = res.defer(() => browser.close());
  results.environment.chromium ??= `Chromium ${browser.version()}`;
  if (!results.firstLoad) {
    log(`${kind}: first load (fresh browser context)`);
    results.firstLoad = await measureFirstLoad(browser, api.url, dist, user, password);
  }
  log(`${kind}: the ledger page, ${opts.samples} samples each (+${opts.warmup} warm-up)`);
  const ledger = await measureLedger({ browser, url: api.url, user, password, samples: opts.samples, warmup: opts.warmup, expected, log });
  result.ledger = ledger.rows;
  result.problems.push(...ledger.problems);

  await closeBrowser();
  await stopApi();
  await drop();
  return result;
}

async function bench(opts: WebBenchOptions, res: Resources): Promise<WebBenchResults> {
  const started = new Date();
  const results: WebBenchResults = {
    bench: 'web',
    startedAt: started.toISOString(),
    finishedAt: '',
    durationMs: 0,
    options: opts,
    environment: benchEnvironment(ROOT, { port: opts.port, uiPort: opts.uiPort }),
    databases: [],
    problems: [],
  };
  if (!existsSync(opts.chromium)) throw new Error(`未找到 Chromium(${opts.chromium}):运行 bash scripts/ensure.sh test 安装,或用 --chromium 指定浏览器`);
  log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const web = webConsole();
  results.build = await web.ensureWebConsole(ROOT, log);
  const dist = web.webConsolePaths(ROOT).dist;
  res.tmp = mkdtempSync(join(tmpdir(), 'reform-bench-web-'));
  log(`starting the Temporal dev server on ${opts.port} (UI ${opts.uiPort})`);
  res.devServer = await startDevServer({ cliPath: toolPaths(ROOT).temporalCli, dataDir: join(res.tmp, 'temporal'), port: opts.port, uiPort: opts.uiPort });
  for (const kind of opts.databases) {
    try {
      results.databases.push(await runDatabase(kind, opts, res, results, dist));
    } catch (e) {
      results.problems.push(`${kind}: ${e instanceof Error ? e.message : String(e)}`);
      log(`${kind} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  const finished = new Date();
  results.finishedAt = finished.toISOString();
  results.durationMs = finished.getTime() - started.getTime();
  results.environment.loadAverageEnd = loadavg()[0].toFixed(2);
  return results;
}

function main(): Promise<number> {
  return benchMain({ name: 'web', root: ROOT, usage: WEB_USAGE, parse: parseWebOptions, summary: webSummary, run: bench, log });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
