import { localDateAt } from '@reform/calendar';
import { checkClusterInvariants } from '@reform/ledger';
import type { PlanProjection } from '@reform/machine';
import { LedgerStore, LetterEntity, LetterStore } from '@reform/persistence';
import type { Client } from '@temporalio/client';
import { DB_KINDS, TestDatabase, testDatabase } from '../support/db';
import { letterRequest, OFFICE } from './letter-fixtures';

/**
 * checkClusterInvariants (the cluster test's and bench:scale's checks) against hand-made state:
 * it passes a consistent database and names each break: a ledger row behind its workflow, a
 * letter the workflow does not list, a gap in the numbers, a letter of an unknown workflow. The
 * workflows' projections come from a stand-in for Temporal's query (the cluster test runs it on
 * real workflows).
 */
const NOW = Date.now();

function projection(planId: string, letters: PlanProjection['letters'], changeCounter = 1): PlanProjection {
  return {
    planId,
    procedure: { id: 'reform_plan', version: 1, title: '改革方案' },
    title: '关于深化营商环境改革的实施方案',
    attributes: {},
    stage: { id: 'filing', label: '备案' },
    status: 'open',
    scope: { regionPath: '/sc/', leadUnitId: 'sc-ndrc', specialGroupId: 'sc-econ', participatingUnitIds: [] },
    units: { leadUnit: '市发展改革委', specialGroup: '经济体制改革专项小组', participatingUnits: [] },
    people: { leader: '王副省长', person: '张三' },
    deadlines: [],
    nextDue: null,
    overdue: true,
    items: [],
    letters,
    changeCounter,
    updatedAt: new Date(NOW).toISOString(),
    today: localDateAt(NOW),
  };
}

/** Temporal's client as far as the checks use it: each workflow answers its projection query. */
function temporalOf(workflows: Map<string, PlanProjection>): Client {
  return {
    workflow: {
      getHandle: (id: string) => ({
        query: async () => {
          const p = workflows.get(id);
          if (!p) throw new Error(`workflow not found: ${id}`);
          return p;
        },
      }),
    },
  } as unknown as Client;
}

describe.each(DB_KINDS)('checkClusterInvariants on %s', (kind) => {
  let db: TestDatabase;
  afterEach(async () => {
    await db.drop();
  });

  /** Two plans, each with one letter issued (改办函〔2026〕1号 and 2号), their ledger rows written. */
  async function consistent(): Promise<Map<string, PlanProjection>> {
    db = await testDatabase(kind);
    const letters = new LetterStore(db.ds);
    const ledger = new LedgerStore(db.ds);
    const workflows = new Map<string, PlanProjection>();
    for (const id of ['plan-0001', 'plan-0002']) {
      const issued = await letters.issue(letterRequest(`${id}/filing#1/1`, { workflowId: id, kind: 'supervision', level: 1, limitUntil: '2026-03-20' }), OFFICE);
      const p = projection(id, [{ number: issued.number, kind: 'supervision', level: 1, date: '2026-03-10', deadlineKey: 'filing#1' }]);
      await ledger.upsert(p);
      workflows.set(id, p);
    }
    return workflows;
  }

  it('finds nothing wrong in a consistent database', async () => {
    const workflows = await consistent();
    const r = await checkClusterInvariants(db.ds, temporalOf(workflows), { plans: ['plan-0001', 'plan-0002'], ledgerWaitMs: 0 });
    expect(r.problems).toEqual([]);
    expect([r.plans, r.extraPlans, r.letters.count, r.letters.byYear, r.letters.byKind, r.ledger, r.audit.ok]).toEqual([2, 0, 2, { '改办函〔2026〕': 2 }, { supervision: 2 }, { checked: 2, equal: 2 }, true]);
  });

  it('names a ledger row behind its workflow, a letter the workflow does not list, a gap in the numbers and a letter of an unknown workflow', async () => {
    const workflows = await consistent();
    // plan-0001 moved on (change 2) and its ledger row was not written.
    workflows.set('plan-0001', { ...workflows.get('plan-0001')!, changeCounter: 2 });
    // plan-0002's workflow lists no letter, yet one is stored.
    workflows.set('plan-0002', { ...workflows.get('plan-0002')!, letters: [] });
    // A third letter of a workflow nobody registered, then the second letter's row lost: 1, 3.
    const letters = new LetterStore(db.ds);
    await letters.issue(letterRequest('ghost/filing#1/1', { workflowId: 'ghost', kind: 'supervision', level: 1, limitUntil: '2026-03-20' }), OFFICE);
    await db.ds.getRepository(LetterEntity).delete({ number: '改办函〔2026〕2号' });
    await new LetterStore(db.ds).issue(letterRequest('plan-0002/filing#1/2', { workflowId: 'plan-0002', kind: 'supervision', level: 1, limitUntil: '2026-03-20' }), OFFICE);

    const r = await checkClusterInvariants(db.ds, temporalOf(workflows), { plans: ['plan-0001', 'plan-0002'], ledgerWaitMs: 0 });
    // Letters 1 (plan-0001), 3 (ghost) and 4 (plan-0002) remain; the audit trail still records the lost 2.
    expect([...r.problems].sort()).toEqual(
      [
        'letters of a plan neither the run nor the ledger knows: ghost',
        'ghost: the workflow does not answer its projection query (workflow not found: ghost)',
        'plan-0001: the ledger is at change 1, the workflow at 2',
        'plan-0002: the ledger row differs from the workflow\'s projection at change 1',
        'plan-0002: letters in the database 改办函〔2026〕4号, the workflow lists (none)',
        '改办函〔2026〕: serials not 1…3 without a gap (position 2 holds 3)',
        'audit: 4 letter.issued rows for 3 letters, or not one each',
      ].sort(),
    );
  });
});
