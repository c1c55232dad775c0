import { parseArgs } from 'node:util';
import type { BenchDb } from './api-options';
import { benchDatabases, DEFAULT_BENCH_PG, int } from './options';

export interface WebBenchOptions {
  /** Ledger rows seeded through the ledger store (as bench:api seeds them). */
  plans: number;
  /** Specific reform items in all, spread evenly over the seeded plans. */
  items: number;
  databases: BenchDb[];
  /** Timed samples of each ledger timing (navigation, each filter change). */
  samples: number;
  /** Untimed rounds of each before the samples (the API's and the browser's first-use costs). */
  warmup: number;
  /** PostgreSQL server the bench creates its own database on (and drops at the end). */
  postgresUrl: string;
  /** Chromium (Debian's by default, as the browser tests use). */
  chromium: string;
  port: number;
  uiPort: number;
  outDir: string;
  /** Print the summary of a results file written before, and run nothing. */
  report?: string;
}

export const WEB_USAGE = `npm run bench:web -- [options]

  --plans N         ledger rows seeded (default 10000)
  --items N         specific reform items in all, spread over the plans (default 10 per plan)
  --db LIST         sqlite,postgres (default sqlite)
  --samples N       timed samples of each ledger timing (default 20)
  --warmup N        untimed rounds of each before the samples (default 2)
  --pg URL          PostgreSQL server (default postgres://reform:reform@127.0.0.1:5432/postgres);
                    the bench creates a database of its own there and drops it at the end
  --chromium PATH   the browser (default /usr/bin/chromium)
  --port N          Temporal dev server port (default 17533); --ui-port N (default 18533)
  --out DIR         where results go (default bench-results)
  --report FILE     print the summary of a results file (web-….json) again, and run nothing
  --quick           a small run: --plans 1000 --samples 5 --warmup 1
  --help`;

export function parseWebOptions(argv: string[]): WebBenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      plans: { type: 'string' },
      items: { type: 'string' },
      db: { type: 'string' },
      samples: { type: 'string' },
      warmup: { type: 'string' },
      pg: { type: 'string' },
      chromium: { type: 'string' },
      port: { type: 'string' },
      'ui-port': { type: 'string' },
      out: { type: 'string' },
      report: { type: 'string' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? false;
  const databases = benchDatabases(values.db, 'sqlite');
  const plans = int('plans', values.plans, quick ? 1000 : 10_000, 1);
  return {
    plans,
    items: int('items', values.items, plans * 10),
    databases,
    samples: int('samples', values.samples, quick ? 5 : 20, 1),
    warmup: int('warmup', values.warmup, quick ? 1 : 2),
    postgresUrl: values.pg ?? process.env.TEST_DATABASE_URL ?? DEFAULT_BENCH_PG,
    chromium: values.chromium ?? '/usr/bin/chromium',
    port: int('port', values.port, 17533, 1),
    uiPort: int('ui-port', values['ui-port'], 18533, 1),
    outDir: values.out ?? 'bench-results',
    report: values.report,
  };
}
