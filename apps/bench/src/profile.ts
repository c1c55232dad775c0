import { HolidayCalendar, localDateAt } from '@reform/calendar';
import { checkReferences, Command, CommandSchema, ProcessDefinition, StartInputSchema } from '@reform/definitions';
import { ActionEvent, applyEvent, blockersFor, buildMachine, DeadlineState, nextWakeAt, planView, PlanView } from '@reform/machine';
import { performance } from 'node:perf_hooks';
import { initialTransition, transition } from 'xstate';
import { TEN_ACTIONS, walkInput } from './workload';

/**
 * Where the engine's CPU goes per Update, measured outside the workflow sandbox: the same pure
 * calls procedureWorkflow makes (workflows/src/procedure-workflow.ts), timed one by one along
 * the ten-action walk. It models the workflow's code path; it is not the workflow itself.
 */
export interface ProfileRow {
  part: string;
  /** Mean microseconds per call. */
  us: number;
  /** Calls per Update (or per start) in the workflow. */
  perUpdate: number;
  note: string;
}

export interface EngineProfile {
  iterations: number;
  start: ProfileRow[];
  update: ProfileRow[];
  startInputBytes: number;
  /** JSON size of the PlanView each Update returns, per action of the walk. */
  viewBytes: number[];
  /** Sum of `us * perUpdate` over the update rows: the engine's own CPU per Update, by this model. */
  updateUsTotal: number;
  startUsTotal: number;
}

function timeUs(iterations: number, fn: () => unknown): number {
  for (let i = 0; i < Math.min(iterations, 20); i++) fn(); // warm the JIT
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return ((performance.now() - t0) * 1000) / iterations;
}

export function profileEngine(def: ProcessDefinition, iterations: number): EngineProfile {
  const raw = walkInput(def);
  const input = StartInputSchema.parse(raw);
  const calendar: HolidayCalendar = input.calendar;
  const machine = buildMachine(def);
  const startEvents: Record<string, string> = {
    registered: input.registeredOn,
    ...Object.fromEntries(def.startEvents.map((e) => [e, input.startEvents[e] ?? input.registeredOn])),
  };

  const start: ProfileRow[] = [
    { part: 'StartInputSchema.safeParse', us: timeUs(iterations, () => StartInputSchema.safeParse(raw)), perUpdate: 1, note: 'whole definition + calendar, every start' },
    { part: 'checkReferences', us: timeUs(iterations, () => checkReferences(input.definition)), perUpdate: 1, note: 'names used are declared (definition parsed once, with the input)' },
    { part: 'buildMachine', us: timeUs(iterations, () => buildMachine(def)), perUpdate: 1, note: 'xstate setup + createMachine' },
    {
      part: 'initialTransition + applyEvent',
      us: timeUs(iterations, () => {
        initialTransition(machine, { attributes: input.attributes, events: startEvents });
        let d: DeadlineState[] = [];
        for (const [event, date] of Object.entries(startEvents)) d = applyEvent(def, calendar, d, input.attributes, event, date);
      }),
      perUpdate: 1,
      note: '',
    },
  ];

  // Walk the plan as the workflow does, timing each call at every state of the walk.
  let [snapshot] = initialTransition(machine, { attributes: input.attributes, events: startEvents });
  let deadlines: DeadlineState[] = [];
  for (const [event, date] of Object.entries(startEvents)) deadlines = applyEvent(def, calendar, deadlines, input.attributes, event, date);
  const state = () => ({ stage: String(snapshot.value), context: snapshot.context });
  const view = (): PlanView => planView({ workflowId: 'bench', def, calendar, plan: input.plan, state: state(), deadlines, now: Date.now() });
  const toEvent = (cmd: Command): ActionEvent => {
    const today = localDateAt(Date.now());
    return { type: cmd.action, role: cmd.role, actor: cmd.actor, businessDate: cmd.businessDate ?? today, recordedOn: today, reason: cmd.reason, item: cmd.item };
  };

  const sums = { safeParse: 0, blockers: 0, parse: 0, transition: 0, applyEvent: 0, view: 0, stringify: 0, wake: 0 };
  const viewBytes: number[] = [];
  for (const cmd of TEN_ACTIONS) {
    const event = toEvent(cmd);
    sums.safeParse += timeUs(iterations, () => CommandSchema.safeParse(cmd));
    sums.blockers += timeUs(iterations, () => blockersFor(def, state(), event));
    sums.parse += timeUs(iterations, () => CommandSchema.parse(cmd));
    const before = snapshot;
    sums.transition += timeUs(iterations, () => transition(machine, before, event));
    [snapshot] = transition(machine, before, event);
    const action = def.stages.find((s) => s.id === String(before.value))!.actions.find((a) => a.id === event.type)!;
    const prior = deadlines;
    sums.applyEvent += timeUs(iterations, () => {
      let d = prior;
      for (const e of action.records) d = applyEvent(def, calendar, d, snapshot.context.attributes, e, event.businessDate);
    });
    for (const e of action.records) deadlines = applyEvent(def, calendar, deadlines, snapshot.context.attributes, e, event.businessDate);
    sums.view += timeUs(iterations, view);
    const v = view();
    sums.stringify += timeUs(iterations, () => JSON.stringify(v));
    viewBytes.push(Buffer.byteLength(JSON.stringify(v)));
    sums.wake += timeUs(iterations, () => nextWakeAt(def, calendar, deadlines));
  }
  const n = TEN_ACTIONS.length;
  const update: ProfileRow[] = [
    { part: 'validator: CommandSchema.safeParse', us: sums.safeParse / n, perUpdate: 1, note: 'zod' },
    { part: 'validator: blockersFor', us: sums.blockers / n, perUpdate: 1, note: '' },
    { part: 'handler: CommandSchema.parse', us: sums.parse / n, perUpdate: 1, note: 'same command parsed again' },
    { part: 'handler: xstate transition', us: sums.transition / n, perUpdate: 1, note: '' },
    { part: 'handler: applyEvent (records)', us: sums.applyEvent / n, perUpdate: 1, note: '' },
    { part: 'handler: view() = planView', us: sums.view / n, perUpdate: 1, note: 'actionsByRole → blockersFor per role × action' },
    { part: 'PlanView → JSON payload', us: sums.stringify / n, perUpdate: 1, note: 'result converted by the SDK' },
    { part: 'main loop: nextWakeAt (+ fireDueLetters)', us: sums.wake / n, perUpdate: 2, note: 'loop wakes after every Update' },
  ];
  return {
    iterations,
    start,
    update,
    startInputBytes: Buffer.byteLength(JSON.stringify(raw)),
    viewBytes,
    updateUsTotal: update.reduce((s, r) => s + r.us * r.perUpdate, 0),
    startUsTotal: start.reduce((s, r) => s + r.us * r.perUpdate, 0),
  };
}
