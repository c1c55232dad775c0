import { explainShift, HolidayCalendar, localDateAt } from '@reform/calendar/core';
import { checkCalendarInput, checkCommand, checkDefinitionInput, checkStartInput, Command, isDeskData, Plan, ProcessDefinition, StartInputData } from '@reform/definitions/core';
import type { EngineActivities, LetterRequest } from '@reform/letters';
import {
  actBlockers,
  ActionEvent,
  applyEvent,
  AuditedAct,
  AuditedItem,
  actionsByRole,
  buildMachine,
  deadlineLabel,
  dueOf,
  DeadlineState,
  LadderStep,
  LedgerActivities,
  nextLadderMove,
  nextWakeAt,
  partiesFor,
  planView,
  PlanSnapshot,
  planMigration,
  planProjection,
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
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { initialTransition } from 'xstate';
import { guarded } from './guarded';
import {
  ACTION_REJECTED,
  ActBy,
  ActResult,
  actUpdate,
  calendarUpdate,
  CarriedPlan,
  DEFAULT_HISTORY_LIMIT,
  migrateUpdate,
  ledgerWriteQuery,
  ProcedureInput,
  projectionQuery,
  snapshotQuery,
  viewQuery,
} from './messages';

const { issueLetter } = proxyActivities<EngineActivities>({
  startToCloseTimeout: '30 seconds',
  // A letter must go out in the end: retry without limit, backing off to once a minute.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const { projectPlan } = proxyActivities<LedgerActivities>({
  startToCloseTimeout: '30 seconds',
  // The ledger catches up in the end: retried without limit in the background, backing off to once a minute.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Patch id: the plan keeps its projection in the ledger (issue 8) through the projectPlan
 * activity after every change of its state.
 */
const LEDGER_PROJECTION = 'ledger-projection';
/** Patch id: the main loop keeps one timer instead of one per wait (see the loop at the end). */
const SINGLE_WAKE_TIMER = 'single-wake-timer';
/** Patch id: a plan whose history has grown long goes on in a new run (continue-as-new). */
const CONTINUE_AS_NEW = 'continue-as-new';
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
/**
 * Patch id: an act by a signed-in user (the Update's second argument) is kept until the ledger
 * write of its change, which records it in the audit trail in the same transaction (issue 8);
 * a retried request (same request id) answers what the first did and changes nothing.
 */
const AUDITED_ACTS = 'audited-acts';
/**
 * Patch id: a plan started with `registeredBy` audits its registration (`plan.registered`) with
 * its first ledger write, as acts are audited; an item change's audit row records the item as it
 * stood after the act, from which the ledger write keeps the item's history in the same transaction.
 */
const AUDITED_REGISTRATION = 'audited-registration';
/**
 * Patch id: a plan started with desk data (`registeredBy.desk`: a problem's library row, a round's
 * task) carries it with its registration's audited act, so the ledger write that audits the
 * registration writes the desk's rows in the same transaction (issue 9: nothing lost or sent twice).
 */
const DESK_LEDGER = 'desk-ledger';
/** Answers kept by request id for retries: the latest ones (a retry comes within moments; each is about 1 KB, kept in memory and carried into the next run). */
const ANSWERS_KEPT = 20;

/** The second argument of the act Update, checked: a bad one refuses the act rather than breaking the engine. */
function checkActBy(by: unknown): string | undefined {
  if (by === undefined) return undefined;
  if (typeof by !== 'object' || by === null) return '经办人信息格式不对';
  const b = by as Record<string, unknown>;
  const text = (v: unknown, max: number) => typeof v === 'string' && v.length > 0 && v.length <= max;
  if (!text(b.userId, 100) || !text(b.name, 200)) return '经办人信息缺少用户编号或姓名';
  if (b.unitId !== null && !text(b.unitId, 100)) return '经办人的单位编号格式不对';
  if (b.requestId !== undefined && !text(b.requestId, 100)) return '请求编号格式不对';
  if (b.notes !== undefined) {
    const n = b.notes as Record<string, unknown> | null;
    if (typeof n !== 'object' || n === null) return '经办附注格式不对';
    if (n.note !== undefined && (typeof n.note !== 'string' || n.note.length > 2000)) return '经办说明应为不超过 2000 字的文字';
    if (n.evidenceIds !== undefined && (!Array.isArray(n.evidenceIds) || n.evidenceIds.length > 50 || !n.evidenceIds.every((id) => text(id, 100)))) return '佐证材料编号格式不对';
    if (n.statusBefore !== undefined && n.statusBefore !== null && !text(n.statusBefore, 50)) return '事项原状态格式不对';
    if (n.desk !== undefined && !isDeskData(n.desk)) return '经办附带的登记数据格式不对或过大';
  }
  return undefined;
}

function reject(message: string, details: unknown[] = []): never {
  throw ApplicationFailure.create({ message, type: ACTION_REJECTED, nonRetryable: true, details });
}

const isContinued = (raw: ProcedureInput): raw is { continued: CarriedPlan } =>
  typeof raw === 'object' && raw !== null && 'continued' in raw && typeof raw.continued === 'object' && raw.continued !== null;

/**
 * Runs any procedure definition for one plan: the machine built from the definition decides
 * which actions are legal, durable timers keep its deadlines, and letters go out through an
 * activity, once per (plan, deadline occurrence, level). The definition arrives in the input,
 * so a plan keeps the version it started with. The service has parsed the input with the full
 * schemas; the small checks here keep input from elsewhere from breaking the engine. When the
 * run's history grows long the plan goes on in a new run, carrying everything (CarriedPlan).
 */
export async function procedureWorkflow(raw: ProcedureInput): Promise<PlanView> {
  const { workflowId } = workflowInfo();
  let def: ProcessDefinition;
  let calendar: HolidayCalendar;
  let plan: Plan;
  let machine: ReturnType<typeof buildMachine>;
  let snapshot: ReturnType<typeof initialTransition<ReturnType<typeof buildMachine>>>[0];
  let deadlines: DeadlineState[] = [];
  // Every business event as it was recorded, under whichever version was in force then: what a
  // migration or a simulation counts deadlines again from.
  let recorded: PlanSnapshot['events'] = [];
  let changes = 0;
  // The ledger's change counter and the time of the last change: every change of the plan's
  // state (Updates, letters, passed levels), never wound back, carried into the next run.
  let revision = 1;
  let changedAt = Date.now();
  let runs = 0;
  let historyLimit = DEFAULT_HISTORY_LIMIT;
  // Acts waiting for the ledger write that audits them, and the latest answers by request id.
  let acts: AuditedAct[] = [];
  let answered: Array<{ requestId: string; result: ActResult }> = [];
  // The start events of a plan's first run (histories before COUNT_FROM_RECORDED_EVENTS read them).
  let startEvents: Record<string, string> = {};

  if (isContinued(raw)) {
    // The same plan, going on in a new run: everything as the last run left it.
    const c = raw.continued;
    ({ definition: def, calendar, plan, deadlines, recorded, changes } = c);
    runs = c.runs + 1;
    revision = c.revision ?? c.changes + 1;
    changedAt = c.changedAt ?? Date.now();
    historyLimit = c.historyLimit ?? DEFAULT_HISTORY_LIMIT;
    acts = [...(c.acts ?? [])];
    answered = [...(c.answered ?? [])];
    machine = buildMachine(def);
    snapshot = machine.resolveState({ value: c.stage, context: c.context });
  } else {
    const problems = checkStartInput(raw);
    if (problems.length) throw ApplicationFailure.nonRetryable(problems.join('; '), 'InvalidInput');
    const input = raw as StartInputData;
    // A plan keeps its version until the office moves it to another one (migrateUpdate).
    def = input.definition as ProcessDefinition;
    calendar = input.calendar;
    plan = input.plan as Plan;
    historyLimit = input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
    machine = buildMachine(def);
    const attributes = input.attributes ?? {};
    const given = input.startEvents ?? {};
    startEvents = {
      registered: input.registeredOn,
      ...Object.fromEntries(def.startEvents.map((e) => [e, given[e] ?? input.registeredOn])),
    };
    [snapshot] = initialTransition(machine, { attributes, events: startEvents });
    for (const [event, date] of Object.entries(startEvents)) {
      deadlines = applyEvent(def, calendar, deadlines, attributes, event, date);
      recorded.push({ event, date });
    }
    const by = input.registeredBy;
    if (by && patched(AUDITED_REGISTRATION)) {
      acts.push({
        revision,
        audit: 'plan.registered',
        at: new Date(changedAt).toISOString(),
        actor: { userId: by.userId, name: by.name, unitId: by.unitId },
        requestId: by.requestId ?? null,
        before: null,
        after: {
          procedure: def.id,
          version: def.version,
          title: plan.title,
          leadUnitId: plan.scope?.leadUnitId ?? null,
          specialGroupId: plan.scope?.specialGroupId ?? null,
          attributes,
          ...(by.desk !== undefined && patched(DESK_LEDGER) ? { desk: by.desk } : {}),
        },
      });
    }
  }

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

  /*
   * The ledger projection. One coroutine per run sends the plan's projection whenever its change
   * counter has moved past what it last sent; handlers and the main loop only move the counter.
   * So an Update answers at once (its workflow task schedules the activity, it never waits for
   * it), a burst of changes costs one write carrying the latest state, and at most one write is
   * out at a time. The activity retries without limit in the background; the ledger ignores a
   * projection whose counter is not above the stored one, so retries and a late write from a
   * previous run are harmless. The main loop waits for it only when the plan closes.
   */
  const projectionOf = () => planProjection(view(), { counter: revision, at: changedAt });
  setHandler(projectionQuery, projectionOf);
  setHandler(ledgerWriteQuery, () => ({ projection: projectionOf(), acts }));
  let projected = 0;
  let projector: Promise<void> | undefined;
  let projectorStopped = false;
  const runProjector = async () => {
    for (;;) {
      await condition(() => projected < revision);
      const sent = revision;
      // The acts up to this change are audited by this write; they stay until it has landed.
      const auditing = acts.filter((a) => a.revision <= sent);
      try {
        await (auditing.length ? projectPlan(projectionOf(), auditing) : projectPlan(projectionOf()));
        acts = acts.filter((a) => a.revision > sent);
      } catch (err) {
        // Retries are unlimited: only a cancellation or a refusal for good gets here; the next change tries again.
        if (!(err instanceof ActivityFailure)) throw err;
        log.error('台账未能更新,方案下次变化时再写', { revision: sent, error: err.cause?.message ?? err.message });
      }
      projected = sent;
    }
  };
  /** Starts the projection in this run (once the patch is in force: old histories replay without it). */
  const keepLedger = () => {
    if (projector || !patched(LEDGER_PROJECTION)) return;
    projector = runProjector().catch((err: unknown) => {
      // Cancelled with the workflow, or the projection itself broke: the plan goes on without
      // it (`reform ledger rebuild` writes the ledger from the workflows).
      projectorStopped = true;
      log.warn('台账投影已停止', { error: err instanceof Error ? err.message : String(err) });
    });
  };
  /** A projection of this run has yet to land in the ledger. */
  const ledgerPending = () => projector !== undefined && !projectorStopped && projected < revision;
  /** The plan's state changed: the ledger follows. */
  const ledgerChanged = () => {
    revision++;
    changedAt = Date.now();
    keepLedger();
  };
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

  /** What an action changed: small, since it is written into history with every Update. */
  /** An item change for its audit row: as commanded, and (from AUDITED_REGISTRATION on) the item as it stands now. */
  const itemAfter = (item: NonNullable<ActionEvent['item']>): AuditedItem => {
    const now = snapshot.context.items[item.id];
    return now && patched(AUDITED_REGISTRATION) ? { ...item, after: { title: now.title, status: now.status } } : item;
  };
  const actResult = (event: ActionEvent, before: DeadlineState[]): ActResult => {
    const stage = def.stages.find((s) => s.id === state().stage)!;
    const changed: ActResult['deadlines'] = [];
    for (const s of deadlines) {
      const old = before.find((o) => o.key === s.key);
      if (old?.status === s.status) continue;
      const change = !old ? 'opened' : s.status === 'met' ? 'met' : s.status === 'cancelled' ? 'cancelled' : undefined;
      if (change) changed.push({ key: s.key, label: deadlineLabel(def, s), change, due: s.due });
    }
    const open = Object.entries(actionsByRole(def, state(), event.recordedOn))
      .map(([role, choices]) => [role, choices.filter((c) => !c.blockers.length).map((c) => ({ action: c.action, label: c.label }))] as const)
      .filter(([, choices]) => choices.length);
    return {
      workflowId,
      action: event.type,
      role: event.role,
      businessDate: event.businessDate,
      stage: { id: stage.id, label: stage.label, source: stage.source },
      finished: snapshot.status === 'done',
      deadlines: changed,
      actions: Object.fromEntries(open),
    };
  };
  setHandler(
    actUpdate,
    guarded(planState, reportBroken('act'), (cmd, by?: ActBy) => {
      // A retried request: what the first one did, nothing changed.
      const prior = by?.requestId !== undefined ? answered.find((a) => a.requestId === by.requestId) : undefined;
      if (prior) return prior.result;
      const event = toEvent(checkCommand(cmd).value!);
      const before = deadlines;
      const stageBefore = state().stage;
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
      ledgerChanged();
      const result = actResult(event, before);
      if (by && patched(AUDITED_ACTS)) {
        acts.push({
          revision,
          at: new Date(changedAt).toISOString(),
          actor: { userId: by.userId, name: by.name, unitId: by.unitId },
          requestId: by.requestId ?? null,
          before: { stage: stageBefore },
          after: {
            action: result.action,
            role: result.role,
            businessDate: result.businessDate,
            stage: result.stage.id,
            finished: result.finished,
            ...(event.reason ? { reason: event.reason } : {}),
            ...(event.item ? { item: itemAfter(event.item) } : {}),
            ...(by.notes ?? {}),
          },
        });
        if (by.requestId !== undefined) answered = [...answered, { requestId: by.requestId, result }].slice(-ANSWERS_KEPT);
      }
      return result;
    }),
    {
      validator: (cmd, by?: ActBy) => {
        const badBy = checkActBy(by);
        if (badBy) reject(badBy);
        if (by?.requestId !== undefined && answered.some((a) => a.requestId === by.requestId)) return;
        const checkedCmd = checkCommand(cmd);
        if (!checkedCmd.value) reject(checkedCmd.issues.join('; '));
        const blockers = actBlockers(def, state(), toEvent(checkedCmd.value));
        if (blockers.length) reject(blockers.map((b) => b.message).join(';'), [blockers]);
      },
    },
  );

  setHandler(
    migrateUpdate,
    guarded(planState, reportBroken('migrate'), (req) => {
      const target = req.definition;
      const move = planMigration(snapshotOf(), target, req.policy, calendar);
      const entry = { stage: state().stage, action: 'migrate', role: 'reform_office', actor: req.actor, businessDate: localDateAt(Date.now()), recordedOn: localDateAt(Date.now()), reason: `由第${def.version}版迁移到第${target.version}版(${req.policy === 'keep' ? '保留原截止日期' : '按新规则重算截止日期'})` };
      def = target;
      machine = buildMachine(def);
      snapshot = machine.resolveState({ value: entry.stage, context: { ...snapshot.context, log: [...snapshot.context.log, entry] } });
      deadlines = move.deadlines;
      changes++;
      ledgerChanged();
      return move.changes;
    }),
    {
      validator: (req) => {
        const defProblems = checkDefinitionInput(req.definition);
        if (defProblems.length) reject(defProblems.join('; '));
        if (req.policy !== 'keep' && req.policy !== 'recompute') reject('截止日期处理方式应为 keep 或 recompute');
        const problems = planMigration(snapshotOf(), req.definition, req.policy, calendar).problems;
        if (problems.length) reject(problems.join(';'));
      },
    },
  );

  setHandler(
    calendarUpdate,
    guarded(planState, reportBroken('calendar'), (next) => {
      calendar = next;
      const moved: Array<{ key: string; from: string; to: string }> = [];
      deadlines = deadlines.map((s) => {
        if (s.status !== 'open') return s;
        const shift = dueOf(def.deadlines.find((d) => d.id === s.deadlineId)!, s.anchor, s.occurrence, calendar);
        if (shift.result !== s.due) moved.push({ key: s.key, from: s.due, to: shift.result });
        return { ...s, due: shift.result, shift };
      });
      changes++;
      ledgerChanged();
      return moved;
    }),
    {
      validator: (next) => {
        const problems = checkCalendarInput(next);
        if (problems.length) reject(problems.join('; '));
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
        ledgerChanged();
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
        ledgerChanged();
        continue;
      }
      // The deadline may have been met while the letter was being written; the letter stands.
      update(key, (s) => recordLetter(s, move, letter));
      ledgerChanged();
    }
  };

  /** Everything the plan has, for the next run. */
  const carried = (): CarriedPlan => ({
    definition: def,
    calendar,
    plan,
    stage: state().stage,
    context: snapshot.context,
    deadlines,
    recorded,
    changes,
    revision,
    changedAt,
    ...(acts.length ? { acts } : {}),
    ...(answered.length ? { answered } : {}),
    runs,
    historyLimit: historyLimit === DEFAULT_HISTORY_LIMIT ? undefined : historyLimit,
  });
  const historyLong = () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= historyLimit;
  };

  // The plan as registered (or as the last run left it) goes into the ledger.
  keepLedger();

  if (patched(SINGLE_WAKE_TIMER)) {
    const mayContinue = patched(CONTINUE_AS_NEW);
    // One durable timer for the next ladder moment, replaced only when that moment changes:
    // an Update that leaves it where it was costs no timer commands.
    let timer: { at: number; scope: CancellationScope; fired: boolean } | undefined;
    for (;;) {
      await fireDueLetters();
      if (snapshot.status === 'done') break;
      const wake = nextWakeAt(def, calendar, deadlines);
      if (wake !== undefined && wake <= Date.now()) continue;
      if (mayContinue && historyLong()) {
        // Only at a quiet point: no letter being written, no handler still running. A handler
        // that finishes while we wait may have changed the plan: look again before going on.
        if (!allHandlersFinished()) {
          await condition(allHandlersFinished);
          continue;
        }
        // Nor a projection on its way to the ledger (an activity left behind by a closed run
        // would be abandoned): meanwhile the loop goes on as usual and wakes when it has landed.
        if (!ledgerPending()) return continueAsNew<typeof procedureWorkflow>({ continued: carried() });
      }
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
      const continuing = mayContinue && historyLong();
      await condition(() => changes !== seen || !!timer?.fired || (continuing && !ledgerPending()));
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
  // A closed plan has nothing else to do: it ends once the ledger shows it closed.
  if (projector) await condition(() => projected >= revision || projectorStopped);
  await allHandlersFinished();
  return view();
}
