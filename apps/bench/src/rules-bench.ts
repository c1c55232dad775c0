import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import { ProcessDefinition } from '@reform/definitions';
import { compiledDeadlines } from '@reform/machine';
import { readRulesDir, STANDARD_RULES_DIR } from '@reform/procedures';
import { compileRules, MAX_DIAGNOSTICS, parseRules, RulesInput } from '@reform/rules';
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { int, optionsOrExit } from './options';
import { generateRules, generateUnknownNames } from './rules-generate';
import { evaluateJre, jreEngine } from './rules-jre';
import { Answer, engineAnswer, PlanSnapshot, reformPlanSnapshots } from './rules-model';
import { CheckResult, CompileMemory, CompileResult, EvalRow, RATIO_TARGET, RulesBenchResults, rulesSummary, Timing } from './rules-report';
import { evaluateZen, zenRules } from './rules-zen';
import { saveResults } from './results-file';

/**
 * npm run bench:rules — the rules language's compile times (the standard rules, and a generated
 * ruleset of 2,000 stages and 5,000 deadlines) with peak memory, the check of a 550 KB file with
 * thousands of unknown names, and the deadline evaluation of plan snapshots by the engine's own
 * code (libs/engine/machine: the headline row) against the same rules in json-rules-engine and in
 * GoRules zen. A benchmark, not a test: it asserts nothing about time; it does check that every
 * engine gives the engine's own answer on every snapshot, that both rulesets compile with no
 * error and that the check shows the capped diagnostics (exit code 1 otherwise, after the
 * results are written).
 */
const ROOT = resolve(__dirname, '../../..');
const CHILD_FLAG = '--rules-bench-child';
const SEED = 20260101;
const GENERATED = { procedures: 20, stagesPer: 100, deadlinesPer: 250 };

const USAGE = `npm run bench:rules -- [options]

  --snapshots N   plan snapshots evaluated by each engine (default 100000; --quick 3000)
  --runs N        compileRules runs of the standard rules (default 200; --quick 20);
                  the generated ruleset gets a twentieth of them (at least 2; --quick 1),
                  the check of the unknown-names file as many (at least 3; --quick 2)
  --passes N      timed passes of the engine over all snapshots (default 5; --quick 3)
  --batch N       evaluations in flight in the batched modes (default 1000)
  --no-memory     skip the child processes that measure a cold compile's memory
  --out DIR       where results go (default bench-results)
  --quick         a smoke run (~1 min on a quiet machine)
  --help`;

interface Options {
  snapshots: number;
  runs: number;
  passes: number;
  batch: number;
  memory: boolean;
  out: string;
  quick: boolean;
}

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      snapshots: { type: 'string' },
      runs: { type: 'string' },
      passes: { type: 'string' },
      batch: { type: 'string' },
      'no-memory': { type: 'boolean', default: false },
      out: { type: 'string' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? false;
  const n = (name: string, v: string | undefined, fallback: number) => int(name, v, fallback, 1);
  return {
    snapshots: n('snapshots', values.snapshots, quick ? 3_000 : 100_000),
    runs: n('runs', values.runs, quick ? 20 : 200),
    passes: n('passes', values.passes, quick ? 3 : 5),
    batch: n('batch', values.batch, 1000),
    memory: !values['no-memory'],
    out: values.out ?? 'bench-results',
    quick,
  };
}

const log = (line: string) => console.log(`[bench:rules] ${new Date().toISOString().slice(11, 19)} ${line}`);

/** A collector that works whether or not node was started with --expose-gc. */
const gc: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

