import { addDays } from '@reform/calendar';
import { ProcessDefinition, ProcessDefinitionSchema } from '@reform/definitions';
import { Harness } from '../support/harness';

/**
 * Two deadlines counted from registration. The first one's supervision letter is refused by the
 * database for good; its next level and the other deadline's letter must not wait behind it.
 */
const def: ProcessDefinition = ProcessDefinitionSchema.parse({
  id: 'letters_refused',
  version: 1,
  title: '函件写入失败的流程',
  source: 'A1',
  roles: [{ id: 'lead_unit', label: '牵头单位', addressee: { plan: 'leadUnit' } }],
  events: [
    { id: 'registered', label: '任务登记' },
    { id: 'done', label: '完成' },
  ],
  stages: [
    { id: 'work', label: '办理', actions: [{ id: 'finish', label: '办结', roles: ['lead_unit'], to: 'closed', records: ['done'] }] },
    { id: 'closed', label: '已办结', final: true },
  ],
  deadlines: [
    {
      id: 'refused',
      label: '被拒写入的时限',
      source: 'A1',
      from: { event: 'registered' },
      within: { amount: 10, unit: 'days' },
      metBy: { event: 'done' },
      ladder: [
        { kind: 'supervision', trigger: { type: 'dueEnded' }, to: ['lead_unit'], limit: { amount: 5, unit: 'days' }, source: 'A1' },
        { kind: 'public_naming', trigger: { type: 'previousLimitEnded' }, to: ['lead_unit'], source: 'A1' },
      ],
    },
    {
      id: 'written',
      label: '正常写入的时限',
      source: 'A1',
      from: { event: 'registered' },
      within: { amount: 20, unit: 'days' },
      metBy: { event: 'done' },
      ladder: [{ kind: 'supervision', trigger: { type: 'dueEnded' }, to: ['lead_unit'], source: 'A1' }],
    },
  ],
});

describe('a letter the database refuses for good', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create();
  });
  afterAll(() => h?.close());

  it('is tried once, shown in the plan as not written, and the plan’s other letters go out', async () => {
    let attempts = 0;
    h.faults.beforeWrite = (req) => {
      if (req.deadline.id !== 'refused' || req.level !== 0) return;
      attempts++;
      // What PostgreSQL answers for a value longer than its column.
      throw Object.assign(new Error('value too long for type character varying(100)'), { code: '22001' });
    };
    const today = await h.today();
    // Registered 40 days ago: both deadlines are past due, so their letters fall due at once.
    const handle = await h.start(def, { registeredOn: addDays(today, -40) });

    const view = await h.eventually(() => h.view(handle), (v) => v.letters.length === 2 && v.failedLetters.length === 1);
    const refused = view.deadlines.find((d) => d.id === 'refused')!;
    expect(refused.failedLetters).toEqual([{ level: 0, kind: 'supervision', failedOn: today, reason: '数据库拒绝写入(22001):value too long for type character varying(100)' }]);
    expect(refused.letters.map((l) => [l.level, l.kind, l.issuedOn])).toEqual([[1, 'public_naming', today]]);
    expect(view.deadlines.find((d) => d.id === 'written')!.letters.map((l) => [l.level, l.kind])).toEqual([[0, 'supervision']]);
    expect(view.failedLetters).toEqual([expect.objectContaining({ deadlineKey: 'refused#0', deadlineLabel: '被拒写入的时限', kind: 'supervision' })]);
    expect((await h.letters.forWorkflow(handle.workflowId)).map((l) => [l.deadlineId, l.kind]).sort()).toEqual([
      ['refused', 'public_naming'],
      ['written', 'supervision'],
    ]);
    expect(attempts).toBe(1);
    expect(await h.view(handle)).toMatchObject({ finished: false, stage: { id: 'work' } });
    await h.record(handle, 'letter-refused');
  });
});
