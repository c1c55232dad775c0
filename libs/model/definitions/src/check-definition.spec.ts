import { checkDefinition } from './check-definition';
import { DefinitionIssue } from './references';
import { ProcessDefinitionInput, ProcessDefinitionSchema } from './definition';

/** A small valid definition; each test breaks one thing in a fresh copy. */
function base(): ProcessDefinitionInput {
  return {
    id: 'mini',
    version: 1,
    title: '小流程',
    source: 'A5',
    roles: [
      { id: 'lead_unit', label: '牵头单位', addressee: { plan: 'leadUnit' } },
      { id: 'reform_office', label: '改革办' },
    ],
    attributes: [{ id: 'major', label: '重大改革' }],
    events: [
      { id: 'drafted', label: '起草完成' },
      { id: 'issued', label: '印发' },
      { id: 'filed', label: '备案' },
    ],
    startEvents: ['drafted'],
    stages: [
      { id: 'drafting', label: '起草', source: 'A5', actions: [{ id: 'submit', label: '提交', roles: ['lead_unit'], to: 'review', records: ['drafted'] }] },
      {
        id: 'review',
        label: '审核',
        source: 'A8',
        when: { attr: 'major' },
        requires: ['drafting'],
        actions: [
          { id: 'pass', label: '通过', roles: ['reform_office'], to: 'issuance' },
          { id: 'reject', label: '退回', roles: ['reform_office'], to: 'drafting', needsReason: true },
        ],
      },
      { id: 'issuance', label: '印发', source: 'A9', actions: [{ id: 'issue', label: '印发', roles: ['lead_unit'], to: 'done', records: ['issued'], needsEvents: ['drafted'] }] },
      { id: 'done', label: '完成', source: 'A9', final: true },
    ],
    deadlines: [
      {
        id: 'filing',
        label: '备案',
        source: 'A9',
        from: { event: 'issued' },
        within: { amount: 1, unit: 'months' },
        metBy: { event: 'filed' },
        when: { attr: 'major' },
        ladder: [
          { kind: 'reminder', trigger: { type: 'beforeDue', offset: { amount: 5, unit: 'workingDays' } }, to: ['lead_unit'], source: 'Y9' },
          { kind: 'supervision', trigger: { type: 'dueEnded' }, to: ['lead_unit'], cc: ['reform_office'], limit: { amount: 10, unit: 'workingDays' }, source: 'Y9' },
          { kind: 'public_naming', trigger: { type: 'previousLimitEnded' }, to: ['reform_office'], source: 'A13' },
        ],
      },
    ],
  };
}

type Def = ReturnType<typeof base>;
const broken = (f: (d: Def) => void): Def => {
  const d = structuredClone(base());
  f(d);
  return d;
};
const issues = (f: (d: Def) => void): DefinitionIssue[] => checkDefinition(broken(f)).diagnostics;

