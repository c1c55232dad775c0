import { seedStandardProcedures } from '@reform/plans';
import type { Caller, ProblemDetail } from '@reform/desk';
import { DefinitionStore, LetterStore, ProblemStore } from '@reform/persistence';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DB_KINDS } from '../support/db';
import { runDeskProcess } from '../support/desk-process';
import { buildDesks } from '../support/desks';
import { Harness } from '../support/harness';

/** The audit rows of a target, read back with plain SQL (no code under test). */
async function auditRows(ds: DataSource, targetId: string): Promise<Array<{ action: string; actor_user_id: string | null; request_id: string | null; before: string | null; after: string | null }>> {
  const p = ds.options.type === 'postgres' ? '$1' : '?';
  return ds.query(`SELECT action, actor_user_id, request_id, before, after FROM audit_log WHERE target_id = ${p} ORDER BY seq`, [targetId]);
}

/** The library's rows, read back with plain SQL. */
async function problemRows(ds: DataSource): Promise<Array<{ id: string; number: string; status: string; library_region_path: string; owner_unit_id: string; escalated_from_region_path: string | null; limit_date: string | null; workflow_id: string }>> {
  return ds.query('SELECT id, number, status, library_region_path, owner_unit_id, escalated_from_region_path, limit_date, workflow_id FROM problems ORDER BY seq');
}

/**
 * The problem library survives an API process SIGKILLed right after the engine answered (issue 9:
 * nothing lost or sent twice). The API process (crash-desk.ts) dies right after the problem's
 * workflow started, before the desk wrote anything: the problem's row, its number and its
 * `problem.registered` row arrive with the workflow's own ledger write; the client's retry with the
 * same request id answers that problem and registers none. It dies again right after an
 * escalation's Update (Y11): the row moves to the library above with the act's ledger write, the
 * act is audited once, and the retry answers it without escalating again. Numbers stay gap-free:
 * the next registration is number 2. A handover of three problems in one 整改意见书 dies right after
 * its first act: the letter lists all three; another request naming one of the others completes
 * the list (no second letter), the first request repeated sends nothing; a list nothing of which
 * was handed over is dropped for a new one after ten minutes, and before that is 409. Stage and
 * action ids from rules/standard/problem.rules.
 */
