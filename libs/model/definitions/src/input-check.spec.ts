import { checkCalendarInput, checkCommand, checkDefinitionInput, checkStartInput } from './input-check';
import { ProcessDefinitionSchema } from './definition';
import { PlanSchema } from './plan';

/** A small definition as the service hands it on: parsed, defaults filled in. */
const definition = () =>
  ProcessDefinitionSchema.parse({
    id: 'mini',
    version: 1,
    title: '小流程',
    source: 'A5',
    roles: [{ id: 'lead_unit', label: '牵头单位' }],
    events: [{ id: 'filed', label: '备案' }],
    stages: [
      { id: 'drafting', label: '起草', actions: [{ id: 'file', label: '备案', roles: ['lead_unit'], to: 'done', records: ['filed'] }] },
      { id: 'done', label: '完成', final: true },
    ],
  });

const start = () => ({
  definition: definition(),
  calendar: { years: [{ year: 2030, source: '国务院办公厅通知', holidays: [{ name: '元旦', from: '2030-01-01', to: '2030-01-01' }], workdays: [] }] },
  plan: { title: '方案', leadUnit: '省发展改革委', responsibleLeader: '王副省长', responsiblePerson: '李明', specialGroup: '经济体制改革专项小组' },
  registeredOn: '2030-03-01',
});

describe('the workflow’s own small input checks', () => {
  it('accept what the service hands on', () => {
    expect(checkStartInput(start())).toEqual([]);
    expect(checkStartInput({ ...start(), attributes: { major: true }, startEvents: { filed: '2030-02-01' }, historyLimit: 500 })).toEqual([]);
  });

  it('name the field and what is wrong with it, in Chinese', () => {
    expect(checkStartInput(null)).toEqual(['启动参数应为对象']);
    expect(checkStartInput({ ...start(), registeredOn: '2030-02-30', historyLimit: 5 })).toEqual([
      'historyLimit: 应为不小于100的整数',
      'registeredOn: 日期应为 YYYY-MM-DD 格式的真实日期',
    ]);
    expect(checkStartInput({ ...start(), plan: { ...start().plan, leadUnit: ' ' } })).toEqual(['plan.leadUnit: 不能为空']);
    expect(checkCalendarInput({ years: [{ year: 2030, holidays: [{ name: '元旦', from: '2030-13-01', to: '2030-01-01' }], workdays: [] }] })).toEqual([
      'calendar.years[0].holidays[0]: 起止日期应为 YYYY-MM-DD 格式的真实日期',
    ]);
  });

  it('take a plan with or without its units as ids, and say what is wrong with a bad one', () => {
    const scope = { regionPath: '/sc/cd/', leadUnitId: 'cd-fgw', specialGroupId: 'cd-sg-econ', participatingUnitIds: ['cd-czj'] };
    expect(checkStartInput({ ...start(), plan: { ...start().plan, scope } })).toEqual([]);
    expect(checkStartInput({ ...start(), plan: { ...start().plan, scope: { ...scope, regionPath: 'sc/cd', leadUnitId: ' ', participatingUnitIds: 'cd-czj' } } })).toEqual([
      'plan.scope.regionPath: 地区路径应形如 /sc/cd/',
      'plan.scope.leadUnitId: 应为牵头单位编号',
      'plan.scope.participatingUnitIds: 应为参与单位编号的列表',
    ]);
    expect(checkStartInput({ ...start(), plan: { ...start().plan, scope: [] } })).toEqual(['plan.scope: 应为方案所属单位对象']);
  });

  it('refuse a definition the engine would stumble on: missing lists, then undeclared names', () => {
    const noActions = definition() as unknown as { stages: Array<Record<string, unknown>> };
    delete noActions.stages[0].actions;
    expect(checkDefinitionInput(noActions)).toEqual(['definition.stages[0].actions: 应为列表']);
    const unknownRole = definition();
    unknownRole.stages[0].actions[0].roles = ['mayor'];
    expect(checkDefinitionInput(unknownRole)).toEqual(['definition.stages[0].actions[0].roles[0]: 未定义的角色「mayor」']);
  });

  it('check a command and trim its text, as the service’s schema does', () => {
    expect(checkCommand({ action: 'file', role: 'lead_unit', actor: ' 李明 ', reason: ' 已备案 ' })).toEqual({
      issues: [],
      value: { action: 'file', role: 'lead_unit', actor: '李明', businessDate: undefined, reason: '已备案', item: undefined },
    });
    expect(checkCommand({ action: 'file', role: '', businessDate: '2030-02-30', item: { id: '1', status: 'done' } }).issues).toEqual([
      'role: 不能为空',
      'businessDate: 日期应为 YYYY-MM-DD 格式的真实日期',
      'item.status: 应为 not_started、started、completed 之一',
    ]);
  });
});

describe('a plan’s units as ids (PlanSchema.scope)', () => {
  const plan = start().plan;
  it('is optional, and takes a region path with unit ids', () => {
    expect(PlanSchema.parse(plan).scope).toBeUndefined();
    expect(PlanSchema.parse({ ...plan, scope: { regionPath: '/sc/', leadUnitId: 'sc-fgw' } }).scope).toEqual({ regionPath: '/sc/', leadUnitId: 'sc-fgw', participatingUnitIds: [] });
  });
  it('refuses a path that is not a materialized path, and a blank unit id, in Chinese', () => {
    const bad = PlanSchema.safeParse({ ...plan, scope: { regionPath: '/sc//', leadUnitId: ' ' } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['scope.regionPath', '地区路径应形如 /sc/cd/(以斜杠开头和结尾,各级编号不含空白)'],
      ['scope.leadUnitId', '须写明牵头单位编号'],
    ]);
  });
});
