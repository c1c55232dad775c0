import { addMonths, localDateAt, toParts } from '@reform/calendar';
import { ProcessDefinitionSchema } from '@reform/definitions';
import { standardProcedure } from '@reform/procedures';
import { temporal } from '@temporalio/proto';
import { Harness } from '../support/harness';
import { TO_ISSUANCE_SIMPLE } from '../support/paths';

const REFORM_PLAN = standardProcedure('reform_plan');

const plan = ProcessDefinitionSchema.parse(REFORM_PLAN);

/** Events a run may grow to before the plan continues as new (the start input's historyLimit). */
const LIMIT = 300;
/**
 * The engine looks at its history length between one wake and the next (an Update, or a timer
 * and the letters it sends), so a run may pass the limit by what one wake adds: a few letters of
 * seven events each at the most. Fixed, whatever the plan's age.
 */
const BOUND = LIMIT + 60;

/** The action that meets each deadline of rules/standard/reform-plan.rules (its 完成 event), and who takes it. */
const MEETS: Record<string, [string, string]> = {
  filing: ['file', 'lead_unit'],
  half_year_report: ['submit_report', 'lead_unit'],
  retrospective: ['submit_retrospective', 'lead_unit'],
  midyear_supervision: ['submit_self_inspection', 'lead_unit'],
  annual_supervision: ['record_annual_supervision', 'reform_office'],
  monthly_supervision: ['submit_monthly_progress', 'lead_unit'],
};

