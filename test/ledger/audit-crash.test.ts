import { AuditService } from '@reform/audit';
import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import { Caller, PlanDesk } from '@reform/desk';
import { UnitDirectory, UserAccounts } from '@reform/identity';
import { LedgerService } from '@reform/ledger';
import { DefinitionStore } from '@reform/persistence';
import { PlanService, seedStandardProcedures, StartPlanRequest } from '@reform/plans';
import type { ActBy, ActResult } from '@reform/workflows';
import type { Command, ProcessDefinition } from '@reform/definitions';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DB_KINDS } from '../support/db';
import { Harness } from '../support/harness';
import { TO_ISSUANCE_SIMPLE } from '../support/paths';
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

/** The plan service of an API process that dies the moment the plan's workflow has started. */
class DiesAfterStart extends PlanService {
  override async start(req: StartPlanRequest, opts?: { once?: boolean }): Promise<{ workflowId: string; definition: ProcessDefinition; started: boolean }> {
    await super.start(req, opts);
    throw new Error('the API process died here');
  }
}

/** An item's history, read back with plain SQL. */
async function itemHistory(ds: DataSource, planId: string): Promise<Array<{ item_id: string; seq: number; title: string; status_before: string | null; status_after: string; note: string | null; actor_user_id: string; unit_id: string; request_id: string | null }>> {
  const p = ds.options.type === 'postgres' ? '$1' : '?';
  return ds.query(`SELECT item_id, seq, title, status_before, status_after, note, actor_user_id, unit_id, request_id FROM item_changes WHERE plan_id = ${p} ORDER BY item_id, seq`, [planId]);
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

    // Registered (change counter 1) by an API process that dies once the workflow has started:
    // the registration's row is the plan's own, written with its first ledger write.
    // The first worker dies when the write of counter 2 (the act's) starts.
    const dying = (service: typeof PlanService) => new service(h.env.client, taskQueue, definitions, SHIPPED_HOLIDAYS, h.letters, now);
    await expect(desk(dying(DiesAfterStart)).register(caller, { procedure: 'reform_plan', id: planId, title: '关于审计留痕的实施方案', specialGroupId: 'ac-econ', responsibleLeader: '王副省长', responsiblePerson: '李明' })).rejects.toThrow('the API process died here');
    const doomed = WorkerProcess.spawn({ address: h.env.address, taskQueue, db: h.db, crashBeforeProjection: [{ planId, changeCounter: 2 }] });
    workers.push(doomed);
    await doomed.ready;
    await h.eventually(() => ledgerState(ds, planId), (s) => s?.plan.changeCounter === 1, 60_000);
    const registered = await auditRows(ds, planId);
    expect(registered.map((r) => [r.action, r.actor_user_id, r.actor_unit_id, r.request_id, r.before])).toEqual([['plan.registered', lead.id, 'ac-ndrc', caller.requestId, null]]);
    expect(JSON.parse(registered[0].after!)).toEqual({ procedure: 'reform_plan', version: 1, title: '关于审计留痕的实施方案', leadUnitId: 'ac-ndrc', specialGroupId: 'ac-econ', attributes: {} });

    // The act: the Update is answered, then the API process dies.
    await expect(desk(dying(DiesAfterUpdate)).act(caller, planId, { action: 'submit_draft' })).rejects.toThrow('the API process died here');
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

    // An item change whose API process dies once the Update is answered: the item's history line
    // is written with the act's audit row by the plan's own ledger write, once.
    const handle = h.env.client.workflow.getHandle(planId);
    await h.actAll(handle, [...TO_ISSUANCE_SIMPLE.slice(2), ['issue', 'lead_unit'], ['file', 'lead_unit']]);
    const itemCaller = { ...caller, requestId: `req-${randomUUID()}` };
    await expect(
      desk(dying(DiesAfterUpdate)).act(itemCaller, planId, { action: 'update_item', item: { id: '1', title: '建立审计留痕制度', status: 'started' } }, { note: '已起草制度' }),
    ).rejects.toThrow('the API process died here');
    // reform-plan.rules: update_item by lead_unit; 已启动未完成 is `started`; a new item has no status before.
    const lines = await h.eventually(() => itemHistory(ds, planId), (rows) => rows.length > 0, 60_000);
    expect(lines.map((l) => ({ ...l, seq: Number(l.seq) }))).toEqual([
      { item_id: '1', seq: 1, title: '建立审计留痕制度', status_before: null, status_after: 'started', note: '已起草制度', actor_user_id: lead.id, unit_id: 'ac-ndrc', request_id: itemCaller.requestId },
    ]);
    // Its retry answers the act and adds neither a line nor a row.
    await desk(plans).act(itemCaller, planId, { action: 'update_item', item: { id: '1', title: '建立审计留痕制度', status: 'started' } }, { note: '已起草制度' });
    expect(await itemHistory(ds, planId)).toHaveLength(1);
    expect((await auditRows(ds, planId)).filter((r) => r.request_id === itemCaller.requestId)).toHaveLength(1);
    const retriedWrite = next.events.find((e): e is ProjectionEvent => e.type === 'projection' && e.planId === planId && e.changeCounter === 2);
    expect(retriedWrite!.attempt).toBeGreaterThan(1);
    // A history with an audited registration, audited acts, an item change and retried requests, for replay.test.ts (npm run histories:record).
    if (kind === 'sqlite') await h.record(h.env.client.workflow.getHandle(planId), 'audited-registration-and-items');
  }, 300_000);
});
