import { explainShift, HolidayCalendar, HolidayCalendarSchema, localDateAt } from '@reform/calendar';
import { checkReferences, Command, CommandSchema, Plan, ProcessDefinition, ProcessDefinitionSchema, StartInputData, StartInputSchema } from '@reform/definitions';
import type { EngineActivities, LetterRequest } from '@reform/letters';
import {
  actBlockers,
  ActionEvent,
  applyEvent,
  buildMachine,
  dueOf,
  DeadlineState,
  LadderStep,
  nextLadderMove,
  nextWakeAt,
  partiesFor,
  planView,
  PlanSnapshot,
  planMigration,
  PlanView,
  recordLetter,
  recordLetterFailure,
  skipLevel,
  takeAction,
} from '@reform/machine';
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  log,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { initialTransition } from 'xstate';
import { guarded } from './guarded';
import { ACTION_REJECTED, actUpdate, calendarUpdate, migrateUpdate, snapshotQuery, viewQuery } from './messages';

const { issueLetter } = proxyActivities<EngineActivities>({
  startToCloseTimeout: '30 seconds',
  // A letter must go out in the end: retry without limit, backing off to once a minute.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Patch id: the main loop keeps one timer instead of one per wait (see the loop at the end). */
const SINGLE_WAKE_TIMER = 'single-wake-timer';
/**
 * Patch id: a migration counts deadlines again from the business events as they were recorded
 * (commit 8becdce), not from the log read through the version in force (which loses an event
 * whose action a later version renamed).
 */
const COUNT_FROM_RECORDED_EVENTS = 'count-from-recorded-events';
/** Patch id: an accepted action the machine did not take records nothing and fails the Update. */
const ACT_ONLY_IF_TAKEN = 'act-only-if-taken';
/** Patch id: a letter the store refused for good is recorded as failed and its level passed. */
const LETTER_FAILURE_RECORDED = 'letter-failure-recorded';

function reject(message: string, details: unknown[] = []): never {
  throw ApplicationFailure.create({ message, type: ACTION_REJECTED, nonRetryable: true, details });
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

/**
 * Runs any procedure definition for one plan: the machine built from the definition decides
 * which actions are legal, durable timers keep its deadlines, and letters go out through an
 * activity, once per (plan, deadline occurrence, level). The definition arrives in the input,
 * so a plan keeps the version it started with.
 */
export async function procedureWorkflow(raw: StartInputData): Promise<PlanView> {
  const parsed = StartInputSchema.safeParse(raw);
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(parsed.error.issues.map((i) => `${fieldPath(i.path)}: ${i.message}`).join('; '), 'InvalidInput');
  }
  const input = parsed.data;
  const checked = checkReferences(input.definition);
  if (!checked.value) {
    throw ApplicationFailure.nonRetryable(checked.diagnostics.map((d) => `definition.${d.path}: ${d.message}`).join('; '), 'InvalidDefinition');
  }
  // A plan keeps its version until the office moves it to another one (migrateUpdate).
  let def: ProcessDefinition = checked.value;
  let calendar: HolidayCalendar = input.calendar;
  const plan: Plan = input.plan;
  let machine = buildMachine(def);
  const { workflowId } = workflowInfo();

  const startEvents: Record<string, string> = {
    registered: input.registeredOn,
    ...Object.fromEntries(def.startEvents.map((e) => [e, input.startEvents[e] ?? input.registeredOn])),
  };
  let [snapshot] = initialTransition(machine, { attributes: input.attributes, events: startEvents });
  let deadlines: DeadlineState[] = [];
  // Every business event as it was recorded, under whichever version was in force then: what a
  // migration or a simulation counts deadlines again from.
  const recorded: PlanSnapshot['events'] = [];
  for (const [event, date] of Object.entries(startEvents)) {
    deadlines = applyEvent(def, calendar, deadlines, input.attributes, event, date);
    recorded.push({ event, date });
  }
  let changes = 0;
  const countFromRecorded = patched(COUNT_FROM_RECORDED_EVENTS);
  /** What an Update may change, to put back when its handler fails unexpectedly. */
  const planState = {
    save() {
      const saved = { def, calendar, machine, snapshot, deadlines, recordedLength: recorded.length, changes };
      return () => {
        ({ def, calendar, machine, snapshot, deadlines, changes } = saved);
        recorded.length = saved.recordedLength;
      };
    },
  };

  const state = () => ({ stage: String(snapshot.value), context: snapshot.context });
  const view = () => planView({ workflowId, def, calendar, plan, state: state(), deadlines, now: Date.now() });

  const toEvent = (cmd: Command): ActionEvent => {
    const today = localDateAt(Date.now());
    return { type: cmd.action, role: cmd.role, actor: cmd.actor, businessDate: cmd.businessDate ?? today, recordedOn: today, reason: cmd.reason, item: cmd.item };
  };

  setHandler(viewQuery, view);
  /** An Update that broke is logged for the operator (the clerk sees only that it did not take effect). */
  const reportBroken = (name: string) => (err: unknown) =>
    log.error(`更新 ${name} 处理时出错,方案保持原状`, { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  /** Histories before COUNT_FROM_RECORDED_EVENTS: the events read back from the log through the version in force. */
  const eventsFromLog = (): PlanSnapshot['events'] => {
    const actions = new Map(def.stages.flatMap((s) => s.actions.map((a) => [a.id, a] as const)));
    return [
      ...Object.entries(startEvents).map(([event, date]) => ({ event, date })),
      ...snapshot.context.log.flatMap((entry) => (actions.get(entry.action)?.records ?? []).map((event) => ({ event, date: entry.businessDate }))),
    ];
  };
  const snapshotOf = (): PlanSnapshot => ({
    workflowId,
    definition: def,
    calendar,
    attributes: snapshot.context.attributes,
    events: countFromRecorded ? [...recorded] : eventsFromLog(),
    deadlines,
    stage: state().stage,
    finished: snapshot.status === 'done',
  });
  // Queries leave no trace in history: adding one keeps old histories replaying.
  setHandler(snapshotQuery, snapshotOf);
  setHandler(
    actUpdate,
    guarded(planState, reportBroken('act'), (cmd) => {
      const event = toEvent(CommandSchema.parse(cmd));
      let taken = takeAction(def, calendar, machine, snapshot, deadlines, event);
      if (!taken) {
        // The validator accepts only what the machine takes (act-validator.spec.ts); should they
        // ever disagree, nothing is recorded. Histories before the patch applied the records anyway.
        if (patched(ACT_ONLY_IF_TAKEN)) reject('该操作未被流程接受,未作任何登记');
        taken = takeAction(def, calendar, machine, snapshot, deadlines, event, { evenIfIgnored: true })!;
      }
      ({ snapshot, deadlines } = taken);
      recorded.push(...taken.recorded);
      changes++;
      return view();
    }),
    {
      validator: (cmd) => {
        const parsedCmd = CommandSchema.safeParse(cmd);
        if (!parsedCmd.success) {
          reject(parsedCmd.error.issues.map((i) => `${fieldPath(i.path)}: ${i.message}`).join('; '));
        }
        const blockers = actBlockers(def, state(), toEvent(parsedCmd.data));
        if (blockers.length) reject(blockers.map((b) => b.message).join(';'), [blockers]);
      },
    },
  );

  setHandler(
    migrateUpdate,
    guarded(planState, reportBroken('migrate'), (req) => {
      const target = ProcessDefinitionSchema.parse(req.definition);
      const move = planMigration(snapshotOf(), target, req.policy, calendar);
      const entry = { stage: state().stage, action: 'migrate', role: 'reform_office', actor: req.actor, businessDate: localDateAt(Date.now()), recordedOn: localDateAt(Date.now()), reason: `由第${def.version}版迁移到第${target.version}版(${req.policy === 'keep' ? '保留原截止日期' : '按新规则重算截止日期'})` };
      def = target;
      machine = buildMachine(def);
      snapshot = machine.resolveState({ value: entry.stage, context: { ...snapshot.context, log: [...snapshot.context.log, entry] } });
      deadlines = move.deadlines;
      changes++;
      return move.changes;
    }),
    {
      validator: (req) => {
        const parsedDef = ProcessDefinitionSchema.safeParse(req.definition);
        if (!parsedDef.success) reject(parsedDef.error.issues.map((i) => `definition.${fieldPath(i.path)}: ${i.message}`).join('; '));
        const refs = checkReferences(parsedDef.data!);
        if (!refs.value) reject(refs.diagnostics.map((d) => `definition.${d.path}: ${d.message}`).join('; '));
        if (req.policy !== 'keep' && req.policy !== 'recompute') reject('截止日期处理方式应为 keep 或 recompute');
        const problems = planMigration(snapshotOf(), parsedDef.data!, req.policy, calendar).problems;
        if (problems.length) reject(problems.join(';'));
      },
    },
  );

  setHandler(
    calendarUpdate,
    guarded(planState, reportBroken('calendar'), (next) => {
      calendar = HolidayCalendarSchema.parse(next);
      const moved: Array<{ key: string; from: string; to: string }> = [];
      deadlines = deadlines.map((s) => {
        if (s.status !== 'open') return s;
        const shift = dueOf(def.deadlines.find((d) => d.id === s.deadlineId)!, s.anchor, s.occurrence, calendar);
        if (shift.result !== s.due) moved.push({ key: s.key, from: s.due, to: shift.result });
        return { ...s, due: shift.result, shift };
      });
      changes++;
      return moved;
    }),
    {
      validator: (next) => {
        const parsed = HolidayCalendarSchema.safeParse(next);
        if (!parsed.success) reject(parsed.error.issues.map((i) => `calendar.${fieldPath(i.path)}: ${i.message}`).join('; '));
      },
    },
  );

  const templateFor = (kind: string) => {
    const t = def.letterTemplates?.find((x) => x.kind === kind);
    return t ? { template: { subject: t.subject, paragraphs: t.paragraphs } } : {};
  };

  const letterFor = (step: LadderStep, issuedOn: string, limitUntil: string | undefined): LetterRequest => {
    const s = step.deadline;
    const d = def.deadlines.find((x) => x.id === s.deadlineId)!;
    const level = d.ladder[step.level];
    const previous = s.letters[s.letters.length - 1];
    return {
      idempotencyKey: `${workflowId}/${s.key}/${step.level}`,
      workflowId,
      procedure: { id: def.id, version: def.version, title: def.title },
      plan: { title: plan.title, leadUnit: plan.leadUnit, responsiblePerson: plan.responsiblePerson, specialGroup: plan.specialGroup },
      deadline: { key: s.key, id: d.id, label: d.label, source: d.source, anchor: s.anchor, due: s.due, explanation: explainShift(s.shift) },
      level: step.level,
      kind: level.kind,
      source: level.source,
      to: partiesFor(def, plan, level.to),
      cc: partiesFor(def, plan, level.cc),
      issuedOn,
      limitUntil,
      previous: previous && { kind: previous.kind, number: previous.number, issuedOn: previous.issuedOn, limitUntil: previous.limitUntil },
      ...templateFor(level.kind),
    };
  };

  const update = (key: string, f: (s: DeadlineState) => DeadlineState) => {
    deadlines = deadlines.map((s) => (s.key === key ? f(s) : s));
  };

  /** Sends every letter whose moment has come, earliest first; a stale reminder is passed over. */
  const fireDueLetters = async () => {
    for (;;) {
      const move = nextLadderMove(def, calendar, deadlines, Date.now());
      if (!move) return;
      const key = move.step.deadline.key;
      if (move.type === 'skip') {
        update(key, (s) => skipLevel(s, move.step.level));
        continue;
      }
      let letter: { letterId: string; number: string };
      try {
        letter = await issueLetter(letterFor(move.step, move.issuedOn, move.limitUntil));
      } catch (err) {
        // Transient errors are retried without end; an activity that gave up was refused for good.
        if (!(err instanceof ActivityFailure) || !patched(LETTER_FAILURE_RECORDED)) throw err;
        const reason = err.cause?.message ?? err.message;
        log.error('函件未能生成,已跳过该级函件', { deadline: key, level: move.step.level, kind: move.kind, reason });
        update(key, (s) => recordLetterFailure(s, move, reason));
        continue;
      }
      // The deadline may have been met while the letter was being written; the letter stands.
      update(key, (s) => recordLetter(s, move, letter));
    }
  };

  if (patched(SINGLE_WAKE_TIMER)) {
    // One durable timer for the next ladder moment, replaced only when that moment changes:
    // an Update that leaves it where it was costs no timer commands.
    let timer: { at: number; scope: CancellationScope; fired: boolean } | undefined;
    for (;;) {
      await fireDueLetters();
      if (snapshot.status === 'done') break;
      const wake = nextWakeAt(def, calendar, deadlines);
      if (wake !== undefined && wake <= Date.now()) continue;
      if (timer && (timer.fired || timer.at !== wake)) {
        if (!timer.fired) timer.scope.cancel();
        timer = undefined;
      }
      if (!timer && wake !== undefined) {
        const armed = { at: wake, scope: new CancellationScope(), fired: false };
        void armed.scope.run(() => sleep(wake - Date.now())).then(
          () => (armed.fired = true),
          () => undefined, // cancelled: the next moment changed
        );
        timer = armed;
      }
      const seen = changes;
      await condition(() => changes !== seen || !!timer?.fired);
    }
    if (timer && !timer.fired) timer.scope.cancel();
  } else {
    // Histories recorded before SINGLE_WAKE_TIMER: a timer per wait, restarted after every Update.
    for (;;) {
      await fireDueLetters();
      if (snapshot.status === 'done') break;
      const wake = nextWakeAt(def, calendar, deadlines);
      const seen = changes;
      if (wake === undefined) {
        await condition(() => changes !== seen);
      } else if (wake > Date.now()) {
        await condition(() => changes !== seen, wake - Date.now());
      }
    }
  }
  await allHandlersFinished();
  return view();
}
