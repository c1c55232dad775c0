import { addDays, HolidayCalendar, LocalDate, mergeCalendars, SHIPPED_HOLIDAYS } from '@reform/calendar';
import { ProcessDefinition, ProcessDefinitionSchema } from '@reform/definitions';
import { calendarUpdate } from '@reform/workflows';
import { chineseDate, dateIn, nextYear, onOrAfterWeekday, withoutYear } from '../support/dates';
import { Harness } from '../support/harness';

/**
 * A made-up holiday for a year after the server's today, so the case depends neither on the
 * published arrangements nor on the year it runs in: counted from Friday `notice`, a three-day
 * holiday Monday to Wednesday, and a make-up working Saturday (调休) the week after.
 */
function madeUpQingming(today: LocalDate): { year: number; notice: LocalDate; holiday: LocalDate[]; makeup: LocalDate; calendar: HolidayCalendar } {
  const year = nextYear(today);
  const notice = onOrAfterWeekday(dateIn(year, 4, 1), 5);
  const holiday = [3, 4, 5].map((n) => addDays(notice, n));
  const makeup = addDays(notice, 8);
  const calendar = mergeCalendars(SHIPPED_HOLIDAYS, {
    years: [{ year, source: '测试用节假日安排', holidays: [{ name: '清明节', from: holiday[0], to: holiday[2] }], workdays: [{ name: '清明节调休', date: makeup }] }],
  });
  return { year, notice, holiday, makeup, calendar };
}

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
    const { notice, holiday, makeup, calendar } = madeUpQingming(await h.today());
    // Fri → skip the weekend and the Mon–Wed holiday; Thu, Fri, the make-up Sat, Mon, Tue.
    const due = addDays(notice, 11);
    const handle = await h.start(NOTICE, { calendar });
    await h.travelTo(notice, 9 * 60);
    const view = await h.act(handle, 'notice', 'lead_unit');
    const reply = view.deadlines[0];
    expect(reply.due).toBe(due);
    expect(reply.explanation).toEqual([
      `自${chineseDate(notice)}起算,5个工作日后为${chineseDate(due)}`,
      `跳过法定节假日3天:${holiday.map((d) => `${chineseDate(d)}(清明节)`).join('、')}`,
      '跳过周末3天',
      `调休上班日计入工作日:${chineseDate(makeup)}(清明节调休)`,
      '共计5个工作日,跨11个日历日',
    ]);

    // Two working days before the due Tuesday: Monday, then the make-up Saturday.
    await h.travelTo(makeup, 1);
    const reminded = await h.eventually(() => h.view(handle), (v) => v.letters.length === 1);
    expect(reminded.letters.map((l) => [l.kind, l.issuedOn])).toEqual([['reminder', makeup]]);

    const supervisedOn = addDays(due, 1);
    await h.travelTo(supervisedOn, 1);
    const supervised = await h.eventually(() => h.view(handle), (v) => v.letters.length === 2);
    // Its limit: three working days from that Wednesday (Thu, Fri, Mon).
    expect(supervised.letters[1]).toMatchObject({ kind: 'supervision', issuedOn: supervisedOn, limitUntil: addDays(supervisedOn, 5) });
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
    const { year, notice, calendar } = madeUpQingming(await h.today());
    // Started before that year's arrangements were published: weekends only, Friday to Friday.
    const handle = await h.start(NOTICE, { calendar: withoutYear(SHIPPED_HOLIDAYS, year) });
    await h.travelTo(notice, 9 * 60);
    let view = await h.act(handle, 'notice', 'lead_unit');
    expect(view.deadlines[0].due).toBe(addDays(notice, 7));
    expect(view.deadlines[0].explanation).toContain(`尚未载入${year}年节假日安排,该年仅按周末计算`);

    const moved = await handle.executeUpdate(calendarUpdate, { args: [calendar] });
    expect(moved).toEqual([{ key: 'reply#0', from: addDays(notice, 7), to: addDays(notice, 11) }]);
    view = await h.view(handle);
    expect(view.deadlines[0].due).toBe(addDays(notice, 11));

    await expect(handle.executeUpdate(calendarUpdate, { args: [{ years: [{ year }] } as unknown as HolidayCalendar] })).rejects.toThrow();
    expect((await h.view(handle)).deadlines[0].due).toBe(addDays(notice, 11));
    await h.record(handle, 'calendar-reloaded');
  });
});
