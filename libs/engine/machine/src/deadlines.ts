import { DateShift, endOfLocalDay, HolidayCalendar, LocalDate, nextDateOn, shiftDate, shiftedDate, startOfLocalDay } from '@reform/calendar/core';
import { Attributes, Deadline, holds, LetterKind, ProcessDefinition } from '@reform/definitions/core';

export interface LetterSent {
  level: number;
  kind: LetterKind;
  letterId: string;
  number: string;
  issuedOn: LocalDate;
  /** The date the letter's own time limit ends, if it sets one. */
  limitUntil?: LocalDate;
}

/**
 * A letter the engine could not write for good (the store refused it: a value too long, a
 * constraint): the level is passed so the plan's other letters go on; an operator sees it here.
 */
export interface LetterFailure {
  level: number;
  kind: LetterKind;
  /** The day the letter should have been issued. */
  failedOn: LocalDate;
  reason: string;
}

/** One occurrence of a deadline of one plan, and how far its letter ladder has gone. */
export interface DeadlineState {
  key: string;
  deadlineId: string;
  /**
   * The deadline's name when this occurrence was opened: what the plan shows once a later
   * version has withdrawn the deadline. Absent on states opened by older workflow code.
   */
  label?: string;
  occurrence: number;
  /** Business date of the event it counts from. */
  anchor: LocalDate;
  due: LocalDate;
  shift: DateShift;
  status: 'open' | 'met' | 'cancelled';
  metOn?: LocalDate;
  nextLevel: number;
  /** Levels passed over: a reminder whose moment came after the due date had already passed. */
  skippedLevels: number[];
  letters: LetterSent[];
  /** Letters that could not be written; absent when none failed. */
  failedLetters?: LetterFailure[];
}

export interface LadderStep {
  deadline: DeadlineState;
  level: number;
  at: number;
  /** A pre-due reminder that is pointless once the due date has passed. */
  staleFrom?: number;
}

/** A definition's deadlines by id and by the event they count from. */
interface DeadlineIndex {
  byId: Map<string, Deadline>;
  byFromEvent: Map<string, Deadline[]>;
}

// Per definition's list of deadlines: definitions are values, so this is a pure cache (the same
// answers on every replay of a workflow).
const indexes = new WeakMap<Deadline[], DeadlineIndex>();

function indexOf(def: ProcessDefinition): DeadlineIndex {
  let index = indexes.get(def.deadlines);
  if (!index) {
    index = { byId: new Map(), byFromEvent: new Map() };
    for (const d of def.deadlines) {
      if (!index.byId.has(d.id)) index.byId.set(d.id, d);
      const list = index.byFromEvent.get(d.from.event);
      if (list) list.push(d);
      else index.byFromEvent.set(d.from.event, [d]);
    }
    indexes.set(def.deadlines, index);
  }
  return index;
}

/** The definition of a deadline; undefined for one the version in force has withdrawn. */
function deadlineDef(def: ProcessDefinition, id: string): Deadline | undefined {
  return indexOf(def).byId.get(id);
}

/**
 * What a deadline occurrence is called: its name in the version in force, else the name it was
 * opened under (a deadline a later version withdrew), else its id.
 */
export function deadlineLabel(def: ProcessDefinition, s: DeadlineState): string {
  return deadlineDef(def, s.deadlineId)?.label ?? s.label ?? s.deadlineId;
}

/** The due date of occurrence k: counted from the anchor in one step where units agree, so month ends do not drift. */
export function dueOf(d: Deadline, anchor: LocalDate, occurrence: number, calendar: HolidayCalendar): DateShift {
  if (occurrence === 0 || !d.repeat) {
    // Counting may start a while after the event (S3: from half a year after issuance).
    const via = d.from.after ? shiftDate(anchor, d.from.after, 'after', calendar) : undefined;
    const start = via?.result ?? anchor;
    const shift = d.within ? shiftDate(start, d.within, 'after', calendar) : nextDateOn(start, d.byDate!);
    return via ? { ...shift, via } : shift;
  }
  if (d.within && !d.from.after && d.repeat.every.unit === d.within.unit) {
    return shiftDate(anchor, { unit: d.within.unit, amount: d.within.amount + occurrence * d.repeat.every.amount }, 'after', calendar);
  }
  const previous = dueOf(d, anchor, occurrence - 1, calendar).result;
  return shiftDate(previous, d.repeat.every, 'after', calendar);
}

