import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import { ProcessDefinitionSchema } from '@reform/definitions';
import type { DefinitionStore } from '@reform/persistence';
import { standardProcedure } from '@reform/procedures';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { PlanService, UserError } from './plan-service';

const REFORM_PLAN = standardProcedure('reform_plan');

const DEF = ProcessDefinitionSchema.parse(REFORM_PLAN);
const PLAN = { title: '关于深化营商环境改革的实施方案', leadUnit: '市发展改革委', responsibleLeader: '李四', responsiblePerson: '张三', specialGroup: '经济体制改革专项小组' };

/** A service whose store has the reform plan and whose client records what it was asked to start. */
function service() {
  const started: string[] = [];
  const client = {
    workflow: {
      start: async (_wf: string, o: { workflowId: string }) => void started.push(o.workflowId),
      // No plan has had any id yet.
      getHandle: (id: string) => ({ describe: async () => Promise.reject(new WorkflowNotFoundError('not found', id, undefined)) }),
    },
  } as unknown as Client;
  const store = { latest: async () => DEF, list: async () => [] } as unknown as DefinitionStore;
  return { started, plans: new PlanService(client, 'q', store, SHIPPED_HOLIDAYS) };
}

describe('PlanService.start checks lengths where input enters', () => {
  it('refuses a plan id longer than 200 characters, in Chinese, naming the field, and starts nothing', async () => {
    const { plans, started } = service();
    const refusal = plans.start({ procedure: 'reform_plan', plan: PLAN, workflowId: 'p'.repeat(201) });
    await expect(refusal).rejects.toBeInstanceOf(UserError);
    await expect(refusal).rejects.toThrow('workflowId: 方案编号最长 200 个字符');
    expect(started).toEqual([]);
  });

  it('refuses a title longer than 200 characters, naming the field', async () => {
    const { plans, started } = service();
    await expect(plans.start({ procedure: 'reform_plan', plan: { ...PLAN, title: '改'.repeat(201) } })).rejects.toThrow('plan.title: 方案名称最长 200 个字');
    expect(started).toEqual([]);
  });

  it('starts a plan with a chosen id within the limits', async () => {
    const { plans, started } = service();
    await plans.start({ procedure: 'reform_plan', plan: PLAN, workflowId: 'p'.repeat(200) });
    expect(started).toEqual(['p'.repeat(200)]);
  });
});

describe('PlanService reads the calendar at each registration when given a reader', () => {
  it('starts the next plan with a year loaded after the service was made', async () => {
    const inputs: Array<{ calendar: { years: Array<{ year: number }> } }> = [];
    const client = {
      workflow: {
        start: async (_wf: string, o: { args: [{ calendar: { years: Array<{ year: number }> } }] }) => void inputs.push(o.args[0]),
        getHandle: (id: string) => ({ describe: async () => Promise.reject(new WorkflowNotFoundError('not found', id, undefined)) }),
      },
    } as unknown as Client;
    const store = { latest: async () => DEF, list: async () => [] } as unknown as DefinitionStore;
    // What the office loads while the API runs: the next shipped year plus one, with its New Year.
    const next = SHIPPED_HOLIDAYS.years[SHIPPED_HOLIDAYS.years.length - 1].year + 1;
    let loaded = SHIPPED_HOLIDAYS;
    const plans = new PlanService(client, 'q', store, async () => loaded);
    await plans.start({ procedure: 'reform_plan', plan: PLAN });
    loaded = { years: [...SHIPPED_HOLIDAYS.years, { year: next, source: '测试', holidays: [{ name: '元旦', from: `${next}-01-01`, to: `${next}-01-01` }], workdays: [] }] };
    await plans.start({ procedure: 'reform_plan', plan: PLAN });
    expect(inputs.map((i) => i.calendar.years.map((y) => y.year).includes(next))).toEqual([false, true]);
  });
});
