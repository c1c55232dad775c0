import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import { ProcessDefinitionSchema } from '@reform/definitions';
import { applyEvent, initialContext, planView } from '@reform/machine';
import { EXAMPLE_PLAN, standardProcedure } from '@reform/procedures';
import { formatPlan } from './format';

const REFORM_PLAN = standardProcedure('reform_plan');

const DEF = ProcessDefinitionSchema.parse(REFORM_PLAN);

function view() {
  let deadlines = applyEvent(DEF, SHIPPED_HOLIDAYS, [], {}, 'registered', '2026-03-01');
  deadlines = applyEvent(DEF, SHIPPED_HOLIDAYS, deadlines, {}, 'issued', '2026-03-10');
  deadlines = deadlines.map((s) =>
    s.key === 'filing#0' ? { ...s, nextLevel: 1, failedLetters: [{ level: 0, kind: 'reminder' as const, failedOn: '2026-04-03', reason: '数据库拒绝写入(22001):value too long' }] } : s,
  );
  const context = initialContext({ attributes: {}, events: {} });
  const back = { stage: 'legality_review', action: 'reject_legality_review', role: 'legal_office', businessDate: '2026-03-05', recordedOn: '2026-03-05', reason: '缺少法律依据' };
  return planView({
    workflowId: 'reform_plan-1',
    def: DEF,
    calendar: SHIPPED_HOLIDAYS,
    plan: { ...EXAMPLE_PLAN, goals: [] },
    state: { stage: 'filing', context: { ...context, returns: [back], log: [back] } },
    deadlines,
    now: Date.parse('2026-04-03T02:00:00Z'),
  });
}

describe('formatPlan', () => {
  it('names the stage a plan was sent back from (not its id)', () => {
    expect(formatPlan(view(), [])).toContain('退回记录:\n  2026年3月5日 合法合规性审查:缺少法律依据');
  });

  it('lists letters that could not be written, with the reason', () => {
    expect(formatPlan(view(), [])).toContain('未能生成的函件(已跳过,请运维人员处理):\n  2026年4月3日  提醒函  方案备案:数据库拒绝写入(22001):value too long');
  });
});
