import { localDateAt, SHIPPED_HOLIDAYS } from '@reform/calendar';
import { DefinitionStore } from '@reform/persistence';
import { PlanService, UserError } from '@reform/plans';
import { randomUUID } from 'node:crypto';
import { letterRequest } from '../persistence/letter-fixtures';
import { Harness, OFFICE, PLAN } from '../support/harness';
import { daysAfter, DRILL_DEADLINE_KEY, LETTER_DRILL } from '../support/letter-drill';

/** The refusal a start met: a user error (a sentence, no stack), or the test fails. */
async function refusal(attempt: Promise<unknown>): Promise<string> {
  const err = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return (err as UserError).message;
}

/**
 * Letters are keyed by (plan id, deadline occurrence, level). A new plan under a used id would
 * be handed the old plan's letters as its own and send none: the id is refused instead.
 */
describe('a plan id is given to one plan only', () => {
  let h: Harness;
  let plans: PlanService;
  beforeAll(async () => {
    h = await Harness.create('sqlite');
    const store = new DefinitionStore(h.db.ds);
    await store.publishNext(LETTER_DRILL);
    plans = new PlanService(h.env.client, h.taskQueue, store, SHIPPED_HOLIDAYS, h.letters, () => h.env.currentTimeMs());
  });
  afterAll(() => h?.close());

  const start = (workflowId?: string) => plans.start({ procedure: LETTER_DRILL.id, plan: PLAN, workflowId });

  it('refuses the id of a running plan and, once it is terminated, still refuses it; its letters stay its own', async () => {
    const id = `drill-${randomUUID().slice(0, 8)}`;
    const registeredOn = localDateAt(await h.env.currentTimeMs());
    await start(id);
    const firstRun = (await h.env.client.workflow.getHandle(id).describe()).runId;

    // Its first letter (督办函) goes out when the day after registration has ended.
    await h.travelTo(daysAfter(registeredOn, 2), 60);
    const letters = await h.eventually(() => h.letters.forWorkflow(id), (rows) => rows.length === 1);
    expect(letters.map((l) => [l.deadlineKey, l.level, l.kind])).toEqual([[DRILL_DEADLINE_KEY, 0, 'supervision']]);

    expect(await refusal(start(id))).toBe(`方案编号「${id}」已被使用(该编号的方案正在办理中),请换一个编号`);

    await h.env.client.workflow.getHandle(id).terminate('测试:终止方案');
    const closedOn = localDateAt(await h.env.currentTimeMs());
    expect(await refusal(start(id))).toBe(`方案编号「${id}」已被使用(该编号的方案已被终止,${closedOn}结束),请换一个编号`);

    // Nothing was started under the id again, and the first plan's letter is as it was written.
    const now = await h.env.client.workflow.getHandle(id).describe();
    expect([now.runId, now.status.name]).toEqual([firstRun, 'TERMINATED']);
    expect(await h.letters.forWorkflow(id)).toEqual(letters);
  });

  it('refuses the id of a plan that finished', async () => {
    const id = `drill-${randomUUID().slice(0, 8)}`;
    await start(id);
    const handle = h.env.client.workflow.getHandle(id);
    await h.act(handle, 'report', 'lead_unit');
    // (Not handle.result(): waiting on it lets the test server skip time far ahead.)
    expect((await h.eventually(() => handle.describe(), (d) => d.status.name !== 'RUNNING')).status.name).toBe('COMPLETED');
    const closedOn = localDateAt(await h.env.currentTimeMs());
    expect(await refusal(start(id))).toBe(`方案编号「${id}」已被使用(该编号的方案已办结,${closedOn}结束),请换一个编号`);
  });

  it('refuses an id under which letters went out, after Temporal has let the plan go', async () => {
    const id = `drill-${randomUUID().slice(0, 8)}`;
    const today = localDateAt(await h.env.currentTimeMs());
    await h.letters.issue(letterRequest(`${id}/${DRILL_DEADLINE_KEY}/0`, { workflowId: id, issuedOn: today }), OFFICE);
    expect(await refusal(start(id))).toBe(`方案编号「${id}」已被使用(已有 1 件函件以该编号发出),请换一个编号`);
    await expect(h.env.client.workflow.getHandle(id).describe()).rejects.toThrow();
  });

  it('a plan started without an id gets a new one each time', async () => {
    const [a, b] = [await start(), await start()];
    expect(a.workflowId).not.toBe(b.workflowId);
  });
});
