import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import { ProcessDefinitionSchema } from '@reform/definitions';
import { standardProcedure } from '@reform/procedures';
import { dateIn, nextLeapYear, nextYear, workingDaysBefore, yearOf } from '../support/dates';
import { Harness } from '../support/harness';
import { TO_ISSUANCE_SIMPLE } from '../support/paths';

const CENTRAL_INTEGRATION = standardProcedure('central_integration');
const PILOT = standardProcedure('pilot');
const REFORM_PLAN = standardProcedure('reform_plan');

const plan = ProcessDefinitionSchema.parse(REFORM_PLAN);
const pilot = ProcessDefinitionSchema.parse(PILOT);
const central = ProcessDefinitionSchema.parse(CENTRAL_INTEGRATION);

// One server clock for the file, moving only forward: each case picks dates after the last.
describe('deadlines counted from business dates', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create();
  });
  afterAll(() => h?.close());

  it('central integration: the matching plan is due half a year after the central plan (S1), and a past due date fires at once', async () => {
    // Registered today, but the central plan was issued long ago: the deadline is already past.
    const now = await h.today();
    const lastYear = yearOf(now) - 1;
    const handle = await h.start(central, { startEvents: { central_plan_issued: dateIn(lastYear, 3, 15) } });
    const view = await h.eventually(() => h.view(handle), (v) => v.letters.length >= 1);
    const matching = view.deadlines.find((d) => d.id === 'matching_plan')!;
    expect(matching).toMatchObject({ anchor: dateIn(lastYear, 3, 15), due: dateIn(lastYear, 9, 15), status: 'open', source: 'S1' });
    // The reminder's moment passed with the due date, so the first letter is the supervision letter, sent today.
    expect(view.letters.map((l) => [l.kind, l.issuedOn])).toEqual([['supervision', now]]);
    expect(view.deadlines.find((d) => d.id === 'matching_plan')!.letters).toHaveLength(1);
    await h.record(handle, 'central-integration-past-due');
  });

  it('one-year retrospective falls due a year after issuance (A16); the half-year report every six months (A12)', async () => {
    // Issued on the last day of a year, recorded a few days into the next.
    const year = nextYear(await h.today());
    const handle = await h.start(plan);
    await h.actAll(handle, TO_ISSUANCE_SIMPLE);
    await h.travelTo(dateIn(year, 1, 5), 10 * 60);
    const view = await h.act(handle, 'issue', 'lead_unit', { businessDate: dateIn(year - 1, 12, 31) });
    const byId = Object.fromEntries(view.deadlines.map((d) => [d.id, d]));
    expect(byId.retrospective).toMatchObject({ anchor: dateIn(year - 1, 12, 31), due: dateIn(year, 12, 31), source: 'A16' });
    expect(byId.half_year_report).toMatchObject({ due: dateIn(year, 6, 30), source: 'A12' });
    expect(byId.filing).toMatchObject({ due: dateIn(year, 1, 31) });

    await h.act(handle, 'file', 'lead_unit');
    await h.travelTo(dateIn(year, 6, 20));
    const reported = await h.act(handle, 'submit_report', 'lead_unit');
    const reports = reported.deadlines.filter((d) => d.id === 'half_year_report');
    expect(reports.map((d) => [d.due, d.status])).toEqual([
      [dateIn(year, 6, 30), 'met'],
      [dateIn(year, 12, 31), 'open'],
    ]);

    // The retrospective deadline passes without the report: reminded 5 working days before it
    // (the standard ladder), the supervision letter follows at midnight.
    await h.travelTo(dateIn(year + 1, 1, 1), 5);
    const late = await h.eventually(() => h.view(handle), (v) => v.letters.some((l) => l.deadlineKey.startsWith('retrospective') && l.kind === 'supervision'));
    expect(late.letters.filter((l) => l.deadlineKey.startsWith('retrospective')).map((l) => [l.kind, l.issuedOn])).toEqual([
      ['reminder', workingDaysBefore(dateIn(year, 12, 31), 5, SHIPPED_HOLIDAYS)],
      ['supervision', dateIn(year + 1, 1, 1)],
    ]);
    await h.record(handle, 'retrospective-and-reports');
  });

  it('pilot: summary report due two months after the pilot ends (A16), final evaluation with one of four outcomes (S5)', async () => {
    // In the next leap year, so the pilot can end on 29 February.
    const year = nextLeapYear(await h.today());
    await h.travelTo(dateIn(year, 2, 1));
    const handle = await h.start(pilot, { startEvents: { pilot_started: dateIn(year - 1, 12, 1) } });
    let view = await h.view(handle);
    expect(view.deadlines.find((d) => d.id === 'phase_evaluation')).toMatchObject({ due: dateIn(year, 6, 1), status: 'open' });

    await h.travelTo(dateIn(year, 3, 10));
    view = await h.act(handle, 'end_pilot', 'lead_unit', { businessDate: dateIn(year, 2, 29) });
    expect(view.stage.id).toBe('summary');
    expect(view.deadlines.find((d) => d.id === 'pilot_summary')).toMatchObject({ anchor: dateIn(year, 2, 29), due: dateIn(year, 4, 29), status: 'open' });

    view = await h.act(handle, 'submit_summary', 'lead_unit');
    expect(view.stage.id).toBe('final_evaluation');
    expect(view.actions.reform_office.map((a) => a.action)).toEqual(['evaluate_completed', 'evaluate_continue', 'evaluate_stopped', 'evaluate_promoted']);
    view = await h.act(handle, 'evaluate_promoted', 'reform_office');
    expect(view.finished).toBe(true);
    expect(view.deadlines.every((d) => d.status !== 'open')).toBe(true);
    await expect(handle.result()).resolves.toMatchObject({ stage: { id: 'closed' } });
    await h.record(handle, 'pilot-promoted');
  });
});
