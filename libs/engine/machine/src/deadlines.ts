import { DateShift, HolidayCalendar, LocalDate } from '@reform/calendar/core';
import { Attributes, Deadline, LetterKind, ProcessDefinition } from '@reform/definitions/core';
import { CompiledDeadline, compiledDeadline, compiledDeadlines } from './compiled-deadlines';

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

/** The definition of a deadline; undefined for one the version in force has withdrawn. */
function deadlineDef(def: ProcessDefinition, id: string): Deadline | undefined {
  return compiledDeadlines(def).byId.get(id)?.deadline;
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
  return compiledDeadline(d).due(anchor, occurrence, calendar);
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
  const { byId, byFromEvent } = compiledDeadlines(def);
  const next: DeadlineState[] = [];
  let met: DeadlineState[] | undefined;
  for (const s of deadlines) {
    if (s.status === 'open' && byId.get(s.deadlineId)?.deadline.metBy.event === event) {
      const done = changed(s, { status: 'met', metOn: date });
      (met ??= []).push(done);
      next.push(done);
    } else {
      next.push(s);
    }
  }
  if (met) {
    for (const m of met) {
      const c = byId.get(m.deadlineId)!;
      if (c.deadline.repeat) opened(next, c, m.anchor, m.occurrence + 1, calendar);
    }
  }
  for (const c of byFromEvent.get(event) ?? []) {
    if (c.applies(attributes) && !isOpen(next, c.deadline.id)) opened(next, c, date, 0, calendar);
  }
  return next;
}

/** What may change in an occurrence after it is opened. */
export type OccurrenceChange = Partial<Pick<DeadlineState, 'status' | 'metOn' | 'nextLevel' | 'skippedLevels' | 'letters' | 'failedLetters'>>;

/**
 * The occurrence with these changes: what `{ ...s, ...change }` gives, built as a literal (a
 * spread of a DeadlineState costs several times as much, and the engine makes one for every
 * event that meets an occurrence and every ladder step). Optional fields come last, when set.
 */
export function changed(s: DeadlineState, change: OccurrenceChange): DeadlineState {
  const next: DeadlineState = {
    key: s.key,
    deadlineId: s.deadlineId,
    label: s.label,
    occurrence: s.occurrence,
    anchor: s.anchor,
    due: s.due,
    shift: s.shift,
    status: change.status ?? s.status,
    nextLevel: change.nextLevel ?? s.nextLevel,
    skippedLevels: change.skippedLevels ?? s.skippedLevels,
    letters: change.letters ?? s.letters,
  };
  const failedLetters = change.failedLetters ?? s.failedLetters;
  if (failedLetters) next.failedLetters = failedLetters;
  const metOn = change.metOn ?? s.metOn;
  if (metOn !== undefined) next.metOn = metOn;
  return next;
}

/** Whether the list has an open occurrence of the deadline. */
function isOpen(deadlines: DeadlineState[], id: string): boolean {
  for (const s of deadlines) if (s.deadlineId === id && s.status === 'open') return true;
  return false;
}

/**
 * Adds a newly opened occurrence, keyed by how many of its deadline's came before it: keys
 * number every occurrence of a deadline in the order opened; they name letters for good.
 */
function opened(next: DeadlineState[], c: CompiledDeadline, anchor: LocalDate, occurrence: number, calendar: HolidayCalendar) {
  const d = c.deadline;
  let n = 0;
  for (const s of next) if (s.deadlineId === d.id) n++;
  const shift = c.due(anchor, occurrence, calendar);
  next.push({
    key: `${d.id}#${n}`,
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
  });
}

export function cancelAll(deadlines: DeadlineState[]): DeadlineState[] {
  return deadlines.map((s) => (s.status === 'open' ? changed(s, { status: 'cancelled' }) : s));
}

/** The next ladder level of an open deadline and the instant it is due, if any is left. */
export function nextStep(def: ProcessDefinition, calendar: HolidayCalendar, s: DeadlineState): LadderStep | undefined {
  if (s.status !== 'open') return undefined;
  return compiledDeadlines(def).byId.get(s.deadlineId)?.levels[s.nextLevel]?.step(s, calendar);
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
  return compiledDeadlines(def).byId.get(s.deadlineId)?.levels[level]?.limit?.(issuedOn, calendar);
}
