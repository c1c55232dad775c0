import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import { ProcessDefinitionSchema } from '@reform/definitions';
import { applyEvent } from './deadlines';

const def = ProcessDefinitionSchema.parse({
  id: 'yearly',
  version: 1,
  title: '年度报告',
  source: 'A12',
  roles: [{ id: 'lead_unit', label: '牵头单位' }],
  events: [
    { id: 'issued', label: '印发' },
    { id: 'reported', label: '报告' },
  ],
  stages: [{ id: 'done', label: '完成', final: true }],
  deadlines: [
    {
      id: 'year_end_report',
      label: '年度落实情况报告',
      source: 'A12',
      from: { event: 'issued' },
      byDate: { month: 12, day: 31 },
      repeat: { every: { amount: 1, unit: 'years' } },
      metBy: { event: 'reported' },
      ladder: [],
    },
  ],
});

describe('a deadline on a calendar date, repeating yearly', () => {
  it('falls due on the next 31 December, then a year later once met', () => {
    let book = applyEvent(def, SHIPPED_HOLIDAYS, [], {}, 'issued', '2026-04-10');
    expect(book.map((d) => [d.key, d.due, d.status])).toEqual([['year_end_report#0', '2026-12-31', 'open']]);
    book = applyEvent(def, SHIPPED_HOLIDAYS, book, {}, 'reported', '2026-12-20');
    expect(book.map((d) => [d.key, d.due, d.status])).toEqual([
      ['year_end_report#0', '2026-12-31', 'met'],
      ['year_end_report#1', '2027-12-31', 'open'],
    ]);
  });

  it('must say either within or byDate, not both or neither', () => {
    const deadline = def.deadlines[0];
    const both = ProcessDefinitionSchema.safeParse({ ...def, deadlines: [{ ...deadline, within: { amount: 1, unit: 'months' } }] });
    expect(both.success).toBe(false);
    const neither = ProcessDefinitionSchema.safeParse({ ...def, deadlines: [{ ...deadline, byDate: undefined }] });
    expect(neither.success).toBe(false);
    expect(neither.error?.issues[0].path).toEqual(['deadlines', 0, 'within']);
  });
});