function gitHead(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

const versionOf = (pkg: string): string => {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
};

function timing(ms: number[]): Timing {
  const sorted = [...ms].sort((a, b) => a - b);
  return { runs: ms.length, medianMs: sorted[Math.floor((sorted.length - 1) / 2)], minMs: sorted[0], meanMs: ms.reduce((s, x) => s + x, 0) / ms.length };
}

// ---------------------------------------------------------------------------------------------
// Compile.

function rulesetInputs(which: 'standard' | 'generated'): RulesInput[] {
  return which === 'standard' ? readRulesDir(STANDARD_RULES_DIR) : generateRules(GENERATED.procedures, GENERATED.stagesPer, GENERATED.deadlinesPer).inputs;
}

function compileBench(which: 'standard' | 'generated', inputs: RulesInput[], runs: number, warmup: number): { result: CompileResult; definitions?: ProcessDefinition[] } {
  const once = compileRules(inputs);
  const defs = once.definitions ?? [];
  const text = inputs.map((i) => i.text).join('\n');
  // Parse-only and full runs alternate, so that noise from other processes falls on both alike.
  const parseOnly = () => inputs.forEach((i) => parseRules(i.text));
  const full = () => compileRules(inputs);
  for (let i = 0; i < warmup; i++) {
    parseOnly();
    full();
  }
  gc();
  const parseMs: number[] = [];
  const compileMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    parseOnly();
    parseMs.push(performance.now() - t);
    t = performance.now();
    full();
    compileMs.push(performance.now() - t);
  }
  gc();
  return {
    definitions: once.definitions,
    result: {
      ruleset: which,
      files: inputs.length,
      procedures: defs.length,
      stages: defs.reduce((n, d) => n + d.stages.length, 0),
      deadlines: defs.reduce((n, d) => n + d.deadlines.length, 0),
      lines: text.split('\n').length,
      bytes: Buffer.byteLength(text),
      errors: once.diagnostics.filter((d) => d.severity === 'error').length,
      warnings: once.diagnostics.filter((d) => d.severity === 'warning').length,
      parse: timing(parseMs),
      compile: timing(compileMs),
    },
  };
}

/** `reform rules check` of one big file with thousands of unknown names; the cap and the hints checked. */
function checkBench(runs: number, problems: string[]): CheckResult {
  const big = generateUnknownNames();
  const once = compileRules([big.input]);
  const parseMs: number[] = [];
  const checkMs: number[] = [];
  compileRules([big.input]);
  gc();
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    parseRules(big.input.text);
    parseMs.push(performance.now() - t);
    t = performance.now();
    compileRules([big.input]);
    checkMs.push(performance.now() - t);
  }
  const shown = once.diagnostics;
  if (shown.length !== MAX_DIAGNOSTICS || shown[shown.length - 1].code !== 'too-many-errors' || shown.slice(0, -1).some((d) => d.code !== 'unknown-name')) {
    problems.push(`check of the unknown-names file: expected ${MAX_DIAGNOSTICS - 1} unknown-name diagnostics and the too-many-errors notice, got ${shown.map((d) => d.code).join(', ')}`);
  }
  return {
    bytes: big.bytes,
    lines: big.input.text.split('\n').length - 1,
    declaredEvents: big.declaredEvents,
    unknownNames: big.unknownNames,
    diagnostics: shown.length,
    withHints: shown.filter((d) => d.hint).length,
    parse: timing(parseMs),
    check: timing(checkMs),
  };
}

/** In a child process: one cold compile, and the memory it takes. */
function compileMemoryChild(which: 'standard' | 'generated'): void {
  const inputs = rulesetInputs(which);
  gc();
  const before = process.memoryUsage();
  const t = performance.now();
  const result = compileRules(inputs);
  const coldMs = performance.now() - t;
  const after = process.memoryUsage();
  const maxRss = process.resourceUsage().maxRSS * 1024;
  gc();
  const retained = process.memoryUsage().heapUsed;
  const m: CompileMemory = {
    coldMs,
    rssBefore: before.rss,
    maxRss,
    peakGrowth: maxRss - before.rss,
    heapBefore: before.heapUsed,
    heapAfter: after.heapUsed,
    heapRetained: retained,
  };
  process.send!({ memory: m, ok: !!result.definitions }, () => process.exit(0));
}

function compileMemory(which: 'standard' | 'generated'): Promise<CompileMemory> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(join(__dirname, 'rules-bench.ts'), [CHILD_FLAG, which], {
      cwd: ROOT,
      execArgv: ['--require', require.resolve('tsx/cjs'), '--expose-gc'],
      env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let got: CompileMemory | undefined;
    child.on('message', (msg: { memory: CompileMemory }) => (got = msg.memory));
    child.on('error', reject);
    child.on('exit', (code) => (got ? resolvePromise(got) : reject(new Error(`memory child for ${which} exited (${code}) without a result`))));
  });
}

