import { installedCliVersion, toolPaths } from '@reform/config';
import { DevServer, startDevServer } from '@reform/temporal';
import { Client, Connection } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { BenchOptions, optionsOrExit, parseOptions, USAGE } from './options';
import { bareLive, bareTarget, engineLive, engineTarget, PhaseContext, runLive, runWalk } from './phases';
import { profileEngine } from './profile';
import { CHILD_FLAG, ChildArgs } from './protocol';
import { BenchResults, compare, compareMemory, summary } from './report';
import { runWorkerChild } from './worker-child';
import { WorkerProcess } from './worker-process';
import { reformPlan } from './workload';
import { saveResults } from './results-file';

/**
 * npm run bench:engine — the engine's throughput against a bare workflow taking the same Updates,
 * and the memory of a worker holding many live plans. Starts its own Temporal dev server on
 * non-default ports with its data in a temp folder, and removes all of it at the end. A
 * benchmark, not a test: it reports numbers and asserts nothing about time.
 */
const ROOT = resolve(__dirname, '../../..');
const NAMESPACE = 'default';

const log = (line: string) => console.log(`[bench] ${new Date().toISOString().slice(11, 19)} ${line}`);

function gitHead(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

class Resources {
  workers = new Set<WorkerProcess>();
  devServer?: DevServer;
  connection?: Connection;
  tmp?: string;
  private closing?: Promise<void>;

  async startWorker(args: ChildArgs): Promise<WorkerProcess> {
    const w = await WorkerProcess.start(args);
    this.workers.add(w);
    return w;
  }

  async stopWorker(w: WorkerProcess): Promise<void> {
    await w.stop();
    this.workers.delete(w);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const w of this.workers) await w.stop().catch(() => w.kill());
      this.workers.clear();
      await this.connection?.close().catch(() => undefined);
      if (this.devServer) {
        log('stopping the dev server');
        await this.devServer.stop().catch(() => undefined);
      }
      if (this.tmp) rmSync(this.tmp, { recursive: true, force: true });
    })();
    return this.closing;
  }
}

