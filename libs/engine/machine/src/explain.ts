import { describeCondition, holds, ITEM_STATUS_LABEL, ProcessDefinition, Stage } from '@reform/definitions/core';
import type { ActionEvent, ProcessContext } from './context';
import { predicates } from './predicates';

/** Why an action cannot be taken now, in words a clerk reads. */
export interface Blocker {
  code:
    | 'unknown_role'
    | 'future_date'
    | 'finished'
    | 'unknown_action'
    | 'wrong_stage'
    | 'stage_passed'
    | 'stage_not_applicable'
    | 'action_not_applicable'
    | 'role'
    | 'reason'
    | 'item'
    | 'items_incomplete'
    | 'events_missing'
    | 'stages_missing';
  message: string;
}

export interface PlanState {
  stage: string;
  context: ProcessContext;
}

const cite = (s: { label: string; source?: string }) => (s.source ? `${s.label}(${s.source})` : s.label);

function labels(def: ProcessDefinition) {
  const role = (id: string) => def.roles.find((r) => r.id === id)?.label ?? id;
  const event = (id: string) => def.events.find((e) => e.id === id)?.label ?? id;
  const attr = (id: string) => def.attributes.find((a) => a.id === id)?.label ?? id;
  return { role, event, attr };
}

/** Stages that must be passed before `target` is entered from `current`, and are not yet. */
export function missingStagesBefore(def: ProcessDefinition, state: PlanState, target: Stage): Stage[] {
  const idx = (id: string) => def.stages.findIndex((s) => s.id === id);
  const applies = (s: Stage) => !s.when || holds(s.when, state.context.attributes);
  const passed = (s: Stage) => state.context.stages[s.id] !== undefined;
  const between = def.stages.slice(idx(state.stage), idx(target.id)).filter((s) => applies(s) && !passed(s));
  const required = target.requires
    .map((id) => def.stages[idx(id)])
    .filter((s) => applies(s) && !passed(s) && !between.includes(s));
  return [...between, ...required].sort((a, b) => idx(a.id) - idx(b.id));
}

/** Why nothing can be done in a final stage (the plan is over, its workflow may have closed). */
export function finishedBlocker(stage: Stage): Blocker {
  return { code: 'finished', message: `本事项已处于「${stage.label}」,不能再办理任何操作` };
}

/**
 * Every reason the action is refused now; empty when the machine will take it. Uses the same
 * predicates as the machine's guards.
 */
