import { LETTER_KIND_LABEL } from '@reform/definitions';
import { LETTER_KIND, simulationRows, simulationSummary, SimulatedPlan } from './simulation';

describe('the simulation table', () => {
  it('calls the letters as the model does', () => {
    expect(LETTER_KIND).toEqual(LETTER_KIND_LABEL);
  });

  const letter = (kind: string, issuedOn: string, due: string) => ({ deadlineLabel: '试点半年阶段性评估', kind, issuedOn, due });
  const plans: SimulatedPlan[] = [
    { workflowId: 'p2', title: '乙方案', affected: false, changes: [] },
    {
      workflowId: 'p1',
      title: '甲方案',
      affected: true,
      changes: [
        { change: 'moved', before: letter('supervision', '2027-01-02', '2027-01-01'), after: letter('supervision', '2026-11-02', '2026-11-01'), to: ['示范省发展和改革委员会'] },
        { change: 'moved', before: letter('reminder', '2026-12-24', '2027-01-01'), after: letter('reminder', '2026-10-26', '2026-11-01'), to: ['示范省发展和改革委员会'] },
        { change: 'added', after: letter('public_naming', '2026-11-20', '2026-11-01'), to: ['各有关单位', '示范省经济体制改革专项小组'] },
      ],
    },
  ];

  it('gives a row per changed letter with the old and new dates, by new issue date', () => {
    const rows = simulationRows(plans);
    expect(rows.map((r) => [r.plan, r.kind, r.change, r.beforeIssued, r.afterIssued, r.to])).toEqual([
      ['甲方案', '提醒函', '改期', '2026-12-24', '2026-10-26', '示范省发展和改革委员会'],
      ['甲方案', '督办函', '改期', '2027-01-02', '2026-11-02', '示范省发展和改革委员会'],
      ['甲方案', '点名通报', '新增', undefined, '2026-11-20', '各有关单位、示范省经济体制改革专项小组'],
    ]);
    expect(simulationSummary(plans)).toBe('模拟了 2 个运行中的方案,其中 1 个方案的 3 封函件有变化');
    expect(simulationSummary([plans[0]])).toBe('模拟了 1 个运行中的方案,函件均不受影响');
    expect(simulationSummary([])).toBe('没有运行中的方案使用这些程序');
  });
});
