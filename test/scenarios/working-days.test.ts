import { HolidayCalendar, mergeCalendars, SHIPPED_HOLIDAYS } from '@reform/calendar';
import { ProcessDefinition, ProcessDefinitionSchema } from '@reform/definitions';
import { calendarUpdate } from '@reform/workflows';
import { Harness } from '../support/harness';

// A made-up year so the case does not depend on the published 2027 arrangements.
const CALENDAR_2027: HolidayCalendar = mergeCalendars(SHIPPED_HOLIDAYS, {
  years: [
    {
      year: 2027,
      source: '测试用节假日安排',
      holidays: [{ name: '清明节', from: '2027-04-05', to: '2027-04-07' }],
      workdays: [{ name: '清明节调休', date: '2027-04-10' }],
    },
  ],
});

/** A reply due within five working days of a notice, reminded two working days before. */
const NOTICE: ProcessDefinition = ProcessDefinitionSchema.parse({
  id: 'notice_reply',
  version: 1,
  title: '督办事项答复',
  source: 'Y9',
  roles: [{ id: 'lead_unit', label: '牵头单位', addressee: { plan: 'leadUnit' } }],
  events: [
    { id: 'registered', label: '登记' },
    { id: 'noticed', label: '收到督办通知' },
    { id: 'replied', label: '答复' },
  ],
  stages: [
    { id: 'waiting', label: '待通知', actions: [{ id: 'notice', label: '收到通知', roles: ['lead_unit'], to: 'replying', records: ['noticed'] }] },
    { id: 'replying', label: '答复中', actions: [{ id: 'reply', label: '答复', roles: ['lead_unit'], to: 'done', records: ['replied'] }] },
    { id: 'done', label: '已答复', final: true },
  ],
  deadlines: [
    {
      id: 'reply',
      label: '答复督办事项',
      source: 'Y9',
      from: { event: 'noticed' },
      within: { amount: 5, unit: 'workingDays' },
      metBy: { event: 'replied' },
      ladder: [
        { kind: 'reminder', trigger: { type: 'beforeDue', offset: { amount: 2, unit: 'workingDays' } }, to: ['lead_unit'], source: 'Y9' },
        { kind: 'supervision', trigger: { type: 'dueEnded' }, to: ['lead_unit'], limit: { amount: 3, unit: 'workingDays' }, source: 'Y9' },
      ],
    },
  ],
});

describe('working-day deadlines follow the holiday calendar as data', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create();
  });
  afterAll(() => h?.close());

  it('counts across a national holiday and a make-up working day', async () => {
    const handle = await h.start(NOTICE, { calendar: CALENDAR_2027 });
    await h.travelTo('2027-04-02', 9 * 60);
    const view = await h.act(handle, 'notice', 'lead_unit');
    const reply = view.deadlines[0];
    // Fri 2 Apr → skip the weekend and the 5–7 Apr holiday; Sat 10 Apr is a make-up working day.
    expect(reply.due).toBe('2027-04-13');
    expect(reply.explanation).toEqual([
      '自2027年4月2日起算,5个工作日后为2027年4月13日',
      '跳过法定节假日3天:2027年4月5日(清明节)、2027年4月6日(清明节)、2027年4月7日(清明节)',
      '跳过周末3天',
      '调休上班日计入工作日:2027年4月10日(清明节调休)',
      '共计5个工作日,跨11个日历日',
    ]);

    // Two working days before 13 April: 12 April, then the make-up Saturday.
    await h.travelTo('2027-04-10', 1);
    const reminded = await h.eventually(() => h.view(handle), (v) => v.letters.length === 1);
    expect(reminded.letters.map((l) => [l.kind, l.issuedOn])).toEqual([['reminder', '2027-04-10']]);

    await h.travelTo('2027-04-14', 1);
    const supervised = await h.eventually(() => h.view(handle), (v) => v.letters.length === 2);
    // Its limit: three working days from Wed 14 April.
    expect(supervised.letters[1]).toMatchObject({ kind: 'supervision', issuedOn: '2027-04-14', limitUntil: '2027-04-19' });
    await h.record(handle, 'working-days-notice');
  });
});

describe('a holiday calendar loaded later reaches running plans', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create();
  });
  afterAll(() => h?.close());

  it('counts open working-day deadlines again under the new calendar; a bad calendar is refused', async () => {
    // Started before the 2027 arrangements were published: weekends only for 2027.
    const handle = await h.start(NOTICE, { calendar: SHIPPED_HOLIDAYS });
    await h.travelTo('2027-04-02', 9 * 60);
    let view = await h.act(handle, 'notice', 'lead_unit');
    expect(view.deadlines[0].due).toBe('2027-04-09');
    expect(view.deadlines[0].explanation).toContain('尚未载入2027年节假日安排,该年仅按周末计算');

    const moved = await handle.executeUpdate(calendarUpdate, { args: [CALENDAR_2027] });
    expect(moved).toEqual([{ key: 'reply#0', from: '2027-04-09', to: '2027-04-13' }]);
    view = await h.view(handle);
    expect(view.deadlines[0].due).toBe('2027-04-13');

    await expect(handle.executeUpdate(calendarUpdate, { args: [{ years: [{ year: 2027 }] } as unknown as HolidayCalendar] })).rejects.toThrow();
    expect((await h.view(handle)).deadlines[0].due).toBe('2027-04-13');
    await h.record(handle, 'calendar-reloaded');
  });
});
