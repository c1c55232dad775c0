import { addDays } from '@reform/calendar';
import { ITEM_STATUSES, ProcessDefinition, ProcessDefinitionSchema } from '@reform/definitions';
import type { PlanView } from '@reform/machine';
import type { PlanScope } from '@reform/platform';
import { standardProcedure } from '@reform/procedures';
import { projectionQuery } from '@reform/workflows';
import type { WorkflowHandle } from '@temporalio/client';
import fc from 'fast-check';
import { DB_KINDS } from '../support/db';
import { Harness, PLAN } from '../support/harness';
import { TO_ISSUANCE_SIMPLE } from '../support/paths';
import { expectedLedger, ledgerState } from './ledger-support';

const REFORM_PLAN: ProcessDefinition = ProcessDefinitionSchema.parse(standardProcedure('reform_plan'));
const SCOPE = { regionPath: '/sc/cd/', leadUnitId: 'cd-fgw', specialGroupId: 'cd-sg-econ', participatingUnitIds: ['cd-czj', 'cd-scjgj'] };

describe.each(DB_KINDS)('the ledger follows each plan (%s)', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create(kind);
  });
  afterAll(() => h?.close());

  /** Waits until the ledger holds the plan at the workflow's own change counter, then compares it with the plan's view. */
  async function expectCaughtUp(handle: WorkflowHandle, scope: PlanScope | null = SCOPE): Promise<PlanView> {
    const counter = (await handle.query(projectionQuery)).changeCounter;
    await h.eventually(
      () => ledgerState(h.db.ds, handle.workflowId),
      (s) => s?.plan.changeCounter === counter,
    );
    const [view, state] = await Promise.all([h.view(handle), ledgerState(h.db.ds, handle.workflowId)]);
    const { changeCounter, ...plan } = state!.plan;
    expect(changeCounter).toBe(counter);
    expect({ ...state!, plan }).toEqual(expectedLedger(view, scope));
    return view;
  }

  it('after registration, each action and each letter, the ledger row is what the plan’s own view says', async () => {
    const handle = await h.start(REFORM_PLAN, { plan: { ...PLAN, scope: SCOPE } });
    let view = await expectCaughtUp(handle);
    expect(view.stage.id).toBe('drafting');
    const counters = [(await handle.query(projectionQuery)).changeCounter];
    for (const [action, role, extra] of TO_ISSUANCE_SIMPLE) {
      await h.actOnly(handle, action, role, extra);
      await expectCaughtUp(handle);
      counters.push((await handle.query(projectionQuery)).changeCounter);
    }
    // Issued: the filing deadline (A9, one month) opens.
    await h.actOnly(handle, 'issue', 'lead_unit');
    view = await expectCaughtUp(handle);
    const filing = view.deadlines.find((d) => d.id === 'filing')!;
    expect(filing.status).toBe('open');
    expect((await ledgerState(h.db.ds, handle.workflowId))!.deadlines).toContainEqual([filing.key, '方案备案', 'A9', filing.due, 'open']);
    // Past the due date: the supervision letter goes out (a change the timer made), and the deadline shows overdue.
    await h.travelTo(addDays(filing.due, 1), 60);
    view = await h.eventually(() => h.view(handle), (v) => v.letters.some((l) => l.kind === 'supervision'));
    view = await expectCaughtUp(handle);
    const state = (await ledgerState(h.db.ds, handle.workflowId))!;
    expect(state.deadlines).toContainEqual([filing.key, '方案备案', 'A9', filing.due, 'overdue']);
    expect(state.letters.length).toBeGreaterThan(0);
    // Every change moved the counter forward.
    counters.push((await handle.query(projectionQuery)).changeCounter);
    expect(counters).toEqual([...counters].sort((a, b) => a - b));
    expect(new Set(counters).size).toBe(counters.length);
    if (kind === 'sqlite') await h.record(handle, 'ledger-projection');
  });

  it('a plan registered without unit ids is in the ledger with none', async () => {
    const handle = await h.start(REFORM_PLAN);
    await expectCaughtUp(handle, null);
    expect((await ledgerState(h.db.ds, handle.workflowId))!.units).toEqual([]);
  });

  it('a projection at or below the stored change counter changes nothing; a later one replaces everything', async () => {
    const handle = await h.start(REFORM_PLAN, { plan: { ...PLAN, scope: SCOPE } });
    await h.actOnly(handle, 'submit_draft', 'lead_unit');
    await expectCaughtUp(handle);
    // A copy under another id, so the plan's own later projections do not interfere.
    const p = { ...(await handle.query(projectionQuery)), planId: `${handle.workflowId}-copy` };
    expect(await h.ledger.upsert(p)).toEqual({ applied: true });
    const stored = await ledgerState(h.db.ds, p.planId);
    // A duplicate, and an older one delivered late: nothing changes.
    expect(await h.ledger.upsert(p)).toEqual({ applied: false });
    expect(await h.ledger.upsert({ ...p, changeCounter: p.changeCounter - 1, title: '旧的名称', stage: { id: 'drafting', label: '方案起草' }, items: [{ id: '9', title: '旧事项', status: 'completed' }] })).toEqual({ applied: false });
    expect(await ledgerState(h.db.ds, p.planId)).toEqual(stored);
    // A later one replaces the row and the plan's units, deadlines and items.
    const later = { ...p, changeCounter: p.changeCounter + 1, title: '新的名称', scope: { ...SCOPE, participatingUnitIds: ['cd-jyt'] }, items: [{ id: '1', title: '事项一', status: 'started' as const }] };
    expect(await h.ledger.upsert(later)).toEqual({ applied: true });
    const after = (await ledgerState(h.db.ds, p.planId))!;
    expect([after.plan.title, after.plan.changeCounter, after.items, after.units]).toEqual([
      '新的名称',
      p.changeCounter + 1,
      [['1', '事项一', 'started']],
      [
        ['group', 'cd-sg-econ'],
        ['lead', 'cd-fgw'],
        ['participant', 'cd-jyt'],
      ],
    ]);
    // Concurrent deliveries of different counters: the highest stands, whatever the order they land in.
    const burst = [5, 3, 9, 7, 9, 4].map((n) => ({ ...p, changeCounter: p.changeCounter + n, title: `第${n}次` }));
    await Promise.all(burst.map((b) => h.ledger.upsert(b)));
    expect((await ledgerState(h.db.ds, p.planId))!.plan).toMatchObject({ title: '第9次', changeCounter: p.changeCounter + 9 });
  });

  it('after random walks of actions, the ledger equals the view', async () => {
    const actionsById = new Map(REFORM_PLAN.stages.flatMap((s) => s.actions.map((a) => [a.id, a] as const)));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ pick: fc.nat(), item: fc.constantFrom('1', '2', '3'), status: fc.constantFrom(...ITEM_STATUSES) }), { minLength: 1, maxLength: 14 }),
        fc.boolean(),
        async (steps, major) => {
          const handle = await h.start(REFORM_PLAN, { plan: { ...PLAN, scope: SCOPE }, attributes: { major } });
          for (const step of steps) {
            const view = await h.view(handle);
            const open = Object.entries(view.actions).flatMap(([role, choices]) => choices.filter((c) => !c.blockers.length).map((c) => [c.action, role] as const));
            if (!open.length) break;
            const [action, role] = open[step.pick % open.length];
            const item = actionsById.get(action)?.item ? { item: { id: step.item, title: `事项${step.item}`, status: step.status } } : {};
            await h.actOnly(handle, action, role, { reason: '随机抽查', ...item });
          }
          await expectCaughtUp(handle);
        },
      ),
      { numRuns: 4 },
    );
  });
});