describe('checkDefinition', () => {
  it('accepts a valid definition and returns it parsed, with defaults filled in', () => {
    const checked = checkDefinition(base());
    expect(checked.diagnostics).toEqual([]);
    expect(checked.value).toEqual(ProcessDefinitionSchema.parse(base()));
    expect(checked.value?.stages[0].actions[0]).toEqual({
      id: 'submit',
      label: '提交',
      roles: ['lead_unit'],
      to: 'review',
      records: ['drafted'],
      needsReason: false,
      needsAllItemsCompleted: false,
      needsEvents: [],
    });
    expect(checked.value?.stages[3]).toEqual({ id: 'done', label: '完成', source: 'A9', final: true, requires: [], actions: [] });
  });

  it('names an unknown stage in an action’s to', () => {
    expect(issues((d) => (d.stages[1].actions![0].to = 'isssuance'))).toEqual([
      { path: 'stages[1].actions[0].to', message: '未定义的阶段「isssuance」' },
    ]);
  });

  it('names an unknown role in an action and in a ladder level', () => {
    expect(
      issues((d) => {
        d.stages[0].actions![0].roles = ['lead_unit', 'mayor'];
        d.deadlines![0].ladder[1].cc = ['governor'];
      }),
    ).toEqual([
      { path: 'stages[0].actions[0].roles[1]', message: '未定义的角色「mayor」' },
      { path: 'deadlines[0].ladder[1].cc[0]', message: '未定义的角色「governor」' },
    ]);
    expect(issues((d) => (d.deadlines![0].ladder[0].to = ['nobody']))).toEqual([{ path: 'deadlines[0].ladder[0].to[0]', message: '未定义的角色「nobody」' }]);
  });

  it('names an unknown event in a deadline', () => {
    expect(
      issues((d) => {
        d.deadlines![0].from.event = 'printed';
        d.deadlines![0].metBy.event = 'archived';
      }),
    ).toEqual([
      { path: 'deadlines[0].from.event', message: '未定义的事件「printed」' },
      { path: 'deadlines[0].metBy.event', message: '未定义的事件「archived」' },
    ]);
  });

  it('names unknown events in start events, records and needsEvents', () => {
    expect(
      issues((d) => {
        d.startEvents = ['kickoff'];
        d.stages[0].actions![0].records = ['drafted', 'typo'];
        d.stages[2].actions![0].needsEvents = ['approved'];
      }),
    ).toEqual([
      { path: 'startEvents[0]', message: '未定义的事件「kickoff」' },
      { path: 'stages[0].actions[0].records[1]', message: '未定义的事件「typo」' },
      { path: 'stages[2].actions[0].needsEvents[0]', message: '未定义的事件「approved」' },
    ]);
  });

  it('names unknown stages in requires and skipTo, and unknown attributes in conditions', () => {
    expect(
      issues((d) => {
        d.stages[1].requires = ['drafting', 'research'];
        d.stages[1].skipTo = 'nowhere';
        d.stages[1].when = { all: [{ attr: 'major' }, { not: { attr: 'urgent' } }] };
        d.deadlines![0].when = { attr: 'pilot' };
      }),
    ).toEqual([
      { path: 'stages[1].when', message: '未定义的属性「urgent」' },
      { path: 'stages[1].requires[1]', message: '未定义的阶段「research」' },
      { path: 'stages[1].skipTo', message: '未定义的阶段「nowhere」' },
      { path: 'deadlines[0].when', message: '未定义的属性「pilot」' },
    ]);
  });

  it('names duplicate ids of stages, roles, attributes, events and deadlines at the second occurrence', () => {
    expect(issues((d) => d.stages.splice(2, 0, { id: 'review', label: '再审核', actions: [{ id: 'again', label: '再审', roles: ['reform_office'], to: 'issuance' }] }))).toEqual([
      { path: 'stages[2].id', message: '阶段「review」重复定义' },
    ]);
    expect(
      issues((d) => {
        d.roles.push({ id: 'lead_unit', label: '又一个' });
        d.attributes!.push({ id: 'major', label: '又一个' });
        d.events!.push({ id: 'filed', label: '又一个' });
        d.deadlines!.push(structuredClone(d.deadlines![0]));
      }),
    ).toEqual([
      { path: 'roles[2].id', message: '角色「lead_unit」重复定义' },
      { path: 'attributes[1].id', message: '属性「major」重复定义' },
      { path: 'events[3].id', message: '事件「filed」重复定义' },
      { path: 'deadlines[1].id', message: '时限「filing」重复定义' },
    ]);
  });

  it('refuses previousLimitEnded after a level that sets no limit, or on the first level', () => {
    expect(issues((d) => delete d.deadlines![0].ladder[1].limit)).toEqual([
      { path: 'deadlines[0].ladder[2].trigger', message: '上一级函件未设办理时限,本级无从起算' },
    ]);
    expect(issues((d) => (d.deadlines![0].ladder[0].trigger = { type: 'previousLimitEnded' }))).toEqual([
      { path: 'deadlines[0].ladder[0].trigger', message: '上一级函件未设办理时限,本级无从起算' },
    ]);
  });

  it('refuses a definition with no final stage', () => {
    expect(
      issues((d) => {
        d.stages[3].final = false;
      }),
    ).toEqual([{ path: 'stages', message: '没有终结阶段' }]);
  });

  it('refuses a final stage with actions', () => {
    expect(issues((d) => (d.stages[3].actions = [{ id: 'reopen', label: '重开', roles: ['reform_office'], to: 'drafting' }]))).toEqual([
      { path: 'stages[3].actions', message: '终结阶段不能再有操作' },
    ]);
  });

  it('refuses a conditional last stage with nowhere to skip to', () => {
    expect(issues((d) => (d.stages[3].when = { attr: 'major' }))).toEqual([{ path: 'stages[3].when', message: '最后一个阶段不适用时无处可去' }]);
    expect(
      issues((d) => {
        d.stages[3].when = { attr: 'major' };
        d.stages[3].skipTo = 'issuance';
      }),
    ).toEqual([{ path: 'stages[3].skipTo', message: '不适用时跳往的阶段「issuance」须在本阶段之后,否则会无限循环' }]);
  });

  it('refuses requirements that are not earlier stages, and action ids used twice', () => {
    expect(issues((d) => (d.stages[0].requires = ['issuance']))).toEqual([
      { path: 'stages[0].requires[0]', message: '须先完成的阶段「issuance」不在本阶段之前,本阶段永远无法进入' },
    ]);
    expect(issues((d) => d.stages[1].actions!.push({ ...d.stages[0].actions![0] }))).toEqual([
      { path: 'stages[1].actions[2].id', message: '操作「submit」已在阶段「drafting」定义;操作标识须在整个流程中唯一' },
    ]);
  });

  it('reports zod shape errors with field paths: a bad rule id Z99', () => {
    const checked = checkDefinition(broken((d) => (d.stages[0].source = 'Z99')));
    expect(checked).toEqual({ diagnostics: [{ path: 'stages[0].source', message: '来源编号应形如 A9、S1、Y9' }] });
  });

  it('reports zod shape errors deep in deadlines and ids', () => {
    const checked = checkDefinition(
      broken((d) => {
        d.deadlines![0].ladder[1].source = 'A100';
        d.stages[1].actions![1].id = 'Reject';
        d.deadlines![0].within = { amount: -1, unit: 'months' };
      }),
    );
    expect(checked.value).toBeUndefined();
    expect(checked.diagnostics.map((i) => i.path).sort()).toEqual(['deadlines[0].ladder[1].source', 'deadlines[0].within.amount', 'stages[1].actions[1].id']);
    expect(checked.diagnostics.find((i) => i.path === 'stages[1].actions[1].id')?.message).toBe('标识应为小写字母、数字和下划线,以字母开头');
  });

  it('reports missing required fields at the top level and non-objects at the root', () => {
    const noStages = Object.fromEntries(Object.entries(base()).filter(([k]) => k !== 'stages'));
    expect(checkDefinition(noStages).diagnostics.map((i) => i.path)).toEqual(['stages']);
    expect(checkDefinition(null).diagnostics).toHaveLength(1);
    expect(checkDefinition(null).diagnostics[0].path).toBe('');
  });

  it('collects every issue of a definition at once, in order', () => {
    const checked = checkDefinition(
      broken((d) => {
        d.stages[0].actions![0].to = 'nowhere';
        d.stages[2].actions![0].roles = ['mayor'];
        d.stages[3].final = false;
      }),
    );
    expect(checked).toEqual({
      diagnostics: [
        { path: 'stages[0].actions[0].to', message: '未定义的阶段「nowhere」' },
        { path: 'stages[2].actions[0].roles[0]', message: '未定义的角色「mayor」' },
        { path: 'stages', message: '没有终结阶段' },
      ],
    });
  });
});