// ---------------------------------------------------------------------------------------------
// Evaluation.

interface Pass {
  wallMs: number;
  cpuMs: number;
  answers: Answer[];
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function syncPass(snaps: PlanSnapshot[], fn: (s: PlanSnapshot) => Answer): Pass {
  const answers: Answer[] = new Array(snaps.length);
  const c = cpuMs();
  const t = performance.now();
  for (let i = 0; i < snaps.length; i++) answers[i] = fn(snaps[i]);
  return { wallMs: performance.now() - t, cpuMs: cpuMs() - c, answers };
}

async function sequentialPass(snaps: PlanSnapshot[], fn: (s: PlanSnapshot) => Promise<Answer>): Promise<Pass> {
  const answers: Answer[] = new Array(snaps.length);
  const c = cpuMs();
  const t = performance.now();
  for (let i = 0; i < snaps.length; i++) answers[i] = await fn(snaps[i]);
  return { wallMs: performance.now() - t, cpuMs: cpuMs() - c, answers };
}

async function batchedPass(snaps: PlanSnapshot[], batch: number, fn: (s: PlanSnapshot) => Promise<Answer>): Promise<Pass> {
  const answers: Answer[] = new Array(snaps.length);
  const c = cpuMs();
  const t = performance.now();
  for (let from = 0; from < snaps.length; from += batch) {
    const part = await Promise.all(snaps.slice(from, from + batch).map(fn));
    part.forEach((a, i) => (answers[from + i] = a));
  }
  return { wallMs: performance.now() - t, cpuMs: cpuMs() - c, answers };
}

function row(engine: string, mode: string, passes: Pass[], reference: string[], snaps: PlanSnapshot[]): EvalRow {
  const byWall = [...passes].sort((a, b) => a.wallMs - b.wallMs);
  const median = byWall[Math.floor((byWall.length - 1) / 2)];
  let mismatches = 0;
  const examples: string[] = [];
  const last = passes[passes.length - 1].answers;
  for (let i = 0; i < reference.length; i++) {
    const got = JSON.stringify(last[i]);
    if (got !== reference[i]) {
      mismatches++;
      if (examples.length < 3) examples.push(`snapshot ${i} ${JSON.stringify(snaps[i])}: expected ${reference[i]}, got ${got}`);
    }
  }
  for (const p of passes) p.answers = [];
  const mem = process.memoryUsage();
  const n = reference.length;
  return {
    engine,
    mode,
    passes: passes.length,
    snapshots: n,
    usPerSnapshot: (median.wallMs * 1000) / n,
    cpuUsPerSnapshot: (median.cpuMs * 1000) / n,
    mismatches,
    examples,
    heapAfter: mem.heapUsed,
    rssAfter: mem.rss,
  };
}

function answerStats(all: Answer[]): NonNullable<RulesBenchResults['evaluation']>['answers'] {
  const flat = all.flat();
  const byLetter: Record<string, number> = {};
  for (const a of flat) for (const l of a.letters) byLetter[`${a.id}:${l}`] = (byLetter[`${a.id}:${l}`] ?? 0) + 1;
  return {
    deadlines: flat.length,
    open: flat.filter((a) => a.open).length,
    letters: flat.reduce((n, a) => n + a.letters.length, 0),
    snapshotsWithLetters: all.filter((a) => a.some((d) => d.letters.length)).length,
    byLetter,
  };
}

async function evaluationBench(def: ProcessDefinition, opts: Options, results: RulesBenchResults, outDir: string): Promise<void> {
  const calendar = SHIPPED_HOLIDAYS;
  log(`generating ${opts.snapshots.toLocaleString('en-US')} reform_plan snapshots`);
  let t = performance.now();
  const snaps = reformPlanSnapshots(def, calendar, opts.snapshots, SEED);
  const generateMs = performance.now() - t;

  log('the engine’s own evaluation (libs/engine/machine compiled deadlines: applyEvent + nextStep + limitOf): the reference and the headline row');
  const engineOne = (s: PlanSnapshot) => engineAnswer(def, calendar, s);
  const refPass = syncPass(snaps, engineOne);
  const reference = refPass.answers.map((a) => JSON.stringify(a));
  const answers = answerStats(refPass.answers);
  refPass.answers = [];
  const warm = snaps.slice(0, Math.min(2000, Math.ceil(snaps.length / 10)));

  // What the engine compiles once per definition (cached with it): timed on a copy, since the
  // reference pass has compiled the definition itself already.
  const copy = { ...def, deadlines: def.deadlines.map((d) => ({ ...d })) };
  t = performance.now();
  compiledDeadlines(copy);
  const compiledMs = performance.now() - t;
  t = performance.now();
  const jre = jreEngine(def, calendar);
  const order = new Map(def.deadlines.map((d, i) => [d.id, i]));
  const jreMs = performance.now() - t;
  t = performance.now();
  const zen = zenRules(def, calendar);
  const zenMs = performance.now() - t;
  writeFileSync(join(outDir, 'rules-latest-zen-graph.json'), JSON.stringify(zen.graph, null, 2) + '\n');
  writeFileSync(join(outDir, 'rules-latest-jre-rules.json'), JSON.stringify(jre.rules, null, 2) + '\n');

  const rows: EvalRow[] = [];
  const measure = async (engine: string, mode: string, passes: number, run: () => Pass | Promise<Pass>, warmup: () => unknown) => {
    gc();
    await warmup();
    const done: Pass[] = [];
    for (let i = 0; i < passes; i++) {
      gc();
      done.push(await run());
    }
    const r = row(engine, mode, done, reference, snaps);
    rows.push(r);
    log(`${engine} (${mode}): ${r.usPerSnapshot.toFixed(2)} µs/snapshot, ${r.mismatches} mismatches`);
  };

  log(`the engine: ${opts.passes} passes`);
  await measure(ENGINE_ROW, 'sync', opts.passes, () => syncPass(snaps, engineOne), () => warm.forEach(engineOne));
  log('json-rules-engine');
  const jreOne = (s: PlanSnapshot) => evaluateJre(jre, order, s);
  await measure(`json-rules-engine ${results.environment.jsonRulesEngine}`, 'sequential', 1, () => sequentialPass(snaps, jreOne), () => sequentialPass(warm, jreOne));
  await measure(`json-rules-engine ${results.environment.jsonRulesEngine}`, `batched ${opts.batch}`, 1, () => batchedPass(snaps, opts.batch, jreOne), () => batchedPass(warm, opts.batch, jreOne));
  log('GoRules zen');
  const zenOne = (s: PlanSnapshot) => evaluateZen(zen, s);
  await measure(`GoRules zen ${results.environment.zenEngine}`, 'sequential', 1, () => sequentialPass(snaps, zenOne), () => sequentialPass(warm, zenOne));
  await measure(`GoRules zen ${results.environment.zenEngine}`, `batched ${opts.batch}`, 1, () => batchedPass(snaps, opts.batch, zenOne), () => batchedPass(warm, opts.batch, zenOne));
  zen.engine.dispose();

  const base = rows[0].usPerSnapshot;
  for (const r of rows) r.ratio = r.usPerSnapshot / base;
  for (const r of rows) if (r.mismatches) results.problems.push(`${r.engine} (${r.mode}): ${r.mismatches} answers differ from the engine's own: ${r.examples.join(' | ')}`);
  const [jreSeq, jreBatch] = rows.filter((r) => r.engine.startsWith('json-rules-engine'));
  if (jreSeq && jreBatch && jreBatch.usPerSnapshot > jreSeq.usPerSnapshot) {
    results.notes.push(
      `json-rules-engine batched is ${(jreBatch.usPerSnapshot / jreSeq.usPerSnapshot).toFixed(1)}× slower than sequential: it is all JavaScript on one thread, so running ${opts.batch} at once only interleaves them at every await, with ${opts.batch} almanacs alive at once (heap ${(jreBatch.heapAfter / 2 ** 20).toFixed(0)} MiB after, and most of this process's peak RSS).`,
    );
  }
  results.evaluation = {
    procedure: def.id,
    deadlines: def.deadlines.length,
    ladderLevels: def.deadlines.reduce((n, d) => n + d.ladder.length, 0),
    snapshots: snaps.length,
    seed: SEED,
    generateMs,
    buildMs: { compiled: compiledMs, jre: jreMs, zen: zenMs },
    answers,
    rows,
    target: RATIO_TARGET,
  };
}

/** The headline row: what the product itself runs. */
const ENGINE_ROW = 'engine (libs/engine/machine compiled deadlines: applyEvent + nextStep + limitOf)';

const NOTES = [
  'The question, per snapshot (attributes + business events with dates + today): for each deadline of reform_plan that applies (its `when` on the attributes) and whose from-event is recorded, whether its current occurrence is open (a cadence: the occurrence after the last one met), its due date, and which letters of its ladder are issued today — with the engine’s ladder rules: a letter goes out on the later of its moment and the day the occurrence opened, a pre-due reminder whose day is after the due date is passed over, a letter’s limit counts from its issue day, "前函限期届满后" counts from the last letter sent.',
  'The engine (headline row, the ratios are over it): the engine’s own code, as the workflow, simulate and why run it — libs/engine/machine applyEvent over the events in date order (each opened occurrence a DeadlineState with its due date’s explanation), then nextStep/limitOf stepped until the next moment is after today, recorded with skipLevel/recordLetter. These evaluate through the engine’s compiled deadlines (compiled-deadlines.ts: each deadline of a definition compiled once into closures — condition, due formula, ladder moments and limits on day numbers — and kept with the definition object). Working days are counted through the calendar’s day table in libs/model/calendar (built per calendar and year, kept with the calendar). Its answers are the reference: every other row is compared with them on every snapshot (JSON of the whole answer).',
  'json-rules-engine: rules generated from the same definition (rules-latest-jre-rules.json): per deadline a status rule (the `when` as JRE all/any/not conditions on the attributes fact, and a custom `recorded` operator on the events fact) and per ladder level a letter rule (same conditions + fact `deadline`.open equal true + fact `ladder` equal {fact: today}). JRE has no date arithmetic: the dynamic facts `deadline` and `ladderDays` are JavaScript that reads the deadline definition on each call and counts with the engine’s own functions (dueOf, shiftedDate: the same day table as the engine). Priorities make the date facts run only for deadlines that apply and have started. Tuned in its favour: a plain property path resolver instead of JSONPath.',
  'GoRules zen: a JDM graph generated from the same definition (rules-latest-zen-graph.json): input → calendar node (holiday and make-up day lists as literals) → one expression node per deadline → answer node → output. Zen does all the date arithmetic itself from the raw snapshot: months with d(x).add(n, \'M\') (clamps to month end like the library), "next 30 June" by string building, working days by listing the next N calendar days and keeping weekdays not in the holiday list or in the make-up list (N = the longest span of that many working days, found at translation). Nothing is precomputed per snapshot. A day table cannot be handed to zen at a useful price: passing 2,557 dates in the context, or as a literal in the graph, cost 2–4 ms per evaluation when tried.',
  'zen evaluate is async and crosses N-API both ways (the snapshot is converted in, the result object out) on every call: that cost is part of its figure. "batched N" = Promise.all over N snapshots at a time; CPU µs counts every thread of this process, so zen’s batched CPU can exceed its wall time. Heap/RSS "after" are this process’s after each row, with the 100,000 snapshots and the reference answers (as JSON) held throughout.',
  'Snapshots: attributes drawn at 30% each; events follow the procedure (central plan issued, issued, filed, 0–3 half-year reports, 0–2 self-inspections and annual supervisions, retrospective) in 2025–2028; half the "todays" are aimed at a ladder moment of the plan so that letters fall due, the others are up to 400 days after the last event. Deterministic (seed).',
  'Compile: the standard rules are read once (readRulesDir) and compiled from memory; the generated ruleset (rules-generate.ts) has 20 procedures × 100 stages × 250 deadlines plus a shared file, using every construct of the standard rules; it must compile with zero errors. Memory: one cold compile per ruleset in a fresh child process, maxRSS from process.resourceUsage().',
];

async function bench(opts: Options): Promise<RulesBenchResults> {
  const started = new Date();
  const outDir = resolve(ROOT, opts.out);
  mkdirSync(outDir, { recursive: true });
  const results: RulesBenchResults = {
    bench: 'rules',
    startedAt: started.toISOString(),
    finishedAt: '',
    durationMs: 0,
    options: { ...opts },
    environment: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? '?',
      totalMemory: totalmem(),
      loadAverageAtStart: loadavg(),
      gitHead: gitHead(),
      jsonRulesEngine: versionOf('json-rules-engine'),
      zenEngine: versionOf('@gorules/zen-engine'),
    },
    compile: [],
    maxRss: 0,
    notes: [...NOTES],
    problems: [],
  };

