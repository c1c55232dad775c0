import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import { ProcessDefinitionSchema } from '@reform/definitions';
import { DefinitionStore } from '@reform/persistence';
import { standardProcedure } from '@reform/procedures';
import { PlanService, UserError } from '@reform/plans';
import { dateIn, yearOf } from '../support/dates';
import { Harness, PLAN } from '../support/harness';
import { TO_ISSUANCE_SIMPLE } from '../support/paths';
import { reformPlanWithFilingWithin } from '../support/rules';

const REFORM_PLAN = standardProcedure('reform_plan');

const v1 = ProcessDefinitionSchema.parse(REFORM_PLAN);


describe('each instance keeps the definition version it started with', () => {
  let h: Harness;
  let plans: PlanService;
  let store: DefinitionStore;
  beforeAll(async () => {
    h = await Harness.create();
    store = new DefinitionStore(h.db.ds);
    plans = new PlanService(h.env.client, h.taskQueue, store, SHIPPED_HOLIDAYS, undefined, () => h.env.currentTimeMs());
  });
  afterAll(() => h?.close());

  it('an instance started on v1 keeps v1 deadlines after v2 is published; new ones take v2', async () => {
    expect(await store.publishNext(v1)).toEqual({ status: 'published', version: 1 });
    const first = await plans.start({ procedure: 'reform_plan', plan: PLAN });
    expect(await store.publishNext(reformPlanWithFilingWithin('15 日'))).toEqual({ status: 'published', version: 2 });
    expect(await store.publishNext(reformPlanWithFilingWithin('15 日'))).toEqual({ status: 'unchanged', version: 2 });
    const second = await plans.start({ procedure: 'reform_plan', plan: PLAN });
    expect([first.definition.version, second.definition.version]).toEqual([1, 2]);

    // Issued on the first of the server's current month: v1 files within a month, v2 within 15 days.
    const today = await h.today();
    const [year, month] = [yearOf(today), Number(today.slice(5, 7))];
    const issuedOn = dateIn(year, month, 1);
    for (const { workflowId } of [first, second]) {
      for (const [action, role] of TO_ISSUANCE_SIMPLE) await plans.act(workflowId, { action, role });
      await plans.act(workflowId, { action: 'issue', role: 'lead_unit', businessDate: issuedOn });
    }
    const [a, b] = await Promise.all([plans.view(first.workflowId), plans.view(second.workflowId)]);
    expect(a.procedure.version).toBe(1);
    expect(a.deadlines.find((d) => d.id === 'filing')!.due).toBe(month === 12 ? dateIn(year + 1, 1, 1) : dateIn(year, month + 1, 1));
    expect(b.procedure.version).toBe(2);
    expect(b.deadlines.find((d) => d.id === 'filing')!.due).toBe(dateIn(year, month, 16));
  });

  it('refuses what it cannot do with a reason, and changes nothing', async () => {
    await expect(plans.start({ procedure: 'no_such', plan: PLAN })).rejects.toThrow(UserError);
    await expect(plans.start({ procedure: 'reform_plan', plan: { ...PLAN, leadUnit: '' } })).rejects.toThrow('plan.leadUnit: 须写明牵头单位');
    await expect(plans.start({ procedure: 'reform_plan', plan: PLAN, attributes: { huge: true } })).rejects.toThrow('没有属性:huge');
    const started = await plans.start({ procedure: 'reform_plan', plan: PLAN });
    await expect(plans.act(started.workflowId, { action: 'issue', role: 'lead_unit' })).rejects.toThrow(/须先完成:方案起草\(A5\)、调查研究\(A6\)/);
    const view = await plans.view(started.workflowId);
    expect([view.stage.id, view.log]).toEqual(['drafting', []]);
  });
});
