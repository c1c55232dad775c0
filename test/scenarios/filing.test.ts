import { addDays, SHIPPED_HOLIDAYS } from '@reform/calendar';
import { ProcessDefinitionSchema } from '@reform/definitions';
import { standardProcedure } from '@reform/procedures';
import { dateIn, nextCommonYear, nextLeapYear, workingDaysBefore } from '../support/dates';
import { Harness } from '../support/harness';
import { TO_ISSUANCE_SIMPLE } from '../support/paths';

const REFORM_PLAN = standardProcedure('reform_plan');

const plan = ProcessDefinitionSchema.parse(REFORM_PLAN);

describe('filing within one month of issuance (A9)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create();
  });
  afterAll(() => h?.close());

  it('a plan issued on 31 January is reminded before the last day of February and supervised once that day has ended', async () => {
    // The next common year after the server's today: February has 28 days.
    const year = nextCommonYear(await h.today());
    const due = dateIn(year, 2, 28);
    // The standard ladder (common.rules): reminded 5 working days before the due date (weekends,
    // and the holidays of the calendar the plan runs on), supervised once the due date has ended.
    const remindOn = workingDaysBefore(due, 5, SHIPPED_HOLIDAYS);
    const handle = await h.start(plan);
    await h.actAll(handle, TO_ISSUANCE_SIMPLE);
    await h.travelTo(dateIn(year, 1, 31), 9 * 60);
    const issued = await h.act(handle, 'issue', 'lead_unit');
    const filing = issued.deadlines.find((d) => d.id === 'filing')!;
    expect(issued.stage.id).toBe('filing');
    expect(filing).toMatchObject({ anchor: dateIn(year, 1, 31), due, status: 'open' });
    expect(filing.explanation.join('\n')).toContain('2月没有31日');

    await h.travelTo(addDays(remindOn, -1), 23 * 60);
    expect((await h.view(handle)).letters).toEqual([]);
    await h.travelTo(remindOn, 1);
    let view = await h.eventually(() => h.view(handle), (v) => v.letters.length === 1);
    expect(view.letters.map((l) => [l.kind, l.issuedOn])).toEqual([['reminder', remindOn]]);

    await h.travelTo(due, 23 * 60 + 59);
    expect((await h.view(handle)).letters).toHaveLength(1);
    await h.travelTo(dateIn(year, 3, 1), 1);
    view = await h.eventually(() => h.view(handle), (v) => v.letters.length === 2);
    expect(view.letters.map((l) => [l.kind, l.issuedOn])).toEqual([
      ['reminder', remindOn],
      ['supervision', dateIn(year, 3, 1)],
    ]);

    const stored = await h.letters.forWorkflow(handle.workflowId);
    expect(stored.map((l) => l.kind)).toEqual(['reminder', 'supervision']);
    expect(stored[1].number).toMatch(new RegExp(`^改办函〔${year}〕\\d+号$`));
    expect(stored[1].body).toContain(`${year}年2月28日`);
    expect(stored[1].body).toContain(view.letters[1].limitUntil!.slice(0, 4));
    expect(JSON.parse(stored[1].copyTo)).toEqual([{ role: 'special_group', name: '经济体制改革专项小组' }]);
    await h.record(handle, 'filing-late'); // recorded before the single wake timer
    await h.record(handle, 'filing-late-single-timer');
  });

  // The clock of the test server only moves forward, so this one lives in the next leap year.
  it('filing in time sends nothing', async () => {
    const year = nextLeapYear(await h.today());
    const handle = await h.start(plan);
    await h.actAll(handle, TO_ISSUANCE_SIMPLE);
    await h.travelTo(dateIn(year, 1, 31), 9 * 60);
    await h.act(handle, 'issue', 'lead_unit');
    await h.travelTo(dateIn(year, 2, 10), 10 * 60);
    const filed = await h.act(handle, 'file', 'lead_unit');
    expect(filed.stage.id).toBe('implementation');
    expect(filed.deadlines.find((d) => d.id === 'filing')!.due).toBe(dateIn(year, 2, 29));
    expect(filed.deadlines.find((d) => d.id === 'filing')).toMatchObject({ status: 'met', metOn: dateIn(year, 2, 10), late: false });

    await h.travelTo(dateIn(year, 4, 1));
    const view = await h.view(handle);
    expect(view.letters.filter((l) => l.deadlineKey.startsWith('filing'))).toEqual([]);
    expect(await h.letters.forWorkflow(handle.workflowId)).toEqual([]);
    await h.record(handle, 'filing-in-time');
  });
});
