import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import { ProcessDefinitionSchema } from '@reform/definitions';
import { DefinitionStore } from '@reform/persistence';
import { readRulesDir, REFORM_PLAN, STANDARD_RULES_DIR } from '@reform/procedures';
import { compileRules } from '@reform/rules';
import { PlanService, UserError } from '@reform/temporal';
import { Harness, PLAN } from '../support/harness';
import { TO_ISSUANCE_SIMPLE } from '../support/paths';

const v1 = ProcessDefinitionSchema.parse(REFORM_PLAN);

/** The reform office's edit: filing within 15 days instead of one month, in the rules text itself. */
function editedRules() {
  const FILING = /(时限 filing "方案备案"\n  依据 A9\n  起算 issued\n  期限 )1 个月/;
  const inputs = readRulesDir(STANDARD_RULES_DIR).map((f) => (f.name.endsWith('reform-plan.rules') ? { ...f, text: f.text.replace(FILING, '$115 日') } : f));
  expect(inputs.find((f) => f.name.endsWith('reform-plan.rules'))!.text).toContain('期限 15 日');
  const compiled = compileRules(inputs);
  expect(compiled.diagnostics).toEqual([]);
  return compiled.definitions!.find((d) => d.id === 'reform_plan')!;
}

describe('each instance keeps the definition version it started with', () => {
  let h: Harness;
  let plans: PlanService;
  let store: DefinitionStore;
  beforeAll(async () => {
    h = await Harness.create();
    store = new DefinitionStore(h.db.ds);
    plans = new PlanService(h.env.client, h.taskQueue, store, SHIPPED_HOLIDAYS);
  });
  afterAll(() => h?.close());

  it('an instance started on v1 keeps v1 deadlines after v2 is published; new ones take v2', async () => {
    expect(await store.publishNext(v1)).toEqual({ status: 'published', version: 1 });
    const first = await plans.start({ procedure: 'reform_plan', plan: PLAN });
    expect(await store.publishNext(editedRules())).toEqual({ status: 'published', version: 2 });
    expect(await store.publishNext(editedRules())).toEqual({ status: 'unchanged', version: 2 });
    const second = await plans.start({ procedure: 'reform_plan', plan: PLAN });
    expect([first.definition.version, second.definition.version]).toEqual([1, 2]);

    for (const { workflowId } of [first, second]) {
      for (const [action, role] of TO_ISSUANCE_SIMPLE) await plans.act(workflowId, { action, role });
      await plans.act(workflowId, { action: 'issue', role: 'lead_unit', businessDate: '2026-11-01' });
    }
    const [a, b] = await Promise.all([plans.view(first.workflowId), plans.view(second.workflowId)]);
    expect(a.procedure.version).toBe(1);
    expect(a.deadlines.find((d) => d.id === 'filing')!.due).toBe('2026-12-01');
    expect(b.procedure.version).toBe(2);
    expect(b.deadlines.find((d) => d.id === 'filing')!.due).toBe('2026-11-16');
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
