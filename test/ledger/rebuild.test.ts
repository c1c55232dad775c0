import { ProcessDefinitionSchema } from '@reform/definitions';
import { LedgerService } from '@reform/ledger';
import { standardProcedure } from '@reform/procedures';
import { projectionQuery } from '@reform/workflows';
import type { WorkflowHandle } from '@temporalio/client';
import { DB_KINDS } from '../support/db';
import { Harness, PLAN } from '../support/harness';
import { TO_ISSUANCE_SIMPLE } from '../support/paths';
import { scopeIn } from './ledger-support';

const REFORM_PLAN = ProcessDefinitionSchema.parse(standardProcedure('reform_plan'));
const PILOT = ProcessDefinitionSchema.parse(standardProcedure('pilot'));
const TABLES: Array<[string, string]> = [
  ['ledger_plans', 'plan_id'],
  ['ledger_plan_units', 'plan_id, relation, unit_id'],
  ['ledger_deadlines', 'plan_id, deadline_key'],
  ['ledger_items', 'plan_id, item_id'],
];

describe.each(DB_KINDS)('rebuilding the ledger from the workflows (%s)', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create(kind);
  });
  afterAll(() => h?.close());

  /** Every row of the ledger tables, but the time each was written. */
  async function everything(): Promise<Record<string, unknown[]>> {
    const out: Record<string, unknown[]> = {};
    for (const [table, order] of TABLES) {
      const rows: Array<Record<string, unknown>> = await h.db.ds.query(`SELECT * FROM ${table} ORDER BY ${order}`);
      out[table] = rows.map(({ projected_at: _, ...rest }) => ({ ...rest, ...('overdue' in rest ? { overdue: Boolean(rest.overdue) } : {}) }));
    }
    return out;
  }

  async function caughtUp(handle: WorkflowHandle): Promise<void> {
    const counter = (await handle.query(projectionQuery)).changeCounter;
    const p = kind === 'postgres' ? '$1' : '?';
    await h.eventually(
      async () => (await h.db.ds.query(`SELECT change_counter FROM ledger_plans WHERE plan_id = ${p}`, [handle.workflowId]))[0]?.change_counter,
      (c) => Number(c) === counter,
    );
  }

  it('gives the same rows after the tables are emptied', async () => {
    const handles: WorkflowHandle[] = [];
    const regions = ['/sc/', '/sc/cd/', '/sc/cd/wh/', '/sc/my/'];
    for (const [i, regionPath] of regions.entries()) {
      const handle = await h.start(i % 2 ? PILOT : REFORM_PLAN, { plan: { ...PLAN, title: `${PLAN.title}(${i})`, scope: scopeIn(regionPath, i) } });
      handles.push(handle);
    }
    // Different progress on each: registered only, one step, all the way to issuance, and issued with a specific item.
    await h.actOnly(handles[1], (await h.view(handles[1])).actions.lead_unit.find((c) => !c.blockers.length)!.action, 'lead_unit');
    await h.actAll(handles[2], TO_ISSUANCE_SIMPLE);
    await h.actAll(handles[0], [...TO_ISSUANCE_SIMPLE, ['issue', 'lead_unit']]);
    for (const handle of handles) await caughtUp(handle);
    const before = await everything();
    expect(before.ledger_plans).toHaveLength(handles.length);

    const ledger = new LedgerService(h.db.ds);
    await ledger.store.clear();
    expect((await everything()).ledger_plans).toEqual([]);
    const report = await ledger.rebuild(h.env.client);
    expect(report).toEqual({ plans: handles.length, written: handles.length, unchanged: 0, failed: [] });
    expect(await everything()).toEqual(before);

    // Again, beside a ledger that is up to date: nothing is written.
    expect(await ledger.rebuild(h.env.client)).toEqual({ plans: handles.length, written: 0, unchanged: handles.length, failed: [] });
    expect(await everything()).toEqual(before);
  });
});
