import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import { ProcessDefinition, ProcessDefinitionSchema } from '@reform/definitions';
import { standardProcedure } from '@reform/procedures';
import { applyEvent } from './deadlines';
import { planMigration } from './migrate';
import { PlanSnapshot } from './simulate';

const REFORM_PLAN = standardProcedure('reform_plan');

const V1: ProcessDefinition = ProcessDefinitionSchema.parse(REFORM_PLAN);
const CAL = SHIPPED_HOLIDAYS;

function snapshotAfterIssue(issuedOn: string): PlanSnapshot {
  const events = [
    { event: 'registered', date: '2026-03-01' },
    { event: 'issued', date: issuedOn },
  ];
  let deadlines = applyEvent(V1, CAL, [], {}, 'registered', '2026-03-01');
  deadlines = applyEvent(V1, CAL, deadlines, {}, 'issued', issuedOn);
  // The reminder of the filing deadline has gone out.
  deadlines = deadlines.map((s) => (s.key === 'filing#0' ? { ...s, nextLevel: 1, letters: [{ level: 0, kind: 'reminder', letterId: 'l1', number: '改办函〔2026〕1号', issuedOn: '2026-04-03' }] } : s));
  return { workflowId: 'wf', definition: V1, calendar: CAL, attributes: {}, events, deadlines, stage: 'filing', finished: false };
}

/** Version 2: filing in 15 days, no retrospective, and a new deadline counted from issuance. */
const V2: ProcessDefinition = {
  ...V1,
  version: 2,
  deadlines: [
    ...V1.deadlines.filter((d) => d.id !== 'retrospective').map((d) => (d.id === 'filing' ? { ...d, within: { amount: 15, unit: 'days' as const } } : d)),
    { ...V1.deadlines.find((d) => d.id === 'filing')!, id: 'publicity', label: '方案公开', within: { amount: 20, unit: 'days' as const }, metBy: { event: 'filed' } },
  ],
};

describe('planMigration', () => {
  const snap = snapshotAfterIssue('2026-04-10');
  const row = (policy: 'keep' | 'recompute', key: string) => planMigration(snap, V2, policy, CAL).changes.find((c) => c.key === key);

  it('keep: due dates stay, what v2 drops is withdrawn with its letters, what v2 adds is counted from the events on record', () => {
    const move = planMigration(snap, V2, 'keep', CAL);
    expect(move.problems).toEqual([]);
    expect(row('keep', 'filing#0')).toEqual({ key: 'filing#0', deadlineId: 'filing', label: '方案备案', change: 'kept', before: '2026-05-10', after: '2026-05-10' });
    expect(row('keep', 'retrospective#0')).toMatchObject({ change: 'withdrawn', before: '2027-04-10' });
    expect(row('keep', 'publicity#0')).toMatchObject({ change: 'added', after: '2026-04-30' });
    expect(move.deadlines.find((s) => s.key === 'retrospective#0')!.status).toBe('cancelled');
    expect(move.deadlines.find((s) => s.key === 'filing#0')!.letters).toHaveLength(1);
  });

  it('recompute: due dates follow v2 from the business dates, letters sent stay sent', () => {
    const move = planMigration(snap, V2, 'recompute', CAL);
    expect(row('recompute', 'filing#0')).toMatchObject({ change: 'moved', before: '2026-05-10', after: '2026-04-25' });
    const filing = move.deadlines.find((s) => s.key === 'filing#0')!;
    expect([filing.nextLevel, filing.letters.map((l) => l.number)]).toEqual([1, ['改办函〔2026〕1号']]);
    expect(row('recompute', 'half_year_report#0')).toMatchObject({ change: 'unchanged' });
  });

  it('refuses moves it cannot make, and says why', () => {
    expect(planMigration(snap, V1, 'keep', CAL).problems).toEqual(['方案已按第1版办理']);
    expect(planMigration({ ...snap, finished: true }, V2, 'keep', CAL).problems).toEqual(['方案已办结,无需迁移']);
    expect(planMigration(snap, { ...V2, stages: V2.stages.filter((s) => s.id !== 'filing') }, 'keep', CAL).problems).toEqual(['方案当前所在阶段「备案」在第2版中不存在']);
    expect(planMigration({ ...snap, attributes: { major: true } }, { ...V2, attributes: [] }, 'keep', CAL).problems).toEqual(['方案的属性 major 在第2版中不存在']);
  });
});