export function blockersFor(def: ProcessDefinition, state: PlanState, event: ActionEvent): Blocker[] {
  const L = labels(def);
  const stage = def.stages.find((s) => s.id === state.stage)!;
  if (stage.final) return [finishedBlocker(stage)];
  const action = stage.actions.find((a) => a.id === event.type);
  if (!action) {
    const owner = def.stages.find((s) => s.actions.some((a) => a.id === event.type));
    if (!owner) {
      const here = stage.actions.map((a) => `${a.id}(${a.label})`).join('、') || '无';
      return [{ code: 'unknown_action', message: `没有名为「${event.type}」的操作;当前阶段「${stage.label}」可办理:${here}` }];
    }
    const label = owner.actions.find((a) => a.id === event.type)!.label;
    const head = `「${label}」属于「${owner.label}」阶段,当前处于「${stage.label}」阶段`;
    if (owner.when && !holds(owner.when, state.context.attributes)) {
      return [{ code: 'stage_not_applicable', message: `${head};本方案不适用「${owner.label}」(适用条件:${describeCondition(owner.when, L.attr)})` }];
    }
    const ownerIdx = def.stages.indexOf(owner);
    if (ownerIdx < def.stages.indexOf(stage)) {
      return [{ code: 'stage_passed', message: `${head};该阶段已经过,不能再办理` }];
    }
    const missing = missingStagesBefore(def, state, owner);
    return [{ code: 'wrong_stage', message: `${head};须先完成:${missing.map(cite).join('、')}` }];
  }
  const blockers: Blocker[] = [];
  const c = state.context;
  if (action.when && !predicates.planQualifies(c, action.when)) {
    blockers.push({ code: 'action_not_applicable', message: `本方案不适用「${action.label}」(适用条件:${describeCondition(action.when, L.attr)})` });
  }
  if (!predicates.roleMayTake(c, event, action.roles)) {
    blockers.push({ code: 'role', message: `「${L.role(event.role)}」无权办理「${action.label}」,应由${action.roles.map(L.role).join('或')}办理` });
  }
  if (action.needsReason && !predicates.reasonGiven(c, event)) {
    blockers.push({ code: 'reason', message: `「${action.label}」须写明理由` });
  }
  if (action.item && !predicates.itemGiven(c, event)) {
    blockers.push({ code: 'item', message: '须写明具体改革事项的编号;新登记的事项还须写明名称' });
  }
  if (action.needsAllItemsCompleted && !predicates.allItemsCompleted(c)) {
    const open = Object.entries(c.items).filter(([, i]) => i.status !== 'completed');
    blockers.push({
      code: 'items_incomplete',
      message: open.length
        ? `尚有具体改革事项未完成(S2):${open.map(([id, i]) => `${id} ${i.title}(${ITEM_STATUS_LABEL[i.status]})`).join('、')}`
        : '尚未登记任何具体改革事项(S2)',
    });
  }
  const missingEvents = action.needsEvents.filter((e) => !predicates.eventsRecorded(c, [e]));
  if (missingEvents.length) {
    blockers.push({ code: 'events_missing', message: `须先${missingEvents.map(L.event).join('、')}` });
  }
  const target = action.to ? def.stages.find((s) => s.id === action.to)! : undefined;
  if (target && def.stages.indexOf(target) > def.stages.indexOf(stage)) {
    const required = target.requires.filter((s) => s !== stage.id && !predicates.stagesPassed(c, [s]));
    if (required.length) {
      const stages = required.map((id) => def.stages.find((s) => s.id === id)!);
      blockers.push({ code: 'stages_missing', message: `进入「${target.label}」前须先完成:${stages.map(cite).join('、')}` });
    }
  }
  return blockers;
}

/**
 * Every reason the engine refuses this command now: what the act Update's validator answers.
 * Besides blockersFor, an unknown role and a business date after the day it is recorded. Empty
 * exactly when the machine takes the event, for a business date not after the day of recording
 * (the property test in act-validator.spec.ts).
 */
export function actBlockers(def: ProcessDefinition, state: PlanState, event: ActionEvent): Blocker[] {
  if (!def.roles.some((r) => r.id === event.role)) {
    return [{ code: 'unknown_role', message: `未知角色「${event.role}」;可用角色:${def.roles.map((r) => `${r.id}(${r.label})`).join('、')}` }];
  }
  if (event.businessDate > event.recordedOn) {
    return [{ code: 'future_date', message: `业务日期 ${event.businessDate} 晚于今天(${event.recordedOn}),不能登记尚未发生的事` }];
  }
  return blockersFor(def, state, event);
}

export interface ActionChoice {
  action: string;
  label: string;
  /** Empty when the role may take it now; otherwise why not yet. */
  blockers: string[];
  needsReason: boolean;
}

/** For each role, the actions of the current stage it may take, with what still blocks each. */
export function actionsByRole(def: ProcessDefinition, state: PlanState, today: string): Record<string, ActionChoice[]> {
  const stage = def.stages.find((s) => s.id === state.stage)!;
  const result: Record<string, ActionChoice[]> = {};
  for (const role of def.roles) {
    const choices = stage.actions
      // An action the plan does not qualify for is not offered at all.
      .filter((a) => a.roles.includes(role.id) && (!a.when || predicates.planQualifies(state.context, a.when)))
      .map((a) => {
        // Ask as if the clerk filled in what the form asks for, so only real obstacles remain.
        const probe: ActionEvent = {
          type: a.id,
          role: role.id,
          businessDate: today,
          recordedOn: today,
          reason: a.needsReason ? '(理由)' : undefined,
          item: a.item ? { id: '(事项)', title: '(事项)' } : undefined,
        };
        return { action: a.id, label: a.label, needsReason: a.needsReason, blockers: blockersFor(def, state, probe).map((b) => b.message) };
      });
    if (choices.length) result[role.id] = choices;
  }
  return result;
}
