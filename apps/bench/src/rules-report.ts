import { mib } from './stats';
import { f, int, table } from './text-table';

/** Issue 7's aim for compileRules of the generated 2,000-stage ruleset (median of the warm runs). */
export const COMPILE_AIM_MS = 500;

/** What `npm run bench:rules` measures, as written to bench-results/rules-<timestamp>.json. */
export interface Timing {
  runs: number;
  medianMs: number;
  minMs: number;
  meanMs: number;
}

export interface CompileMemory {
  /** The first compileRules in a fresh child process (cold: no JIT warm-up). */
  coldMs: number;
  rssBefore: number;
  /** process.resourceUsage().maxRSS after the compile: the child's peak resident memory. */
  maxRss: number;
  /** Peak RSS minus the RSS before the compile (modules loaded, text read, after a GC). */
  peakGrowth: number;
  heapBefore: number;
  /** Heap used straight after the compile, garbage included. */
  heapAfter: number;
  /** Heap used after a GC with the result still held: what the compiled ruleset keeps. */
  heapRetained: number;
}

export interface CompileResult {
  ruleset: 'standard' | 'generated';
  files: number;
  procedures: number;
  stages: number;
  deadlines: number;
  lines: number;
  bytes: number;
  errors: number;
  warnings: number;
  /** parseRules of every file. */
  parse: Timing;
  /** compileRules: parse, check and compile (and the definition schema) of every file. */
  compile: Timing;
  memory?: CompileMemory;
}

/** `reform rules check` of one big file with thousands of unknown names (rules-generate.ts). */
export interface CheckResult {
  bytes: number;
  lines: number;
  declaredEvents: number;
  unknownNames: number;
  /** Diagnostics shown (the cap) and how many of them carry a did-you-mean hint. */
  diagnostics: number;
  withHints: number;
  /** compileRules of the file. */
  check: Timing;
  /** parseRules of the file. */
  parse: Timing;
}

export interface EvalRow {
  engine: string;
  mode: string;
  passes: number;
  snapshots: number;
  /** Wall time per snapshot, median over the passes. */
  usPerSnapshot: number;
  /** Process CPU time (all threads) per snapshot, same pass. */
  cpuUsPerSnapshot: number;
  /** Answers that differ from the engine's own (libs/engine/machine) answer. */
  mismatches: number;
  examples: string[];
  /** Per snapshot, over the engine's; filled in at the end. */
  ratio?: number;
  heapAfter: number;
  rssAfter: number;
}

export interface RulesBenchResults {
  bench: 'rules';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  options: Record<string, unknown>;
  environment: {
    node: string;
    platform: string;
    cpus: number;
    cpuModel: string;
    totalMemory: number;
    loadAverageAtStart: number[];
    gitHead?: string;
    jsonRulesEngine: string;
    zenEngine: string;
  };
  compile: CompileResult[];
  check?: CheckResult;
  evaluation?: {
    procedure: string;
    deadlines: number;
    ladderLevels: number;
    snapshots: number;
    seed: number;
    generateMs: number;
    buildMs: { compiled: number; jre: number; zen: number };
    answers: { deadlines: number; open: number; letters: number; snapshotsWithLetters: number; byLetter: Record<string, number> };
    rows: EvalRow[];
    target: number;
  };
  maxRss: number;
  notes: string[];
  problems: string[];
}

export const RATIO_TARGET = 10;


