/**
 * Generated versions of a procedure, for property tests of migration: a first version, and later
 * versions made from it by adding, removing and renaming stages, actions and deadlines, as an
 * office editing its rules would. Every version is valid (checkReferences) and every stage that
 * is not final has an action its first role may always take, so a plan can always move on.
 */
import { checkReferences, ProcessDefinition, ProcessDefinitionSchema } from '@reform/definitions';
import fc from 'fast-check';

interface ActionModel {
  id: string;
  label: string;
  records: string[];
}
interface StageModel {
  id: string;
  label: string;
  /** Leads to the next stage; always offered to role `ra`. */
  forward: ActionModel;
  /** Stays in the stage, recording an event. */
  others: ActionModel[];
  /** Sends the plan back to the first stage, with a reason. */
  back?: ActionModel;
}
interface DeadlineModel {
  id: string;
  label: string;
  from: string;
  metBy: string;
  days: number;
  repeat: boolean;
  levels: number;
}
export interface VersionModel {
  version: number;
  stages: StageModel[];
  deadlines: DeadlineModel[];
}

export const EVENTS = ['registered', 'e1', 'e2', 'e3', 'e4'] as const;
const RECORDABLE = EVENTS.slice(1);

const action = (id: string, records: string[]): ActionModel => ({ id, label: `操作${id}`, records });

const actionArb = (id: string) => fc.subarray([...RECORDABLE], { maxLength: 2 }).map((records) => action(id, records));

const stageArb = (i: number): fc.Arbitrary<StageModel> =>
  fc
    .record({
      forward: actionArb(`go_${i}`),
      others: fc.array(fc.nat({ max: 3 }), { maxLength: 2 }).chain((ns) => fc.tuple(...ns.map((n, k) => actionArb(`do_${i}_${k}_${n}`)))),
      back: fc.option(actionArb(`back_${i}`), { nil: undefined }),
    })
    .map((s) => ({ id: `s${i}`, label: `阶段${i}`, ...s }));

const deadlineArb = (i: number): fc.Arbitrary<DeadlineModel> =>
  fc.record({
    id: fc.constant(`d${i}`),
    label: fc.constant(`时限${i}`),
    from: fc.constantFrom(...EVENTS),
    metBy: fc.constantFrom(...RECORDABLE),
    days: fc.integer({ min: 1, max: 40 }),
    repeat: fc.boolean(),
    levels: fc.nat({ max: 3 }),
  });

export const firstVersionArb: fc.Arbitrary<VersionModel> = fc
  .record({ stages: fc.integer({ min: 1, max: 5 }), deadlines: fc.integer({ min: 0, max: 4 }) })
  .chain(({ stages, deadlines }) =>
    fc.record({
      version: fc.constant(1),
      stages: fc.tuple(...Array.from({ length: stages }, (_, i) => stageArb(i))),
      deadlines: deadlines ? fc.tuple(...Array.from({ length: deadlines }, (_, i) => deadlineArb(i))) : fc.constant([]),
    }),
  );

/** One edit an office might make between versions. `at` picks the stage, action or deadline. */
export type Edit =
  | { kind: 'addStage' | 'removeStage' | 'renameStage' | 'addAction' | 'removeAction' | 'renameAction' | 'addDeadline' | 'removeDeadline' | 'renameDeadline' | 'retime'; at: number };

export const editsArb: fc.Arbitrary<Edit[]> = fc.array(
  fc.record({
    kind: fc.constantFrom<Edit['kind']>('addStage', 'removeStage', 'renameStage', 'addAction', 'removeAction', 'renameAction', 'addDeadline', 'removeDeadline', 'renameDeadline', 'retime'),
    at: fc.nat(),
  }),
  { minLength: 1, maxLength: 5 },
);