function open(d: Deadline, anchor: LocalDate, occurrence: number, calendar: HolidayCalendar): DeadlineState {
  const shift = dueOf(d, anchor, occurrence, calendar);
  return {
    key: '',
    deadlineId: d.id,
    label: d.label,
    occurrence,
    anchor,
    due: shift.result,
    shift,
    status: 'open',
    nextLevel: 0,
    skippedLevels: [],
    letters: [],
  };
}

/**
 * Applies a recorded business event to the deadlines: meets the open ones it satisfies (opening
 * a cadence's next occurrence) and opens the ones that count from it. Pure: returns a new list.
 */
export function applyEvent(
  def: ProcessDefinition,
  calendar: HolidayCalendar,
  deadlines: DeadlineState[],
  attributes: Attributes,
  event: string,
  date: LocalDate,
): DeadlineState[] {
  const met: DeadlineState[] = [];
  const next: DeadlineState[] = [];
  // Keys number every occurrence of a deadline in the order opened; they name letters for good.
  const occurrences = new Map<string, number>();
  const openIds = new Set<string>();
  for (const s of deadlines) {
    occurrences.set(s.deadlineId, (occurrences.get(s.deadlineId) ?? 0) + 1);
    if (s.status === 'open' && deadlineDef(def, s.deadlineId)?.metBy.event === event) {
      const done = { ...s, status: 'met' as const, metOn: date };
      met.push(done);
      next.push(done);
    } else {
      if (s.status === 'open') openIds.add(s.deadlineId);
      next.push(s);
    }
  }
  for (const m of met) {
    const d = deadlineDef(def, m.deadlineId)!;
    if (d.repeat) opened(next, occurrences, openIds, d, open(d, m.anchor, m.occurrence + 1, calendar));
  }
  for (const d of indexOf(def).byFromEvent.get(event) ?? []) {
    if ((d.when && !holds(d.when, attributes)) || openIds.has(d.id)) continue;
    opened(next, occurrences, openIds, d, open(d, date, 0, calendar));
  }
  return next;
}

/** Adds a newly opened occurrence, keyed by how many of its deadline's came before it. */
function opened(next: DeadlineState[], occurrences: Map<string, number>, openIds: Set<string>, d: Deadline, s: DeadlineState) {
  const n = occurrences.get(d.id) ?? 0;
  occurrences.set(d.id, n + 1);
  openIds.add(d.id);
  next.push({ ...s, key: `${d.id}#${n}` });
}

export function cancelAll(deadlines: DeadlineState[]): DeadlineState[] {
  return deadlines.map((s) => (s.status === 'open' ? { ...s, status: 'cancelled' as const } : s));
}

/** The next ladder level of an open deadline and the instant it is due, if any is left. */
export function nextStep(def: ProcessDefinition, calendar: HolidayCalendar, s: DeadlineState): LadderStep | undefined {
  if (s.status !== 'open') return undefined;
  const level = deadlineDef(def, s.deadlineId)?.ladder[s.nextLevel];
  if (!level) return undefined;
  const dueEnd = endOfLocalDay(s.due);
  switch (level.trigger.type) {
    case 'beforeDue':
      return {
        deadline: s,
        level: s.nextLevel,
        at: startOfLocalDay(shiftedDate(s.due, level.trigger.offset, 'before', calendar)),
        staleFrom: dueEnd,
      };
    case 'dueEnded':
      return { deadline: s, level: s.nextLevel, at: dueEnd };
    case 'previousLimitEnded': {
      const last = s.letters[s.letters.length - 1];
      return { deadline: s, level: s.nextLevel, at: last?.limitUntil ? endOfLocalDay(last.limitUntil) : dueEnd };
    }
  }
}

/** The earliest instant at which some ladder level falls due. */
export function nextWakeAt(def: ProcessDefinition, calendar: HolidayCalendar, deadlines: DeadlineState[]): number | undefined {
  let earliest: number | undefined;
  for (const s of deadlines) {
    const step = nextStep(def, calendar, s);
    if (step && (earliest === undefined || step.at < earliest)) earliest = step.at;
  }
  return earliest;
}

/** The limit a letter issued on `issuedOn` sets, if its level sets one. */
export function limitOf(def: ProcessDefinition, calendar: HolidayCalendar, s: DeadlineState, level: number, issuedOn: LocalDate): LocalDate | undefined {
  const limit = deadlineDef(def, s.deadlineId)?.ladder[level]?.limit;
  return limit ? shiftedDate(issuedOn, limit, 'after', calendar) : undefined;
}
