import { ProcessDefinition, ProcessDefinitionSchema } from '@reform/definitions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileRules } from '../ruleset';
import { describeChanges, diffDefinitions } from './diff';

const DIR = join(__dirname, '../../standard');
const FILES = ['common.rules', 'reform-plan.rules'];

/** The standard reform plan, after applying text edits to its rules file. */
function reformPlan(edit: (text: string) => string = (t) => t): ProcessDefinition {
  const inputs = FILES.map((f) => {
    const text = readFileSync(join(DIR, f), 'utf8');
    return { name: f, text: f === 'reform-plan.rules' ? edit(text) : text };
  });
  const compiled = compileRules(inputs);
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compiled.definitions![0];
}

const replace = (from: string | RegExp, to: string) => (text: string) => {
  const out = text.replace(from, to);
  expect(out).not.toBe(text);
  return out;
};

describe('diffDefinitions', () => {
  it('says when a procedure’s own 亮灯 threshold overrides the shared one (issue 9 §4)', () => {
    const base = reformPlan();
    const own = reformPlan((t) => `${t}\n亮灯 黄 进度落后 80 个百分点 依据 S4\n亮灯 黄 到期前 3 个工作日 依据 Y9\n`);
    expect(diffDefinitions(base, own)).toEqual([
      { kind: 'changed', subject: '亮灯', aspect: '黄灯(临近到期)', before: '到期前5个工作日(Y9)', after: '到期前3个工作日(Y9)' },
      { kind: 'changed', subject: '亮灯', aspect: '黄灯(进度落后)', before: '进度落后 30 个百分点(S4)', after: '进度落后 80 个百分点(S4)' },
    ]);
  });

  it('finds nothing between a ruleset and itself reformatted, commented, or with a condition written another way', () => {
    const base = reformPlan();
    expect(diffDefinitions(base, base)).toEqual([]);
    const rewritten = reformPlan((t) =>
      replace('适用 非 (major 或 central_plan 或 pilot 或 party_document 或 government_duties)', '适用 非 major 且 非 central_plan 且 非 pilot 且 非 party_document 且 非 government_duties # 同义改写')(t),
    );
    expect(rewritten).not.toEqual(base);
    expect(diffDefinitions(base, rewritten)).toEqual([]);
  });

  it('says what changed in meaning: a deadline, a letter of its ladder, a stage condition, an action', () => {
    const base = reformPlan();
    const changed = reformPlan((t) =>
      [
        replace(/(时限 filing "方案备案"\n  依据 A9\n  起算 issued\n  期限 )1 个月/, '$120 个工作日'),
        replace('提醒函 到期前 2 个月 致 lead_unit 抄送 special_group 依据 S3', '提醒函 到期前 1 个月 致 lead_unit 依据 S3'),
        replace('  适用 technical\n', '  适用 technical 或 major\n'),
        replace('  动作 record_annual_supervision "记录年度督察" 由 reform_office 记录 annual_supervision_done 依据 A13\n', ''),
      ].reduce((acc, f) => f(acc), t),
    );
    expect(describeChanges(diffDefinitions(base, changed))).toEqual([
      '~ 阶段「专家论证」适用条件:专业性技术性较强 → (专业性技术性较强 或 重大改革方案)',
      '- 删除阶段「组织实施」的动作「记录年度督察」(record_annual_supervision)',
      '~ 时限「方案备案」期限:1个月 → 20个工作日',
      '~ 时限「年中集中督察自查报告」第1级催办:到期前2个月 提醒函 致lead_unit 抄送special_group(S3) → 到期前1个月 提醒函 致lead_unit(S3)',
    ]);
  });

  it('reports added and removed stages and deadlines by name', () => {
    const base = ProcessDefinitionSchema.parse(reformPlan());
    const fewer = { ...base, deadlines: base.deadlines.filter((d) => d.id !== 'retrospective'), stages: base.stages.filter((s) => s.id !== 'expert_consultation') };
    expect(describeChanges(diffDefinitions(base, fewer))).toEqual(['- 删除阶段「专家论证」(expert_consultation)', '- 删除时限「实施满一年“回头看”」(retrospective)']);
    expect(describeChanges(diffDefinitions(fewer, base))).toEqual(['+ 新增阶段「专家论证」(expert_consultation)', '+ 新增时限「实施满一年“回头看”」(retrospective)']);
  });

  it('sees a letter template added or reworded', () => {
    const base = ProcessDefinitionSchema.parse(reformPlan());
    const withTemplate = { ...base, letterTemplates: [{ kind: 'reminder' as const, paragraphs: ['请{牵头单位}按期办结。'] }] };
    expect(describeChanges(diffDefinitions(base, withTemplate))).toEqual(['+ 新增提醒函模板(reminder)']);
    const reworded = { ...base, letterTemplates: [{ kind: 'reminder' as const, paragraphs: ['请{牵头单位}尽快办结。'] }] };
    expect(describeChanges(diffDefinitions(withTemplate, reworded))).toEqual(['~ 提醒函模板正文:请{牵头单位}按期办结。 → 请{牵头单位}尽快办结。']);
  });
});
