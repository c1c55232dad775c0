/**
 * The machines walked with xstate's own graph tools: from every reachable state some path ends in
 * a final state (no dead ends), for each standard procedure and a spread of plan attributes.
 */
import { Attributes, ProcessDefinition, ProcessDefinitionSchema } from '@reform/definitions';
import { standardProcedure } from '@reform/procedures';
import { SnapshotFrom } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { buildMachine, ProcessMachine } from './build-machine';
import { ActionEvent } from './context';

const CENTRAL_INTEGRATION = standardProcedure('central_integration');
const PILOT = standardProcedure('pilot');
const REFORM_PLAN = standardProcedure('reform_plan');

type Snapshot = SnapshotFrom<ProcessMachine>;
const DAY = '2026-03-02';

/** Every action of the current stage, as the first permitted role would send it. */
function eventsFor(def: ProcessDefinition) {
  return (s: Snapshot): ActionEvent[] => {
    const stage = def.stages.find((st) => st.id === s.value)!;
    return stage.actions.flatMap((a) => {
      const base = { type: a.id, role: a.roles[0], businessDate: DAY, recordedOn: DAY, reason: a.needsReason ? '理由' : undefined };
      // Items: registered as started, then completed, so write-off becomes reachable.
      return a.item ? [{ ...base, item: { id: '1', title: '事项', status: 'started' as const } }, { ...base, item: { id: '1', status: 'completed' as const } }] : [base];
    });
  };
}

const serialize = (s: Snapshot) => JSON.stringify([s.value, s.context.stages, Object.keys(s.context.events).sort(), s.context.items]);

const CASES: Array<[string, ProcessDefinition, Attributes]> = [
  ['reform plan, ordinary', ProcessDefinitionSchema.parse(REFORM_PLAN), {}],
  ['reform plan, major party document', ProcessDefinitionSchema.parse(REFORM_PLAN), { major: true, party_document: true }],
  ['reform plan, government duties', ProcessDefinitionSchema.parse(REFORM_PLAN), { government_duties: true }],
  ['reform plan, every consultation', ProcessDefinitionSchema.parse(REFORM_PLAN), { cross_department: true, affects_public: true, technical: true, stability_risk: true }],
  ['pilot', ProcessDefinitionSchema.parse(PILOT), {}],
  ['central integration', ProcessDefinitionSchema.parse(CENTRAL_INTEGRATION), { central_plan: true }],
];

describe.each(CASES)('%s', (_name, def, attributes) => {
  const machine = buildMachine(def);
  const options = { events: eventsFor(def), input: { attributes, events: { registered: '2026-01-05' } }, serializeState: serialize };
  const paths = getShortestPaths(machine, options);

  it('reaches a final state', () => {
    const finals = paths.filter((p) => p.state.status === 'done');
    expect(finals.length).toBeGreaterThan(0);
    expect(def.stages.find((s) => s.id === finals[0].state.value)!.final).toBe(true);
  });

  it('has no dead end: from every reachable state some path leads to a final state', () => {
    const stuck = paths
      .map((p) => p.state)
      .filter((s) => s.status !== 'done')
      .filter((s) => !getShortestPaths(machine, { ...options, fromState: s, stopWhen: (x: Snapshot) => x.status === 'done' }).some((p) => p.state.status === 'done'))
      .map((s) => String(s.value));
    expect(stuck).toEqual([]);
  });
});
