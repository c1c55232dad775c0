import { AuditService } from '@reform/audit';
import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import { Caller, PlanDesk } from '@reform/desk';
import { UnitDirectory, UserAccounts } from '@reform/identity';
import { LedgerService } from '@reform/ledger';
import { DefinitionStore } from '@reform/persistence';
import { PlanService, seedStandardProcedures } from '@reform/plans';
import type { ActBy, ActResult } from '@reform/workflows';
import type { Command } from '@reform/definitions';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DB_KINDS } from '../support/db';
import { Harness } from '../support/harness';
import { WorkerEvent, WorkerProcess } from '../support/worker-process';
import { ledgerState } from './ledger-support';

type ProjectionEvent = Extract<WorkerEvent, { type: 'projection' | 'crash-projection' }>;

/** The audit rows of a plan, read back with plain SQL (no code under test). */
async function auditRows(ds: DataSource, planId: string): Promise<Array<{ action: string; actor_user_id: string | null; actor_unit_id: string | null; request_id: string | null; before: string | null; after: string | null }>> {
  const p = ds.options.type === 'postgres' ? '$1' : '?';
  return ds.query(`SELECT action, actor_user_id, actor_unit_id, request_id, before, after FROM audit_log WHERE target_id = ${p} ORDER BY seq`, [planId]);
}

/**
 * The plan service of an API process that dies the moment the Update has been answered: the act
 * stands in the workflow, and the process never gets to do anything after it (before issue 8's
 * second round, PlanDesk wrote the act's audit row there, so it was lost).
 */
class DiesAfterUpdate extends PlanService {
  override async act(workflowId: string, command: Command, by?: ActBy): Promise<ActResult> {
    await super.act(workflowId, command, by);
    throw new Error('the API process died here');
  }
}

/**
 * An act is audited exactly once, whatever crashes: the API process dies right after the Update
 * was answered, and the worker process is SIGKILLed when the ledger write of that change (which
 * carries the act's audit row) starts, before anything is written. After a new worker comes up
 * the trail holds the act once; the client's retry with the same request id answers what the act
 * did and adds no row; the chain verifies. Stage and action ids from rules/standard/reform-plan.rules.
 */
