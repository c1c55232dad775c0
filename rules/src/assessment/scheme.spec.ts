import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileRules } from '../ruleset';
import { formatRules } from '../format/format';
import { parseRules } from '../syntax/parse';

const check = (text: string) => compileRules([{ name: 'scheme.rules', text }]);
const errors = (text: string) => check(text).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.line}:${d.range.column} ${d.code} ${d.message}`);

describe('assessment schemes (考核 … 指标 …)', () => {
  it('compiles a scheme: each indicator its points, measure and rule id; full marks leave out the red-list bonus', () => {
    const r = check(
      [
        '考核 y "年度考核" 依据 Y13',
        '  指标 a "按期完成率" 分值 30 分 计分 按期完成率 依据 S4',
        '  指标 b "事项完成率" 分值 20 计分 事项完成率 依据 S4',
        '  指标 c "督办函扣分" 分值 10 分 计分 督办函 每件扣 0.5 分 依据 Y9',
        '  指标 d "问题整改" 分值 10 分 计分 问题按期整改率 依据 Y9',
        '  指标 e "第三方评估" 分值 10 分 计分 第三方评估 依据 Y12',
        '  指标 f "红榜" 分值 2.5 分 计分 红榜 依据 Y15',
        '',
      ].join('\n'),
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.schemes).toEqual([
      {
        id: 'y',
        title: '年度考核',
        ruleId: 'Y13',
        fullMarks: 80,
        indicators: [
          { id: 'a', title: '按期完成率', points: 30, measure: { type: 'on_schedule_rate' }, ruleId: 'S4' },
          { id: 'b', title: '事项完成率', points: 20, measure: { type: 'completion_rate' }, ruleId: 'S4' },
          { id: 'c', title: '督办函扣分', points: 10, measure: { type: 'letters', letter: 'supervision', perLetter: 0.5 }, ruleId: 'Y9' },
          { id: 'd', title: '问题整改', points: 10, measure: { type: 'problems_on_time' }, ruleId: 'Y9' },
          { id: 'e', title: '第三方评估', points: 10, measure: { type: 'third_party' }, ruleId: 'Y12' },
          { id: 'f', title: '红榜', points: 2.5, measure: { type: 'red_list' }, ruleId: 'Y15' },
        ],
      },
    ]);
  });

  it('reports each mistake at its line and column, in Chinese', () => {
    const text = [
      '考核 y "年度考核"', // 1: no 依据
      '  指标 a "甲" 分值 0 分 计分 按期完成率 依据 S4', // 2: zero points
      '  指标 b "乙" 分值 10 分 计分 督办函 依据 Y9', // 3: no deduction
      '  指标 c "丙" 分值 10 分 计分 事项完成率 每件扣 2 分 依据 S4', // 4: deduction on a rate
      '  指标 a "丁" 分值 10 分 计分 红榜', // 5: duplicate id, no 依据
      '  指标 e "戊" 分值 10 分 依据 S4', // 6: no measure
      '  指标 f "己" 分值 5 分 计分 约谈 每件扣 6 分 依据 A13', // 7: deduction above the points
      '  指标 g "庚" 分值 1.125 分 计分 红榜 依据 Y15', // 8: three decimals
      '',
    ].join('\n');
    expect(errors(text)).toEqual([
      '1:4 missing-source 考核「y」未写依据(来源编号)',
      '2:15 bad-points 分值应大于 0 且不超过 1000',
      '3:23 missing-deduction 按函件计分的指标须写每件扣几分',
      '4:33 deduction-not-applicable 「事项完成率」不按件扣分:每件扣只用于按函件计分的指标',
      '5:6 duplicate 指标「a」在本考核中重复定义(首次定义于 scheme.rules:2:6)',
      '5:6 missing-source 指标「a」未写依据(来源编号)',
      '6:6 missing-measure 指标「e」未写计分口径',
      '7:29 bad-deduction 每件扣分应大于 0 且不超过该指标的分值',
      '8:15 bad-points 分值最多保留两位小数',
    ]);
    expect(check(text).schemes).toBeUndefined();
  });

  it('reports a syntax error and an unknown measure where they are, and an indicator outside a scheme', () => {
    expect(errors('考核 y "年度考核" 依据 Y13\n  指标 a "甲" 分值 十 分 计分 按期完成率 依据 S4\n')).toEqual(['2:15 unknown-word 未知的词「十」']);
    const unknown = errors('考核 y "年度考核" 依据 Y13\n  指标 a "甲" 分值 10 分 计分 完成数 依据 S4\n');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatch(/^2:23 syntax 计分口径中此处应为计分口径\(按期完成率、事项完成率、问题按期整改率、第三方评估、红榜或函件种类\)/);
    expect(errors('指标 a "甲" 分值 10 分 计分 红榜 依据 Y15\n')).toEqual(['1:1 orphan 考核指标须写在考核声明之内']);
    expect(errors('考核 y "年度考核" 依据 Y13\n')).toEqual(['1:4 empty-scheme 考核「y」没有指标']);
  });

  it('keeps the indicators of a scheme past a broken one, and repeated clauses are reported at the second', () => {
    const r = check('考核 y "年度考核" 依据 Y13\n  指标 a "甲" 分值 10 分 分值 20 分 计分 红榜 依据 Y15\n  指标 b "乙" 分值 @ 计分 红榜 依据 Y15\n  指标 c "丙" 分值 5 分 计分 红榜 依据 Y15\n');
    const scheme = r.ruleset.schemes[0].decl;
    expect(scheme.indicators.map((i) => i.id?.text)).toEqual(['a', 'b', 'c']);
    expect(scheme.indicators[0].points?.value).toBe(10);
    expect(r.diagnostics.map((d) => `${d.range.line}:${d.range.column} ${d.code}`)).toContain('2:20 repeated-clause');
  });

  it('the standard scheme compiles, and formatting it changes nothing', () => {
    const text = readFileSync(join(__dirname, '../../standard/assessment.rules'), 'utf8');
    const r = check(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.schemes?.map((s) => [s.id, s.fullMarks, s.indicators.length])).toEqual([['annual', 100, 8]]);
    expect(formatRules(parseRules(text).value)).toBe(text);
    const messy = '考核 y "年度考核" 依据 Y13 指标 a "甲" 分值 10 计分 督办函 每件扣 2 分 依据 Y9';
    expect(formatRules(parseRules(messy).value)).toBe('考核 y "年度考核"\n  依据 Y13\n  指标 a "甲" 分值 10 分 计分 督办函 每件扣 2 分 依据 Y9\n');
  });
});
