import type { HolidayCalendar } from '@reform/calendar';
import type { ProcessDefinition } from '@reform/definitions';
import { SnapshotFrom, transition } from 'xstate';
import type { ProcessMachine } from './build-machine';
import type { ActionEvent } from './context';
import { applyEvent, cancelAll, DeadlineState } from './deadlines';
import type { PlanSnapshot } from './simulate';

export interface ActionTaken {
  snapshot: SnapshotFrom<ProcessMachine>;
  deadlines: DeadlineState[];
  /** The business events the action recorded, with its business date. */
  recorded: PlanSnapshot['events'];
}

/**
 * What taking an action does to a plan: the machine's next state, and the deadlines after the
 * business events the action records (all cancelled when the plan is finished). Undefined when
 * the machine does not take the event: then nothing is recorded. `evenIfIgnored` is the workflow
 * code before patch act-only-if-taken, which applied an action's records anyway (old histories).
 */
export function takeAction(
  def: ProcessDefinition,
  calendar: HolidayCalendar,
  machine: ProcessMachine,
  snapshot: SnapshotFrom<ProcessMachine>,
  deadlines: DeadlineState[],
  event: ActionEvent,
  opts: { evenIfIgnored?: boolean } = {},
): ActionTaken | undefined {
  if (!snapshot.can(event) && !opts.evenIfIgnored) return undefined;
  const action = def.stages.find((s) => s.id === String(snapshot.value))?.actions.find((a) => a.id === event.type);
  const [next] = transition(machine, snapshot, event);
  let after = deadlines;
  const recorded: PlanSnapshot['events'] = [];
  for (const e of action?.records ?? []) {
    after = applyEvent(def, calendar, after, next.context.attributes, e, event.businessDate);
    recorded.push({ event: e, date: event.businessDate });
  }
  if (next.status === 'done') after = cancelAll(after);
  return { snapshot: next, deadlines: after, recorded };
}