describe.each(DB_KINDS)('an act is audited once across an API crash, a worker SIGKILL and a retry (%s)', (kind) => {
  let h: Harness;
  const workers: WorkerProcess[] = [];
  const taskQueue = `audit-crash-${randomUUID().slice(0, 8)}`;
  const planId = `audit-crash-${randomUUID().slice(0, 8)}`;
  beforeAll(async () => {
    h = await Harness.create(kind);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await h?.close();
  });

  it('no row while the worker is down, exactly one after it restarts, none added by the retry', async () => {
    const ds = h.db.ds;
    const definitions = new DefinitionStore(ds);
    await seedStandardProcedures(definitions);
    const directory = new UnitDirectory(ds);
    const accounts = new UserAccounts(ds);
    await directory.addRegion({ id: 'ac', name: '审计省', level: 'province' });
    await directory.addUnit({ id: 'ac-ndrc', name: '审计省发展和改革委员会', kind: 'department', regionId: 'ac', area: null });
    await directory.addUnit({ id: 'ac-econ', name: '审计省经济体制改革专项小组', kind: 'special_group', regionId: 'ac', area: '经济体制改革' });
    const lead = await accounts.create({ username: 'ac-ndrc', displayName: '牵头部门经办人', unitId: 'ac-ndrc', roles: ['staff'], password: 'correct-horse-battery' });
    const audit = AuditService.on(ds);
    const now = () => h.env.currentTimeMs();
    const desk = (plans: PlanService) => new PlanDesk({ plans, definitions, ledger: new LedgerService(ds, now), directory, accounts, audit });
    const plans = new PlanService(h.env.client, taskQueue, definitions, SHIPPED_HOLIDAYS, h.letters, now);
    const caller: Caller = { principal: { userId: lead.id, username: 'ac-ndrc', unitId: 'ac-ndrc', roles: ['staff'] }, requestId: `req-${randomUUID()}` };

    // Registered: change counter 1. The first worker dies when the write of counter 2 (the act's) starts.
    await desk(plans).register(caller, { procedure: 'reform_plan', id: planId, title: '关于审计留痕的实施方案', specialGroupId: 'ac-econ', responsibleLeader: '王副省长', responsiblePerson: '李明' });
    const doomed = WorkerProcess.spawn({ address: h.env.address, taskQueue, db: h.db, crashBeforeProjection: [{ planId, changeCounter: 2 }] });
    workers.push(doomed);
    await doomed.ready;
    await h.eventually(() => ledgerState(ds, planId), (s) => s?.plan.changeCounter === 1, 60_000);

    // The act: the Update is answered, then the API process dies.
    await expect(desk(new DiesAfterUpdate(h.env.client, taskQueue, definitions, SHIPPED_HOLIDAYS, h.letters, now)).act(caller, planId, { action: 'submit_draft' })).rejects.toThrow('the API process died here');
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const crash = doomed.events.find((e): e is ProjectionEvent => e.type === 'crash-projection');
    expect(crash).toMatchObject({ planId, changeCounter: 2, attempt: 1, audits: [2] });
    // Nothing of the act is written yet: neither the ledger nor the trail (they commit together).
    expect((await ledgerState(ds, planId))!.plan).toMatchObject({ changeCounter: 1, stageId: 'drafting' });
    expect((await auditRows(ds, planId)).map((r) => r.action)).toEqual(['plan.registered']);

    const next = WorkerProcess.spawn({ address: h.env.address, taskQueue, db: h.db });
    workers.push(next);
    await next.ready;
    // The attempt times out (startToCloseTimeout, real time) and runs again on the new worker.
    await h.eventually(() => ledgerState(ds, planId), (s) => s?.plan.changeCounter === 2, 120_000);
    const rows = await auditRows(ds, planId);
    expect(rows.map((r) => r.action)).toEqual(['plan.registered', 'plan.act']);
    expect(rows[1]).toMatchObject({ actor_user_id: lead.id, actor_unit_id: 'ac-ndrc', request_id: caller.requestId });
    expect(JSON.parse(rows[1].before!)).toEqual({ stage: 'drafting' });
    expect(JSON.parse(rows[1].after!)).toMatchObject({ action: 'submit_draft', role: 'lead_unit', stage: 'research', finished: false });

    // The client never heard back and retries with the same request id: the act's answer, nothing new.
    const retried = await desk(plans).act(caller, planId, { action: 'submit_draft' });
    expect(retried).toMatchObject({ action: 'submit_draft', role: 'lead_unit', stage: { id: 'research' } });
    // A new act after it is audited (so a write has landed since the retry), and the retry added no row.
    await desk(plans).act({ ...caller, requestId: `req-${randomUUID()}` }, planId, { action: 'complete_research' });
    await h.eventually(() => ledgerState(ds, planId), (s) => s?.plan.changeCounter === 3, 60_000);
    expect((await auditRows(ds, planId)).map((r) => [r.action, (JSON.parse(r.after ?? '{}') as { action?: string }).action ?? null])).toEqual([
      ['plan.registered', null],
      ['plan.act', 'submit_draft'],
      ['plan.act', 'complete_research'],
    ]);
    expect(await audit.verify()).toMatchObject({ ok: true, broken: null });
    const retriedWrite = next.events.find((e): e is ProjectionEvent => e.type === 'projection' && e.planId === planId && e.changeCounter === 2);
    expect(retriedWrite!.attempt).toBeGreaterThan(1);
    // A history with audited acts and a retried request, for replay.test.ts (npm run histories:record).
    if (kind === 'sqlite') await h.record(h.env.client.workflow.getHandle(planId), 'audited-acts');
  }, 300_000);
});
