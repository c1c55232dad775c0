import { ProcessDefinitionSchema } from '@reform/definitions';
import { standardProcedure } from '@reform/procedures';
import { Harness } from '../support/harness';
import { TO_ISSUANCE_SIMPLE } from '../support/paths';

const REFORM_PLAN = standardProcedure('reform_plan');

const plan = ProcessDefinitionSchema.parse(REFORM_PLAN);

describe.each(['sqlite', 'postgres'] as const)('letters exactly once (%s)', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create(kind, { workflowCache: false });
  });
  afterAll(() => h?.close());

  it('survives failed attempts and a worker killed and restarted mid-ladder', async () => {
    const attempts = new Map<string, number>();
    // Every letter's first two attempts die after the letter is written, before the result is reported.
    h.faults.afterWrite = (req) => {
      const n = (attempts.get(req.idempotencyKey) ?? 0) + 1;
      attempts.set(req.idempotencyKey, n);
      if (n <= 2) throw new Error('injected: crash after the letter was written');
    };

    const handle = await h.start(plan);
    await h.actAll(handle, TO_ISSUANCE_SIMPLE);
    const today = (await h.view(handle)).today;
    const year = Number(today.slice(0, 4)) + 1;
    await h.travelTo(`${year}-01-31`, 9 * 60);
    await h.act(handle, 'issue', 'lead_unit');

    // The reminder: written on the first attempt, reported on the third.
    await h.travelTo(`${year}-02-22`, 1);
    await h.eventually(() => h.view(handle), (v) => v.letters.length === 1);

    // The worker dies between two levels; a new one picks the plan up from its history.
    await h.stopWorker();
    expect((await h.letters.forWorkflow(handle.workflowId)).map((l) => l.kind)).toEqual(['reminder']);
    await h.startWorker();

    // Killed again in the middle of writing the supervision letter: after the write, before the report.
    let killed: (stopped: Promise<void>) => void = () => undefined;
    const workerKilled = new Promise<void>((resolve) => (killed = resolve));
    h.faults.afterWrite = (req) => {
      const n = (attempts.get(req.idempotencyKey) ?? 0) + 1;
      attempts.set(req.idempotencyKey, n);
      if (n === 1) {
        killed(h.stopWorker());
        throw new Error('injected: worker killed mid-activity');
      }
    };
    const due = h.travelTo(`${year}-03-01`, 1);
    await workerKilled;
    expect((await h.letters.forWorkflow(handle.workflowId)).map((l) => l.kind)).toEqual(['reminder', 'supervision']);
    h.faults.afterWrite = undefined;
    await h.startWorker();
    await due;

    const view = await h.eventually(() => h.view(handle), (v) => v.letters.length === 2);
    const rows = await h.letters.forWorkflow(handle.workflowId);
    expect(rows.map((r) => r.kind)).toEqual(['reminder', 'supervision']);
    expect(new Set(rows.map((r) => r.idempotencyKey)).size).toBe(2);
    expect(view.letters.map((l) => l.number)).toEqual(rows.map((r) => r.number));
    // No retry took a number: the two letters are consecutive.
    expect(rows[1].serial - rows[0].serial).toBe(1);
    expect(Math.max(...attempts.values())).toBeGreaterThan(1);
    await h.record(handle, `exactly-once-${kind}`);
  });
});
