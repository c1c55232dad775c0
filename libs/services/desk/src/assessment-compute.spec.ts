import type { AssessmentRecords } from '@reform/persistence';
import type { AssessmentScheme } from '@reform/rules';
import { computeAssessment, round2 } from './assessment-compute';

const scheme = (indicators: AssessmentScheme['indicators']): AssessmentScheme => ({ id: 's', title: '考核', ruleId: 'Y13', indicators, fullMarks: 0 });
const unit = { type: 'unit' as const, id: 'u', name: '某单位', regionPath: '/p/' };
const empty: AssessmentRecords = { plans: [], items: [], itemChanges: [], letters: [], problems: [] };
const letter = (id: string, kind: string) => ({ id, number: `改办函〔2025〕${id}号`, kind, subject: '函', issuedOn: '2025-05-01', unitId: 'u' });
const evaluation = (id: string, scoreCenti: number) => ({ id, year: 2025, regionPath: '/p/', targetType: 'unit' as const, targetId: 'u', subject: '事项', evaluator: '机构', scoreCenti, enteredBy: 'x', enteredAt: '2025-12-01T00:00:00.000Z' });

function score(s: AssessmentScheme, records = empty, evaluations: ReturnType<typeof evaluation>[] = []) {
  return computeAssessment({ scheme: s, year: 2025, asOf: '2025-12-31', units: [unit], areas: [], records, unitPaths: new Map([['u', '/p/']]), evaluations, redList: [] }).units[0];
}

describe('the assessment arithmetic', () => {
  it('rounds to the cent, half away from zero', () => {
    expect([round2(10 / 3), round2(2 / 3), round2(1.005), round2(0.125), round2(8.75)]).toEqual([3.33, 0.67, 1.01, 0.13, 8.75]);
  });

  it('deducts per letter down to zero, never below', () => {
    const s = scheme([{ id: 'i', title: '约谈扣分', points: 5, measure: { type: 'letters', letter: 'interview', perLetter: 2 }, ruleId: 'A13' }]);
    const three = score(s, { ...empty, letters: [letter('1', 'interview'), letter('2', 'interview'), letter('3', 'interview'), letter('4', 'supervision')] });
    expect(three.indicators[0]).toEqual(expect.objectContaining({ score: 0, formula: '5 − 2 × 3 < 0,扣完为止:0' }));
    expect(three.indicators[0].records.map((r) => r.id)).toEqual(['1', '2', '3']);
    expect(score(s).indicators[0]).toEqual(expect.objectContaining({ score: 5, formula: '未收到约谈,不扣分:5' }));
  });

  it('scales the average third-party score, and scores full points with nothing to count', () => {
    const s = scheme([
      { id: 't', title: '第三方评估', points: 10, measure: { type: 'third_party' }, ruleId: 'Y12' },
      { id: 'r', title: '按期完成率', points: 30, measure: { type: 'on_schedule_rate' }, ruleId: 'S4' },
    ]);
    const r = score(s, empty, [evaluation('a', 9000), evaluation('b', 8050), evaluation('c', 7700)]);
    // (90 + 80.5 + 77)/3 = 82.5; 10 × 82.5/100 = 8.25.
    expect(r.indicators[0]).toEqual(expect.objectContaining({ score: 8.25, formula: '10 × (90 + 80.5 + 77)/3/100 = 8.25' }));
    expect(r.indicators[1]).toEqual(expect.objectContaining({ score: 30, formula: '本年度无可计记录,按满分计:30', records: [] }));
    expect(r.total).toBe(38.25);
  });

  it('names (H7) a unit with a deadline not met on schedule or an evaluation under 60, with why; no one else', () => {
    const s = scheme([{ id: 't', title: '第三方评估', points: 10, measure: { type: 'third_party' }, ruleId: 'Y12' }]);
    const other = { type: 'unit' as const, id: 'v', name: '另一单位', regionPath: '/p/' };
    const plan = (id: string, lead: string, deadlines: Array<[string, string, string]>, letters: Array<[string, string, string]> = []) => ({
      planId: id,
      title: `方案${id}`,
      regionPath: '/p/',
      leadUnitId: lead,
      deadlines: deadlines.map(([key, due, status]) => ({ key, label: `时限${key}`, ruleId: 'A9', due, status })),
      letters: letters.map(([number, date, deadlineKey]) => ({ number, kind: 'supervision', date, deadlineKey })),
    });
    const records = {
      ...empty,
      plans: [
        // u: a met on schedule; b met after a letter of 07-02 (due 06-30); c overdue; d due next year.
        plan('p', 'u', [['a', '2025-03-01', 'done'], ['b', '2025-06-30', 'done'], ['c', '2025-09-30', 'overdue'], ['d', '2026-01-31', 'open']], [['改办函〔2025〕9号', '2025-07-02', 'b']]),
        // v: everything on schedule.
        plan('q', 'v', [['e', '2025-05-01', 'done']]),
      ],
    };
    const run = (evaluations: ReturnType<typeof evaluation>[]) => computeAssessment({ scheme: s, year: 2025, asOf: '2025-12-31', units: [unit, other], areas: [], records, unitPaths: new Map([['u', '/p/'], ['v', '/p/']]), evaluations, redList: [] });
    const r = run([evaluation('x', 5950), { ...evaluation('y', 6000), targetId: 'v' }]);
    expect(r.named.map((n) => n.subject.id)).toEqual(['u']);
    expect(r.named[0].ruleId).toBe('H7');
    expect(r.named[0].reasons.map((x) => [x.ruleId, x.reason, x.records.map((rec) => [rec.id, rec.outcome])])).toEqual([
      ['S4', '2 个时限未按期完成', [['b', '逾期后完成(改办函〔2025〕9号)(到期 2025-06-30)'], ['c', '逾期未完成(到期 2025-09-30)']]],
      ['Y12', '第三方评估不合格(低于 60 分):事项 59.5 分', [['x', '59.5 分,不合格']]],
    ]);
    // 60 passes; a unit with nothing late and no failed evaluation is not named.
    expect(run([]).named.map((n) => n.subject.id)).toEqual(['u']);
    expect(run([{ ...evaluation('z', 5999), targetId: 'v' }]).named.map((n) => [n.subject.id, n.reasons.map((x) => x.ruleId)])).toEqual([['u', ['S4']], ['v', ['Y12']]]);
  });
});
