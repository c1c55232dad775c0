import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Plans walked through ten actions, in the engine phase and again in the bare phase. */
  plans: number;
  /** Live engine instances started (each with an open durable timer) for the memory phase. */
  live: number;
  /** Plans (or starts) in flight at once; each plan's actions stay in order. */
  concurrency: number;
  /** Plans run before each measured walk phase and left out of the numbers. */
  warmup: number;
  /** maxCachedWorkflows for the live-phase worker; undefined keeps the production worker's default. */
  workerCache?: number;
  /** Experiment: BundleOptions.preloadModules for the engine workers (default none, as in production). */
  preload: string[];
  port: number;
  uiPort: number;
  /** Skip phases (for a partial run): engine, bare, live, bare-live, profile. */
  skip: Set<string>;
  quick: boolean;
  /** Exit 1 when the run saw problems (failed plans, a worker that died, …); otherwise they are only reported. */
  strict: boolean;
  outDir: string;
}

export const USAGE = `npm run bench:engine -- [options]

  --plans N         plans walked through ten Updates, engine and bare (default 1000; --quick 50)
  --live N          live instances with an open timer, engine and bare (default 10000; --quick 200)
  --concurrency N   plans or starts in flight at once (default 50; --quick 20)
  --warmup N        plans run first in each walk phase and not counted (default 20; --quick 5)
  --worker-cache N  maxCachedWorkflows of the live-phase workers, engine and bare alike
                    (default: the production worker's, which the walk-phase workers use too)
  --preload LIST    experiment: modules the engine bundle shares across workflows
                    (BundleOptions.preloadModules, comma-separated); default none, as in production
  --port N          dev server frontend port (default 17233); --ui-port N (default 18233)
  --skip LIST       comma-separated phases to leave out: engine,bare,live,bare-live,profile
  --out DIR         where results go (default bench-results)
  --quick           a smoke run
  --strict          exit 1 when the run saw problems (failed plans, a crashed worker); default: report them, exit 0
  --help`;

export function int(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} 应为不小于 ${min} 的整数,收到:${value}`);
  return n;
}

export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      plans: { type: 'string' },
      live: { type: 'string' },
      concurrency: { type: 'string' },
      warmup: { type: 'string' },
      'worker-cache': { type: 'string' },
      preload: { type: 'string' },
      port: { type: 'string' },
      'ui-port': { type: 'string' },
      skip: { type: 'string' },
      out: { type: 'string' },
      quick: { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? false;
  const skip = new Set((values.skip ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  const phases = ['engine', 'bare', 'live', 'bare-live', 'profile'];
  const unknown = [...skip].filter((s) => !phases.includes(s));
  if (unknown.length) throw new Error(`--skip 只认 ${phases.join('、')},收到:${unknown.join('、')}`);
  return {
    plans: int('plans', values.plans, quick ? 50 : 1000),
    live: int('live', values.live, quick ? 200 : 10_000),
    concurrency: int('concurrency', values.concurrency, quick ? 20 : 50, 1),
    warmup: int('warmup', values.warmup, quick ? 5 : 20),
    workerCache: values['worker-cache'] === undefined ? undefined : int('worker-cache', values['worker-cache'], 0),
    preload: (values.preload ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    port: int('port', values.port, 17233, 1),
    uiPort: int('ui-port', values['ui-port'], 18233, 1),
    skip,
    quick,
    strict: values.strict ?? false,
    outDir: values.out ?? 'bench-results',
  };
}

/**
 * A benchmark's options, or the exit code after printing the usage: 0 for --help, 2 for
 * options it cannot read.
 */
export function optionsOrExit<T>(parse: (argv: string[]) => T | 'help', usage: string, argv = process.argv.slice(2)): T | { exit: number } {
  let opts: T | 'help';
  try {
    opts = parse(argv);
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
    return { exit: 2 };
  }
  if (opts === 'help') {
    console.log(usage);
    return { exit: 0 };
  }
  return opts;
}

/** The PostgreSQL server a bench makes its own database on, unless --pg says otherwise. */
export const DEFAULT_BENCH_PG = 'postgres://reform:reform@127.0.0.1:5432/postgres';

/** `--db sqlite,postgres`: the databases a bench runs on, each once, in the order given. */
export function benchDatabases(value: string | undefined, fallback: string): Array<'sqlite' | 'postgres'> {
  const databases = (value ?? fallback).split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = databases.filter((d) => d !== 'sqlite' && d !== 'postgres');
  if (unknown.length || !databases.length) throw new Error(`--db 只认 sqlite、postgres,收到:${value}`);
  return [...new Set(databases)] as Array<'sqlite' | 'postgres'>;
}

/**
 * What bench:api and bench:web share: a ledger of `plans` rows seeded with `items` items on each
 * database, samples timed, a Temporal dev server, results written to `outDir` (or a results
 * file printed again).
 */
export interface SeededLedgerOptions {
  /** Ledger rows seeded through the ledger store. */
  plans: number;
  /** Specific reform items in all, spread evenly over the seeded plans. */
  items: number;
  databases: Array<'sqlite' | 'postgres'>;
  /** Timed samples of each measurement. */
  samples: number;
  /** PostgreSQL server the bench creates its own database on (and drops at the end). */
  postgresUrl: string;
  port: number;
  uiPort: number;
  outDir: string;
  /** Print the summary of a results file written before, and run nothing. */
  report?: string;
}

/** The parseArgs options behind SeededLedgerOptions (a bench adds its own to them). */
export const SEEDED_LEDGER_ARGS = {
  plans: { type: 'string' },
  items: { type: 'string' },
  db: { type: 'string' },
  samples: { type: 'string' },
  pg: { type: 'string' },
  port: { type: 'string' },
  'ui-port': { type: 'string' },
  out: { type: 'string' },
  report: { type: 'string' },
  quick: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

type SeededLedgerValues = { [K in keyof typeof SEEDED_LEDGER_ARGS]?: (typeof SEEDED_LEDGER_ARGS)[K]['type'] extends 'boolean' ? boolean : string };

/** Reads the shared options, with this bench's defaults (a full run and a --quick one). */
export function seededLedgerOptions(
  values: SeededLedgerValues,
  defaults: { db: string; samples: number; quickSamples: number; port: number; uiPort: number },
): SeededLedgerOptions {
  const quick = values.quick ?? false;
  const plans = int('plans', values.plans, quick ? 1000 : 10_000, 1);
  return {
    plans,
    items: int('items', values.items, plans * 10),
    databases: benchDatabases(values.db, defaults.db),
    samples: int('samples', values.samples, quick ? defaults.quickSamples : defaults.samples, 1),
    postgresUrl: values.pg ?? process.env.TEST_DATABASE_URL ?? DEFAULT_BENCH_PG,
    port: int('port', values.port, defaults.port, 1),
    uiPort: int('ui-port', values['ui-port'], defaults.uiPort, 1),
    outDir: values.out ?? 'bench-results',
    report: values.report,
  };
}