  log('compile: the standard rules');
  const standard = compileBench('standard', rulesetInputs('standard'), opts.runs, Math.max(3, Math.ceil(opts.runs / 10)));
  results.compile.push(standard.result);
  log(`compile: a generated ruleset of ${GENERATED.procedures * GENERATED.stagesPer} stages and ${GENERATED.procedures * GENERATED.deadlinesPer} deadlines`);
  const genRuns = opts.quick ? 1 : Math.max(2, Math.ceil(opts.runs / 20));
  const generated = compileBench('generated', rulesetInputs('generated'), genRuns, opts.quick ? 0 : 1);
  results.compile.push(generated.result);
  for (const c of results.compile) {
    if (c.errors) results.problems.push(`${c.ruleset} rules: ${c.errors} compile errors`);
  }
  const g = generated.result;
  if (g.stages !== GENERATED.procedures * GENERATED.stagesPer || g.deadlines !== GENERATED.procedures * GENERATED.deadlinesPer) {
    results.problems.push(`generated ruleset compiled to ${g.stages} stages and ${g.deadlines} deadlines, not ${GENERATED.procedures * GENERATED.stagesPer} and ${GENERATED.procedures * GENERATED.deadlinesPer}`);
  }
  log('check: one file of about 550 KB with thousands of unknown names');
  results.check = checkBench(opts.quick ? 2 : Math.max(3, Math.ceil(opts.runs / 20)), results.problems);
  if (opts.memory) {
    for (const c of results.compile) {
      log(`memory: a cold compile of the ${c.ruleset} rules in a child process`);
      try {
        c.memory = await compileMemory(c.ruleset);
      } catch (err) {
        results.problems.push(`memory of ${c.ruleset}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  const def = standard.definitions?.find((d) => d.id === 'reform_plan');
  if (!def) results.problems.push('the standard rules did not compile to a reform_plan procedure: no evaluation');
  else await evaluationBench(def, opts, results, outDir);

  results.maxRss = process.resourceUsage().maxRSS * 1024;
  const busy = results.environment.loadAverageAtStart[0];
  if (busy > 0.5 * results.environment.cpus) {
    results.notes.push(
      `Other processes were busy (load average ${busy.toFixed(1)} on ${results.environment.cpus} CPUs at start): absolute times are noisy (compare wall with CPU µs); the ratios between engines, measured in the same run, are steadier. Run again on a quiet machine for absolute figures.`,
    );
  }
  const finished = new Date();
  results.finishedAt = finished.toISOString();
  results.durationMs = finished.getTime() - started.getTime();
  return results;
}

async function main(): Promise<number> {
  const opts = optionsOrExit(parseOptions, USAGE);
  if ('exit' in opts) return opts.exit;
  const results = await bench(opts);
  const text = rulesSummary(results);
  const files = saveResults('rules', results, ROOT, opts.out, text);
  console.log(`\n${text}\n`);
  log(`results written to ${files.map((f) => f.replace(`${ROOT}/`, '')).join(', ')}`);
  // Nothing about time is asserted; a ruleset that does not compile or an engine that answers
  // differently from the engine's own code is a failure.
  if (results.problems.length) log(`${results.problems.length} problem(s): see "Problems" above`);
  return results.problems.length ? 1 : 0;
}

if (process.argv[2] === CHILD_FLAG) {
  compileMemoryChild(process.argv[3] as 'standard' | 'generated');
} else {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`[bench:rules] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exit(1);
    },
  );
}
