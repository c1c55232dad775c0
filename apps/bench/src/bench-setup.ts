import { installedCliVersion } from '@reform/config';
import { seedDemo } from '@reform/identity';
import { DefinitionStore, LedgerStore } from '@reform/persistence';
import { seedStandardProcedures } from '@reform/plans';
import type { DevServer } from '@reform/temporal';
import type { Connection } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Client as PgClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { BenchDb } from './api-options';
import { seedLedger } from './api-seed';
import { optionsOrExit } from './options';
import { saveResults } from './results-file';

/**
 * What bench:api and bench:web share: the resources a run starts (stopped in reverse at the
 * end), a database of its own per run (SQLite in the run's temp folder or a database on the
 * PostgreSQL server, dropped at the end), and its seed (standard procedures, the demo province,
 * the ledger's seeded plans).
 */

export const SEED_HOW = 'projections written through the ledger store directly (LedgerStore.upsert, as the projection activity writes them; no workflows behind them), then ANALYZE';

export function gitHead(root: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Everything the run started, stopped in reverse at the end (also on Ctrl-C). */
export class Resources {
  private cleanups: Array<() => Promise<void>> = [];
  devServer?: DevServer;
  connection?: Connection;
  tmp?: string;
  private closing?: Promise<void>;

  constructor(private readonly log: (line: string) => void) {}

  defer(fn: () => Promise<void>): () => Promise<void> {
    let done = false;
    const once = async () => {
      if (done) return;
      done = true;
      await fn().catch((e: unknown) => this.log(`cleanup: ${e instanceof Error ? e.message : String(e)}`));
    };
    this.cleanups.push(once);
    return once;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const c of this.cleanups.reverse()) await c();
      await this.connection?.close().catch(() => undefined);
      if (this.devServer) {
        this.log('stopping the dev server');
        await this.devServer.stop().catch(() => undefined);
      }
      if (this.tmp) rmSync(this.tmp, { recursive: true, force: true });
    })();
    return this.closing;
  }
}

export interface BenchDatabase {
  options: { url?: string; sqlitePath: string };
  /** What the API process reads its database from. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** A database of the run's own: a SQLite file under `tmp`, or `<prefix>_…` created on the server of `postgresUrl`. */
export async function createDatabase(kind: BenchDb, postgresUrl: string, tmp: string, prefix: string): Promise<BenchDatabase> {
  if (kind === 'sqlite') {
    const dir = join(tmp, 'sqlite');
    mkdirSync(dir, { recursive: true });
    return { options: { sqlitePath: join(dir, 'reform.db') }, env: { REFORM_DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const admin = new PgClient({ connectionString: postgresUrl });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(`PostgreSQL 不可达(${postgresUrl.replace(/:[^:@/]*@/, ':***@')}):${e instanceof Error ? e.message : String(e)};请先运行 bash scripts/ensure-postgres.sh,或用 --db sqlite`);
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    options: { url: url.toString(), sqlitePath: ':memory:' },
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const a = new PgClient({ connectionString: postgresUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/**
 * Seeds a migrated database: the standard procedures, the demo province (users of every scope;
 * their logins are answered) and `plans` ledger rows with `items` specific reform items in all
 * (`seedLedger`), then ANALYZE.
 */
export async function seedBenchDatabase(ds: DataSource, kind: BenchDb, opts: { plans: number; items: number; log: (line: string) => void }) {
  const definitions = new DefinitionStore(ds);
  await seedStandardProcedures(definitions);
  const { logins } = await seedDemo(ds);
  const def = (await definitions.latest('reform_plan'))!;
  opts.log(`${kind}: seeding ${opts.plans} ledger rows with ${opts.items} items`);
  const seed = await seedLedger(new LedgerStore(ds), def, {
    plans: opts.plans,
    itemsPerPlan: Math.floor(opts.items / opts.plans),
    concurrency: kind === 'postgres' ? 8 : 1,
    now: Date.now(),
    log: opts.log,
  });
  await ds.query('ANALYZE');
  return { definitions, logins, seed };
}

/**
 * What a benchmark's command does around its run, the same for each: options (or `--help`),
 * `--report FILE` to print a results file again, resources closed on Ctrl-C and at the end, the
 * summary printed and written to bench-results/ (`saveResults`), exit code 1 when the run failed
 * or reported problems.
 */
export async function benchMain<O extends { report?: string; outDir: string }, R extends { startedAt: string; problems: unknown[] }>(spec: {
  name: string;
  root: string;
  usage: string;
  parse: (argv: string[]) => O | 'help';
  summary: (results: R) => string;
  run: (opts: O, res: Resources) => Promise<R>;
  log: (line: string) => void;
}): Promise<number> {
  const opts = optionsOrExit(spec.parse, spec.usage);
  if ('exit' in opts) return opts.exit;
  if (opts.report) {
    console.log(spec.summary(JSON.parse(readFileSync(resolve(opts.report), 'utf8')) as R));
    return 0;
  }
  const res = new Resources(spec.log);
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    spec.log(`${signal}: cleaning up`);
    void res.close().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const results = await spec.run(opts, res);
    await res.close();
    const text = spec.summary(results);
    const files = saveResults(spec.name, results, spec.root, opts.outDir, text);
    console.log(`\n${text}\n`);
    spec.log(`results written to ${files.map((f) => f.replace(`${spec.root}/`, '')).join(', ')}`);
    // Only a failed run (an exception, or problems it listed) is an error; never a time.
    return results.problems.length ? 1 : 0;
  } catch (err) {
    console.error(`[bench:${spec.name}] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  } finally {
    await res.close();
  }
}

/** Where a bench ran: the machine, its load at the start, the Temporal CLI and the commit. */
export function benchEnvironment(root: string, devServer: { port: number; uiPort: number }): Record<string, unknown> {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? '?',
    totalMemory: totalmem(),
    loadAverage: loadavg()[0].toFixed(2),
    temporalCli: installedCliVersion(root),
    gitHead: gitHead(root),
    devServer,
  };
}
