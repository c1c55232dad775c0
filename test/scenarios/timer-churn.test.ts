import { ProcessDefinitionSchema } from '@reform/definitions';
import { standardProcedure } from '@reform/procedures';
import { viewQuery } from '@reform/workflows';
import { Harness } from '../support/harness';
import { TO_ISSUANCE_SIMPLE } from '../support/paths';

const REFORM_PLAN = standardProcedure('reform_plan');

const plan = ProcessDefinitionSchema.parse(REFORM_PLAN);

describe('the engine keeps one timer for the next ladder moment', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create();
  });
  afterAll(() => h?.close());

  it('Updates that leave the next moment where it was start and cancel no timers', async () => {
    const handle = await h.start(plan);
    await h.actAll(handle, [...TO_ISSUANCE_SIMPLE, ['issue', 'lead_unit'], ['file', 'lead_unit']]);
    const timers = async () => {
      const events = (await handle.fetchHistory()).events!;
      return { started: events.filter((e) => e.timerStartedEventAttributes).length, cancelled: events.filter((e) => e.timerCanceledEventAttributes).length };
    };
    const before = await timers();
    expect(before.started).toBeGreaterThan(0);

    await h.actAll(handle, [
      ['update_item', 'lead_unit', { item: { id: '1', title: '企业开办一日办结', status: 'started' } }],
      ['update_item', 'lead_unit', { item: { id: '2', title: '证照分离全覆盖', status: 'started' } }],
      ['update_item', 'lead_unit', { item: { id: '1', status: 'completed' } }],
    ]);
    expect(await timers()).toEqual(before);

    // Meeting the deadline whose letter comes next moves the next moment: one timer replaced by one.
    const view = await handle.query(viewQuery);
    const next = view.deadlines.filter((d) => d.next).sort((a, b) => a.next!.at.localeCompare(b.next!.at))[0];
    const metBy = plan.deadlines.find((d) => d.id === next.id)!.metBy.event;
    const action = plan.stages.find((s) => s.id === 'implementation')!.actions.find((a) => a.records.includes(metBy))!;
    await h.act(handle, action.id, action.roles[0]);
    expect(await timers()).toEqual({ started: before.started + 1, cancelled: before.cancelled + 1 });
    await h.record(handle, 'single-wake-timer');
  });
});
