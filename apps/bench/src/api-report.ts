import type { ApiBenchOptions, BenchDb } from './api-options';
import type { ActionsResult, Compared, DetailResult, LagResult } from './api-phases';
import type { Distribution } from './stats';
import { f, int, table } from './text-table';

export interface DbResult {
  db: BenchDb;
  seed: { plans: number; items: number; ms: number; how: string };
  /** GET /api/auth/me: what any authenticated request costs before it reads the ledger. */
  floor?: Distribution;
  lists: Compared[];
  detail?: DetailResult;
  actions?: ActionsResult;
  lag?: LagResult;
  /** What /api/metrics said at the end of the run. */
  metrics?: { actionsTaken: number; actionsRefused: number; projectionLagSeconds?: number };
  problems: string[];
}

export interface ApiBenchResults {
  bench: 'api';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  options: ApiBenchOptions;
  environment: Record<string, unknown>;
  databases: DbResult[];
  problems: string[];
}

export const AIM = 2;

function comparedRows(rows: Compared[], floor?: Distribution): string[][] {
  return rows.map((r) => [
    r.name,
    f(r.api.p50, 2),
    f(r.api.p95, 2),
    f(r.bare.p50, 2),
    f(r.bare.p95, 2),
    `${f(r.ratioP50, 1)}×`,
    `${f(r.ratioP95, 1)}×`,
    r.fixed ? f(r.api.p50 - r.fixed.p50, 2) : floor ? f(r.api.p50 - floor.p50, 2) : '—',
    r.ratioP50 <= AIM ? 'met' : 'not met',
    String(r.rows),
    r.sameRows ? 'yes' : 'NO',
  ]);
}

function dbSummary(d: DbResult): string {
  const out: string[] = [];
  out.push(`## ${d.db}`);
  out.push(`Seeded ${int(d.seed.plans)} ledger rows with ${int(d.seed.items)} specific reform items in ${f(d.seed.ms / 1000, 1)} s: ${d.seed.how}.`);
  out.push('');
  out.push(`Ledger list (page of 20) and detail, ms; API = real HTTP to the API process with the user's token; bare = a hand-written indexed SQL query of the same rows from the bench (aim: API ≤ ${AIM}× bare at p50)`);
  const rows = comparedRows(d.lists, d.floor);
  if (d.detail) rows.push(...comparedRows([d.detail.lead, d.detail.reformOffice], d.floor));
  out.push(table(['query', 'API p50', 'API p95', 'bare p50', 'bare p95', '× p50', '× p95', 'API − fixed p50', 'aim', 'rows', 'same rows'], rows));
  if (d.floor) {
    out.push(
      `The fixed part of each request: an authenticated request that reads no ledger (GET /api/auth/me: HTTP, token check, the user's profile, the log line) p50 ${f(d.floor.p50, 2)} ms, p95 ${f(d.floor.p95, 2)} ms. "API − fixed p50" is the API's p50 less that of this request timed between the same samples: what the ledger query and its answer add, to set against the bare p50.`,
    );
  }
  if (d.detail) {
    out.push(
      `The detail reads the ledger row and the plan's live view from Temporal (the actions this user may take now and what blocks them): that query alone, from the bench, p50 ${f(d.detail.viewQuery.p50, 2)} ms, p95 ${f(d.detail.viewQuery.p95, 2)} ms.`,
    );
  }
  if (d.actions) {
    const a = d.actions;
    out.push('');
    out.push(`Actions: ten per plan, in order, ${a.api.plans} plans each way, starts left out`);
    out.push(
      table(
        ['run', 'plans', 'actions', 'failed', 'wall s', 'actions/s', 'p50 ms', 'p95 ms', 'API CPU ms/action', 'worker CPU ms/action'],
        [a.api, a.direct].map((r, i) => [
          i === 0 ? 'through the API' : 'Updates sent directly',
          String(r.plans),
          String(r.actions),
          String(r.failed),
          f(r.wallMs / 1000, 1),
          f(r.actionsPerSec, 1),
          f(r.latency.p50, 1),
          f(r.latency.p95, 1),
          f(r.apiCpuMsPerAction, 1),
          f(r.workerCpuMsPerAction, 1),
        ]),
      ),
    );
    out.push(`Ratio (direct actions/s ÷ API actions/s): ${f(a.ratio, 2)}×. Registering a plan through the API: p50 ${f(a.registerMs.p50, 1)} ms, p95 ${f(a.registerMs.p95, 1)} ms.`);
  }
  if (d.lag) {
    out.push('');
    out.push(
      `Projection lag (action answered → ledger row shows the new change counter), ${d.lag.samples} actions one at a time: p50 ${f(d.lag.lag.p50, 1)} ms, p95 ${f(d.lag.lag.p95, 1)} ms, max ${f(d.lag.lag.max, 1)} ms${d.lag.timeouts ? `, ${d.lag.timeouts} not seen within 30 s` : ''}.`,
    );
  }
  if (d.metrics) {
    out.push(
      `/api/metrics at the end: reform_actions_total taken ${d.metrics.actionsTaken}, refused ${d.metrics.actionsRefused}; reform_projection_lag_seconds ${d.metrics.projectionLagSeconds === undefined ? '—' : f(d.metrics.projectionLagSeconds, 3)}.`,
    );
  }
  if (d.problems.length) out.push('', 'Problems:', ...d.problems.map((p) => `- ${p}`));
  return out.join('\n');
}

export function apiSummary(r: ApiBenchResults): string {
  const env = r.environment;
  const head = [
    `# bench:api ${r.startedAt} (${f(r.durationMs / 60_000, 1)} min), git ${String(env.gitHead ?? '?')}, ${String(env.cpus)} × ${String(env.cpuModel)}, node ${String(env.node)}, load average at start ${String(env.loadAverage)}`,
    `Options: --plans ${r.options.plans} --items ${r.options.items} --samples ${r.options.samples} --walk ${r.options.walk} --lag-plans ${r.options.lagPlans} --concurrency ${r.options.concurrency}`,
  ];
  const body = r.databases.map(dbSummary);
  const problems = r.problems.length ? ['Problems:', ...r.problems.map((p) => `- ${p}`)] : [];
  return [...head, '', ...body.flatMap((b) => [b, '']), ...problems].join('\n');
}
