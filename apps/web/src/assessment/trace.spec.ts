import { describe, expect, it } from '@jest/globals';
import { namedReasons, scoreText, traceRows, type ScoredIndicator } from './trace';

// An indicator as GET /api/assessments/{id} documents it (docs/api.md, the year-end assessment):
// 方案按期完成率 of rules/standard/assessment.rules, 30 points, S4.
const indicator: ScoredIndicator = {
  id: 'on_schedule',
  title: '方案按期完成率',
  ruleId: 'S4',
  points: 30,
  measure: 'on_schedule',
  score: 15,
  formula: '30 × 1/2 = 15',
  records: [
    { type: 'deadline', id: 'filing', label: '备案', date: '2031-03-01', planId: 'p1', planTitle: '关于深化营商环境改革的实施方案', outcome: '按期完成', counts: true },
    { type: 'deadline', id: 'central_plan', label: '对接中央方案', date: '2031-05-01', planId: 'p2', planTitle: '关于对接中央改革方案的实施方案', outcome: '逾期未完成', counts: false },
    { type: 'letter', id: 'l1', label: '改办督〔2031〕3号 督办函', date: '2031-05-02', outcome: '扣 2 分', counts: false },
  ],
};

describe('the assessment’s trace', () => {
  it('lists each record with its kind, plan, date, outcome and whether it counted', () => {
    expect(traceRows(indicator).map(({ key: _key, ...r }) => r)).toEqual([
      { type: '时限', label: '备案', plan: '关于深化营商环境改革的实施方案', date: '2031-03-01', outcome: '按期完成', counted: '计入' },
      { type: '时限', label: '对接中央方案', plan: '关于对接中央改革方案的实施方案', date: '2031-05-01', outcome: '逾期未完成', counted: '不计入' },
      { type: '函件', label: '改办督〔2031〕3号 督办函', plan: '—', date: '2031-05-02', outcome: '扣 2 分', counted: '扣分' },
    ]);
    // Row keys are unique even when two records share an id.
    const keys = traceRows({ ...indicator, records: [indicator.records[0], indicator.records[0]] }).map((r) => r.key);
    expect(new Set(keys).size).toBe(2);
  });

  it('writes scores with at most two decimals and the naming reasons with their rules', () => {
    expect([scoreText(22.5), scoreText(30), scoreText(13.3333)]).toEqual(['22.5', '30', '13.33']);
    const named = {
      subject: { type: 'unit' as const, id: 'sf-ndrc', name: '示范省发展和改革委员会', regionPath: '/sf/' },
      ruleId: 'H7',
      reasons: [
        { ruleId: 'S4', reason: '2 个时限未按期完成', records: [] },
        { ruleId: 'Y12', reason: '第三方评估不合格(55 分)', records: [] },
      ],
    };
    expect(namedReasons(named)).toEqual(['2 个时限未按期完成(S4)', '第三方评估不合格(55 分)(Y12)']);
  });
});
