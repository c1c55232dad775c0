import { addDays, LocalDate, SHIPPED_HOLIDAYS } from '@reform/calendar';
import { ProcessDefinitionSchema } from '@reform/definitions';
import { standardProcedure } from '@reform/procedures';
import { dateIn, plusMonths, workingDaysBefore, yearOf } from '../support/dates';
import { Harness } from '../support/harness';

const LEADER_LED = ProcessDefinitionSchema.parse(standardProcedure('leader_led'));
const BLOCKED = ProcessDefinitionSchema.parse(standardProcedure('blocked_reform'));

/** The first 31 December after a date (截至 12月31日: the day itself excluded). */
const nextYearEnd = (date: LocalDate): LocalDate => (date < dateIn(yearOf(date), 12, 31) ? dateIn(yearOf(date), 12, 31) : dateIn(yearOf(date) + 1, 12, 31));

/**
 * The standard procedures of leader-led reforms (rules/standard/leader-led.rules, H3) and of
 * monthly dispatch of blocked reforms (rules/standard/blocked-reform.rules, W6) on the engine,
 * over the time-skipping server: their cadences fall due and draw their letters, and a met
 * occurrence opens the next. Dates from the server's clock.
 */
describe('leader-led reforms (H3) and monthly dispatch of blocked reforms (W6)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create();
  });
  afterAll(() => h?.close());

  it('leader-led: quarterly dispatch, half-year supervision and year-end evaluation fall due; a missed quarter draws its reminder and supervision letter', async () => {
    const today = await h.today();
    const handle = await h.start(LEADER_LED);
    const started = await h.view(handle);
    const byId = Object.fromEntries(started.deadlines.map((d) => [d.id, d]));
    // leader-led.rules: 期限 3 个月 / 6 个月 from leader_assigned (the registration day); 满 1 个月 截至 12月31日.
    expect(byId.quarterly_dispatch).toMatchObject({ due: plusMonths(today, 3), source: 'H3', status: 'open' });
    expect(byId.half_year_supervision).toMatchObject({ due: plusMonths(today, 6), source: 'H3' });
    expect(byId.year_end_evaluation).toMatchObject({ due: nextYearEnd(plusMonths(today, 1)), source: 'H3' });

    // The first quarter passes without a dispatch: reminded 5 working days before (H3), supervised the day after (Y9).
    const due = plusMonths(today, 3);
    await h.travelTo(addDays(due, 1), 10 * 60);
    const late = await h.eventually(() => h.view(handle), (v) => v.letters.filter((l) => l.deadlineKey.startsWith('quarterly_dispatch')).length >= 2);
    const quarterly = (await h.letters.forWorkflow(handle.workflowId)).filter((l) => l.deadlineId === 'quarterly_dispatch');
    expect(quarterly.map((l) => [l.kind, l.issuedOn, l.ruleId, l.deadlineRuleId])).toEqual([
      ['reminder', workingDaysBefore(due, 5, SHIPPED_HOLIDAYS), 'H3', 'H3'],
      ['supervision', addDays(due, 1), 'Y9', 'H3'],
    ]);
    expect(late.deadlines.find((d) => d.id === 'quarterly_dispatch')!.late).toBe(true);

    // The dispatch reported: that quarter met, the next falls due six months after the start.
    const met = await h.act(handle, 'report_quarterly_dispatch', 'lead_unit');
    expect(met.deadlines.filter((d) => d.id === 'quarterly_dispatch').map((d) => [d.due, d.status])).toEqual([
      [due, 'met'],
      [plusMonths(today, 6), 'open'],
    ]);
    // Completing the task needs the year-end evaluation first (须已记录 year_end_evaluated).
    const refused = (await h.actOnly(handle, 'complete', 'leading_group').then(
      () => undefined,
      (e: unknown) => e,
    )) as { cause?: { message?: string } } | undefined;
    expect(refused?.cause?.message).toContain('完成年底总结评估');
    expect((await h.view(handle)).stage.id).toBe('implementing');
  });

  it('blocked reform: a dispatch meeting falls due every month until resolved; a missed month draws its letters, a resolved one no more', async () => {
    const today = await h.today();
    const handle = await h.start(BLOCKED);
    const due = plusMonths(today, 1);
    expect((await h.view(handle)).deadlines.map((d) => [d.id, d.due, d.source])).toEqual([['monthly_dispatch', due, 'W6']]);

    await h.travelTo(addDays(due, 1), 10 * 60);
    await h.eventually(() => h.view(handle), (v) => v.letters.length >= 2);
    const letters = await h.letters.forWorkflow(handle.workflowId);
    expect(letters.map((l) => [l.kind, l.issuedOn, l.ruleId])).toEqual([
      ['reminder', workingDaysBefore(due, 3, SHIPPED_HOLIDAYS), 'W6'],
      ['supervision', addDays(due, 1), 'W6'],
    ]);

    // The meeting held: next month's falls due; resolving ends the cadence (a final stage withdraws it).
    const held = await h.act(handle, 'record_dispatch_meeting', 'reform_office');
    expect(held.deadlines.filter((d) => d.id === 'monthly_dispatch').map((d) => [d.due, d.status])).toEqual([
      [due, 'met'],
      [plusMonths(today, 2), 'open'],
    ]);
    const resolved = await h.act(handle, 'resolve', 'reform_office');
    expect(resolved.finished).toBe(true);
    await h.travelTo(addDays(plusMonths(today, 2), 2), 10 * 60);
    expect((await h.letters.forWorkflow(handle.workflowId)).length).toBe(2);
  });
});
