import { ProcessDefinitionSchema } from '@reform/definitions';
import { standardProcedure } from '@reform/procedures';
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
    const handle = await h.start(plan);
    await h.actAll(handle, TO_ISSUANCE_SIMPLE);
    await h.travelTo('2027-01-31', 9 * 60);
    const issued = await h.act(handle, 'issue', 'lead_unit');
    const filing = issued.deadlines.find((d) => d.id === 'filing')!;
    expect(issued.stage.id).toBe('filing');
    expect(filing).toMatchObject({ anchor: '2027-01-31', due: '2027-02-28', status: 'open' });
    expect(filing.explanation.join('\n')).toContain('2月没有31日');

    // 28 Feb 2027 is a Sunday: five working days before it is Monday 22 February.
    await h.travelTo('2027-02-21', 23 * 60);
    expect((await h.view(handle)).letters).toEqual([]);
    await h.travelTo('2027-02-22', 1);
    let view = await h.eventually(() => h.view(handle), (v) => v.letters.length === 1);
    expect(view.letters.map((l) => [l.kind, l.issuedOn])).toEqual([['reminder', '2027-02-22']]);

    await h.travelTo('2027-02-28', 23 * 60 + 59);
    expect((await h.view(handle)).letters).toHaveLength(1);
    await h.travelTo('2027-03-01', 1);
    view = await h.eventually(() => h.view(handle), (v) => v.letters.length === 2);
    expect(view.letters.map((l) => [l.kind, l.issuedOn])).toEqual([
      ['reminder', '2027-02-22'],
      ['supervision', '2027-03-01'],
    ]);

    const stored = await h.letters.forWorkflow(handle.workflowId);
    expect(stored.map((l) => l.kind)).toEqual(['reminder', 'supervision']);
    expect(stored[1].number).toMatch(/^改办函〔2027〕\d+号$/);
    expect(stored[1].body).toContain('2027年2月28日');
    expect(stored[1].body).toContain(view.letters[1].limitUntil!.slice(0, 4));
    expect(JSON.parse(stored[1].copyTo)).toEqual([{ role: 'special_group', name: '经济体制改革专项小组' }]);
    await h.record(handle, 'filing-late'); // recorded before the single wake timer
    await h.record(handle, 'filing-late-single-timer');
  });

  // The clock of the test server only moves forward, so this one lives in 2028 (a leap year).
  it('filing in time sends nothing', async () => {
    const handle = await h.start(plan);
    await h.actAll(handle, TO_ISSUANCE_SIMPLE);
    await h.travelTo('2028-01-31', 9 * 60);
    await h.act(handle, 'issue', 'lead_unit');
    await h.travelTo('2028-02-10', 10 * 60);
    const filed = await h.act(handle, 'file', 'lead_unit');
    expect(filed.stage.id).toBe('implementation');
    expect(filed.deadlines.find((d) => d.id === 'filing')!.due).toBe('2028-02-29');
    expect(filed.deadlines.find((d) => d.id === 'filing')).toMatchObject({ status: 'met', metOn: '2028-02-10', late: false });

    await h.travelTo('2028-04-01');
    const view = await h.view(handle);
    expect(view.letters.filter((l) => l.deadlineKey.startsWith('filing'))).toEqual([]);
    expect(await h.letters.forWorkflow(handle.workflowId)).toEqual([]);
    await h.record(handle, 'filing-in-time');
  });
});