export function rulesSummary(r: RulesBenchResults): string {
  const out: string[] = [];
  const e = r.environment;
  out.push(`Reform Loop rules bench  ${r.startedAt}  (${f(r.durationMs / 1000, 0)} s in all)${r.options.quick ? '  QUICK (smoke run)' : ''}`);
  out.push(
    `node ${e.node}, ${e.platform}, ${e.cpus} CPU (${e.cpuModel}), ${f(mib(e.totalMemory) / 1024, 1)} GiB; load average at start ${e.loadAverageAtStart.map((x) => f(x, 2)).join(' ')}; git ${e.gitHead ?? '?'}`,
  );
  out.push(`json-rules-engine ${e.jsonRulesEngine}, @gorules/zen-engine ${e.zenEngine}`);

  out.push('', 'Compile: parseRules of every file, and compileRules (parse + check + compile + definition schema), after warm-up, per run');
  out.push(
    table(
      ['ruleset', 'files', 'procedures', 'stages', 'deadlines', 'lines', 'KiB', 'runs', 'parse p50 ms', 'parse min ms', 'compile p50 ms', 'compile min ms', 'check+compile ms', 'errors', 'warnings'],
      r.compile.map((c) => [
        c.ruleset,
        int(c.files),
        int(c.procedures),
        int(c.stages),
        int(c.deadlines),
        int(c.lines),
        f(c.bytes / 1024),
        int(c.compile.runs),
        f(c.parse.medianMs, 2),
        f(c.parse.minMs, 2),
        f(c.compile.medianMs, 2),
        f(c.compile.minMs, 2),
        f(c.compile.minMs - c.parse.minMs, 2),
        int(c.errors),
        int(c.warnings),
      ]),
    ),
  );
  out.push('(check+compile = compile min − parse min: the minimums are the least disturbed by other processes; every run is in the JSON as mean/median/min)');
  const generated = r.compile.find((c) => c.ruleset === 'generated');
  if (generated) {
    const p50 = generated.compile.medianMs;
    out.push(`generated ruleset: compileRules p50 ${f(p50, 0)} ms — aim ≤ ${COMPILE_AIM_MS} ms: ${p50 <= COMPILE_AIM_MS ? 'met' : 'NOT met'} (a busy machine's figure says little: see the load average above)`);
  }
  const withMemory = r.compile.filter((c) => c.memory);
  if (withMemory.length) {
    out.push('', 'Memory: one cold compileRules in a fresh child process (MiB)');
    out.push(
      table(
        ['ruleset', 'cold compile ms', 'RSS before', 'peak RSS', 'peak growth', 'heap before', 'heap after', 'heap retained'],
        withMemory.map((c) => {
          const m = c.memory!;
          return [c.ruleset, f(m.coldMs), f(mib(m.rssBefore)), f(mib(m.maxRss)), f(mib(m.peakGrowth)), f(mib(m.heapBefore)), f(mib(m.heapAfter)), f(mib(m.heapRetained))];
        }),
      ),
    );
  }

  const c = r.check;
  if (c) {
    out.push('', 'Check: compileRules of one file with thousands of unknown names, after warm-up, per run');
    out.push(
      table(
        ['KiB', 'lines', 'declared events', 'unknown names', 'shown', 'with hints', 'runs', 'parse p50 ms', 'check p50 ms', 'check min ms'],
        [[f(c.bytes / 1024), int(c.lines), int(c.declaredEvents), int(c.unknownNames), int(c.diagnostics), int(c.withHints), int(c.check.runs), f(c.parse.medianMs, 1), f(c.check.medianMs, 1), f(c.check.minMs, 1)]],
      ),
    );
  }

  const ev = r.evaluation;
  if (ev) {
    out.push(
      '',
      `Deadline evaluation: ${ev.procedure} (${ev.deadlines} deadlines, ${ev.ladderLevels} ladder levels), ${int(ev.snapshots)} plan snapshots (seed ${ev.seed}, generated in ${f(ev.generateMs / 1000, 1)} s)`,
    );
    out.push(
      table(
        ['engine', 'mode', 'passes', 'µs/snapshot', 'ns/snapshot', 'CPU µs/snapshot', '× engine', 'mismatches', 'heap after MiB', 'RSS after MiB'],
        ev.rows.map((row) => [
          row.engine,
          row.mode,
          int(row.passes),
          f(row.usPerSnapshot, 2),
          int(row.usPerSnapshot * 1000),
          f(row.cpuUsPerSnapshot, 2),
          row.ratio === undefined ? '' : f(row.ratio, 1),
          int(row.mismatches),
          f(mib(row.heapAfter)),
          f(mib(row.rssAfter)),
        ]),
      ),
    );
    const engine = ev.rows[0];
    const rivals = ev.rows.filter((x) => /json-rules-engine|zen/.test(x.engine));
    const slowest = Math.min(...rivals.map((x) => x.ratio ?? Infinity));
    out.push(
      `the engine's own evaluation vs the others: ${rivals.map((x) => `${x.engine} ${x.mode} ${f(x.ratio, 1)}×`).join(', ')}` +
        ` — aim ≥ ${ev.target}×: ${slowest >= ev.target ? 'met' : 'NOT met'} (smallest ${f(slowest, 1)}×)`,
    );
    const all = ev.rows.reduce((n, x) => n + x.mismatches, 0);
    out.push(
      `answers: ${int(ev.answers.deadlines)} deadline answers (${int(ev.answers.open)} open), ${int(ev.answers.letters)} letters due today in ${int(ev.answers.snapshotsWithLetters)} snapshots; ` +
        (all === 0 ? `every engine gave the engine's own answer on every snapshot (0 mismatches)` : `${int(all)} MISMATCHES (see Problems)`),
    );
    out.push(`letters due today by deadline and kind: ${Object.entries(ev.answers.byLetter).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    out.push(
      `one-off costs (ms): the engine compiles the deadlines to closures ${f(ev.buildMs.compiled, 2)}, ` +
        `JRE rules + engine ${f(ev.buildMs.jre, 1)}, zen JDM graph + createDecision ${f(ev.buildMs.zen, 1)}; engine µs/snapshot = ${f(engine.usPerSnapshot, 2)}`,
    );
  }
  out.push('', `Peak memory of this process (maxRSS): ${f(mib(r.maxRss))} MiB`);
  if (r.notes.length) out.push('', 'Notes:', ...r.notes.map((n) => `  - ${n}`));
  if (r.problems.length) out.push('', 'Problems:', ...r.problems.map((p) => `  - ${p}`));
  return out.join('\n');
}
