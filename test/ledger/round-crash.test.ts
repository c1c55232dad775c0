import { addMonths, SHIPPED_HOLIDAYS } from '@reform/calendar';
import type { Caller } from '@reform/desk';
import { DefinitionStore } from '@reform/persistence';
import { seedStandardProcedures } from '@reform/plans';
import { PROCEDURE_WORKFLOW } from '@reform/workflows';
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DataSource } from 'typeorm';
import { DB_KINDS } from '../support/db';
import { runDeskProcess } from '../support/desk-process';
import { buildDesks } from '../support/desks';
import { Harness } from '../support/harness';
import { TO_ISSUANCE_SIMPLE } from '../support/paths';

/** Rows read back with plain SQL (no code under test). */
const rows = <T>(ds: DataSource, sql: string, ...params: unknown[]): Promise<T[]> => ds.query(ds.options.type === 'postgres' ? sql.replace(/\?/g, (_, i: number) => `$${sql.slice(0, i).split('?').length}`) : sql, params);

/**
 * A supervision round survives an API process SIGKILLed part-way (issue 9: nothing lost or sent
 * twice). The process opening the round (S3) dies right after the first of its two tasks' workflows
 * started: the round's row stands with its planned tasks (opening), the started task gets its row
 * from its workflow's own ledger write, nothing is an orphan; another round's opening waits (409);
 * `reform round open` run again (a new request id) starts the missing task only and the round is
 * open, audited once; the client's retry with the first request id answers the same round. The lead unit's
 * self-inspection report dies right after its Update: the task and its items follow with the
 * act's ledger write, audited once; the retry adds nothing. Action ids from
 * rules/standard/self-inspection.rules and reform-plan.rules.
 */
