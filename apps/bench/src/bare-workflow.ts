import type { Command } from '@reform/definitions';
import { allHandlersFinished, condition, defineUpdate, setHandler } from '@temporalio/workflow';

/**
 * The baseline for the engine benchmark: a workflow that takes the same 'act' Update with the
 * same Command payload as procedureWorkflow, but has no engine behind it. The validator only
 * looks at the shape, the handler appends to an array; after `expected` actions it completes.
 * Bundled on its own (see worker-child.ts), so nothing of the engine is loaded with it.
 */
export interface BareView {
  count: number;
  last: string;
}

export const bareActUpdate = defineUpdate<BareView, [Command]>('act');

export const BARE_WORKFLOW = 'bareWorkflow';

/** `openTimerMs`, for the live phase: wait with a durable timer open, as a live engine plan does. */
export async function bareWorkflow(expected: number, openTimerMs?: number): Promise<number> {
  const log: Command[] = [];
  setHandler(
    bareActUpdate,
    (cmd) => {
      log.push(cmd);
      return { count: log.length, last: cmd.action };
    },
    {
      validator: (cmd) => {
        if (typeof cmd?.action !== 'string') throw new Error('action required');
      },
    },
  );
  if (openTimerMs === undefined) await condition(() => log.length >= expected);
  else await condition(() => log.length >= expected, openTimerMs);
  await allHandlersFinished();
  return log.length;
}
