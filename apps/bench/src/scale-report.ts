import type { InvariantReport } from '@reform/ledger';
import type { FaultEvent } from './scale-cluster';
import type { CpuFigures } from './scale-cpu';
import type { LoadFigures, Wave } from './scale-load';
import type { ScaleOptions } from './scale-options';
import type { Distribution } from './stats';
import { f, int, table } from './text-table';

export interface ScaleResults {
  bench: 'scale';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  options: Omit<ScaleOptions, 'faults'> & { faults: string[] };
  environment: { node: string; cpus: number; cpuModel: string; totalMemory: number; loadAverageAtStart: string; loadAverageAtEnd?: string; gitHead?: string };
  cluster: { dir: string; portBase: number; databases: Record<string, string>; workers: number; apis: number; shards: number; upMs?: number; workerCache?: number };
  waves: Wave[];
  load?: Omit<LoadFigures, 'failures'> & { failures: string[]; failureCount: number; actionsPerSecond: number };
  faults: FaultEvent[];
  invariants?: Omit<InvariantReport, 'problems' | 'projections'>;
  /** From the request that made a letter due to the letter's row (ms). */
  letterDelayMs?: Distribution;
  history: Array<{ plans: string; sampled: number; eventsPerPlan: number; bytesPerPlan: number; maxEvents: number }>;
  memory: Array<{ name: string; running: boolean; rssBytes?: number }>;
  database: Array<{ db: string; bytes: number; perPlanBytes: number; rows?: number; perPlanRows?: number; tables?: Record<string, number> }>;
  /** CPU time of the cluster's processes over the load (older results have none). */
  cpu?: CpuFigures;
  problems: string[];
}

const KiB = 1024;
const MiB = 1024 * 1024;