describe.each(DB_KINDS)('a supervision round across an API process SIGKILL and a retry (%s)', (kind) => {
  let h: Harness;
  let evidenceDir: string;
  beforeAll(async () => {
    h = await Harness.create(kind);
    evidenceDir = mkdtempSync(join(tmpdir(), 'reform-round-crash-'));
  });
  afterAll(async () => {
    await h?.close();
    if (evidenceDir) rmSync(evidenceDir, { recursive: true, force: true });
  });

  it('opens every task once and reports once, whichever process writes the rows', async () => {
    const ds = h.db.ds;
    const now = await h.env.currentTimeMs();
    const today = await h.today();
    const desks = buildDesks({ ds, client: h.env.client, taskQueue: h.taskQueue, now: () => h.env.currentTimeMs(), evidenceDir });
    const definitions = new DefinitionStore(ds);
    await seedStandardProcedures(definitions);
    await desks.directory.addRegion({ id: 'rx', name: '轮次省', level: 'province' });
    await desks.directory.addUnit({ id: 'rx-reform', name: '轮次省委改革办', kind: 'reform_office', regionId: 'rx', area: null });
    await desks.directory.addUnit({ id: 'rx-ndrc', name: '轮次省发展和改革委员会', kind: 'department', regionId: 'rx', area: null });
    await desks.directory.addUnit({ id: 'rx-econ', name: '轮次省经济体制改革专项小组', kind: 'special_group', regionId: 'rx', area: '经济体制改革' });
    const office = await desks.accounts.create({ username: 'rx-reform', displayName: '省改革办经办人', unitId: 'rx-reform', roles: ['staff'], password: 'correct-horse-battery' });
    const lead = await desks.accounts.create({ username: 'rx-ndrc', displayName: '发改委经办人', unitId: 'rx-ndrc', roles: ['staff'], password: 'correct-horse-battery' });
    const as = (user: { id: string; username: string; unitId: string }, requestId = `req-${randomUUID()}`): Caller => ({ principal: { userId: user.id, username: user.username, unitId: user.unitId, roles: ['staff'] }, requestId });
    const officeUser = { id: office.id, username: 'rx-reform', unitId: 'rx-reform' };
    const leadUser = { id: lead.id, username: 'rx-ndrc', unitId: 'rx-ndrc' };

    // Two plans of the province issued eight months ago (S3: half a year at least before the opening), each with one item.
    const def = (await definitions.latest('reform_plan'))!;
    const issuedOn = addMonths(today, -8).date;
    const planIds: string[] = [];
    for (const title of ['关于深化预算管理制度改革的实施方案', '关于深化国有企业改革的实施方案']) {
      const scope = { regionPath: '/rx/', leadUnitId: 'rx-ndrc', specialGroupId: 'rx-econ', participatingUnitIds: [] };
      const handle = await h.env.client.workflow.start(PROCEDURE_WORKFLOW, {
        taskQueue: h.taskQueue,
        workflowId: `round-crash-${randomUUID().slice(0, 8)}`,
        args: [{ definition: def, calendar: SHIPPED_HOLIDAYS, plan: { title, leadUnit: '轮次省发展和改革委员会', participatingUnits: [], responsibleLeader: '王副省长', responsiblePerson: '李明', specialGroup: '轮次省经济体制改革专项小组', goals: [], scope }, attributes: {}, registeredOn: issuedOn, startEvents: {} }],
      });
      const steps = [...TO_ISSUANCE_SIMPLE, ['issue', 'lead_unit'], ['file', 'lead_unit'], ['update_item', 'lead_unit', { item: { id: '1', title: `${title.slice(2, 8)}的第一项`, status: 'started' } }]] as Array<[string, string, object?]>;
      await h.actAll(handle, steps.map(([action, role, extra]) => [action, role, { businessDate: issuedOn, ...extra }]));
      planIds.push(handle.workflowId);
    }
    await h.eventually(() => rows<{ n: number | string }>(ds, "SELECT COUNT(*) AS n FROM ledger_plans WHERE region_path = '/rx/' AND change_counter >= 9"), (r) => Number(r[0].n) === 2, 60_000);

    // The opening dies right after its first task's workflow started.
    const opening = as(officeUser);
    const died = await runDeskProcess({ address: h.env.address, taskQueue: h.taskQueue, db: h.db, now, evidenceDir, call: { desk: 'rounds', method: 'open', args: [opening, { name: '年中集中督察' }] }, dieAfter: 'start@1' });
    expect([died.signal, died.events.map((e) => e.type)]).toEqual(['SIGKILL', ['ready', 'crash']]);
    const [round] = await rows<{ id: string; status: string; planned: string }>(ds, 'SELECT id, status, planned FROM supervision_rounds');
    expect((JSON.parse(round.planned) as Array<{ planId: string }>).map((p) => p.planId).sort()).toEqual([...planIds].sort());
    expect(round.status).toBe('opening');
    // The started task's row comes with its workflow's first ledger write; the other task was never started.
    const firstTask = await h.eventually(() => rows<{ plan_id: string; workflow_id: string; status: string; limit_date: string | null }>(ds, 'SELECT plan_id, workflow_id, status, limit_date FROM supervision_round_plans'), (r) => r.length === 1, 60_000);
    expect(firstTask[0]).toMatchObject({ status: 'inspecting', limit_date: expect.any(String) });
    const selfInspections = () => rows<{ plan_id: string }>(ds, "SELECT plan_id FROM ledger_plans WHERE procedure_id = 'self_inspection'");
    expect((await selfInspections()).map((r) => r.plan_id)).toEqual([firstTask[0].workflow_id]);

    // Another round waits for it: 409, saying how to finish it.
    await expect(desks.rounds.open(as(officeUser), { name: '专项督察' })).rejects.toThrow(/「年中集中督察」.*尚在开启中.*已生成 1\/2 个自查任务/);
    expect(await rows(ds, 'SELECT id FROM supervision_rounds')).toHaveLength(1);

    // The CLI run again (a new request id of its own: `reform round open` by the office's clerk)
    // completes the round: the missing task only, the round open, audited once.
    const cli = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const db = h.db.options;
      execFile(
        process.execPath,
        [join(__dirname, '../../bin/reform.js'), 'round', 'open', '--name', '年中集中督察', '--user', 'rx-reform', '--json'],
        {
          cwd: join(__dirname, '../..'),
          env: {
            ...process.env,
            TEMPORAL_ADDRESS: h.env.address,
            TEMPORAL_TASK_QUEUE: h.taskQueue,
            REFORM_PASSWORD: 'correct-horse-battery',
            REFORM_EVIDENCE_DIR: evidenceDir,
            ...(db.url ? { DATABASE_URL: db.url } : { REFORM_DATA_DIR: dirname(db.sqlitePath), DATABASE_URL: '' }),
          },
          timeout: 120_000,
        },
        (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 2) : 0, stdout, stderr }),
      );
    });
    expect([cli.code, cli.stderr]).toEqual([0, '']);
    const resumed = JSON.parse(cli.stdout) as { id: string; status: string; tasks: Array<{ planId: string; workflowId: string }> };
    expect([resumed.id, resumed.status, resumed.tasks.map((t) => t.planId).sort()]).toEqual([round.id, 'open', [...planIds].sort()]);
    expect(resumed.tasks.find((t) => t.planId === firstTask[0].plan_id)!.workflowId).toBe(firstTask[0].workflow_id);
    expect(await selfInspections()).toHaveLength(2);

    // The client's retry with the first request id answers the same round and starts nothing.
    const retried = await desks.rounds.open(opening, { name: '年中集中督察' });
    expect([retried.id, retried.status, retried.tasks.map((t) => t.planId).sort()]).toEqual([round.id, 'open', [...planIds].sort()]);
    expect(await selfInspections()).toHaveLength(2);
    expect(await rows(ds, 'SELECT id FROM supervision_rounds')).toHaveLength(1);
    expect((await rows<{ action: string }>(ds, 'SELECT action FROM audit_log WHERE target_id = ?', round.id)).map((r) => r.action)).toEqual(['round.opened']);
    expect((await desks.audit.verify()).ok).toBe(true);

    // The report's crash on SQLite only: the PostgreSQL half stays lean (the acts' writes are the same code on both).
    if (kind !== 'sqlite') return;

    // The lead unit's report dies right after its Update.
    const planId = planIds[0];
    const report = as(leadUser);
    const body = { items: [{ itemId: '1', status: 'completed', note: '制度已印发实施' }] };
    const died2 = await runDeskProcess({ address: h.env.address, taskQueue: h.taskQueue, db: h.db, now, evidenceDir, call: { desk: 'rounds', method: 'selfInspect', args: [report, round.id, planId, body] }, dieAfter: 'act@1' });
    expect([died2.signal, died2.events.map((e) => e.type)]).toEqual(['SIGKILL', ['ready', 'crash']]);
    const taskId = `${round.id}/${planId}`;
    await h.eventually(() => rows<{ status: string }>(ds, 'SELECT status FROM supervision_round_plans WHERE round_id = ? AND plan_id = ?', round.id, planId), (r) => r[0]?.status === 'verification', 60_000);
    expect(await rows(ds, 'SELECT item_id, self_status, self_note FROM supervision_round_items WHERE round_id = ? AND plan_id = ?', round.id, planId)).toEqual([{ item_id: '1', self_status: 'completed', self_note: '制度已印发实施' }]);
    const reported = () => rows<{ action: string; request_id: string }>(ds, 'SELECT action, request_id FROM audit_log WHERE target_id = ?', taskId);
    expect(await reported()).toEqual([{ action: 'round.self_inspection_reported', request_id: report.requestId }]);
    // The retry answers the task as it stands and reports nothing again.
    const again = await desks.rounds.selfInspect(report, round.id, planId, body as never);
    expect([again.status, again.items.map((i) => i.selfInspection?.status)]).toEqual(['verification', ['completed']]);
    expect(await reported()).toHaveLength(1);
    expect((await desks.audit.verify()).ok).toBe(true);
  }, 240_000);
});
