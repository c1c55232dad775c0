import type { BenchOptions } from './options';
import type { LiveResult, WalkResult } from './phases';
import type { EngineProfile } from './profile';
import { mib } from './stats';
import { f, int, table } from './text-table';

export interface BenchResults {
  bench: 'engine';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  options: Omit<BenchOptions, 'skip'> & { skip: string[] };
  environment: {
    node: string;
    platform: string;
    cpus: number;
    cpuModel: string;
    totalMemory: number;
    temporalCli?: string;
    gitHead?: string;
    devServer: { address: string; port: number; uiPort: number };
  };
  engine?: WalkResult;
  bare?: WalkResult;
  comparison?: {
    /** Time per action, engine over bare (= bare actions/s over engine actions/s). */
    perActionRatio: number;
    target: number;
    p50Ratio: number;
    p95Ratio: number;
    workerCpuRatio: number;
  };
  live?: LiveResult;
  bareLive?: LiveResult;
  /** Worker memory per cached workflow, engine plan against bare workflow, with equal caches. */
  memory?: {
    engineKiBPerCached?: number;
    bareKiBPerCached?: number;
    ratio?: number;
    target: number;
    maxCachedWorkflows: { engine: number; bare: number };
  };
  profile?: EngineProfile;
  problems: string[];
}

export const RATIO_TARGET = 1.25;
/** A cached plan should cost at most this many times a bare workflow's memory. */
export const MEMORY_RATIO_TARGET = 2;

/**
 * Memory per cached workflow: the RSS slope over the number cached while the cache filled (the
 * one-time costs left out), or the RSS growth per cached workflow when too few samples grew.
 */
export function compareMemory(engine: LiveResult, bare: LiveResult): NonNullable<BenchResults['memory']> {
  const perCached = (l: LiveResult) => {
    const b = l.worker.rssPerCachedSlope ?? l.worker.rssDeltaPerCached;
    return b === undefined ? undefined : b / 1024;
  };
  const e = perCached(engine);
  const b = perCached(bare);
  return {
    engineKiBPerCached: e,
    bareKiBPerCached: b,
    ratio: e !== undefined && b ? e / b : undefined,
    target: MEMORY_RATIO_TARGET,
    maxCachedWorkflows: { engine: engine.worker.maxCachedWorkflows, bare: bare.worker.maxCachedWorkflows },
  };
}

export function compare(engine: WalkResult, bare: WalkResult): NonNullable<BenchResults['comparison']> {
  return {
    perActionRatio: bare.actionsPerSec / engine.actionsPerSec,
    target: RATIO_TARGET,
    p50Ratio: engine.updateMs.p50 / bare.updateMs.p50,
    p95Ratio: engine.updateMs.p95 / bare.updateMs.p95,
    workerCpuRatio: engine.workerCpuMsPerAction / bare.workerCpuMsPerAction,
  };
}