export function scaleSummary(r: ScaleResults): string {
  const lines: string[] = [];
  lines.push(`bench:scale ${r.startedAt} (git ${r.environment.gitHead ?? '?'}), ${r.environment.cpus} × ${r.environment.cpuModel}, load average ${r.environment.loadAverageAtStart} → ${r.environment.loadAverageAtEnd ?? '?'}`);
  lines.push(
    `cluster: ${r.cluster.apis} APIs, ${r.cluster.workers} workers, ${r.cluster.shards} history shards, Temporal on PostgreSQL; up in ${f((r.cluster.upMs ?? 0) / 1000, 0)} s; faults: ${r.options.faults.join(', ') || 'none'}`,
  );
  lines.push(`waves (filing due): ${r.waves.map((w) => `${w.dueMonth} ${Math.round(w.share * 100)}%`).join(', ')}`);
  if (r.load) {
    const l = r.load;
    lines.push('', 'Load');
    lines.push(
      table(
        ['', 'value'],
        [
          ['plans registered', int(l.registrations)],
          ['actions taken', int(l.actions)],
          ['requests sent again (fault)', int(l.retries)],
          ['actions sent again after 404 (ledger row not yet written)', int(l.notFoundRetries)],
          ['registrations sent again (same X-Request-Id)', int(l.ambiguousRegistrations)],
          ['failed plans', int(l.failureCount)],
          ['wall time (s)', f(l.ms / 1000, 0)],
          ['actions per second (registrations included)', f(l.actionsPerSecond, 1)],
        ],
      ),
    );
  }
  if (r.letterDelayMs) {
    const d = r.letterDelayMs;
    lines.push('', `Letter delay after its due moment (the request that made it due → its row), ${d.count} letters: p50 ${f(d.p50 / 1000, 2)} s, p95 ${f(d.p95 / 1000, 2)} s, max ${f(d.max / 1000, 2)} s`);
  }
  if (r.faults.length) {
    lines.push('', 'Faults');
    lines.push(table(['fault', 'target', 'at', 'back', 'error'], r.faults.map((e) => [e.fault, e.target, e.at.slice(11, 19), e.backAt?.slice(11, 19) ?? '—', e.error ? e.error.split('\n')[0].slice(0, 60) : ''])));
  }
  if (r.invariants) {
    const i = r.invariants;
    lines.push('', 'Invariants');
    lines.push(`  letters: ${i.letters.count} (${Object.entries(i.letters.byKind).map(([k, n]) => `${k} ${n}`).join(', ')}), numbered ${Object.entries(i.letters.byYear).map(([y, n]) => `${y}1–${n}`).join(', ')}`);
    lines.push(`  ledger rows equal to the workflow's projection: ${i.ledger.equal} of ${i.ledger.checked}${i.extraPlans ? ` (${i.extraPlans} plans registered twice among them)` : ''}`);
    lines.push(`  audit chain: ${i.audit.ok ? 'verifies' : 'BROKEN'} (${i.audit.rows} rows)`);
  }
  if (r.history.length) {
    lines.push('', 'History per plan (sampled)');
    lines.push(table(['plans', 'sampled', 'events', 'max events', 'KiB'], r.history.map((h) => [h.plans, int(h.sampled), f(h.eventsPerPlan, 1), int(h.maxEvents), f(h.bytesPerPlan / KiB, 1)])));
  }
  if (r.database.length) {
    lines.push('', 'Database size');
    lines.push(
      table(
        ['database', 'MiB', 'KiB per plan (growth during the load)', 'rows', 'rows per plan (growth)'],
        r.database.map((d) => [d.db, f(d.bytes / MiB, 1), f(d.perPlanBytes / KiB, 1), d.rows === undefined ? '—' : int(d.rows), d.perPlanRows === undefined ? '—' : f(d.perPlanRows, 1)]),
      ),
    );
    for (const d of r.database) {
      if (!d.tables) continue;
      const top = Object.entries(d.tables).sort((a, b) => b[1] - a[1]).filter(([, n]) => n > 0).slice(0, 6);
      lines.push(`  ${d.db}: ${top.map(([t, n]) => `${t} ${int(n)}`).join(', ')}`);
    }
  }
  if (r.cpu && r.load) {
    const c = r.cpu;
    const actions = r.load.registrations + r.load.actions;
    lines.push('', `CPU time over the load (${f(c.wallMs / 1000, 0)} s, ${int(actions)} registrations and actions; PostgreSQL: ${c.postgres})`);
    const rows = Object.entries(c.byKind).sort((a, b) => b[1] - a[1]);
    lines.push(
      table(
        ['processes', 'CPU s', 'ms per action', 'cores busy'],
        [...rows, ['all of them', c.totalMs] as [string, number], ['(the bench itself, load generator)', c.benchMs] as [string, number], ...(c.machineBusyMs !== undefined ? [['(the whole machine, anyone)', c.machineBusyMs] as [string, number]] : [])].map(([k, ms]) => [
          k,
          f(ms / 1000, 1),
          f(actions ? ms / actions : 0, 1),
          f(ms / c.wallMs, 2),
        ]),
      ),
    );
  }
  if (r.memory.length) {
    lines.push('', `Resident memory after the load (${int(r.load?.registrations)} live plans; each worker caches at most ${r.cluster.workerCache === undefined ? '?' : int(r.cluster.workerCache)} workflows, REFORM_WORKER_CACHE)`);
    const peak = r.cpu?.peakRssBytes;
    lines.push(
      table(
        peak ? ['process', 'MiB', 'highest during the load, MiB'] : ['process', 'MiB'],
        r.memory.map((m) => [m.name, m.running ? f((m.rssBytes ?? 0) / MiB, 0) : 'not running', ...(peak ? [peak[m.name] !== undefined ? f(peak[m.name] / MiB, 0) : '—'] : [])]),
      ),
    );
  }
  lines.push('', r.problems.length ? `Problems (${r.problems.length})\n${r.problems.map((p) => `  - ${p}`).join('\n')}` : 'Problems: none');
  return lines.join('\n');
}
