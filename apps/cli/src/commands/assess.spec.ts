import type { AssessmentView } from '@reform/desk';
import { assessmentLines } from './assess';

const subject = { type: 'unit' as const, id: 'sf-ndrc', name: '示范省发展和改革委员会', regionPath: '/sf/' };
const view = (named: AssessmentView['named']): AssessmentView => ({
  id: 'a1',
  year: 2025,
  regionPath: '/sf/',
  asOf: '2025-12-31',
  computedAt: '2026-01-05T00:00:00.000Z',
  scheme: { id: 'annual', title: '年度改革落实考核', ruleId: 'Y13', fullMarks: 30, indicators: [] },
  region: { path: '/sf/', name: '示范省' },
  units: [{ subject, total: 15, fullMarks: 30, indicators: [] }],
  areas: [],
  named,
});

describe('reform assess prints who is named (H7)', () => {
  it('lists each named unit with the rule, the reason and the records behind it', () => {
    const record = { type: 'deadline' as const, id: 'd3', label: '时限d3', date: '2025-09-30', planId: 'p1', planTitle: '方案p1', outcome: '逾期未完成(到期 2025-09-30)', counts: false };
    const lines = assessmentLines(view([{ subject, ruleId: 'H7', reasons: [{ ruleId: 'S4', reason: '1 个时限未按期完成', records: [record] }] }]), false);
    expect(lines.slice(-4)).toEqual([
      '通报名单(H7):',
      '  示范省发展和改革委员会(单位 sf-ndrc),依据 H7:',
      '    1 个时限未按期完成(依据 S4)',
      '      d3 时限d3(方案p1):逾期未完成(到期 2025-09-30)',
    ]);
    expect(assessmentLines(view([]), false).slice(-1)).toEqual(['通报名单(H7):无']);
  });
});
