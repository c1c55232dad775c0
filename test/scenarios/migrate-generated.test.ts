import { ProcessDefinition, ProcessDefinitionSchema } from '@reform/definitions';
import type { DeadlinePolicy, PlanView } from '@reform/machine';
import { standardProcedure } from '@reform/procedures';
import { migrateUpdate } from '@reform/workflows';
import { WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import fc from 'fast-check';
import { Harness } from '../support/harness';
import { TO_ISSUANCE_SIMPLE } from '../support/paths';
import { definitionOf, editsArb, firstVersionArb, nextVersion } from '../support/versions';

const REFORM_PLAN = standardProcedure('reform_plan');

const v1 = ProcessDefinitionSchema.parse(REFORM_PLAN);
/** Version 2 withdraws the one-year retrospective (实施满一年“回头看”, A16). */
const withoutRetrospective: ProcessDefinition = { ...v1, version: 2, deadlines: v1.deadlines.filter((d) => d.id !== 'retrospective') };

/** A workflow task that failed (and would be retried for ever) shows in the history. */
const failedTasks = async (handle: WorkflowHandle) => (await handle.fetchHistory()).events!.filter((e) => e.workflowTaskFailedEventAttributes).length;

/** The first action the view offers some role with nothing blocking it. */
function offered(view: PlanView): [string, string] | undefined {
  for (const [role, choices] of Object.entries(view.actions)) {
    const free = choices.find((c) => !c.blockers.length);
    if (free) return [free.action, role];
  }
  return undefined;
}

describe('a running plan moved to versions that withdraw, add and rename', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create();
  });
  afterAll(() => h?.close());

  it('withdrawing a deadline leaves the plan working: it shows the withdrawn deadline by name and takes the next action', async () => {
    const handle = await h.start(v1);
    await h.actAll(handle, [...TO_ISSUANCE_SIMPLE, ['issue', 'lead_unit']]);
    const changes = await handle.executeUpdate(migrateUpdate, { args: [{ definition: withoutRetrospective, policy: 'keep' }] });
    expect(changes).toContainEqual(expect.objectContaining({ key: 'retrospective#0', label: '实施满一年“回头看”', change: 'withdrawn' }));

    const view = await h.act(handle, 'file', 'lead_unit');
    expect(view.stage.id).toBe('implementation');
    expect(view.deadlines.find((d) => d.key === 'retrospective#0')).toMatchObject({ label: '实施满一年“回头看”', status: 'cancelled', late: false });
    expect((await h.view(handle)).deadlines.find((d) => d.key === 'retrospective#0')!.label).toBe('实施满一年“回头看”');
    expect(await failedTasks(handle)).toBe(0);
  });

  it('property: after moves between generated versions the plan answers its view and accepts a legal action', async () => {
    await fc.assert(
      fc.asyncProperty(
        firstVersionArb.chain((first) => editsArb.chain((e2) => editsArb.map((e3) => [first, nextVersion(first, e2), nextVersion(nextVersion(first, e2), e3)] as const))),
        fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
        fc.array(fc.constantFrom<DeadlinePolicy>('keep', 'recompute'), { minLength: 2, maxLength: 2 }),
        async (versions, walks, policies) => {
          const [d1, d2, d3] = versions.map((v) => definitionOf(v));
          const handle = await h.start(d1);
          /** Takes up to `n` legal actions the view offers (the plan may finish on the way). */
          const walk = async (n: number) => {
            for (let i = 0; i < n; i++) {
              const next = offered(await h.view(handle));
              if (!next) return;
              await h.act(handle, ...next);
            }
          };
          await walk(walks[0] % 4);
          for (const [target, policy, steps] of [
            [d2, policies[0], walks[1] % 3],
            [d3, policies[1], walks[2] % 3],
          ] as const) {
            const before = await h.view(handle);
            // A finished plan's workflow has ended: there is nothing left to move.
            if (before.finished) break;
            const moved = await handle.executeUpdate(migrateUpdate, { args: [{ definition: target, policy }] }).then(
              () => true,
              (e: WorkflowUpdateFailedError) => e.cause?.message ?? String(e),
            );
            // Refused only when the plan's stage is gone from the target.
            if (moved !== true) {
              expect(target.stages.some((s) => s.id === before.stage.id)).toBe(false);
              expect(moved).toContain(`方案当前所在阶段「${before.stage.label}」在第${target.version}版中不存在`);
            }
            const view = await h.view(handle);
            expect(view.procedure.version).toBe(moved === true ? target.version : before.procedure.version);
            expect(view.deadlines.every((d) => d.label.length > 0)).toBe(true);
            if (!view.finished) {
              const next = offered(view);
              expect(next).toBeDefined();
              const after = await h.act(handle, ...next!);
              expect(after.log.length).toBe(view.log.length + 1);
            }
            await walk(steps);
          }
          expect(await failedTasks(handle)).toBe(0);
        },
      ),
      { numRuns: 8 },
    );
  });
});
