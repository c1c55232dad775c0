import { DateShift, HolidayCalendar, LocalDate, nextDateOn, shiftDate, shiftDay, shiftedDate, startOfEpochDay, toEpochDay } from '@reform/calendar/core';
import { Attributes, Deadline, holds, LadderLevel, LetterKind, ProcessDefinition } from '@reform/definitions/core';
import type { DeadlineState, LadderStep } from './deadlines';

/**
 * The engine's deadline evaluator: each deadline of a definition compiled once into closures
 * (whether it applies, its due-date formula, each ladder level's moment and limit), so counting
 * reads no definition and decides no structure at run time. applyEvent, nextStep, limitOf and
 * nextLadderMove evaluate through these, and the workflow, the what-if simulation and "why" all
 * call those: one evaluator. Moments are counted on day numbers (no date strings in between);
 * working days through the calendar's day table.
 *
 * Compiled per definition object and kept with it (definitions are immutable values, so this is a
 * pure cache: the same answers on every replay of a workflow). The calendar is an argument, not
 * part of the compiled code: a plan's calendar may be replaced while its definition stays.
 */
export interface CompiledDeadline {
  deadline: Deadline;
  /** Whether the deadline applies to a plan with these attributes (its `when`). */
  applies: (attributes: Attributes) => boolean;
  /** The due date of occurrence k counted from the anchor, with how it was counted (dueOf). */
  due: (anchor: LocalDate, occurrence: number, calendar: HolidayCalendar) => DateShift;
  levels: CompiledLevel[];
}

export interface CompiledLevel {
  kind: LetterKind;
  /** The instant this level falls due for an open occurrence that has reached it. */
  step: (s: DeadlineState, calendar: HolidayCalendar) => LadderStep;
  /** The day the limit set by a letter of this level, issued on `issuedOn`, ends; absent when it sets none. */
  limit?: (issuedOn: LocalDate, calendar: HolidayCalendar) => LocalDate;
}

/** A definition's compiled deadlines by id (the first of an id) and by the event they count from. */
export interface CompiledDeadlines {
  byId: Map<string, CompiledDeadline>;
  byFromEvent: Map<string, CompiledDeadline[]>;
}

const byDeadline = new WeakMap<Deadline, CompiledDeadline>();
const byList = new WeakMap<Deadline[], CompiledDeadlines>();

/** The deadline compiled (once per deadline object). */
export function compiledDeadline(d: Deadline): CompiledDeadline {
  let c = byDeadline.get(d);
  if (!c) {
    const when = d.when;
    c = {
      deadline: d,
      applies: when ? (attributes) => holds(when, attributes) : () => true,
      due: compileDue(d),
      levels: d.ladder.map(compileLevel),
    };
    byDeadline.set(d, c);
  }
  return c;
}

/** The definition's deadlines compiled and indexed (once per definition's list of deadlines). */
export function compiledDeadlines(def: ProcessDefinition): CompiledDeadlines {
  let index = byList.get(def.deadlines);
  if (!index) {
    index = { byId: new Map(), byFromEvent: new Map() };
    for (const d of def.deadlines) {
      const c = compiledDeadline(d);
      if (!index.byId.has(d.id)) index.byId.set(d.id, c);
      const list = index.byFromEvent.get(d.from.event);
      if (list) list.push(c);
      else index.byFromEvent.set(d.from.event, [c]);
    }
    byList.set(def.deadlines, index);
  }
  return index;
}

/** Due dates counted from the anchor in one step where units agree, so month ends do not drift. */
function compileDue(d: Deadline): CompiledDeadline['due'] {
  const { within, byDate, repeat } = d;
  const after = d.from.after;
  // The first occurrence; counting may start a while after the event (S3: from half a year after issuance).
  const first = (anchor: LocalDate, calendar: HolidayCalendar): DateShift => {
    const via = after ? shiftDate(anchor, after, 'after', calendar) : undefined;
    const shift = within ? shiftDate(via ? via.result : anchor, within, 'after', calendar) : nextDateOn(via ? via.result : anchor, byDate!);
    // The shift is this call's own object: `via` goes last, as `{ ...shift, via }` would put it.
    if (via) shift.via = via;
    return shift;
  };
  if (!repeat) return (anchor, _occurrence, calendar) => first(anchor, calendar);
  const every = repeat.every;
  if (within && !after && every.unit === within.unit) {
    return (anchor, k, calendar) =>
      k === 0 ? first(anchor, calendar) : shiftDate(anchor, { unit: within.unit, amount: within.amount + k * every.amount }, 'after', calendar);
  }
  // Otherwise a cadence is counted occurrence by occurrence, each from the previous due date.
  return (anchor, k, calendar) => {
    if (k === 0) return first(anchor, calendar);
    let previous = first(anchor, calendar).result;
    for (let i = 1; i < k; i++) previous = shiftedDate(previous, every, 'after', calendar);
    return shiftDate(previous, every, 'after', calendar);
  };
}

function compileLevel(level: LadderLevel, index: number): CompiledLevel {
  const { kind, trigger, limit } = level;
  return {
    kind,
    step: compileStep(trigger, index),
    limit: limit ? (issuedOn, calendar) => shiftedDate(issuedOn, limit, 'after', calendar) : undefined,
  };
}

/** A due date lasts to the end of its day: its level falls due when the next day begins. */
const dayAfterStarts = (date: LocalDate) => startOfEpochDay(toEpochDay(date) + 1);

function compileStep(trigger: LadderLevel['trigger'], level: number): CompiledLevel['step'] {
  switch (trigger.type) {
    case 'beforeDue': {
      // A reminder some time before the due date; pointless once the due date has passed.
      const offset = trigger.offset;
      return (s, calendar) => {
        const due = toEpochDay(s.due);
        return { deadline: s, level, at: startOfEpochDay(shiftDay(due, offset, 'before', calendar)), staleFrom: startOfEpochDay(due + 1) };
      };
    }
    case 'dueEnded':
      return (s) => ({ deadline: s, level, at: dayAfterStarts(s.due) });
    case 'previousLimitEnded':
      // When the limit the last letter set has ended (the due date's end if it set none).
      return (s) => {
        const last = s.letters[s.letters.length - 1];
        return { deadline: s, level, at: dayAfterStarts(last?.limitUntil ? last.limitUntil : s.due) };
      };
  }
}
