/**
 * The act Update's validator (actBlockers) and the machine must agree: a command the validator
 * accepts is one the machine takes, and one it refuses is one the machine would ignore. If they
 * disagreed, an accepted action could leave the plan where it was (or a legal one be refused).
 * Property test over the standard procedures: random plans (attributes) walked along random
 * legal paths, then every role and every action, with and without reason and item, probed there.
 */
import { ItemStatus, ProcessDefinition } from '@reform/definitions';
import { standardProcedures } from '@reform/procedures';
import fc from 'fast-check';
import { initialTransition, SnapshotFrom, transition } from 'xstate';
import { buildMachine, ProcessMachine } from './build-machine';
import { ActionEvent } from './context';
import { actBlockers } from './explain';

type Snapshot = SnapshotFrom<ProcessMachine>;
const TODAY = '2026-03-02';
const EARLIER = '2026-02-27';

const REASONS = [undefined, '  ', '未说明法律依据'];
const ITEMS: Array<ActionEvent['item']> = [
  undefined,
  { id: 'item_1' },
  { id: 'item_1', status: 'completed' },
  { id: 'item_new' },
  { id: 'item_new', title: '新的具体改革事项', status: 'started' },
];

/**
 * The legal steps a clerk could take: each action of the stage, by each role allowed, with what
 * it asks for. Unless `back`, only steps that do not send the plan back, so that walks reach the
 * later stages too.
 */
type Step = { event: ActionEvent; back: boolean };

function legalSteps(def: ProcessDefinition, s: Snapshot, status: ItemStatus, back: boolean): Step[] {
  const stage = def.stages.find((st) => st.id === s.value)!;
  const at = (id: string) => def.stages.findIndex((st) => st.id === id);
  const steps = stage.actions.flatMap((a) =>
    a.roles.map(
      (role): Step => ({
        event: {
          type: a.id,
          role,
          businessDate: TODAY,
          recordedOn: TODAY,
          reason: a.needsReason ? '退回修改' : undefined,
          item: a.item ? { id: 'item_1', title: '具体改革事项一', status } : undefined,
        },
        back: !!a.to && at(a.to) < at(stage.id),
      }),
    ),
  );
  const legal = steps.filter((step) => s.can(step.event));
  const onward = legal.filter((e) => !e.back);
  return back || !onward.length ? legal : onward;
}

describe('the act validator accepts exactly what the machine takes (standard procedures)', () => {
  const definitions = standardProcedures();

  it('has standard procedures to probe', () => {
    expect(definitions.map((d) => d.id)).toEqual(expect.arrayContaining(['reform_plan', 'pilot', 'central_integration']));
  });

  it('in every state reached, for every role and action', () => {
    const machines = definitions.map(buildMachine);
    const plan = fc.record({
      procedure: fc.nat({ max: definitions.length - 1 }),
      attributes: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      walk: fc.array(fc.record({ choice: fc.nat(), back: fc.nat({ max: 5 }).map((n) => n === 0), status: fc.constantFrom<ItemStatus>('not_started', 'started', 'completed') }), { minLength: 30, maxLength: 80 }),
    });
    fc.assert(
      fc.property(plan, ({ procedure, attributes, walk }) => {
        const def = definitions[procedure];
        const machine = machines[procedure];
        const attrs = Object.fromEntries(def.attributes.map((a, i) => [a.id, attributes[i % attributes.length]]));
        const events = Object.fromEntries(['registered', ...def.startEvents].map((e) => [e, '2026-01-05']));
        const roles = [...def.roles.map((r) => r.id), 'mayor'];
        const others = [...def.stages.flatMap((st) => st.actions.map((a) => a.id)), 'approve_everything'];
        const disagreements: string[] = [];
        const probe = (s: Snapshot) => {
          const state = { stage: String(s.value), context: s.context };
          const here = def.stages.find((st) => st.id === state.stage)!.actions.map((a) => a.id);
          const check = (event: ActionEvent) => {
            const accepted = actBlockers(def, state, event).length === 0;
            if (accepted !== s.can(event)) disagreements.push(`${def.id} ${state.stage} ${event.type}/${event.role} reason=${event.reason} item=${JSON.stringify(event.item)}: validator ${accepted}`);
          };
          // The actions of this stage with every variant; every other action (and an unknown one) plainly.
          for (const type of here) {
            for (const role of roles) {
              for (const reason of REASONS) for (const item of ITEMS) check({ type, role, reason, item, businessDate: EARLIER, recordedOn: TODAY });
            }
          }
          for (const type of others) for (const role of roles) check({ type, role, reason: '理由', businessDate: TODAY, recordedOn: TODAY });
        };
        let [s] = initialTransition(machine, { attributes: attrs, events });
        probe(s);
        for (const { choice, back, status } of walk) {
          const steps = legalSteps(def, s, status, back);
          if (!steps.length) break;
          [s] = transition(machine, s, steps[choice % steps.length].event);
          probe(s);
        }
        expect(disagreements).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses a business date after the day of recording, which the machine does not look at', () => {
    const def = definitions.find((d) => d.id === 'reform_plan')!;
    const [s] = initialTransition(buildMachine(def), { attributes: {}, events: { registered: '2026-01-05' } });
    const event: ActionEvent = { type: 'submit_draft', role: 'lead_unit', businessDate: '2026-03-03', recordedOn: TODAY };
    expect(s.can(event)).toBe(true);
    expect(actBlockers(def, { stage: String(s.value), context: s.context }, event)).toEqual([
      { code: 'future_date', message: '业务日期 2026-03-03 晚于今天(2026-03-02),不能登记尚未发生的事' },
    ]);
  });
});