/** The next version: the edits applied in order (an edit with nothing to act on does nothing). */
export function nextVersion(v: VersionModel, edits: Edit[]): VersionModel {
  const next: VersionModel = { version: v.version + 1, stages: v.stages.map((s) => ({ ...s, others: [...s.others] })), deadlines: [...v.deadlines] };
  const tag = `v${next.version}`;
  edits.forEach((e, k) => {
    const fresh = `${tag}_${k}`;
    const stage = next.stages.length ? next.stages[e.at % next.stages.length] : undefined;
    const i = e.at % Math.max(1, next.deadlines.length);
    switch (e.kind) {
      case 'addStage':
        next.stages.splice(e.at % (next.stages.length + 1), 0, { id: `s_${fresh}`, label: `新阶段${fresh}`, forward: action(`go_${fresh}`, ['e1']), others: [] });
        break;
      case 'removeStage':
        if (next.stages.length > 1) next.stages.splice(e.at % next.stages.length, 1);
        break;
      case 'renameStage':
        if (stage) stage.id = `${stage.id}_${fresh}`;
        break;
      case 'addAction':
        if (stage) stage.others.push(action(`do_${fresh}`, e.at % 2 ? ['e2'] : []));
        break;
      case 'removeAction':
        if (stage?.others.length) stage.others.splice(e.at % stage.others.length, 1);
        else if (stage?.back) stage.back = undefined;
        break;
      case 'renameAction':
        if (stage) stage.forward = { ...stage.forward, id: `${stage.forward.id}_${fresh}` };
        break;
      case 'addDeadline':
        next.deadlines.push({ id: `d_${fresh}`, label: `新时限${fresh}`, from: EVENTS[e.at % EVENTS.length], metBy: RECORDABLE[e.at % RECORDABLE.length], days: 5 + (e.at % 30), repeat: e.at % 3 === 0, levels: e.at % 4 });
        break;
      case 'removeDeadline':
        if (next.deadlines.length) next.deadlines.splice(i, 1);
        break;
      case 'renameDeadline':
        if (next.deadlines.length) next.deadlines[i] = { ...next.deadlines[i], id: `${next.deadlines[i].id}_${fresh}`, label: `${next.deadlines[i].label}(改)` };
        break;
      case 'retime':
        if (next.deadlines.length) next.deadlines[i] = { ...next.deadlines[i], days: 1 + ((next.deadlines[i].days + e.at) % 60) };
        break;
    }
  });
  return next;
}

const LADDER = [
  { kind: 'reminder', trigger: { type: 'beforeDue', offset: { amount: 2, unit: 'days' } }, to: ['ra'], source: 'A1' },
  { kind: 'supervision', trigger: { type: 'dueEnded' }, to: ['ra'], cc: ['rb'], limit: { amount: 5, unit: 'days' }, source: 'A1' },
  { kind: 'public_naming', trigger: { type: 'previousLimitEnded' }, to: ['ra'], source: 'A1' },
];

/** The procedure definition of a version, as the rules compiler would publish it. */
export function definitionOf(v: VersionModel, id = 'generated'): ProcessDefinition {
  const stageIds = [...v.stages.map((s) => s.id), 'closed'];
  const parsed = ProcessDefinitionSchema.parse({
    id,
    version: v.version,
    title: '生成的流程',
    source: 'A1',
    roles: [
      { id: 'ra', label: '牵头单位' },
      { id: 'rb', label: '改革办' },
    ],
    events: EVENTS.map((e) => ({ id: e, label: `事件${e}` })),
    stages: [
      ...v.stages.map((s, i) => ({
        id: s.id,
        label: s.label,
        actions: [
          { id: s.forward.id, label: s.forward.label, roles: ['ra'], to: stageIds[i + 1], records: s.forward.records },
          ...s.others.map((a) => ({ id: a.id, label: a.label, roles: ['ra', 'rb'], records: a.records })),
          ...(s.back && i > 0 ? [{ id: s.back.id, label: s.back.label, roles: ['rb'], to: stageIds[0], needsReason: true, records: s.back.records }] : []),
        ],
      })),
      { id: 'closed', label: '办结', final: true },
    ],
    deadlines: v.deadlines.map((d) => ({
      id: d.id,
      label: d.label,
      source: 'A1',
      from: { event: d.from },
      within: { amount: d.days, unit: 'days' },
      metBy: { event: d.metBy },
      ...(d.repeat ? { repeat: { every: { amount: d.days, unit: 'days' } } } : {}),
      ladder: LADDER.slice(0, d.levels),
    })),
  });
  const checked = checkReferences(parsed);
  if (!checked.value) throw new Error(`generated an invalid version: ${JSON.stringify(checked.diagnostics)}`);
  return checked.value;
}