describe.each(DB_KINDS)('the problem library across an API process SIGKILL and a retry (%s)', (kind) => {
  let h: Harness;
  let evidenceDir: string;
  beforeAll(async () => {
    h = await Harness.create(kind);
    evidenceDir = mkdtempSync(join(tmpdir(), 'reform-desk-crash-'));
  });
  afterAll(async () => {
    await h?.close();
    if (evidenceDir) rmSync(evidenceDir, { recursive: true, force: true });
  });

  it('registers and escalates once, whichever process writes the row', async () => {
    const ds = h.db.ds;
    const now = await h.env.currentTimeMs();
    const year = (await h.today()).slice(0, 4);
    const desks = buildDesks({ ds, client: h.env.client, taskQueue: h.taskQueue, now: () => h.env.currentTimeMs(), evidenceDir });
    await seedStandardProcedures(new DefinitionStore(ds));
    await desks.directory.addRegion({ id: 'kx', name: '崩溃省', level: 'province' });
    await desks.directory.addRegion({ id: 'ky', name: '崩溃市', level: 'city', parentId: 'kx' });
    await desks.directory.addUnit({ id: 'kx-reform', name: '崩溃省委改革办', kind: 'reform_office', regionId: 'kx', area: null });
    await desks.directory.addUnit({ id: 'ky-reform', name: '崩溃市委改革办', kind: 'reform_office', regionId: 'ky', area: null });
    await desks.directory.addUnit({ id: 'ky-fgw', name: '崩溃市发展和改革委员会', kind: 'department', regionId: 'ky', area: null });
    const office = await desks.accounts.create({ username: 'ky-reform', displayName: '市改革办经办人', unitId: 'ky-reform', roles: ['staff'], password: 'correct-horse-battery' });
    const caller = (requestId: string): Caller => ({ principal: { userId: office.id, username: 'ky-reform', unitId: 'ky-reform', roles: ['staff'] }, requestId });
    const inProcess = (dieAfter: string, method: string, args: unknown[]) =>
      runDeskProcess({ address: h.env.address, taskQueue: h.taskQueue, db: h.db, now, evidenceDir, call: { desk: 'problems', method, args }, dieAfter });

    // Registered by an API process that dies once the workflow has started.
    const body = { against: { type: 'unit' as const, unitId: 'ky-fgw' }, description: '行政审批事项清单未按期动态调整' };
    const reg = caller(`req-${randomUUID()}`);
    const died = await inProcess('start', 'register', [reg, body]);
    expect([died.signal, died.events.map((e) => e.type)]).toEqual(['SIGKILL', ['ready', 'crash']]);
    // The row comes with the workflow's own ledger write: number 1 of the city's library this year (〔year〕N号, Y9).
    const [row] = await h.eventually(() => problemRows(ds), (rows) => rows.length === 1, 60_000);
    expect(row).toMatchObject({ number: `崩溃市问题〔${year}〕1号`, status: 'registered', library_region_path: '/kx/ky/', owner_unit_id: 'ky-reform', escalated_from_region_path: null });
    expect(row.workflow_id).toBe(`problem-${row.id}`);
    expect((await auditRows(ds, row.id)).map((r) => [r.action, r.actor_user_id, r.request_id])).toEqual([['problem.registered', office.id, reg.requestId]]);
    expect((await auditRows(ds, row.workflow_id)).map((r) => r.action)).toEqual(['plan.registered']);

    // The client never heard back and sends the request again: the same problem, nothing new.
    const again = await desks.problems.register(reg, body);
    expect([again.id, again.number]).toEqual([row.id, row.number]);
    expect(await problemRows(ds)).toHaveLength(1);
    expect((await auditRows(ds, row.id)).map((r) => r.action)).toEqual(['problem.registered']);

    // Numbers stay gap-free: the next problem of the library is number 2.
    const next = await desks.problems.register(caller(`req-${randomUUID()}`), { ...body, description: '政务服务事项办理时限未压减到位' });
    expect(next.number).toBe(`崩溃市问题〔${year}〕2号`);
    expect((await desks.audit.verify()).ok).toBe(true);

    // The act's crash on SQLite only: the PostgreSQL half stays lean (the acts' writes are the same code on both).
    if (kind !== 'sqlite') return;
    // Handed over (in this process), then escalated by an API process that dies once the Update is answered.
    const handed = await desks.problems.act(caller(`req-${randomUUID()}`), row.id, { action: 'hand_over' });
    expect(handed.status).toBe('rectifying');
    const up = caller(`req-${randomUUID()}`);
    const escalation = { action: 'escalate' as const, reason: '涉及省级审批权限,需省级协调' };
    const died2 = await inProcess('act', 'act', [up, row.id, escalation]);
    expect([died2.signal, died2.events.map((e) => e.type)]).toEqual(['SIGKILL', ['ready', 'crash']]);
    // The province's library holds it now (Y11): written with the act's ledger write, audited once.
    const [moved] = await h.eventually(() => problemRows(ds), (rows) => rows[0]?.library_region_path === '/kx/', 60_000);
    expect(moved).toMatchObject({ status: 'rectifying', library_region_path: '/kx/', owner_unit_id: 'kx-reform', escalated_from_region_path: '/kx/ky/' });
    const escalated = (await auditRows(ds, row.id)).filter((r) => r.action === 'problem.escalate');
    expect(escalated.map((r) => [r.actor_user_id, r.request_id])).toEqual([[office.id, up.requestId]]);
    expect(JSON.parse(escalated[0].after!)).toMatchObject({ library: '/kx/', reason: escalation.reason });

    // The retry answers the problem as it stands (已上交 from the city's library) and escalates nothing again.
    const retried = await desks.problems.act(up, row.id, escalation);
    expect([retried.status, retried.library.regionPath]).toEqual(['escalated', '/kx/']);
    expect((await auditRows(ds, row.id)).map((r) => r.action)).toEqual(['problem.registered', 'problem.hand_over', 'problem.escalate']);
    expect((await auditRows(ds, row.workflow_id)).map((r) => r.action)).toEqual(['plan.registered', 'plan.act', 'plan.act']);
    expect((await desks.audit.verify()).ok).toBe(true);
    // A history with desk data at registration and in an act (patch desk-ledger), for replay.test.ts (npm run histories:record).
    await h.record(h.env.client.workflow.getHandle(row.workflow_id), 'desk-ledger-problem');
  }, 180_000);

  it('completes a handover cut short, by the same request or by another, and frees a list left untouched', async () => {
    const ds = h.db.ds;
    const now = await h.env.currentTimeMs();
    const desks = buildDesks({ ds, client: h.env.client, taskQueue: h.taskQueue, now: () => h.env.currentTimeMs(), evidenceDir });
    await seedStandardProcedures(new DefinitionStore(ds));
    await desks.directory.addRegion({ id: 'hx', name: '移交省', level: 'province' });
    await desks.directory.addUnit({ id: 'hx-reform', name: '移交省委改革办', kind: 'reform_office', regionId: 'hx', area: null });
    await desks.directory.addUnit({ id: 'hx-fgw', name: '移交省发展和改革委员会', kind: 'department', regionId: 'hx', area: null });
    const office = await desks.accounts.create({ username: 'hx-reform', displayName: '省改革办经办人', unitId: 'hx-reform', roles: ['staff'], password: 'correct-horse-battery' });
    const caller = (requestId = `req-${randomUUID()}`): Caller => ({ principal: { userId: office.id, username: 'hx-reform', unitId: 'hx-reform', roles: ['staff'] }, requestId });
    const problems: ProblemDetail[] = [];
    for (const d of ['一号问题:台账未更新', '二号问题:清单未公开', '三号问题:进展未报送', '四号问题:制度未印发', '五号问题:经费未落实', '六号问题:督办未回复']) {
      problems.push(await desks.problems.register(caller(), { against: { type: 'unit', unitId: 'hx-fgw' }, description: d }));
    }
    const [a, b, c, d, e, f] = problems;
    const status = async (id: string) => (await desks.problems.detail(caller(), id)).status;
    const letters = new LetterStore(ds);
    const lettersOf = async (...ps: Array<{ workflowId: string }>) => (await Promise.all(ps.map((p) => letters.forWorkflow(p.workflowId)))).flat();

    // The handover dies right after its first act (the first problem's hand_over): its letter lists all three.
    const first = caller();
    const body = { problemIds: [a.id, b.id, c.id] };
    const died = await runDeskProcess({ address: h.env.address, taskQueue: h.taskQueue, db: h.db, now, evidenceDir, call: { desk: 'problems', method: 'handOver', args: [first, body] }, dieAfter: 'act@1' });
    expect([died.signal, died.events.map((ev) => ev.type)]).toEqual(['SIGKILL', ['ready', 'crash']]);
    const letter = await h.eventually(() => lettersOf(a, b, c), (ls) => ls.length === 1, 60_000);
    for (const p of [a, b, c]) expect(letter[0].body).toContain(p.description);
    expect([await status(b.id), await status(c.id)]).toEqual(['registered', 'registered']);

    // Another request (a clerk handing the second over alone) completes that list: both follow the letter, no second one.
    const solo = await desks.problems.act(caller(), b.id, { action: 'hand_over' });
    expect(solo.status).toBe('rectifying');
    await h.eventually(() => status(c.id), (s) => s === 'rectifying', 60_000);
    // The first request repeated: the same handover, nothing sent again.
    const again = await desks.problems.handOver(first, body);
    expect(again.problems.map((p) => p.status)).toEqual(['rectifying', 'rectifying', 'rectifying']);
    expect((await lettersOf(a, b, c)).map((l) => l.number)).toEqual([letter[0].number]);
    expect((await auditRows(ds, a.id)).map((r) => r.action)).toEqual(['problem.registered', 'problem.hand_over']);
    for (const p of [b, c]) expect((await auditRows(ds, p.id)).map((r) => r.action)).toEqual(['problem.registered', 'problem.hand_over_listed']);

    // A list nothing of which was handed over, left for more than ten minutes: dropped for a new handover.
    const store = new ProblemStore(ds);
    const left = (ps: typeof problems, minutesAgo: number) =>
      store.createHandover({
        id: randomUUID(),
        libraryRegionPath: '/hx/',
        unitId: 'hx-fgw',
        carrierWorkflowId: ps[0].workflowId,
        problems: JSON.stringify(ps.map((p) => ({ problemId: p.id, workflowId: p.workflowId, number: p.number, line: p.description }))),
        businessDate: null,
        createdBy: office.id,
        requestId: null,
        createdAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
      });
    await left([d, e], 11);
    const freed = await desks.problems.handOver(caller(), { problemIds: [d.id, e.id] });
    expect(freed.problems.map((p) => p.status)).toEqual(['rectifying', 'rectifying']);
    // One just written may still be at work: 409, nothing changes.
    await left([f], 1);
    await expect(desks.problems.act(caller(), f.id, { action: 'hand_over' })).rejects.toThrow(/正在移交的整改意见书/);
    expect(await status(f.id)).toBe('registered');
    expect((await desks.audit.verify()).ok).toBe(true);
  }, 180_000);
});
