import { addDays, addMonths, Duration, HolidayCalendar, LocalDate, MonthDay, nextDateOn, shiftedDate } from '@reform/calendar';
import { Attributes, Condition, Deadline, LetterKind, ProcessDefinition } from '@reform/definitions';
import type { Answer, DeadlineAnswer, PlanSnapshot } from './rules-model';

/**
 * A lower bound, in the benchmark only: the definition compileRules produced, turned once into
 * closures per deadline (the condition on attributes, the due-date formula, the ladder's moments
 * and limits), so evaluating a snapshot reads no definition, keeps no state and writes no
 * explanation. Dates are the calendar library's own functions, as the engine's (addDays,
 * addMonths, nextDateOn, shiftedDate through the calendar's day table, dueOf for cadences
 * counted step by step); dates compare as 'YYYY-MM-DD' strings. The engine keeps per occurrence
 * what the workflow, simulate and why need (DeadlineState, with the due date's explanation), so
 * it cannot be this lean; the gap between the two rows is that bookkeeping.
 */
type Shift = (date: LocalDate) => LocalDate;

interface CompiledLevel {
  kind: LetterKind;
  trigger: 'beforeDue' | 'dueEnded' | 'previousLimitEnded';
  before?: Shift;
  /** The letter's own limit, when a later level counts from it. */
  limit?: Shift;
}

interface CompiledDeadline {
  id: string;
  applies: (a: Attributes) => boolean;
  from: string;
  metBy: string;
  repeat: boolean;
  due: (anchor: LocalDate, occurrence: number) => LocalDate;
  plusOne: Shift;
  levels: CompiledLevel[];
}

export function compileCondition(c: Condition | undefined): (a: Attributes) => boolean {
  if (!c) return () => true;
  if ('attr' in c) {
    const k = c.attr;
    return (a) => a[k] === true;
  }
  if ('not' in c) {
    const f = compileCondition(c.not);
    return (a) => !f(a);
  }
  const fs = ('all' in c ? c.all : c.any).map(compileCondition);
  if ('all' in c) {
    return (a) => {
      for (const f of fs) if (!f(a)) return false;
      return true;
    };
  }
  return (a) => {
    for (const f of fs) if (f(a)) return true;
    return false;
  };
}

function compileShift(d: Duration, direction: 'after' | 'before', calendar: HolidayCalendar): Shift {
  const sign = direction === 'after' ? 1 : -1;
  switch (d.unit) {
    case 'days':
      return (x) => addDays(x, sign * d.amount);
    case 'months':
    case 'years': {
      const months = sign * (d.unit === 'years' ? 12 * d.amount : d.amount);
      return (x) => addMonths(x, months).date;
    }
    case 'workingDays':
      return (x) => shiftedDate(x, d, direction, calendar);
  }
}

function compileDue(d: Deadline, calendar: HolidayCalendar): (anchor: LocalDate, k: number) => LocalDate {
  const after = d.from.after ? compileShift(d.from.after, 'after', calendar) : undefined;
  const byDate: MonthDay | undefined = d.byDate;
  const within = d.within ? compileShift(d.within, 'after', calendar) : undefined;
  const first = (anchor: LocalDate) => {
    const start = after ? after(anchor) : anchor;
    return within ? within(start) : nextDateOn(start, byDate!).result;
  };
  if (!d.repeat) return first;
  const w = d.within;
  const every = d.repeat.every;
  if (w && !d.from.after && every.unit === w.unit && w.unit !== 'workingDays') {
    // Counted from the anchor in one step, as dueOf does, so month ends do not drift.
    const months = w.unit === 'years' ? 12 : 1;
    if (w.unit === 'days') return (anchor, k) => addDays(anchor, w.amount + k * every.amount);
    return (anchor, k) => addMonths(anchor, months * (w.amount + k * every.amount)).date;
  }
  // Anything else is counted occurrence by occurrence, from the previous due date, as dueOf does.
  const next = compileShift(every, 'after', calendar);
  return (anchor, k) => {
    let due = first(anchor);
    for (let i = 0; i < k; i++) due = next(due);
    return due;
  };
}

export function compileDeadlines(def: ProcessDefinition, calendar: HolidayCalendar): CompiledDeadline[] {
  const plusOne: Shift = (x) => addDays(x, 1);
  return def.deadlines.map((d) => ({
    id: d.id,
    applies: compileCondition(d.when),
    from: d.from.event,
    metBy: d.metBy.event,
    repeat: !!d.repeat,
    due: compileDue(d, calendar),
    plusOne,
    levels: d.ladder.map((level, i) => {
      const laterCountsFromIt = d.ladder.slice(i + 1).some((l) => l.trigger.type === 'previousLimitEnded');
      return {
        kind: level.kind,
        trigger: level.trigger.type,
        before: level.trigger.type === 'beforeDue' ? compileShift(level.trigger.offset, 'before', calendar) : undefined,
        limit: level.limit && laterCountsFromIt ? compileShift(level.limit, 'after', calendar) : undefined,
      };
    }),
  }));
}

/** Evaluates one snapshot against compiled deadlines: the same answer as engineAnswer. */
export function evaluateCompiled(compiled: CompiledDeadline[], snap: PlanSnapshot): Answer {
  const { attributes, events, today } = snap;
  const out: Answer = [];
  for (const c of compiled) {
    if (!c.applies(attributes)) continue;
    const fromDates = events[c.from];
    if (!fromDates) continue;
    const anchor = fromDates[0];
    const metDates = events[c.metBy];
    let met = 0;
    let lastMet = anchor;
    if (metDates) {
      for (const m of metDates) {
        if (m >= anchor) {
          met++;
          lastMet = m;
        }
      }
    }
    const open = c.repeat || met === 0;
    const occurrence = c.repeat ? met : 0;
    const due = c.due(anchor, occurrence);
    const answer: DeadlineAnswer = { id: c.id, open, occurrence, due, letters: [] };
    if (open) {
      const opened = occurrence === 0 ? anchor : lastMet;
      let lastLimit: LocalDate | undefined;
      for (const level of c.levels) {
        const moment =
          level.trigger === 'beforeDue' ? level.before!(due) : level.trigger === 'dueEnded' ? c.plusOne(due) : c.plusOne(lastLimit ?? due);
        const issued = moment > opened ? moment : opened;
        if (issued > today) break;
        if (level.trigger === 'beforeDue' && issued > due) continue;
        if (issued === today) answer.letters.push(level.kind);
        lastLimit = level.limit ? level.limit(issued) : undefined;
      }
    }
    out.push(answer);
  }
  return out;
}
