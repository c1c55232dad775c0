import { localDateAt } from '@reform/calendar';
import type { AuditedAct, PlanProjection } from '@reform/machine';
import { AuditStore, LedgerStore } from '@reform/persistence';
import { DB_KINDS, TestDatabase, testDatabase } from '../support/db';

const NOW = Date.now();

/** A projection as a workflow would write it, built by hand (not by the code under test). */
function projection(planId: string, counter: number, stage: [string, string]): PlanProjection {
  return {
    planId,
    procedure: { id: 'reform_plan', version: 1, title: '改革方案' },
    title: '关于深化营商环境改革的实施方案',
    attributes: {},
    stage: { id: stage[0], label: stage[1] },
    status: 'open',
    scope: { regionPath: '/sc/', leadUnitId: 'sc-ndrc', participatingUnitIds: [] },
    units: { leadUnit: '牵头单位', specialGroup: '专项小组', participatingUnits: [] },
    people: { leader: '王副省长', person: '李明' },
    deadlines: [],
    nextDue: null,
    overdue: false,
    items: [],
    letters: [],
    changeCounter: counter,
    updatedAt: new Date(NOW).toISOString(),
    today: localDateAt(NOW),
  };
}

function act(revision: number, action: string, stages: [string, string], requestId: string | null): AuditedAct {
  return {
    revision,
    at: new Date(NOW + revision * 1000).toISOString(),
    actor: { userId: 'user-7', name: '王五', unitId: 'sc-ndrc' },
    requestId,
    before: { stage: stages[0] },
    after: { action, role: 'lead_unit', businessDate: localDateAt(NOW), stage: stages[1], finished: false },
  };
}

/**
 * The ledger write that carries a plan's acts appends their audit rows in its own transaction,
 * once per (plan, revision): a retried activity attempt whose first attempt committed, a later
 * write that carries an act again, and a write overtaken by a newer projection add no row.
 */
describe.each(DB_KINDS)('acts audited with the ledger write (%s)', (kind) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await testDatabase(kind);
  });
  afterEach(async () => {
    await db.drop();
  });

  const rows = async () => {
    const found: Array<{ action: string; target_id: string; actor_user_id: string; actor_unit_id: string; request_id: string | null; after: string }> = await db.ds.query(
      'SELECT action, target_id, actor_user_id, actor_unit_id, request_id, after FROM audit_log ORDER BY seq',
    );
    return found.map((r) => ({ ...r, after: JSON.parse(r.after) as { action: string } }));
  };

  it('records each act once, however often the write is repeated or overtaken', async () => {
    const ledger = new LedgerStore(db.ds);
    const submit = act(2, 'submit_draft', ['drafting', 'research'], 'req-1');
    const research = act(3, 'complete_research', ['research', 'department_coordination'], 'req-2');
    expect(await ledger.upsert(projection('p-1', 2, ['research', '调查研究']), new Date(), [submit])).toEqual({ applied: true });
    // The attempt committed but its completion was lost: Temporal runs it again.
    expect(await ledger.upsert(projection('p-1', 2, ['research', '调查研究']), new Date(), [submit])).toEqual({ applied: false });
    // The next write carries the act again with the next one (the workflow had not heard back).
    await ledger.upsert(projection('p-1', 3, ['department_coordination', '部门协调']), new Date(), [submit, research]);
    // A late write of an older projection, carrying both: the ledger keeps the newer, the trail adds nothing.
    expect(await ledger.upsert(projection('p-1', 2, ['research', '调查研究']), new Date(), [submit, research])).toEqual({ applied: false });
    // Another plan's act with the same revision is another act.
    await ledger.upsert(projection('p-2', 2, ['research', '调查研究']), new Date(), [act(2, 'submit_draft', ['drafting', 'research'], 'req-3')]);

    expect((await rows()).map((r) => [r.action, r.target_id, r.after.action, r.request_id, r.actor_user_id, r.actor_unit_id])).toEqual([
      ['plan.act', 'p-1', 'submit_draft', 'req-1', 'user-7', 'sc-ndrc'],
      ['plan.act', 'p-1', 'complete_research', 'req-2', 'user-7', 'sc-ndrc'],
      ['plan.act', 'p-2', 'submit_draft', 'req-3', 'user-7', 'sc-ndrc'],
    ]);
    expect(await new AuditStore(db.ds).verify()).toMatchObject({ ok: true, rowsChecked: 3, broken: null });
  });

  it('a write that fails for good leaves neither the projection nor the act', async () => {
    const ledger = new LedgerStore(db.ds);
    // An actor name longer than the audit trail's column (200): refused before anything is written.
    const tooLong = { ...act(2, 'submit_draft', ['drafting', 'research'], 'req-1'), actor: { userId: 'user-7', name: '王'.repeat(201), unitId: 'sc-ndrc' } };
    await expect(ledger.upsert(projection('p-1', 2, ['research', '调查研究']), new Date(), [tooLong])).rejects.toThrow();
    expect(await ledger.projection('p-1')).toBeNull();
    expect(await rows()).toEqual([]);
  });
});
