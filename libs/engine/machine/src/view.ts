import { explainShift, formatLocalDateTime, HolidayCalendar, localDateAt } from '@reform/calendar/core';
import type { Plan, ProcessDefinition } from '@reform/definitions';
import type { Party } from '@reform/letters';
import { ItemRecord, LogEntry } from './context';
import { deadlineLabel, DeadlineState, LetterFailure, LetterSent, nextStep } from './deadlines';
import { actionsByRole, ActionChoice, PlanState } from './explain';

/** Who a letter to these roles goes to, by the names on the plan. */
export function partiesFor(def: ProcessDefinition, plan: Plan, roles: string[]): Party[] {
  return roles.map((id) => {
    const role = def.roles.find((r) => r.id === id)!;
    const a = role.addressee;
    if (!a) return { role: id, name: role.label };
    if ('name' in a) return { role: id, name: a.name };
    const value = plan[a.plan];
    return { role: id, name: Array.isArray(value) ? value.join('、') || role.label : value };
  });
}

export interface DeadlineView {
  key: string;
  id: string;
  label: string;
  source: string;
  anchor: string;
  due: string;
  status: DeadlineState['status'];
  metOn?: string;
  late: boolean;
  /** How the due date was counted (the same computation the engine schedules with). */
  explanation: string[];
  next?: { kind: string; at: string };
  letters: LetterSent[];
  /** Letters that could not be written (the level was passed so the others go on). */
  failedLetters: LetterFailure[];
}

export interface PlanView {
  workflowId: string;
  procedure: { id: string; version: number; title: string };
  plan: Plan;
  attributes: Record<string, boolean>;
  stage: { id: string; label: string; source?: string };
  finished: boolean;
  today: string;
  actions: Record<string, ActionChoice[]>;
  deadlines: DeadlineView[];
  letters: Array<LetterSent & { deadlineKey: string; deadlineLabel: string }>;
  /** Letters that could not be written, for an operator to see to. */
  failedLetters: Array<LetterFailure & { deadlineKey: string; deadlineLabel: string }>;
  items: Record<string, ItemRecord>;
  /** Entries carry the name of their stage (users read names, not ids; a stage a later version dropped shows by id). */
  returns: LabelledLogEntry[];
  log: LabelledLogEntry[];
}

export type LabelledLogEntry = LogEntry & { stageLabel: string };

export function planView(args: {
  workflowId: string;
  def: ProcessDefinition;
  calendar: HolidayCalendar;
  plan: Plan;
  state: PlanState;
  deadlines: DeadlineState[];
  now: number;
}): PlanView {
  const { def, state, calendar } = args;
  const stage = def.stages.find((s) => s.id === state.stage)!;
  const today = localDateAt(args.now);
  const labelled = (e: LogEntry): LabelledLogEntry => ({ ...e, stageLabel: def.stages.find((s) => s.id === e.stage)?.label ?? e.stage });
  const deadlines = args.deadlines.map((s): DeadlineView => {
    // A deadline a later version withdrew is still shown, by the name it was opened under.
    const d = def.deadlines.find((x) => x.id === s.deadlineId);
    const step = nextStep(def, calendar, s);
    return {
      key: s.key,
      id: s.deadlineId,
      label: deadlineLabel(def, s),
      source: d?.source ?? '',
      anchor: s.anchor,
      due: s.due,
      status: s.status,
      metOn: s.metOn,
      late: s.status === 'cancelled' ? false : (s.metOn ?? today) > s.due,
      explanation: explainShift(s.shift),
      next: step && d ? { kind: d.ladder[step.level].kind, at: formatLocalDateTime(Math.max(step.at, args.now)) } : undefined,
      letters: s.letters,
      failedLetters: s.failedLetters ?? [],
    };
  });
  return {
    workflowId: args.workflowId,
    procedure: { id: def.id, version: def.version, title: def.title },
    plan: args.plan,
    attributes: state.context.attributes,
    stage: { id: stage.id, label: stage.label, source: stage.source },
    finished: stage.final,
    today,
    actions: actionsByRole(def, state, today),
    deadlines,
    letters: deadlines
      .flatMap((d) => d.letters.map((l) => ({ ...l, deadlineKey: d.key, deadlineLabel: d.label })))
      .sort((a, b) => (a.issuedOn < b.issuedOn ? -1 : a.issuedOn > b.issuedOn ? 1 : 0)),
    failedLetters: deadlines.flatMap((d) => d.failedLetters.map((f) => ({ ...f, deadlineKey: d.key, deadlineLabel: d.label }))),
    items: state.context.items,
    returns: state.context.returns.map(labelled),
    log: state.context.log.map(labelled),
  };
}
