import { Condition, holds, ProcessDefinition, Stage } from '@reform/definitions/core';
import { and, assign, setup } from 'xstate';
import { ActionEvent, initialContext, LogEntry, MachineInput, ProcessContext } from './context';
import { predicates } from './predicates';

type GuardRef =
  | { type: 'roleMayTake'; params: { roles: string[] } }
  | { type: 'reasonGiven' }
  | { type: 'itemGiven' }
  | { type: 'allItemsCompleted' }
  | { type: 'eventsRecorded'; params: { events: string[] } }
  | { type: 'stagesPassed'; params: { stages: string[] } }
  | { type: 'planQualifies'; params: { condition: Condition } };

/** Where a stage that does not apply leads: its skipTo, else the next stage listed. */
export function skipTarget(def: ProcessDefinition, stage: Stage): string {
  if (stage.skipTo) return stage.skipTo;
  const i = def.stages.findIndex((s) => s.id === stage.id);
  return def.stages[i + 1].id;
}

const logEntry = (stage: string, e: ActionEvent): LogEntry => ({
  stage,
  action: e.type,
  role: e.role,
  actor: e.actor,
  businessDate: e.businessDate,
  recordedOn: e.recordedOn,
  reason: e.reason,
});

/**
 * Builds the state machine of a definition: one state per stage, one transition per action,
 * guarded by named predicates; stages that do not apply to the plan are passed by eventless
 * transitions. The machine decides what is legal; it has no clocks and no side effects.
 */
export function buildMachine(def: ProcessDefinition) {
  const order = new Map(def.stages.map((s, i) => [s.id, i]));
  const machineSetup = setup({
    types: {} as { context: ProcessContext; events: ActionEvent; input: MachineInput },
    guards: {
      roleMayTake: ({ context, event }, params: { roles: string[] }) => predicates.roleMayTake(context, event, params.roles),
      reasonGiven: ({ context, event }) => predicates.reasonGiven(context, event),
      itemGiven: ({ context, event }) => predicates.itemGiven(context, event),
      allItemsCompleted: ({ context }) => predicates.allItemsCompleted(context),
      eventsRecorded: ({ context }, params: { events: string[] }) => predicates.eventsRecorded(context, params.events),
      stagesPassed: ({ context }, params: { stages: string[] }) => predicates.stagesPassed(context, params.stages),
      planQualifies: ({ context }, params: { condition: Condition }) => predicates.planQualifies(context, params.condition),
      stageDoesNotApply: ({ context }, params: { condition: Condition }) => !holds(params.condition, context.attributes),
    },
    actions: {
      logAction: assign({ log: ({ context, event }, params: { stage: string }) => [...context.log, logEntry(params.stage, event)] }),
      keepReturnReason: assign({
        returns: ({ context, event }, params: { stage: string }) => [...context.returns, logEntry(params.stage, event)],
      }),
      recordEvents: assign({
        events: ({ context, event }, params: { events: string[] }) => ({
          ...context.events,
          ...Object.fromEntries(params.events.map((e) => [e, event.businessDate])),
        }),
      }),
      upsertItem: assign({
        items: ({ context, event }) => {
          const item = event.item;
          if (!item) return context.items;
          const prior = context.items[item.id];
          return {
            ...context.items,
            [item.id]: {
              title: item.title ?? prior?.title ?? item.id,
              status: item.status ?? prior?.status ?? 'not_started',
              updatedOn: event.businessDate,
            },
          };
        },
      }),
      completeStage: assign({
        stages: ({ context }, params: { stage: string }) => ({ ...context.stages, [params.stage]: 'completed' as const }),
      }),
      skipStage: assign({
        stages: ({ context }, params: { stage: string }) => ({ ...context.stages, [params.stage]: 'skipped' as const }),
      }),
      /** Stages an action jumps over (e.g. other deliberation after the standing committee) are not taken. */
      skipStages: assign({
        stages: ({ context }, params: { stages: string[] }) => ({
          ...context.stages,
          ...Object.fromEntries(params.stages.filter((id) => !context.stages[id]).map((id) => [id, 'skipped' as const])),
        }),
      }),
      /** Going back (a rejection) reopens every stage from the target on: they must be passed again. */
      reopenStagesFrom: assign({
        stages: ({ context }, params: { index: number }) =>
          Object.fromEntries(Object.entries(context.stages).filter(([id]) => (order.get(id) ?? 0) < params.index)),
      }),
    },
  });

  const states = Object.fromEntries(
    def.stages.map((stage) => {
      const here = order.get(stage.id)!;
      const on = Object.fromEntries(
        stage.actions.map((action) => {
          const guards: GuardRef[] = [{ type: 'roleMayTake', params: { roles: action.roles } }];
          if (action.needsReason) guards.push({ type: 'reasonGiven' });
          if (action.item) guards.push({ type: 'itemGiven' });
          if (action.needsAllItemsCompleted) guards.push({ type: 'allItemsCompleted' });
          if (action.needsEvents.length) guards.push({ type: 'eventsRecorded', params: { events: action.needsEvents } });
          // Only when the action has a condition: definitions without one build the same machine as before.
          if (action.when) guards.push({ type: 'planQualifies', params: { condition: action.when } });
          const target = action.to ? def.stages[order.get(action.to)!] : undefined;
          const forward = target !== undefined && order.get(target.id)! > here;
          const requires = (target?.requires ?? []).filter((s) => s !== stage.id);
          if (forward && requires.length) guards.push({ type: 'stagesPassed', params: { stages: requires } });

          const actions: Array<{ type: string; params?: object }> = [{ type: 'logAction', params: { stage: stage.id } }];
          if (action.records.length) actions.push({ type: 'recordEvents', params: { events: action.records } });
          if (action.item) actions.push({ type: 'upsertItem' });
          if (target && !forward) {
            if (action.needsReason) actions.push({ type: 'keepReturnReason', params: { stage: stage.id } });
            actions.push({ type: 'reopenStagesFrom', params: { index: order.get(target.id)! } });
          } else if (target) {
            actions.push({ type: 'completeStage', params: { stage: stage.id } });
            const jumped = def.stages.slice(here + 1, order.get(target.id)!).map((s) => s.id);
            if (jumped.length) actions.push({ type: 'skipStages', params: { stages: jumped } });
          }
          return [action.id, { guard: and(guards), target: target?.id, actions }];
        }),
      );
      const node: Record<string, unknown> = { on };
      if (stage.final) node.type = 'final';
      if (stage.when) {
        node.always = {
          guard: { type: 'stageDoesNotApply', params: { condition: stage.when } },
          target: skipTarget(def, stage),
          actions: [{ type: 'skipStage', params: { stage: stage.id } }],
        };
      }
      return [stage.id, node];
    }),
  );

  // The config is assembled from data, so its literal types are not known to TypeScript here;
  // checkDefinition has already guaranteed every name it uses exists.
  return machineSetup.createMachine({
    id: `${def.id}@${def.version}`,
    initial: def.stages[0].id,
    context: ({ input }) => initialContext(input),
    states: states as never,
  });
}

export type ProcessMachine = ReturnType<typeof buildMachine>;
