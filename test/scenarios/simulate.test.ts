import { endOfLocalDay, SHIPPED_HOLIDAYS, startOfLocalDay } from '@reform/calendar';
import { ProcessDefinitionSchema } from '@reform/definitions';
import { PlanSnapshot, recomputeDeadlines, SimulatedLetter, simulateLetters } from '@reform/machine';
import { standardProcedure } from '@reform/procedures';
import { snapshotQuery } from '@reform/workflows';
import { WorkflowHandle } from '@temporalio/client';
import { dateIn, nextYear, workingDaysAfter } from '../support/dates';
import { Harness } from '../support/harness';
import { TO_ISSUANCE_SIMPLE } from '../support/paths';
import { reformPlanWithFilingWithin } from '../support/rules';

const REFORM_PLAN = standardProcedure('reform_plan');

const current = ProcessDefinitionSchema.parse(REFORM_PLAN);


const sent = (letters: Array<{ deadlineKey: string; level: number; kind: string; issuedOn: string; limitUntil?: string }>) =>
  letters.map((l) => `${l.deadlineKey} ${l.level} ${l.kind} ${l.issuedOn} ${l.limitUntil ?? ''}`).sort();

describe('what-if simulation is the engine’s own schedule', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create();
  });
  afterAll(() => h?.close());

  it('predicts exactly the letters a plan is then sent, under its own rules and under proposed ones', async () => {
    const proposed = reformPlanWithFilingWithin('20 个工作日');
    expect(proposed.deadlines.find((d) => d.id === 'filing')!.within).toEqual({ amount: 20, unit: 'workingDays' });
    // Plan A runs the current rules; plan B runs the proposed ones with the same business dates.
    const a = await h.start(current);
    const b = await h.start(proposed);
    const year = nextYear(await h.today());
    const issuedOn = dateIn(year, 3, 10);
    for (const handle of [a, b]) await h.actAll(handle, TO_ISSUANCE_SIMPLE);
    await h.travelTo(issuedOn, 9 * 60);
    for (const handle of [a, b]) await h.act(handle, 'issue', 'lead_unit');

    const snap: PlanSnapshot = await a.query(snapshotQuery);
    expect(snap.events.map((e) => e.event)).toEqual(['registered', 'central_plan_issued', 'draft_submitted', 'research_done', 'issued']);
    // Counting again under the same rules gives back exactly the engine's deadlines.
    expect(recomputeDeadlines(snap.definition, snap.calendar, snap)).toEqual(snap.deadlines);

    const now = await h.env.currentTimeMs();
    const until = endOfLocalDay(dateIn(year, 6, 30));
    const predictedA = simulateLetters(snap.definition, snap.calendar, snap.deadlines, now, until);
    const predictedB = simulateLetters(proposed, SHIPPED_HOLIDAYS, recomputeDeadlines(proposed, SHIPPED_HOLIDAYS, snap), now, until);
    expect(predictedA.map((l) => l.kind)).toEqual(['reminder', 'supervision', 'public_naming', 'interview']);
    expect(predictedB[0]).toMatchObject({ deadlineId: 'filing', due: workingDaysAfter(issuedOn, 20, SHIPPED_HOLIDAYS) });
    expect(sent(predictedA)).not.toEqual(sent(predictedB));

    // Let the engine run through every predicted moment.
    const moments = [...new Set([...predictedA, ...predictedB].map((l) => l.issuedOn))].sort();
    let expected = 0;
    for (const day of moments) {
      await h.travelTo(day, 1);
      expected += [...predictedA, ...predictedB].filter((l) => l.issuedOn === day).length;
      await h.eventually(
        async () => (await h.view(a)).letters.length + (await h.view(b)).letters.length,
        (n) => n >= expected,
      );
    }
    await h.travelTo(dateIn(year, 7, 1), 1);
    const actual = async (handle: WorkflowHandle) => (await h.view(handle)).letters.filter((l) => l.issuedOn <= dateIn(year, 6, 30));
    expect(sent(await actual(a))).toEqual(sent(predictedA));
    expect(sent(await actual(b))).toEqual(sent(predictedB));

    // Letters already sent stay sent when counting again: nothing would go out twice.
    const later: PlanSnapshot = await a.query(snapshotQuery);
    expect(recomputeDeadlines(later.definition, later.calendar, later)).toEqual(later.deadlines);
    const again: SimulatedLetter[] = simulateLetters(later.definition, later.calendar, later.deadlines, startOfLocalDay(dateIn(year, 7, 1)), until + 86_400_000 * 30);
    expect(again.filter((l) => l.deadlineId === 'filing')).toEqual([]);
  });
});
