/**
 * Property: a plan moved between generated versions of its procedure (stages, deadlines and
 * actions added, removed, renamed) can still be shown and still takes a legal action, through
 * two moves in a row and under both deadline policies. The engine's own pure parts, composed as
 * the workflow composes them: the machine, applyEvent, planMigration, planView, actBlockers.
 */
import { SHIPPED_HOLIDAYS, localDateAt } from '@reform/calendar';
import { ProcessDefinition } from '@reform/definitions';
import { EXAMPLE_PLAN } from '@reform/procedures';
import fc from 'fast-check';
import { initialTransition, SnapshotFrom, transition } from 'xstate';
import { actBlockers, ActionEvent, applyEvent, buildMachine, cancelAll, DeadlinePolicy, DeadlineState, nextLadderMove, planMigration, PlanSnapshot, planView, PlanView, ProcessMachine, recordLetter, skipLevel } from '@reform/machine';
import { definitionOf, editsArb, firstVersionArb, nextVersion } from '../support/versions';

const CAL = SHIPPED_HOLIDAYS;
const DAY_MS = 86_400_000;
const START = Date.parse('2026-03-02T01:00:00Z');

/** A plan as the workflow keeps it: machine state, deadlines, the business events on record. */
class Plan {
  machine: ProcessMachine;
  snapshot: SnapshotFrom<ProcessMachine>;
  deadlines: DeadlineState[] = [];
  events: PlanSnapshot['events'] = [];
  now = START;

  constructor(public def: ProcessDefinition) {
    this.machine = buildMachine(def);
    const registered = localDateAt(this.now);
    [this.snapshot] = initialTransition(this.machine, { attributes: {}, events: { registered } });
    this.record('registered', registered);
  }

  private record(event: string, date: string) {
    this.deadlines = applyEvent(this.def, CAL, this.deadlines, {}, event, date);
    this.events.push({ event, date });
  }

  get stage() {
    return String(this.snapshot.value);
  }

  view(): PlanView {
    return planView({ workflowId: 'wf', def: this.def, calendar: CAL, plan: { ...EXAMPLE_PLAN, goals: [] }, state: { stage: this.stage, context: this.snapshot.context }, deadlines: this.deadlines, now: this.now });
  }

  /** Lets days pass, writing every letter that falls due (as the workflow's loop does). */
  wait(days: number) {
    this.now += days * DAY_MS;
    for (let i = 0; i < 1000; i++) {
      const move = nextLadderMove(this.def, CAL, this.deadlines, this.now);
      if (!move) return;
      const key = move.step.deadline.key;
      this.deadlines = this.deadlines.map((s) => (s.key !== key ? s : move.type === 'skip' ? skipLevel(s, move.step.level) : recordLetter(s, move, { letterId: `l${i}`, number: `${i}` })));
    }
  }

  /** The act Update: refused by the validator unless the machine takes it; records only what was taken. */
  act(type: string, role: string, reason?: string): boolean {
    const today = localDateAt(this.now);
    const event: ActionEvent = { type, role, reason, businessDate: today, recordedOn: today };
    if (actBlockers(this.def, { stage: this.stage, context: this.snapshot.context }, event).length) return false;
    expect(this.snapshot.can(event)).toBe(true);
    const action = this.def.stages.find((s) => s.id === this.stage)!.actions.find((a) => a.id === type)!;
    [this.snapshot] = transition(this.machine, this.snapshot, event);
    for (const e of action.records) this.record(e, today);
    if (this.snapshot.status === 'done') this.deadlines = cancelAll(this.deadlines);
    return true;
  }

  snapshotOf(): PlanSnapshot {
    return { workflowId: 'wf', definition: this.def, calendar: CAL, attributes: {}, events: [...this.events], deadlines: this.deadlines, stage: this.stage, finished: this.snapshot.status === 'done' };
  }

  /** The migrate Update: refused with reasons, or the plan is on the target version. */
  migrate(target: ProcessDefinition, policy: DeadlinePolicy): string[] {
    const move = planMigration(this.snapshotOf(), target, policy, CAL);
    if (move.problems.length) return move.problems;
    this.def = target;
    this.machine = buildMachine(target);
    this.snapshot = this.machine.resolveState({ value: this.stage, context: this.snapshot.context });
    this.deadlines = move.deadlines;
    return [];
  }

  /** An action the view offers with nothing blocking it, as [action, role]. */
  offered(): [string, string] | undefined {
    for (const [role, choices] of Object.entries(this.view().actions)) {
      const free = choices.find((c) => !c.blockers.length);
      if (free) return [free.action, role];
    }
    return undefined;
  }
}

/** A random path through the plan: at each step a legal action (chosen by `pick`) and some days. */
function walk(plan: Plan, steps: Array<{ pick: number; days: number }>) {
  for (const { pick, days } of steps) {
    plan.wait(days);
    if (plan.snapshot.status === 'done') return;
    const stage = plan.def.stages.find((s) => s.id === plan.stage)!;
    const a = stage.actions[pick % stage.actions.length];
    plan.act(a.id, a.roles[pick % a.roles.length], a.needsReason ? '退回修改' : undefined);
  }
}

/** What must hold of a plan at any time: it can be shown, and one not finished can move on. */
function expectUsable(plan: Plan) {
  const view = plan.view();
  expect(view.deadlines.every((d) => d.label.length > 0)).toBe(true);
  expect(view.deadlines.map((d) => d.key).sort()).toEqual(plan.deadlines.map((s) => s.key).sort());
  if (plan.snapshot.status === 'done') return;
  const offered = plan.offered();
  expect(offered).toBeDefined();
  const before = plan.view().log.length;
  expect(plan.act(offered![0], offered![1])).toBe(true);
  expect(plan.view().log.length).toBe(before + 1);
}

const stepsArb = fc.array(fc.record({ pick: fc.nat(), days: fc.nat({ max: 20 }) }), { maxLength: 12 });

describe('migrating plans between generated versions', () => {
  it('leaves a plan that answers its view and takes a legal action, move after move', () => {
    fc.assert(
      fc.property(
        firstVersionArb.chain((v1) => editsArb.chain((e2) => editsArb.map((e3) => [v1, nextVersion(v1, e2), nextVersion(nextVersion(v1, e2), e3)] as const))),
        fc.array(stepsArb, { minLength: 3, maxLength: 3 }),
        fc.array(fc.constantFrom<DeadlinePolicy>('keep', 'recompute'), { minLength: 2, maxLength: 2 }),
        (versions, walks, policies) => {
          const [d1, d2, d3] = versions.map((v) => definitionOf(v));
          const plan = new Plan(d1);
          walk(plan, walks[0]);
          for (const [target, steps, policy] of [
            [d2, walks[1], policies[0]],
            [d3, walks[2], policies[1]],
          ] as const) {
            const stage = plan.stage;
            const problems = plan.migrate(target, policy);
            // A move is refused only for the reasons planMigration gives: a finished plan, or a stage the target lacks.
            const expected = [...(plan.snapshot.status === 'done' ? ['方案已办结,无需迁移'] : []), ...(target.stages.some((s) => s.id === stage) ? [] : [expect.stringContaining('在第')])];
            expect(problems).toEqual(expected);
            expectUsable(plan);
            walk(plan, steps);
            expectUsable(plan);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
