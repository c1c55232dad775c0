import { Condition, holds } from '@reform/definitions/core';
import type { ActionEvent, ProcessContext } from './context';

/**
 * The conditions an action needs, as pure predicates. The machine's named guards call them and
 * the explanations call them too, so what is refused and why it is refused cannot drift apart.
 */
export const predicates = {
  roleMayTake: (_c: ProcessContext, e: ActionEvent, roles: string[]) => roles.includes(e.role),
  reasonGiven: (_c: ProcessContext, e: ActionEvent) => !!e.reason && e.reason.trim().length > 0,
  itemGiven: (c: ProcessContext, e: ActionEvent) => !!e.item && (!!c.items[e.item.id] || !!e.item.title),
  allItemsCompleted: (c: ProcessContext) => {
    const items = Object.values(c.items);
    return items.length > 0 && items.every((i) => i.status === 'completed');
  },
  eventsRecorded: (c: ProcessContext, events: string[]) => events.every((e) => c.events[e] !== undefined),
  stagesPassed: (c: ProcessContext, stages: string[]) => stages.every((s) => c.stages[s] !== undefined),
  planQualifies: (c: ProcessContext, condition: Condition) => holds(condition, c.attributes),
};