export function summary(r: BenchResults): string {
  const out: string[] = [];
  const o = r.options;
  out.push(`Reform Loop engine bench  ${r.startedAt}  (${f(r.durationMs / 1000, 0)} s in all)`);
  out.push(
    `node ${r.environment.node}, ${r.environment.cpus} CPU (${r.environment.cpuModel}), ${f(mib(r.environment.totalMemory) / 1024, 1)} GiB; ` +
      `Temporal CLI ${r.environment.temporalCli ?? '?'} dev server (SQLite) on ${r.environment.devServer.address}; git ${r.environment.gitHead ?? '?'}`,
  );
  out.push(
    `plans ${o.plans}, live ${o.live}, concurrency ${o.concurrency}, warm-up ${o.warmup}${o.quick ? ' (quick)' : ''}` +
      `${o.workerCache !== undefined ? `, live worker cache ${o.workerCache}` : ''}${o.preload.length ? `, EXPERIMENT preload ${o.preload.join(',')}` : ''}`,
  );

  const walks = [r.engine, r.bare].filter((w): w is WalkResult => !!w);
  if (walks.length) {
    out.push('', `Walk: start + ${walks[0].actionsPerPlan} Updates per plan, ${o.concurrency} plans at a time (end to end, starts included)`);
    const both = r.engine && r.bare;
    const ratio = (a: number | undefined, b: number | undefined) => (both && a !== undefined && b !== undefined && b ? f(a / b, 2) : '');
    const row = (label: string, pick: (w: WalkResult) => number | undefined, fmt: (n: number | undefined) => string = f) => [
      label,
      ...walks.map((w) => fmt(pick(w))),
      ...(both ? [ratio(pick(r.engine!), pick(r.bare!))] : []),
    ];
    const head = ['', ...walks.map((w) => w.kind), ...(both ? ['engine/bare'] : [])];
    out.push(
      table(head, [
        row('actions/s', (w) => w.actionsPerSec),
        row('plans/s', (w) => w.plansPerSec, (n) => f(n, 2)),
        row('wall time s', (w) => w.wallMs / 1000),
        row('Update p50 ms', (w) => w.updateMs.p50),
        row('Update p95 ms', (w) => w.updateMs.p95),
        row('Update p99 ms', (w) => w.updateMs.p99),
        row('start p50 ms', (w) => w.startMs.p50),
        row('start p95 ms', (w) => w.startMs.p95),
        row('worker CPU ms/action', (w) => w.workerCpuMsPerAction, (n) => f(n, 2)),
        row('dev server CPU ms/action', (w) => w.devServerCpuMsPerAction, (n) => f(n, 2)),
        row('bench (client) CPU ms/action', (w) => w.cpu.benchMs / Math.max(1, w.actions), (n) => f(n, 2)),
        row('other processes CPU ms/action', (w) => (w.cpu.otherMs === undefined ? undefined : w.cpu.otherMs / Math.max(1, w.actions)), (n) => f(n, 2)),
        row('machine busy (cores)', (w) => w.cpu.machineLoad, (n) => f(n, 2)),
        row('history events/plan', (w) => w.history.events, int),
        row('history KiB/plan', (w) => w.history.bytes / 1024),
        row('worker RSS after MiB', (w) => mib(w.worker.after.rss)),
        row('failed plans', (w) => w.failedPlans, int),
        row('sampled plans ok', (w) => w.check.ok, int),
      ]),
    );
    const busy = walks.filter((w) => w.cpu.otherMs !== undefined && w.cpu.otherMs / w.wallMs > 0.2);
    if (busy.length) {
      out.push(
        `note: other processes on this machine used ${busy.map((w) => `${f(w.cpu.otherMs! / w.wallMs, 2)} cores during ${w.kind}`).join(', ')} — the rates are noisy; run again on a quiet machine to compare`,
      );
    }
    if (r.comparison) {
      const c = r.comparison;
      out.push(
        '',
        `per-action ratio engine/bare: ${f(c.perActionRatio, 2)}  (aim ≤ ${c.target}; ${c.perActionRatio <= c.target ? 'within' : 'over'} the aim)` +
          `   p50 ${f(c.p50Ratio, 2)}, p95 ${f(c.p95Ratio, 2)}, worker CPU ${f(c.workerCpuRatio, 2)}`,
      );
    }
    out.push('', 'Update latency by action (ms):');
    out.push(
      table(
        ['action', ...walks.flatMap((w) => [`${w.kind} p50`, `${w.kind} p95`])],
        walks[0].updateMsByAction.map((a, i) => [a.action, ...walks.flatMap((w) => [f(w.updateMsByAction[i].p50), f(w.updateMsByAction[i].p95)])]),
      ),
    );
    if (r.engine) {
      const types = Object.entries(r.engine.history.byType)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ');
      out.push('', `Engine history of one plan (${r.engine.history.events} events): ${types}`);
    }
    if (r.bare) {
      const types = Object.entries(r.bare.history.byType)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ');
      out.push(`Bare history of one plan (${r.bare.history.events} events): ${types}`);
    }
  }

  const lives = [r.live, r.bareLive].filter((l): l is LiveResult => !!l);
  if (lives.length) {
    const n = lives[0].instances;
    out.push('', `Live: ${int(n)} instances each waiting on an open durable timer, no Updates (engine: central plan, S1 half-year deadline)`);
    const both = r.live && r.bareLive;
    const row = (label: string, pick: (l: LiveResult) => number | undefined, fmt: (n: number | undefined) => string = f, ratio = true) => [
      label,
      ...lives.map((l) => fmt(pick(l))),
      ...(both ? [ratio && pick(r.bareLive!) ? f(pick(r.live!)! / pick(r.bareLive!)!, 2) : ''] : []),
    ];
    const kib = (b: number | undefined) => (b === undefined ? undefined : b / 1024);
    out.push(
      table(
        ['', ...lives.map((l) => l.kind), ...(both ? ['engine/bare'] : [])],
        [
          row('started', (l) => l.started, int, false),
          row('failed starts', (l) => l.failedStarts, int, false),
          row('starts/s', (l) => l.startsPerSec),
          row('start wall time s', (l) => l.startWallMs / 1000),
          row('start p50 ms', (l) => l.startMs.p50),
          row('start p95 ms', (l) => l.startMs.p95),
          row('all running + first task done s', (l) => (l.settled ? (l.settledMs ?? 0) / 1000 : undefined)),
          row('sample: first task done', (l) => l.sample.firstTaskDone, int, false),
          row('sample: timer started', (l) => l.sample.withTimer, int, false),
          row('worker CPU per start ms', (l) => l.worker.cpuMsPerStart, (v) => f(v, 2)),
          row('worker RSS idle MiB', (l) => mib(l.worker.idle.rss)),
          row('worker RSS loaded MiB', (l) => mib(l.worker.loaded.rss)),
          row('cached workflows', (l) => l.worker.loaded.numCachedWorkflows, int, false),
          row('cache limit (maxCachedWorkflows)', (l) => l.worker.maxCachedWorkflows, int, false),
          row('RSS growth / started KiB', (l) => kib(l.worker.rssDeltaPerInstance)),
          row('RSS growth / cached KiB', (l) => kib(l.worker.rssDeltaPerCached)),
          row('RSS slope / cached KiB', (l) => kib(l.worker.rssPerCachedSlope)),
          row('main-thread heap used MiB', (l) => mib(l.worker.loaded.heapUsed)),
          row('dev server RSS MiB', (l) => (l.devServer ? mib(l.devServer.rss) : undefined), f, false),
          row('other processes CPU s (noise)', (l) => (l.otherCpuMs === undefined ? undefined : l.otherCpuMs / 1000), f, false),
        ],
      ),
    );
    out.push('(workflows run in the worker’s workflow thread: its memory shows in RSS, not in the main-thread heap)');
    if (r.memory) {
      const m = r.memory;
      const caches = m.maxCachedWorkflows.engine === m.maxCachedWorkflows.bare ? `both caches ${m.maxCachedWorkflows.engine}` : `caches differ: engine ${m.maxCachedWorkflows.engine}, bare ${m.maxCachedWorkflows.bare}`;
      out.push(
        '',
        `memory per cached plan: engine ${f(m.engineKiBPerCached)} KiB, bare ${f(m.bareKiBPerCached)} KiB, ratio ${f(m.ratio, 2)}` +
          `  (aim ≤ ${m.target}×; ${m.ratio === undefined ? 'not measured' : m.ratio <= m.target ? 'within' : 'over'} the aim; ${caches})`,
      );
    }
  }

  if (r.profile) {
    const p = r.profile;
    out.push('', `Engine CPU model (pure calls the workflow makes, timed outside the sandbox, ${p.iterations} iterations each):`);
    out.push(table(['per start', 'µs', 'note'], p.start.map((row) => [row.part, f(row.us), row.note])));
    out.push(`start total ≈ ${f(p.startUsTotal / 1000, 2)} ms; start input ${f(p.startInputBytes / 1024)} KiB`);
    out.push('');
    out.push(table(['per Update', 'µs', '×', 'note'], p.update.map((row) => [row.part, f(row.us), String(row.perUpdate), row.note])));
    out.push(`Update total ≈ ${f(p.updateUsTotal / 1000, 2)} ms; PlanView (view query) ${f(Math.min(...p.viewBytes) / 1024)}–${f(Math.max(...p.viewBytes) / 1024)} KiB`);
  }

  if (r.problems.length) out.push('', 'Problems:', ...r.problems.map((p) => `  - ${p}`));
  return out.join('\n');
}
