import { parseArgs } from 'node:util';
import { int, SEEDED_LEDGER_ARGS, SeededLedgerOptions, seededLedgerOptions } from './options';

export interface WebBenchOptions extends SeededLedgerOptions {
  /** Untimed rounds of each before the samples (the API's and the browser's first-use costs). */
  warmup: number;
  /** Chromium (Debian's by default, as the browser tests use). */
  chromium: string;
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
      ...SEEDED_LEDGER_ARGS,
      warmup: { type: 'string' },
      chromium: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? false;
  return {
    ...seededLedgerOptions(values, { db: 'sqlite', samples: 20, quickSamples: 5, port: 17533, uiPort: 18533 }),
    warmup: int('warmup', values.warmup, quick ? 1 : 2),
    chromium: values.chromium ?? '/usr/bin/chromium',
  };
}
