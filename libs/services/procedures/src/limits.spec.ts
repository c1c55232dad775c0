import { standardProcedure } from './standard-rules';
import { CommandSchema, PlanIdSchema, PlanSchema, ProcessDefinitionSchema } from '@reform/definitions';

const REFORM_PLAN = standardProcedure('reform_plan');

const PLAN = {
  title: '关于深化营商环境改革的实施方案',
  leadUnit: '市发展改革委',
  responsibleLeader: '李四',
  responsiblePerson: '张三',
  specialGroup: '经济体制改革专项小组',
};

const issues = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  r.success ? [] : r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

describe('lengths are checked where input enters, in Chinese, naming the field', () => {
  it('plan names: title up to 200 characters, units and people up to 100', () => {
    expect(issues(PlanSchema.safeParse({ ...PLAN, title: '改'.repeat(200), leadUnit: '委'.repeat(100) }))).toEqual([]);
    expect(issues(PlanSchema.safeParse({ ...PLAN, title: '改'.repeat(201) }))).toEqual(['title: 方案名称最长 200 个字']);
    expect(issues(PlanSchema.safeParse({ ...PLAN, leadUnit: '委'.repeat(101), participatingUnits: ['财政局', '局'.repeat(101)] }))).toEqual([
      'leadUnit: 牵头单位最长 100 个字',
      'participatingUnits.1: 参与单位最长 100 个字',
    ]);
  });

  it('plan ids: up to 200 characters, no blanks or slashes', () => {
    expect(issues(PlanIdSchema.safeParse('reform_plan-20260302-1a2b3c4d'))).toEqual([]);
    expect(issues(PlanIdSchema.safeParse('p'.repeat(200)))).toEqual([]);
    expect(issues(PlanIdSchema.safeParse('p'.repeat(201)))).toEqual([': 方案编号最长 200 个字符']);
    expect(issues(PlanIdSchema.safeParse('plan/1'))).toEqual([': 方案编号不能含空白或斜杠']);
    expect(issues(PlanIdSchema.safeParse('plan 1'))).toEqual([': 方案编号不能含空白或斜杠']);
  });

  it('ids in a definition up to 100 characters; a procedure title up to 200', () => {
    const longId = `d${'x'.repeat(100)}`;
    const def = { ...REFORM_PLAN, title: '程'.repeat(201), deadlines: REFORM_PLAN.deadlines.map((d, i) => (i === 0 ? { ...d, id: longId } : d)) };
    expect(issues(ProcessDefinitionSchema.safeParse(def))).toEqual(['title: 流程名称最长 200 个字', 'deadlines.0.id: 标识最长 100 个字符']);
  });

  it('commands: the actor up to 100 characters, an item title up to 200', () => {
    expect(issues(CommandSchema.safeParse({ action: 'file', role: 'lead_unit', actor: '张'.repeat(101), item: { id: '1', title: '项'.repeat(201) } }))).toEqual([
      'actor: 经办人最长 100 个字',
      'item.title: 事项名称最长 200 个字',
    ]);
  });
});
