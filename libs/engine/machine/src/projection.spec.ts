import type { DeadlineView, PlanView } from './view';
import { planProjection } from './projection';

const deadline = (key: string, due: string, status: DeadlineView['status'], late: boolean, levels: number[] = []): DeadlineView => ({
  key,
  id: key.split('#')[0],
  label: `时限 ${key}`,
  source: key.startsWith('gone') ? '' : 'A9',
  anchor: '2030-01-01',
  due,
  status,
  late,
  explanation: [],
  letters: levels.map((level) => ({ level, kind: level ? 'supervision' : 'reminder', letterId: `l${level}`, number: `改办函〔2030〕${level + 1}号`, issuedOn: '2030-02-01' })),
  failedLetters: [],
});

const view = (over: Partial<PlanView> = {}): PlanView => ({
  workflowId: 'plan-1',
  procedure: { id: 'reform_plan', version: 2, title: '改革方案' },
  plan: { title: '方案', leadUnit: '省发展改革委', participatingUnits: ['省财政厅'], responsibleLeader: '王副省长', responsiblePerson: '李明', specialGroup: '经济体制改革专项小组', goals: [] },
  attributes: { major: true },
  stage: { id: 'filing', label: '备案', source: 'A9' },
  finished: false,
  today: '2030-03-10',
  actions: {},
  deadlines: [],
  letters: [],
  failedLetters: [],
  items: {},
  returns: [],
  log: [],
  ...over,
});

describe('the ledger projection of a plan', () => {
  it('names each deadline done, cancelled, overdue (open and late) or open, and the earliest open due date', () => {
    const p = planProjection(
      view({
        deadlines: [deadline('filing#1', '2030-03-01', 'open', true, [0, 1]), deadline('report#1', '2030-02-01', 'met', true), deadline('report#2', '2030-04-01', 'open', false), deadline('gone#1', '2030-01-01', 'cancelled', false)],
      }),
      { counter: 7, at: Date.UTC(2030, 2, 10, 1) },
    );
    expect(p.deadlines.map((d) => [d.key, d.status, d.ruleId, d.lettersSent])).toEqual([
      ['filing#1', 'overdue', 'A9', [0, 1]],
      ['report#1', 'done', 'A9', []],
      ['report#2', 'open', 'A9', []],
      ['gone#1', 'cancelled', null, []],
    ]);
    expect([p.nextDue, p.overdue, p.status, p.changeCounter, p.updatedAt]).toEqual(['2030-03-01', true, 'open', 7, '2030-03-10T01:00:00.000Z']);
  });

  it('carries the plan’s units as ids, or null when it was registered without them; items in id order', () => {
    const bare = planProjection(view({ finished: true, items: { b: { title: '乙', status: 'started', updatedOn: '2030-01-02' }, a: { title: '甲', status: 'completed', updatedOn: '2030-01-01' } } }), { counter: 1, at: 0 });
    expect([bare.scope, bare.status, bare.nextDue, bare.overdue]).toEqual([null, 'closed', null, false]);
    expect(bare.items).toEqual([
      { id: 'a', title: '甲', status: 'completed' },
      { id: 'b', title: '乙', status: 'started' },
    ]);
    const scope = { regionPath: '/sc/cd/', leadUnitId: 'cd-fgw', participatingUnitIds: ['cd-czj'] };
    expect(planProjection(view({ plan: { ...view().plan, scope } }), { counter: 1, at: 0 }).scope).toEqual(scope);
    expect(bare.people).toEqual({ leader: '王副省长', person: '李明' });
  });
});
