import { localDateAt, SHIPPED_HOLIDAYS } from '@reform/calendar';
import type { StartInputData } from '@reform/definitions';
import { AuditStore } from '@reform/persistence';
import { PROCEDURE_WORKFLOW } from '@reform/workflows';
import { randomUUID } from 'node:crypto';
import { DB_KINDS } from '../support/db';
import { Harness, PLAN } from '../support/harness';
import { daysAfter, DRILL_DEADLINE_KEY, drillLadder, LETTER_DRILL } from '../support/letter-drill';
import { WorkerEvent, WorkerProcess } from '../support/worker-process';

const PLANS = 6;
const WORKERS = 3;
/** Plans whose first letter kills the worker process that writes it. */
const DOOMED = 2;
/** 改办函〔2026〕12号: the office's prefix (the default, 改办函), the year, the serial. */
const OFFICIAL_NUMBER = /^改办函〔(\d{4})〕(\d+)号$/;

type LetterEvent = Extract<WorkerEvent, { type: 'letter' | 'crash' }>;

/**
 * Worker processes die by SIGKILL in the worst moment for a letter: its transaction has
 * committed, and the completion never reaches Temporal. The attempt times out on the server
 * (startToCloseTimeout, in real time: the test server holds its clock while an activity is out)
 * and runs again in another process. Several processes share one task queue and one database.
 */