describe('a plan that lives for years keeps its history bounded (issue 7)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create();
  });
  afterAll(() => h?.close());

  it('the act Update answers what changed, the new stage and the actions open now; the whole plan is the view query', async () => {
    const handle = await h.start(plan);
    await h.actAll(handle, TO_ISSUANCE_SIMPLE);
    const today = localDateAt(await h.env.currentTimeMs());
    const result = await h.actOnly(handle, 'issue', 'lead_unit');
    // reform-plan.rules: 印发方案 转入 filing 记录 issued; issued starts every deadline but central_integration
    // (which counts from central_plan_issued) and monthly_supervision (only for plans with that attribute).
    expect(result).toEqual({
      workflowId: handle.workflowId,
      action: 'issue',
      role: 'lead_unit',
      businessDate: today,
      stage: { id: 'filing', label: '备案', source: 'A9' },
      finished: false,
      deadlines: ['filing', 'half_year_report', 'retrospective', 'midyear_supervision', 'annual_supervision'].map((id) => ({
        key: `${id}#0`,
        label: plan.deadlines.find((d) => d.id === id)!.label,
        change: 'opened',
        due: expect.any(String),
      })),
      actions: { lead_unit: [{ action: 'file', label: '向改革办备案' }] },
    });
    const filed = await h.actOnly(handle, 'file', 'lead_unit');
    expect(filed.stage.id).toBe('implementation');
    expect(filed.deadlines).toEqual([{ key: 'filing#0', label: '方案备案', change: 'met', due: result.deadlines[0].due }]);
    // The view has the rest: every deadline with its explanation, and the log.
    const view = await h.view(handle);
    expect(view.log.map((e) => e.action).slice(-2)).toEqual(['issue', 'file']);
    expect(view.deadlines.find((d) => d.key === 'filing#0')).toMatchObject({ status: 'met', metOn: today });
  });

  it('Updates sent while the plan continues as new all land, once each', async () => {
    const handle = await h.start(plan, { historyLimit: 100 });
    await h.actAll(handle, [...TO_ISSUANCE_SIMPLE, ['issue', 'lead_unit'], ['file', 'lead_unit']]);
    // Waves of ten at once: the run passes its bound during one wave and the next wave races the continue.
    const items = Array.from({ length: 60 }, (_, i) => String(i + 1));
    for (let w = 0; w < items.length; w += 10) {
      const wave = items.slice(w, w + 10);
      await Promise.all(wave.map((id) => h.actOnly(handle, 'update_item', 'lead_unit', { item: { id, title: `事项${id}`, status: 'started' } })));
    }
    // The run continues once its last projection has landed in the ledger: a moment after the last wave.
    const first = await h.eventually(
      () => h.env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).fetchHistory(),
      (history) => !!history.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes,
    );
    expect(first.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    const view = await h.view(handle);
    expect(Object.keys(view.items).sort()).toEqual([...items].sort());
    expect(view.log.filter((e) => e.action === 'update_item')).toHaveLength(items.length);
  });

  it('ten years under monthly, half-yearly and yearly cadences: every run stays under the bound, letters and deadlines intact across every continue', async () => {
    const handle = await h.start(plan, { attributes: { monthly_supervision: true }, historyLimit: LIMIT });
    await h.actAll(handle, [...TO_ISSUANCE_SIMPLE, ['issue', 'lead_unit']]);
    const issued = localDateAt(await h.env.currentTimeMs());
    const end = addMonths(issued, 120).date;

    // Walk the ten years: go to the next due date and meet what falls due that day. Each of these
    // deadlines has a reminder before its due date (提醒函 到期前…), so by the morning of the due
    // date exactly that one letter has gone out for it, and nothing after the due date has.
    const met: Array<{ key: string; id: string; due: string }> = [];
    for (;;) {
      const view = await h.view(handle);
      const open = view.deadlines.filter((d) => d.status === 'open');
      const day = open.map((d) => d.due).sort()[0];
      if (!day || day > end) break;
      await h.travelTo(day, 9 * 60);
      const dueToday = open.filter((d) => d.due === day);
      await h.eventually(
        () => h.view(handle),
        (v) => dueToday.every((d) => v.deadlines.find((x) => x.key === d.key)!.letters.length > 0),
      );
      for (const d of dueToday) {
        const [action, role] = MEETS[d.id];
        await h.actOnly(handle, action, role);
        met.push({ key: d.key, id: d.id, due: d.due });
      }
    }

    // How many occurrences of each cadence fell due in ten years, counted from the rules:
    // monthly from issuance, every six months, every year, and each 30 June after the first six months.
    const count = (id: string) => met.filter((m) => m.id === id).length;
    expect(count('monthly_supervision')).toBe(120);
    expect(count('half_year_report')).toBe(20);
    expect(count('annual_supervision')).toBe(10);
    expect(count('filing')).toBe(1);
    expect(count('retrospective')).toBe(1);
    const firstMidyear = addMonths(issued, 6).date;
    const june30s = Array.from({ length: 12 }, (_, i) => `${toParts(issued).year + i}-06-30`).filter((d) => d > firstMidyear && d <= end);
    expect(count('midyear_supervision')).toBe(june30s.length);

    // The plan went on in several runs, each with its history under the bound.
    const runs: Array<{ runId: string; events: number; inputBytes: number }> = [];
    let runId: string | undefined = handle.firstExecutionRunId;
    while (runId) {
      const history: temporal.api.history.v1.IHistory = await h.env.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
      const events = history.events!;
      const input = events[0].workflowExecutionStartedEventAttributes!.input!.payloads![0].data!;
      runs.push({ runId, events: events.length, inputBytes: input.length });
      runId = events[events.length - 1].workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
    // Each action is an Update of at least five events (a workflow task's three, accepted, completed):
    // the walk's actions alone fill more than two runs' worth.
    expect(met.length * 5).toBeGreaterThan(2 * LIMIT);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    for (const r of runs) expect(r.events).toBeLessThan(BOUND);
    // What the last run was handed (the whole plan after ten years) is far from Temporal's 2 MiB
    // payload limit: closed occurrences are carried whole, so their letters stay in the view.
    expect(runs[runs.length - 1].inputBytes).toBeLessThan(256 * 1024);

    // Every occurrence met is there, met on its due date, with its one reminder; keys unbroken.
    const view = await h.view(handle);
    for (const m of met) {
      const d = view.deadlines.find((x) => x.key === m.key)!;
      expect({ key: d.key, status: d.status, metOn: d.metOn, late: d.late }).toEqual({ key: m.key, status: 'met', metOn: m.due, late: false });
      expect(d.letters.map((l) => l.kind)).toEqual(['reminder']);
      expect(d.explanation.length).toBeGreaterThan(0);
    }
    for (const id of Object.keys(MEETS)) {
      const keys = view.deadlines.filter((d) => d.id === id).map((d) => d.key);
      expect(keys).toEqual(keys.map((_, i) => `${id}#${i}`));
    }

    // Every letter that fell due exists once in the letter store and once in the view.
    const rows = await h.letters.forWorkflow(handle.workflowId);
    expect(new Set(rows.map((r) => r.idempotencyKey)).size).toBe(rows.length);
    expect(view.letters.map((l) => l.number).sort()).toEqual(rows.map((r) => r.number).sort());
    expect(view.letters.length).toBeGreaterThanOrEqual(met.length);
    // The first run ends by continuing as new; the second also starts from what the first carried.
    await h.record(h.env.client.workflow.getHandle(handle.workflowId, runs[0].runId), 'ten-years-first-run');
    await h.record(h.env.client.workflow.getHandle(handle.workflowId, runs[1].runId), 'ten-years-continued-run');
  }, 30 * 60_000);
});
