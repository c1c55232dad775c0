import { parseArgs } from 'node:util';
import { int } from './options';

export const FAULTS = ['worker', 'history', 'postgres'] as const;
export type Fault = (typeof FAULTS)[number];

export interface ScaleOptions {
  /** Plans registered through the two APIs. */
  plans: number;
  /** Share of the plans walked through their six actions to filing (0–1). */
  walkShare: number;
  /** Requests in flight at once. */
  concurrency: number;
  faults: Set<Fault>;
  /** Seconds between two SIGKILLs of a worker. */
  killEverySeconds: number;
  /** Seconds PostgreSQL stays stopped. */
  postgresDownSeconds: number;
  /** PostgreSQL's Debian cluster (pg_ctlcluster VERSION NAME); default: the newest in /etc/postgresql, main. */
  postgresCluster?: string;
  /** The bench's own cluster: REFORM_CLUSTER_PORT_BASE and REFORM_CLUSTER_DB_PREFIX. */
  portBase: number;
  dbPrefix: string;
  workers: number;
  shards: number;
  /** Plans whose history is fetched for the per-plan figures. */
  historySample: number;
  /** Keep the cluster's databases after the run (the processes stop anyway). */
  keep: boolean;
  quick: boolean;
  outDir: string;
  report?: string;
}

export const SCALE_USAGE = `npm run bench:scale -- [options]

  --plans N              plans registered through the two APIs (default 10000; --quick 300)
  --walk-share X         share of them walked through six actions to filing (default 0.3; --quick 1)
  --concurrency N        requests in flight at once (default 8)
  --faults LIST          none, or a comma-separated list of worker,history,postgres (default all three)
  --kill-every S         seconds between SIGKILLs of a worker (default 60; --quick 20)
  --postgres-down S      seconds PostgreSQL stays stopped (default 30)
  --postgres-cluster V/N pg_ctlcluster's version and name (default: newest in /etc/postgresql, main)
  --port-base N          the bench cluster's REFORM_CLUSTER_PORT_BASE (default 27400)
  --db-prefix NAME       its REFORM_CLUSTER_DB_PREFIX (default reform_scale)
  --workers N            product workers (default 3); --shards N history shards (default 4)
  --history-sample N     plans whose history is fetched for events and bytes per plan (default 200)
  --keep                 keep the bench cluster's databases (the processes stop anyway)
  --out DIR              where results go (default bench-results)
  --report FILE          print the summary of a results file and exit
  --quick                a smoke run
  --help`;

export function parseScaleOptions(argv: string[]): ScaleOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      plans: { type: 'string' },
      'walk-share': { type: 'string' },
      concurrency: { type: 'string' },
      faults: { type: 'string' },
      'kill-every': { type: 'string' },
      'postgres-down': { type: 'string' },
      'postgres-cluster': { type: 'string' },
      'port-base': { type: 'string' },
      'db-prefix': { type: 'string' },
      workers: { type: 'string' },
      shards: { type: 'string' },
      'history-sample': { type: 'string' },
      keep: { type: 'boolean', default: false },
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
  const share = values['walk-share'] === undefined ? (quick ? 1 : 0.3) : Number(values['walk-share']);
  if (!(share >= 0 && share <= 1)) throw new Error(`--walk-share 应为 0 到 1 之间的数,收到:${values['walk-share']}`);
  const faultList = (values.faults ?? FAULTS.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  const faults = new Set<Fault>();
  if (!(faultList.length === 1 && faultList[0] === 'none')) {
    for (const f of faultList) {
      if (!(FAULTS as readonly string[]).includes(f)) throw new Error(`--faults 只认 none 或 ${FAULTS.join('、')},收到:${f}`);
      faults.add(f as Fault);
    }
  }
  const pgCluster = values['postgres-cluster'];
  if (pgCluster !== undefined && !/^\d+\/[\w-]+$/.test(pgCluster)) throw new Error(`--postgres-cluster 应为 版本/名称(如 15/main),收到:${pgCluster}`);
  const prefix = values['db-prefix'] ?? 'reform_scale';
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(prefix)) throw new Error(`--db-prefix 应以小写字母开头,只含小写字母、数字和下划线,收到:${prefix}`);
  return {
    plans: int('plans', values.plans, quick ? 300 : 10_000, 1),
    walkShare: share,
    concurrency: int('concurrency', values.concurrency, 8, 1),
    faults,
    killEverySeconds: int('kill-every', values['kill-every'], quick ? 20 : 60, 1),
    postgresDownSeconds: int('postgres-down', values['postgres-down'], 30, 1),
    postgresCluster: pgCluster,
    portBase: int('port-base', values['port-base'], 27400, 1024),
    dbPrefix: prefix,
    workers: int('workers', values.workers, 3, 1),
    shards: int('shards', values.shards, 4, 1),
    historySample: int('history-sample', values['history-sample'], 200, 0),
    keep: values.keep ?? false,
    quick,
    outDir: values.out ?? 'bench-results',
    report: values.report,
  };
}