describe.each(DB_KINDS)('letters exactly once when worker processes are killed (%s)', (kind) => {
  let h: Harness;
  const workers: WorkerProcess[] = [];
  const taskQueue = `crash-${randomUUID().slice(0, 8)}`;
  const ids = Array.from({ length: PLANS }, (_, i) => `drill-${i}-${randomUUID().slice(0, 8)}`);
  // The first letter of the doomed plans: whichever worker commits one dies right after.
  const fatal = ids.slice(0, DOOMED).map((id) => `${id}/${DRILL_DEADLINE_KEY}/0`);
  beforeAll(async () => {
    h = await Harness.create(kind);
    // One letter at a time each, so no worker takes two fatal letters: DOOMED die, the rest carry on.
    for (let i = 0; i < WORKERS; i++) workers.push(WorkerProcess.spawn({ address: h.env.address, taskQueue, db: h.db, crashAfterCommit: fatal, activitySlots: 1 }));
    await Promise.all(workers.map((w) => w.ready));
  }, 150_000); // three Node processes loading the engine: seconds alone, a minute and more on a crowded machine
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await h?.close();
  });

  it('every letter that fell due is written once, under contiguous numbers, with one audit row each in one unbroken chain, and each plan holds the letter that was committed', async () => {
    const registeredOn = localDateAt(await h.env.currentTimeMs());
    const input: StartInputData = { definition: LETTER_DRILL, calendar: SHIPPED_HOLIDAYS, plan: PLAN, attributes: {}, registeredOn, startEvents: {} };
    for (const workflowId of ids) await h.env.client.workflow.start(PROCEDURE_WORKFLOW, { taskQueue, workflowId, args: [input] });
    const ladder = drillLadder(registeredOn);
    // Past the last letter of the ladder; the clock moves on only once every letter on the way is written.
    await h.travelTo(daysAfter(ladder[ladder.length - 1].issuedOn, 1));
    const views = await Promise.all(ids.map((id) => h.eventually(() => h.view(h.env.client.workflow.getHandle(id)), (v) => v.letters.length === ladder.length, 60_000)));

    // Each fatal letter was committed by a worker that then killed itself; the others lived.
    const events = workers.flatMap((w) => w.events).filter((e): e is LetterEvent => e.type === 'letter' || e.type === 'crash');
    const crashes = events.filter((e) => e.type === 'crash');
    expect(crashes.map((c) => [c.key, c.attempt, c.created]).sort()).toEqual(fatal.map((key) => [key, 1, true]).sort());
    const dead = workers.filter((w) => crashes.some((c) => c.pid === w.pid));
    expect(dead).toHaveLength(DOOMED);
    expect(await Promise.all(dead.map((w) => w.exited))).toEqual(dead.map(() => ({ code: null, signal: 'SIGKILL' })));
    expect(workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null)).toHaveLength(WORKERS - DOOMED);

    const rows = await h.letters.all();
    for (const c of crashes) {
      // Its attempt timed out and ran again in another process, which found the letter and took no number.
      const rerun = events.find((e) => e.type === 'letter' && e.key === c.key && e.pid !== c.pid && e.attempt > c.attempt);
      expect(rerun).toMatchObject({ created: false, number: c.number });
      // In the plan's history, the attempt that completed its first letter is that rerun, not the first.
      const history = await h.env.client.workflow.getHandle(c.key.split('/')[0]).fetchHistory();
      // (The first issueLetter activity: the plan's ledger projections are activities too.)
      const firstLetter = history.events!.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'issueLetter')!;
      const started = history.events!.find((e) => Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === Number(firstLetter.eventId));
      expect(started!.activityTaskStartedEventAttributes!.attempt).toBe(rerun!.attempt);
      expect(rows.filter((r) => r.idempotencyKey === c.key).map((r) => r.number)).toEqual([c.number]);
    }

    // By (plan, deadline occurrence, level): every letter that fell due, none missing, none twice.
    const byPlanAndLevel = (a: { workflowId: string; level: number }, b: { workflowId: string; level: number }) => a.workflowId.localeCompare(b.workflowId) || a.level - b.level;
    const expected = ids.flatMap((workflowId) => ladder.map((l) => ({ workflowId, deadlineKey: DRILL_DEADLINE_KEY, level: l.level, kind: l.kind, issuedOn: l.issuedOn })));
    const written = rows.map((r) => ({ workflowId: r.workflowId, deadlineKey: r.deadlineKey, level: r.level, kind: r.kind, issuedOn: r.issuedOn }));
    expect(written.sort(byPlanAndLevel)).toEqual(expected.sort(byPlanAndLevel));

    // By official number: the year it was issued, and in each year 1, 2, 3… with no gap and none twice.
    for (const r of rows) {
      const m = OFFICIAL_NUMBER.exec(r.number);
      expect([m?.[1], m?.[2]]).toEqual([r.issuedOn.slice(0, 4), String(r.serial)]);
    }
    for (const year of new Set(rows.map((r) => r.issuedOn.slice(0, 4)))) {
      const serials = rows.filter((r) => r.issuedOn.startsWith(year)).map((r) => r.serial).sort((a, b) => a - b);
      expect(serials).toEqual(serials.map((_, i) => i + 1));
    }

    // The audit trail: one row per letter, by the engine, committed with its letter (a killed
    // worker's letter has its row), none twice (the rerun that found its letter wrote none).
    const audit = new AuditStore(h.db.ds);
    const trail = await audit.entries(0, 10_000);
    expect(trail).toHaveLength(rows.length);
    expect(trail.map((a) => [a.action, a.targetType, a.actorUserId, a.actorName]).filter(([action, type, user, name]) => action !== 'letter.issued' || type !== 'letter' || user !== null || name !== null)).toEqual([]);
    expect(trail.map((a) => a.targetId).sort()).toEqual(rows.map((r) => r.id).sort());
    for (const a of trail) {
      const letter = rows.find((r) => r.id === a.targetId)!;
      expect(JSON.parse(a.after!)).toMatchObject({ number: letter.number, plan: letter.workflowId, level: letter.level, idempotencyKey: letter.idempotencyKey });
    }
    for (const c of crashes) expect(trail.filter((a) => JSON.parse(a.after!).idempotencyKey === c.key)).toHaveLength(1);
    // And the rows written by three processes at once form one unbroken chain.
    expect(trail.map((a) => a.seq)).toEqual(trail.map((_, i) => i + 1));
    expect(await audit.verify()).toEqual({ ok: true, rowsChecked: rows.length, headSeq: rows.length, headHash: trail[trail.length - 1].hash, broken: null });

    // Each plan recorded the numbers of the letters in the database, not of some other attempt.
    views.forEach((view, i) => {
      const own = rows.filter((r) => r.workflowId === ids[i]).sort((a, b) => a.level - b.level);
      expect(view.letters.map((l) => [l.deadlineKey, l.kind, l.number])).toEqual(own.map((r) => [r.deadlineKey, r.kind, r.number]));
    });
  });
});
