import type { SimulatedLetter } from '@reform/machine';
import { compareLetters, diffLines, letterChangeLine } from './rulesets';

const letter = (over: Partial<SimulatedLetter>): SimulatedLetter => ({
  deadlineKey: 'filing#0',
  deadlineId: 'filing',
  deadlineLabel: '方案备案',
  due: '2030-03-01',
  level: 0,
  kind: 'reminder',
  source: 'Y9',
  issuedOn: '2030-02-22',
  to: ['lead_unit'],
  cc: [],
  ...over,
});

describe('compareLetters (the schedules simulate and migrate compare)', () => {
  const names = (roles: string[]) => roles.map((r) => (r === 'lead_unit' ? '省发展改革委' : r));

  it('one letter that only moves is one change with both dates; others are dropped or added', () => {
    const before = [letter({}), letter({ deadlineKey: 'report#0', deadlineId: 'report', issuedOn: '2030-05-01' })];
    const after = [letter({ due: '2030-02-20', issuedOn: '2030-02-13' }), letter({ level: 1, kind: 'supervision', issuedOn: '2030-03-02' })];
    const changes = compareLetters(before, after, names);
    expect(changes.map((c) => [c.change, c.before?.issuedOn, c.after?.issuedOn])).toEqual([
      ['moved', '2030-02-22', '2030-02-13'],
      ['dropped', '2030-05-01', undefined],
      ['added', undefined, '2030-03-02'],
    ]);
    expect(changes[0].to).toEqual(['省发展改革委']);
    expect(letterChangeLine(changes[0])).toBe('~ 改期:2030年2月22日 → 2030年2月13日 提醒函(方案备案,截止2030年3月1日,依据 Y9)致省发展改革委(截止日改为2030年2月20日)');
  });

  it('the same schedule is no change', () => {
    expect(compareLetters([letter({})], [letter({})], names)).toEqual([]);
  });
});

describe('diffLines', () => {
  it('says a procedure added, removed or unchanged in one line', () => {
    expect(diffLines({ id: 'pilot', title: '改革试点', changes: [], only: 'added' })).toEqual(['+ 新增程序 改革试点(pilot)']);
    expect(diffLines({ id: 'pilot', title: '改革试点', changes: [], only: 'removed' })).toEqual(['- 删除程序 改革试点(pilot)']);
    expect(diffLines({ id: 'pilot', title: '改革试点', changes: [] })).toEqual(['改革试点(pilot):含义没有变化']);
  });
});
