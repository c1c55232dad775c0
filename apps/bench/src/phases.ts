import type { Command, ProcessDefinition } from '@reform/definitions';
import type { PlanView } from '@reform/machine';
import { actUpdate, PROCEDURE_WORKFLOW, type procedureWorkflow, viewQuery } from '@reform/workflows';
import { Client, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { performance } from 'node:perf_hooks';
import { BARE_WORKFLOW, bareActUpdate, type bareWorkflow } from './bare-workflow';
import { Distribution, distribution, machineBusyMs, ownCpuMs, pool, processUsage, sleep } from './stats';
import type { WorkerStats } from './protocol';
import type { WorkerProcess } from './worker-process';
import { liveInput, TEN_ACTIONS, walkInput } from './workload';

export interface PhaseContext {
  client: Client;
  namespace: string;
  concurrency: number;
  devServerPid?: number;
  log: (line: string) => void;
}

/** CPU spent by each process while a phase's measured part ran. */
export interface CpuSplit {
  workerMs: number;
  devServerMs?: number;
  benchMs: number;
  /** CPU used by everything else on the machine meanwhile (other users' builds and tests): noise. */
  otherMs?: number;
  /** Cores' worth of CPU the machine had busy, on average. */
  machineLoad?: number;
}

export interface WalkResult {
  kind: 'engine' | 'bare';
  plans: number;
  warmupPlans: number;
  actionsPerPlan: number;
  actions: number;
  failedPlans: number;
  errors: string[];
  wallMs: number;
  actionsPerSec: number;
  plansPerSec: number;
  updateMs: Distribution;
  /** Latency of each of the ten actions, by position in the walk. */
  updateMsByAction: Array<{ action: string; p50: number; p95: number }>;
  startMs: Distribution;
  cpu: CpuSplit;
  workerCpuMsPerAction: number;
  devServerCpuMsPerAction?: number;
  worker: { before: WorkerStats; after: WorkerStats; maxCachedWorkflows: number; bundleMs: number };
  /** One plan's history: events by type, and how many in all. */
  history: { events: number; byType: Record<string, number>; bytes: number };
  /** What a sample of plans ended as: the engine's stage and item, or the bare workflow's result. */
  check: { sampled: number; ok: number; detail: string };
}

interface WalkTarget {
  kind: 'engine' | 'bare';
  taskQueue: string;
  start(client: Client, workflowId: string): Promise<WorkflowHandle>;
  act(handle: WorkflowHandle, cmd: Command): Promise<unknown>;
  check(handle: WorkflowHandle, last: unknown): Promise<string | undefined>;
}

export function engineTarget(def: ProcessDefinition, taskQueue: string): WalkTarget {
  return {
    kind: 'engine',
    taskQueue,
    start: (client, workflowId) =>
      client.workflow.start<typeof procedureWorkflow>(PROCEDURE_WORKFLOW, { taskQueue, workflowId, args: [walkInput(def)] }),
    act: (handle, cmd) => handle.executeUpdate(actUpdate, { args: [cmd] }),
    check: async (handle) => {
      // The Update answers only what changed: read the whole plan with the view query.
      const view: PlanView = await handle.query(viewQuery);
      if (view.stage.id !== 'implementation') return `stage ${view.stage.id}`;
      if (view.items['1']?.status !== 'completed') return `item ${JSON.stringify(view.items['1'])}`;
      if (view.log.length !== TEN_ACTIONS.length) return `log has ${view.log.length} entries`;
      return undefined;
    },
  };
}

export function bareTarget(taskQueue: string): WalkTarget {
  return {
    kind: 'bare',
    taskQueue,
    start: (client, workflowId) => client.workflow.start<typeof bareWorkflow>(BARE_WORKFLOW, { taskQueue, workflowId, args: [TEN_ACTIONS.length] }),
    act: (handle, cmd) => handle.executeUpdate(bareActUpdate, { args: [cmd] }),
    check: async (handle) => {
      const result: unknown = await handle.result();
      return result === TEN_ACTIONS.length ? undefined : `result ${String(result)}`;
    },
  };
}

async function historySummary(handle: WorkflowHandle): Promise<WalkResult['history']> {
  const history = await handle.fetchHistory();
  const byType: Record<string, number> = {};
  for (const e of history.events ?? []) {
    const name = temporal.api.enums.v1.EventType[e.eventType ?? 0]?.replace(/^EVENT_TYPE_/, '') ?? String(e.eventType);
    byType[name] = (byType[name] ?? 0) + 1;
  }
  const bytes = temporal.api.history.v1.History.encode(temporal.api.history.v1.History.create(history)).finish().length;
  return { events: history.events?.length ?? 0, byType, bytes };
}

/**
 * Starts `plans` instances and walks each through the ten actions, `concurrency` plans at a time,
 * each plan's actions in order. Rates are end to end: from the first start to the last Update's
 * result, starts included. A warm-up round runs first and is not counted.
 */
export async function runWalk(ctx: PhaseContext, target: WalkTarget, worker: WorkerProcess, plans: number, warmup: number): Promise<WalkResult> {
  const errors: string[] = [];
  let failedPlans = 0;
  const updateMs: number[] = [];
  const byAction: number[][] = TEN_ACTIONS.map(() => []);
  const startMs: number[] = [];
  const lastResults: Array<{ handle: WorkflowHandle; last: unknown }> = [];

  const walkOne = async (workflowId: string, record: boolean) => {
    try {
      const t0 = performance.now();
      const handle = await target.start(ctx.client, workflowId);
      if (record) startMs.push(performance.now() - t0);
      let last: unknown;
      for (let a = 0; a < TEN_ACTIONS.length; a++) {
        const t = performance.now();
        last = await target.act(handle, TEN_ACTIONS[a]);
        if (record) {
          const ms = performance.now() - t;
          updateMs.push(ms);
          byAction[a].push(ms);
        }
      }
      if (record) lastResults.push({ handle, last });
    } catch (err) {
      failedPlans++;
      if (errors.length < 5) errors.push(`${workflowId}: ${err instanceof Error ? `${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}` : String(err)}`);
    }
  };

  const run = Date.now().toString(36);
  if (warmup > 0) {
    ctx.log(`${target.kind}: warm-up, ${warmup} plans`);
    await pool(warmup, ctx.concurrency, (i) => walkOne(`bench-${target.kind}-warm-${run}-${i}`, false));
    failedPlans = 0; // warm-up failures are reported in errors but not counted
  }

  ctx.log(`${target.kind}: ${plans} plans × ${TEN_ACTIONS.length} actions, ${ctx.concurrency} at a time`);
  const before = await worker.stats();
  const server0 = processUsage(ctx.devServerPid);
  const bench0 = ownCpuMs();
  const machine0 = machineBusyMs();
  const t0 = performance.now();
  let done = 0;
  const progress = setInterval(() => ctx.log(`${target.kind}: ${done}/${plans} plans done`), 10_000);
  try {
    await pool(plans, ctx.concurrency, async (i) => {
      await walkOne(`bench-${target.kind}-${run}-${i}`, true);
      done++;
    });
  } finally {
    clearInterval(progress);
  }
  const wallMs = performance.now() - t0;
  const machine1 = machineBusyMs();
  const bench1 = ownCpuMs();
  const server1 = processUsage(ctx.devServerPid);
  const after = await worker.stats();

  const actions = (plans - failedPlans) * TEN_ACTIONS.length;
  const cpu: CpuSplit = {
    workerMs: after.cpuUserMs + after.cpuSystemMs - (before.cpuUserMs + before.cpuSystemMs),
    devServerMs: server0 && server1 ? server1.cpuMs - server0.cpuMs : undefined,
    benchMs: bench1 - bench0,
  };
  if (machine0 !== undefined && machine1 !== undefined) {
    cpu.machineLoad = (machine1 - machine0) / wallMs;
    cpu.otherMs = Math.max(0, machine1 - machine0 - cpu.workerMs - (cpu.devServerMs ?? 0) - cpu.benchMs);
  }

  // Not timed: what the plans ended as, and one plan's history.
  const sample = lastResults.filter((_, i) => i % Math.max(1, Math.floor(lastResults.length / 50)) === 0);
  let ok = 0;
  let detail = '';
  for (const { handle, last } of sample) {
    const problem = await target.check(handle, last);
    if (problem === undefined) ok++;
    else detail ||= `${handle.workflowId}: ${problem}`;
  }
  const history = lastResults.length ? await historySummary(lastResults[0].handle) : { events: 0, byType: {}, bytes: 0 };

  return {
    kind: target.kind,
    plans,
    warmupPlans: warmup,
    actionsPerPlan: TEN_ACTIONS.length,
    actions,
    failedPlans,
    errors,
    wallMs,
    actionsPerSec: actions / (wallMs / 1000),
    plansPerSec: (plans - failedPlans) / (wallMs / 1000),
    updateMs: distribution(updateMs),
    updateMsByAction: TEN_ACTIONS.map((c, a) => {
      const d = distribution(byAction[a]);
      return { action: c.action, p50: d.p50, p95: d.p95 };
    }),
    startMs: distribution(startMs),
    cpu,
    workerCpuMsPerAction: actions ? cpu.workerMs / actions : 0,
    devServerCpuMsPerAction: cpu.devServerMs !== undefined && actions ? cpu.devServerMs / actions : undefined,
    worker: { before, after, maxCachedWorkflows: worker.ready.maxCachedWorkflows, bundleMs: worker.ready.bundleMs },
    history,
    check: { sampled: sample.length, ok, detail },
  };
}

export interface LiveTarget {
  kind: 'engine' | 'bare';
  taskQueue: string;
  start(client: Client, workflowId: string): Promise<unknown>;
}

/** Engine plans that open a durable timer in their first workflow task: a central plan's matching plan (S1). */
export function engineLive(def: ProcessDefinition, taskQueue: string): LiveTarget {
  return {
    kind: 'engine',
    taskQueue,
    start: (client, workflowId) => client.workflow.start<typeof procedureWorkflow>(PROCEDURE_WORKFLOW, { taskQueue, workflowId, args: [liveInput(def)] }),
  };
}

/** Bare workflows waiting for their Updates with a durable timer open (180 days). */
export function bareLive(taskQueue: string): LiveTarget {
  return {
    kind: 'bare',
    taskQueue,
    start: (client, workflowId) =>
      client.workflow.start<typeof bareWorkflow>(BARE_WORKFLOW, { taskQueue, workflowId, args: [TEN_ACTIONS.length, 180 * 24 * 3600 * 1000] }),
  };
}

export interface LiveResult {
  kind: 'engine' | 'bare';
  instances: number;
  started: number;
  failedStarts: number;
  errors: string[];
  startWallMs: number;
  startsPerSec: number;
  startMs: Distribution;
  /** From the first start until the server had every instance running and no first task waiting. */
  settledMs?: number;
  settled: boolean;
  runningCount?: number;
  /** A sample described after settling: no workflow task pending and a timer in the history. */
  sample: { described: number; firstTaskDone: number; historiesRead: number; withTimer: number };
  worker: {
    maxCachedWorkflows: number;
    bundleMs: number;
    idle: WorkerStats;
    loaded: WorkerStats;
    rssDeltaPerInstance: number;
    rssDeltaPerCached?: number;
    /** Least-squares slope of RSS (and heap) over cached workflows, from the samples: memory per cached plan without the one-time costs. */
    rssPerCachedSlope?: number;
    heapPerCachedSlope?: number;
    /** Worker CPU per started plan: its first workflow task, from module loading to the timer. */
    cpuMsPerStart: number;
  };
  /** The worker's memory once a second while the plans were started and settled. */
  samples: MemorySample[];
  devServer?: { rss: number; cpuMs: number };
  /** CPU used by other processes on the machine from the first start until settled (noise). */
  otherCpuMs?: number;
  /** Set when the worker process failed during the phase. */
  workerError?: string;
}

export interface MemorySample {
  tMs: number;
  started: number;
  cached: number;
  rss: number;
  heapUsed: number;
}

/** Slope of y over x by least squares; undefined when x does not vary. */
function slope(points: Array<[number, number]>): number | undefined {
  if (points.length < 3) return undefined;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  return sxx > 0 ? sxy / sxx : undefined;
}

async function backlog(ctx: PhaseContext, taskQueue: string): Promise<number | undefined> {
  try {
    const res = await ctx.client.connection.workflowService.describeTaskQueue({
      namespace: ctx.namespace,
      taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      reportStats: true,
    });
    const n = res.stats?.approximateBacklogCount;
    return n === undefined || n === null ? 0 : Number(n);
  } catch {
    return undefined;
  }
}

async function runningCount(ctx: PhaseContext, taskQueue: string): Promise<number | undefined> {
  try {
    const { count } = await ctx.client.workflow.count(`TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`);
    return count;
  } catch {
    return undefined;
  }
}

/**
 * Starts `instances` engine plans that open a durable timer in their first workflow task and
 * take no Updates; measures the start rate and, once the server shows them all running with no
 * first task left waiting, the worker's memory.
 */
export async function runLive(ctx: PhaseContext, target: LiveTarget, worker: WorkerProcess, instances: number, settleTimeoutMs = 15 * 60_000): Promise<LiveResult> {
  const { kind, taskQueue } = target;
  const idle = await worker.stats(true);
  const errors: string[] = [];
  let failedStarts = 0;
  const startMs: number[] = [];
  const ids: string[] = [];
  const run = Date.now().toString(36);
  const server0 = processUsage(ctx.devServerPid);
  const machine0 = machineBusyMs();
  const bench0 = ownCpuMs();

  ctx.log(`live ${kind}: starting ${instances} instances with an open timer, ${ctx.concurrency} at a time`);
  const t0 = performance.now();
  const progress = setInterval(() => ctx.log(`live ${kind}: ${ids.length}/${instances} started`), 10_000);
  const samples: MemorySample[] = [];
  const sampler = setInterval(() => {
    worker.stats().then(
      (s) => samples.push({ tMs: performance.now() - t0, started: ids.length, cached: s.numCachedWorkflows, rss: s.rss, heapUsed: s.heapUsed }),
      () => undefined,
    );
  }, 1000);
  try {
    await pool(instances, ctx.concurrency, async (i) => {
      const workflowId = `bench-live-${kind}-${run}-${i}`;
      try {
        const t = performance.now();
        await target.start(ctx.client, workflowId);
        startMs.push(performance.now() - t);
        ids.push(workflowId);
      } catch (err) {
        failedStarts++;
        if (errors.length < 5) errors.push(`${workflowId}: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  } finally {
    clearInterval(progress);
  }
  const startWallMs = performance.now() - t0;
  ctx.log(`live ${kind}: ${ids.length} started in ${(startWallMs / 1000).toFixed(1)} s; waiting for their first workflow tasks`);

  // Settled: visibility shows every one running, the task queue has no backlog and the worker
  // has no activation in flight — twice in a row, half a second apart.
  let settledMs: number | undefined;
  let lastStats: WorkerStats = idle;
  // If the worker process dies (say, out of memory), report what was seen up to then.
  let workerError: string | undefined;
  const statsOrLast = (gc = false) =>
    worker.stats(gc).catch((err: unknown) => {
      workerError ??= err instanceof Error ? err.message : String(err);
      return lastStats;
    });
  let lastCount: number | undefined;
  let streak = 0;
  let lastLog = Date.now();
  while (performance.now() - t0 < settleTimeoutMs && worker.alive) {
    const [count, waiting, stats] = await Promise.all([runningCount(ctx, taskQueue), backlog(ctx, taskQueue), worker.stats().catch(() => undefined)]);
    if (!stats) break;
    lastStats = stats;
    lastCount = count;
    const quiet = count === ids.length && waiting === 0 && stats.numInFlightWorkflowActivations === 0;
    streak = quiet ? streak + 1 : 0;
    if (streak === 1) settledMs = performance.now() - t0;
    if (streak >= 2) break;
    if (Date.now() - lastLog > 10_000) {
      ctx.log(`live ${kind}: running ${count ?? '?'}/${ids.length}, backlog ${waiting ?? '?'}, in flight ${stats.numInFlightWorkflowActivations}, cached ${stats.numCachedWorkflows}`);
      lastLog = Date.now();
    }
    await sleep(500);
  }
  const settled = streak >= 2;
  clearInterval(sampler);
  const machine1 = machineBusyMs();
  const bench1 = ownCpuMs();
  const settledStats = await statsOrLast();
  const serverSettled = processUsage(ctx.devServerPid);
  const otherCpuMs =
    machine0 !== undefined && machine1 !== undefined && server0 && serverSettled
      ? Math.max(0, machine1 - machine0 - (bench1 - bench0) - (serverSettled.cpuMs - server0.cpuMs) - (settledStats.cpuUserMs + settledStats.cpuSystemMs - idle.cpuUserMs - idle.cpuSystemMs))
      : undefined;

  // Not timed: a spread sample, described (no workflow task pending?) and a few histories read (timer started?).
  const step = Math.max(1, Math.floor(ids.length / 200));
  const sampleIds = [...ids.filter((_, i) => i % step === 0), ...ids.slice(-5)];
  let firstTaskDone = 0;
  await pool(sampleIds.length, 10, async (i) => {
    try {
      const d = await ctx.client.workflow.getHandle(sampleIds[i]).describe();
      if (!d.raw.pendingWorkflowTask && d.historyLength >= 5) firstTaskDone++;
    } catch {
      // counted as not done
    }
  });
  let withTimer = 0;
  const historyIds = sampleIds.slice(-5);
  for (const id of historyIds) {
    const h = await ctx.client.workflow.getHandle(id).fetchHistory();
    if ((h.events ?? []).some((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED)) withTimer++;
  }

  await sleep(1000);
  const loaded = await statsOrLast(true);
  const server1 = processUsage(ctx.devServerPid);
  const rssDelta = loaded.rss - idle.rss;
  // Growth only: leave out the first second (one-time loading) and the points where the cache was full.
  const growing = samples.filter((p) => p.cached > 0 && p.cached < worker.ready.maxCachedWorkflows && p.tMs > 1000);
  return {
    kind,
    instances,
    started: ids.length,
    failedStarts,
    errors,
    startWallMs,
    startsPerSec: ids.length / (startWallMs / 1000),
    startMs: distribution(startMs),
    settledMs,
    settled,
    runningCount: lastCount,
    sample: { described: sampleIds.length, firstTaskDone, historiesRead: historyIds.length, withTimer },
    worker: {
      maxCachedWorkflows: worker.ready.maxCachedWorkflows,
      bundleMs: worker.ready.bundleMs,
      idle,
      loaded,
      rssDeltaPerInstance: ids.length ? rssDelta / ids.length : 0,
      rssDeltaPerCached: loaded.numCachedWorkflows ? rssDelta / loaded.numCachedWorkflows : undefined,
      rssPerCachedSlope: slope(growing.map((p) => [p.cached, p.rss])),
      heapPerCachedSlope: slope(growing.map((p) => [p.cached, p.heapUsed])),
      cpuMsPerStart: ids.length ? (loaded.cpuUserMs + loaded.cpuSystemMs - idle.cpuUserMs - idle.cpuSystemMs) / ids.length : 0,
    },
    samples,
    devServer: server1 && server0 ? { rss: server1.rss, cpuMs: server1.cpuMs - server0.cpuMs } : undefined,
    otherCpuMs,
    workerError: workerError ?? (worker.alive ? undefined : `worker process exited (${worker.child.exitCode ?? worker.child.signalCode})`),
  };
}
