import { parseArgs } from 'node:util';
import { int, SEEDED_LEDGER_ARGS, SeededLedgerOptions, seededLedgerOptions } from './options';

export type BenchDb = 'sqlite' | 'postgres';

export interface ApiBenchOptions extends SeededLedgerOptions {
  /** Real plans registered through the API and walked through ten actions (and as many started and walked directly). */
  walk: number;
  /** Plans whose actions are taken one at a time to time the projection lag. */
  lagPlans: number;
  /** Requests (or Updates) in flight at once in the action phases; each plan's actions stay in order. */
  concurrency: number;
}

export const API_USAGE = `npm run bench:api -- [options]

  --plans N         ledger rows seeded (default 10000)
  --items N         specific reform items in all, spread over the plans (default 10 per plan: 100000)
  --db LIST         sqlite,postgres (default both)
  --samples N       timed requests per list query and detail, API and bare SQL alike (default 200)
  --walk N          plans registered through the API and walked through ten actions; as many
                    started and walked by Updates sent directly (default 100)
  --lag-plans N     plans walked one action at a time to time the projection lag (default 10)
  --concurrency N   requests or Updates in flight in the action phases (default 8)
  --pg URL          PostgreSQL server (default postgres://reform:reform@127.0.0.1:5432/postgres);
                    the bench creates a database of its own there and drops it at the end
  --port N          Temporal dev server port (default 17433); --ui-port N (default 18433)
  --out DIR         where results go (default bench-results)
  --report FILE     print the summary of a results file (api-….json) again, and run nothing
  --quick           a small run (about a minute per database on a quiet machine, 2–3 on a busy one):
                    --plans 1000 --samples 30 --walk 10 --lag-plans 2
  --help`;

export function parseApiOptions(argv: string[]): ApiBenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...SEEDED_LEDGER_ARGS,
      walk: { type: 'string' },
      'lag-plans': { type: 'string' },
      concurrency: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? false;
  return {
    ...seededLedgerOptions(values, { db: 'sqlite,postgres', samples: 200, quickSamples: 30, port: 17433, uiPort: 18433 }),
    walk: int('walk', values.walk, quick ? 10 : 100, 1),
    lagPlans: int('lag-plans', values['lag-plans'], quick ? 2 : 10, 1),
    concurrency: int('concurrency', values.concurrency, 8, 1),
  };
}
