import { localDateAt, SHIPPED_HOLIDAYS } from '@reform/calendar';
import { ProcessDefinitionSchema, StartInputData } from '@reform/definitions';
import { standardProcedure } from '@reform/procedures';
import { actUpdate, PROCEDURE_WORKFLOW, projectionQuery, viewQuery } from '@reform/workflows';
import { randomUUID } from 'node:crypto';
import { DB_KINDS } from '../support/db';
import { Harness, PLAN } from '../support/harness';
import { WorkerEvent, WorkerProcess } from '../support/worker-process';
import { expectedLedger, ledgerState } from './ledger-support';

const REFORM_PLAN = ProcessDefinitionSchema.parse(standardProcedure('reform_plan'));
const SCOPE = { regionPath: '/sc/my/', leadUnitId: 'my-fgw', specialGroupId: 'my-sg', participatingUnitIds: ['my-czj'] };
type ProjectionEvent = Extract<WorkerEvent, { type: 'projection' | 'crash-projection' }>;

/**
 * The worker process dies by SIGKILL between an action and its projection: the Update has been
 * answered (the action is in the plan's history) and the projection activity had started but
 * written nothing. The attempt times out on the server (real time) and runs again on the next
 * worker, and the ledger catches up with the plan.
 */
describe.each(DB_KINDS)('the ledger catches up after a worker is killed before a projection (%s)', (kind) => {
  let h: Harness;
  const workers: WorkerProcess[] = [];
  const taskQueue = `ledger-crash-${randomUUID().slice(0, 8)}`;
  const planId = `ledger-crash-${randomUUID().slice(0, 8)}`;
  beforeAll(async () => {
    h = await Harness.create(kind);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await h?.close();
  });

  it('the action stands, nothing was projected, and after a restart the ledger equals the view', async () => {
    const input: StartInputData = { definition: REFORM_PLAN, calendar: SHIPPED_HOLIDAYS, plan: { ...PLAN, scope: SCOPE }, attributes: {}, registeredOn: localDateAt(await h.env.currentTimeMs()), startEvents: {} };
    const handle = await h.env.client.workflow.start(PROCEDURE_WORKFLOW, { taskQueue, workflowId: planId, args: [input] });
    const registered = 1;
    // The first worker dies when the projection after the first action (counter 2) starts.
    const doomed = WorkerProcess.spawn({ address: h.env.address, taskQueue, db: h.db, crashBeforeProjection: [{ planId, changeCounter: registered + 1 }] });
    workers.push(doomed);
    await doomed.ready;
    await h.eventually(() => ledgerState(h.db.ds, planId), (s) => s?.plan.changeCounter === registered, 60_000);

    const answered = await handle.executeUpdate(actUpdate, { args: [{ action: 'submit_draft', role: 'lead_unit' }] });
    expect(answered.stage.id).toBe('research');
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const crash = doomed.events.find((e): e is ProjectionEvent => e.type === 'crash-projection');
    expect(crash).toMatchObject({ planId, changeCounter: registered + 1, attempt: 1 });
    // The ledger still shows the plan as registered: the projection never wrote.
    expect((await ledgerState(h.db.ds, planId))!.plan).toMatchObject({ changeCounter: registered, stageId: 'drafting' });

    const next = WorkerProcess.spawn({ address: h.env.address, taskQueue, db: h.db });
    workers.push(next);
    await next.ready;
    // The attempt times out (startToCloseTimeout, real time) and runs again on the new worker.
    const state = await h.eventually(() => ledgerState(h.db.ds, planId), (s) => s?.plan.changeCounter === registered + 1, 120_000);
    const [view, projection] = await Promise.all([handle.query(viewQuery), handle.query(projectionQuery)]);
    expect(projection.changeCounter).toBe(registered + 1);
    const { changeCounter, ...plan } = state!.plan;
    expect(changeCounter).toBe(projection.changeCounter);
    expect({ ...state!, plan }).toEqual(expectedLedger(view, SCOPE));
    expect(plan.stageId).toBe('research');
    const retried = next.events.find((e): e is ProjectionEvent => e.type === 'projection' && e.planId === planId && e.changeCounter === registered + 1);
    expect(retried).toMatchObject({ applied: true });
    expect(retried!.attempt).toBeGreaterThan(1);
  }, 240_000);
});