async function bench(opts: BenchOptions, res: Resources): Promise<BenchResults> {
  const started = new Date();
  const cliPath = toolPaths(ROOT).temporalCli;
  const results: BenchResults = {
    bench: 'engine',
    startedAt: started.toISOString(),
    finishedAt: '',
    durationMs: 0,
    options: { ...opts, skip: [...opts.skip] },
    environment: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? '?',
      totalMemory: totalmem(),
      temporalCli: installedCliVersion(ROOT),
      gitHead: gitHead(),
      devServer: { address: `127.0.0.1:${opts.port}`, port: opts.port, uiPort: opts.uiPort },
    },
    problems: [],
  };
  const def = reformPlan();

  if (!opts.skip.has('profile')) {
    log('profiling the engine’s pure calls (no server yet)');
    results.profile = profileEngine(def, opts.quick ? 50 : 300);
  }

  res.tmp = mkdtempSync(join(tmpdir(), 'reform-bench-'));
  log(`starting the Temporal dev server on ${opts.port} (UI ${opts.uiPort}), data in ${res.tmp}`);
  res.devServer = await startDevServer({ cliPath, dataDir: join(res.tmp, 'temporal'), port: opts.port, uiPort: opts.uiPort });
  res.connection = await Connection.connect({ address: res.devServer.address });
  const client = new Client({ connection: res.connection, namespace: NAMESPACE });
  const ctx: PhaseContext = { client, namespace: NAMESPACE, concurrency: opts.concurrency, devServerPid: res.devServer.process.pid, log };
  const childArgs = (mode: ChildArgs['mode'], taskQueue: string, cache?: number): ChildArgs => ({
    mode,
    root: ROOT,
    address: res.devServer!.address,
    namespace: NAMESPACE,
    taskQueue,
    dataDir: res.tmp!,
    cache,
    preload: mode === 'engine' && opts.preload.length ? opts.preload : undefined,
  });

  if (!opts.skip.has('engine')) {
    log('engine: starting the production worker (bundling the workflows)');
    const worker = await res.startWorker(childArgs('engine', 'bench-engine'));
    results.engine = await runWalk(ctx, engineTarget(def, 'bench-engine'), worker, opts.plans, opts.warmup);
    await res.stopWorker(worker);
  }
  if (!opts.skip.has('bare')) {
    log('bare: starting the baseline worker (bundling bare-workflow.ts)');
    const worker = await res.startWorker(childArgs('bare', 'bench-bare'));
    results.bare = await runWalk(ctx, bareTarget('bench-bare'), worker, opts.plans, opts.warmup);
    await res.stopWorker(worker);
  }
  if (results.engine && results.bare) results.comparison = compare(results.engine, results.bare);
  if (!opts.skip.has('live') && opts.live > 0) {
    log('live engine: starting a fresh production worker');
    const worker = await res.startWorker(childArgs('engine', 'bench-live-engine', opts.workerCache));
    results.live = await runLive(ctx, engineLive(def, 'bench-live-engine'), worker, opts.live);
    await res.stopWorker(worker);
  }
  if (!opts.skip.has('bare-live') && opts.live > 0) {
    log('live bare: starting a fresh baseline worker');
    const worker = await res.startWorker(childArgs('bare', 'bench-live-bare', opts.workerCache));
    results.bareLive = await runLive(ctx, bareLive('bench-live-bare'), worker, opts.live);
    await res.stopWorker(worker);
  }
  if (results.live && results.bareLive) {
    results.memory = compareMemory(results.live, results.bareLive);
    const m = results.memory.maxCachedWorkflows;
    if (m.engine !== m.bare) results.problems.push(`the live workers' caches differ (engine ${m.engine}, bare ${m.bare}): memory per cached plan does not compare`);
  }

  for (const w of [results.engine, results.bare]) {
    if (!w) continue;
    if (w.failedPlans) results.problems.push(`${w.kind}: ${w.failedPlans} plans failed: ${w.errors.join(' | ')}`);
    if (w.check.ok !== w.check.sampled) results.problems.push(`${w.kind}: ${w.check.sampled - w.check.ok} sampled plans ended wrong: ${w.check.detail}`);
  }
  for (const l of [results.live, results.bareLive]) {
    if (!l) continue;
    const k = `live ${l.kind}`;
    if (l.workerError) results.problems.push(`${k}: the worker failed: ${l.workerError}`);
    if (l.failedStarts) results.problems.push(`${k}: ${l.failedStarts} starts failed: ${l.errors.join(' | ')}`);
    if (!l.settled) results.problems.push(`${k}: the server did not show all ${l.started} running with no task waiting in time`);
    if (l.sample.firstTaskDone !== l.sample.described) results.problems.push(`${k}: ${l.sample.described - l.sample.firstTaskDone} sampled instances had not finished their first task`);
    if (l.sample.withTimer !== l.sample.historiesRead) results.problems.push(`${k}: ${l.sample.historiesRead - l.sample.withTimer} sampled histories had no timer`);
  }
  const finished = new Date();
  results.finishedAt = finished.toISOString();
  results.durationMs = finished.getTime() - started.getTime();
  return results;
}

async function main(): Promise<number> {
  const opts = optionsOrExit(parseOptions, USAGE);
  if ('exit' in opts) return opts.exit;
  const res = new Resources();
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: cleaning up`);
    void res.close().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const results = await bench(opts, res);
    await res.close();
    const files = saveResults('engine', results, ROOT, opts.outDir);
    console.log(`\n${summary(results)}\n`);
    log(`results written to ${files.map((f) => f.replace(`${ROOT}/`, '')).join(' and ')}`);
    if (results.problems.length) log(`${results.problems.length} problem(s) seen: see "Problems" above${opts.strict ? '' : ' (exit code stays 0; --strict makes it 1)'}`);
    return results.problems.length && opts.strict ? 1 : 0;
  } catch (err) {
    console.error(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  } finally {
    await res.close();
  }
}

if (process.argv[2] === CHILD_FLAG) {
  runWorkerChild(JSON.parse(process.argv[3]) as ChildArgs).catch((err: unknown) => {
    console.error(`[bench worker] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
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
