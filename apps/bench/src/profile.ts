import { HolidayCalendar, localDateAt } from '@reform/calendar';
import { checkCommand, checkStartInput, Command, ProcessDefinition, StartInputSchema } from '@reform/definitions';
import { ActionEvent, actionsByRole, applyEvent, blockersFor, buildMachine, DeadlineState, nextWakeAt, planView, PlanView } from '@reform/machine';
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
  /** JSON size of the PlanView (the view query's answer), per action of the walk. */
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
    { part: 'checkStartInput', us: timeUs(iterations, () => checkStartInput(raw)), perUpdate: 1, note: 'hand-written shape check + checkReferences (the service parsed it with zod)' },
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

  const sums = { check: 0, blockers: 0, transition: 0, applyEvent: 0, result: 0, view: 0, wake: 0 };
  const viewBytes: number[] = [];
  for (const cmd of TEN_ACTIONS) {
    const event = toEvent(cmd);
    sums.check += timeUs(iterations, () => checkCommand(cmd));
    sums.blockers += timeUs(iterations, () => blockersFor(def, state(), event));
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
    // The Update's result: the actions each role may take now (the rest of ActResult is a few fields).
    sums.result += timeUs(iterations, () => actionsByRole(def, state(), event.recordedOn));
    sums.view += timeUs(iterations, view);
    viewBytes.push(Buffer.byteLength(JSON.stringify(view())));
    sums.wake += timeUs(iterations, () => nextWakeAt(def, calendar, deadlines));
  }
  const n = TEN_ACTIONS.length;
  const update: ProfileRow[] = [
    { part: 'validator: checkCommand', us: sums.check / n, perUpdate: 2, note: 'hand-written; again in the handler' },
    { part: 'validator: blockersFor', us: sums.blockers / n, perUpdate: 1, note: '' },
    { part: 'handler: xstate transition', us: sums.transition / n, perUpdate: 1, note: '' },
    { part: 'handler: applyEvent (records)', us: sums.applyEvent / n, perUpdate: 1, note: '' },
    { part: 'handler: ActResult (actionsByRole)', us: sums.result / n, perUpdate: 1, note: 'small result; the whole view is a query' },
    { part: 'view query: planView', us: sums.view / n, perUpdate: 0, note: 'only when a client asks' },
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
