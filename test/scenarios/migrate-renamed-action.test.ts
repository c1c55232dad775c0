import { ProcessDefinition, ProcessDefinitionSchema } from '@reform/definitions';
import { PlanSnapshot } from '@reform/machine';
import { standardProcedure } from '@reform/procedures';
import { migrateUpdate, snapshotQuery } from '@reform/workflows';
import { Harness } from '../support/harness';
import { TO_ISSUANCE_SIMPLE } from '../support/paths';
import { reformPlanWithFilingWithin } from '../support/rules';

const REFORM_PLAN = standardProcedure('reform_plan');

const v1 = ProcessDefinitionSchema.parse(REFORM_PLAN);
/** Version 2 renames the action that records the issue date (issue → issue_plan). */
const renameIssue = (d: ProcessDefinition, version: number): ProcessDefinition => ({
  ...d,
  version,
  stages: d.stages.map((s) => ({ ...s, actions: s.actions.map((a) => (a.id === 'issue' ? { ...a, id: 'issue_plan' } : a)) })),
});
const v2 = renameIssue(v1, 2);
/** Version 3 keeps the new name and files within 20 working days instead of one month. */
const v3 = renameIssue(reformPlanWithFilingWithin('20 个工作日'), 3);

/**
 * The workflow counts deadlines again from the business events as recorded (patched
 * count-from-recorded-events). Read back from the log through version 2, the issue date would be
 * lost (version 2 has no action `issue`) and every deadline counted from it withdrawn. The
 * recorded history (migrate-renamed-action) keeps this behaviour replaying.
 */
describe('a later version renames the action that recorded a business event', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create();
  });
  afterAll(() => h?.close());

  it('counting again under version 3 still starts from the issue date, and the letters follow it', async () => {
    const handle = await h.start(v1);
    await h.actAll(handle, [...TO_ISSUANCE_SIMPLE, ['issue', 'lead_unit']]);
    const issuedOn = (await h.view(handle)).deadlines.find((d) => d.id === 'filing')!.anchor;

    await handle.executeUpdate(migrateUpdate, { args: [{ definition: v2, policy: 'keep' }] });
    const changes = await handle.executeUpdate(migrateUpdate, { args: [{ definition: v3, policy: 'recompute' }] });
    expect(changes.filter((c) => c.change === 'withdrawn')).toEqual([]);
    const snap: PlanSnapshot = await handle.query(snapshotQuery);
    expect(snap.events.filter((e) => e.event === 'issued')).toEqual([{ event: 'issued', date: issuedOn }]);
    const filing = snap.deadlines.find((d) => d.key === 'filing#0')!;
    expect(filing).toMatchObject({ status: 'open', anchor: issuedOn });
    expect(changes.find((c) => c.key === 'filing#0')).toMatchObject({ change: 'moved', after: filing.due });

    // The reminder of the recounted filing deadline goes out (5 working days before its due date).
    await h.travelTo(filing.due);
    const view = await h.eventually(() => h.view(handle), (v) => v.letters.length >= 1);
    expect(view.letters.map((l) => [l.deadlineKey, l.kind])).toEqual([['filing#0', 'reminder']]);
    expect(view.letters[0].issuedOn < filing.due).toBe(true);
    await h.record(handle, 'migrate-renamed-action');
  });
});
