import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import { ProcessDefinition, ProcessDefinitionSchema } from '@reform/definitions';
import { EXAMPLE_PLAN, standardProcedure } from '@reform/procedures';
import { initialContext } from './context';
import { applyEvent } from './deadlines';
import { planMigration } from './migrate';
import { PlanSnapshot } from './simulate';
import { planView } from './view';

const REFORM_PLAN = standardProcedure('reform_plan');

const V1: ProcessDefinition = ProcessDefinitionSchema.parse(REFORM_PLAN);
const CAL = SHIPPED_HOLIDAYS;
/** Version 2 withdraws the one-year retrospective (实施满一年“回头看”); version 3 changes nothing else. */
const V2: ProcessDefinition = { ...V1, version: 2, deadlines: V1.deadlines.filter((d) => d.id !== 'retrospective') };
const V3: ProcessDefinition = { ...V2, version: 3 };

function snapshotAt(def: ProcessDefinition): PlanSnapshot {
  const events = [
    { event: 'registered', date: '2026-03-01' },
    { event: 'issued', date: '2026-03-10' },
  ];
  let deadlines = applyEvent(def, CAL, [], {}, 'registered', '2026-03-01');
  deadlines = applyEvent(def, CAL, deadlines, {}, 'issued', '2026-03-10');
  return { workflowId: 'wf', definition: def, calendar: CAL, attributes: {}, events, deadlines, stage: 'filing', finished: false };
}

const viewOf = (snap: PlanSnapshot) =>
  planView({
    workflowId: snap.workflowId,
    def: snap.definition,
    calendar: CAL,
    plan: { ...EXAMPLE_PLAN, goals: [] },
    state: { stage: snap.stage, context: initialContext({ attributes: {}, events: {} }) },
    deadlines: snap.deadlines,
    now: Date.parse('2026-03-20T02:00:00Z'),
  });

describe('a deadline a migration withdrew', () => {
  it('is shown by the name it was opened under, cancelled and not late, with no next letter', () => {
    const moved = planMigration(snapshotAt(V1), V2, 'keep', CAL);
    expect(moved.problems).toEqual([]);
    const view = viewOf({ ...snapshotAt(V1), definition: V2, deadlines: moved.deadlines });
    expect(view.deadlines.find((d) => d.key === 'retrospective#0')).toMatchObject({ label: '实施满一年“回头看”', status: 'cancelled', late: false, next: undefined });
    expect(view.deadlines.find((d) => d.key === 'filing#0')).toMatchObject({ label: '方案备案', status: 'open' });
  });

  it('keeps its name through a later move, under both deadline policies', () => {
    const moved = planMigration(snapshotAt(V1), V2, 'recompute', CAL);
    const onV2: PlanSnapshot = { ...snapshotAt(V1), definition: V2, deadlines: moved.deadlines };
    for (const policy of ['keep', 'recompute'] as const) {
      const again = planMigration(onV2, V3, policy, CAL);
      expect(again.problems).toEqual([]);
      expect(again.changes.find((c) => c.key === 'retrospective#0')).toMatchObject({ label: '实施满一年“回头看”' });
      expect(viewOf({ ...onV2, definition: V3, deadlines: again.deadlines }).deadlines.find((d) => d.key === 'retrospective#0')).toMatchObject({
        label: '实施满一年“回头看”',
        status: 'cancelled',
      });
    }
  });

  it('falls back to its id for a state recorded without a name', () => {
    const moved = planMigration(snapshotAt(V1), V2, 'keep', CAL);
    const unnamed = moved.deadlines.map(({ label: _label, ...s }) => s);
    expect(viewOf({ ...snapshotAt(V1), definition: V2, deadlines: unnamed }).deadlines.find((d) => d.key === 'retrospective#0')!.label).toBe('retrospective');
  });
});
