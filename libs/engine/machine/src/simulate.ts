import { HolidayCalendar, LocalDate } from '@reform/calendar';
import { Attributes, LetterKind, ProcessDefinition } from '@reform/definitions';
import { compiledDeadlines } from './compiled-deadlines';
import { applyEvent, cancelAll, DeadlineState, nextWakeAt } from './deadlines';
import { nextLadderMove, recordLetter, skipLevel } from './ladder';

/** What a running plan has on record: enough to count its deadlines again under other rules. */
export interface PlanSnapshot {
  workflowId: string;
  definition: ProcessDefinition;
  /** The holiday calendar the plan counts with (the one it started with, or the last loaded). */
  calendar: HolidayCalendar;
  attributes: Attributes;
  /** Business events in the order they were recorded, the start events first. */
  events: Array<{ event: string; date: LocalDate }>;
  deadlines: DeadlineState[];
  /** The stage the plan is in. */
  stage: string;
  finished: boolean;
}

/**
 * The plan's deadlines as the definition `def` would have counted them from the same business
 * events. Letters already sent stay sent: an occurrence the new rules also have keeps its
 * letters and goes on from the level it had reached, so nothing is sent twice.
 */
export function recomputeDeadlines(def: ProcessDefinition, calendar: HolidayCalendar, snap: PlanSnapshot): DeadlineState[] {
  let out: DeadlineState[] = [];
  for (const { event, date } of snap.events) out = applyEvent(def, calendar, out, snap.attributes, event, date);
  if (snap.finished) out = cancelAll(out);
  return out.map((s) => {
    const old = snap.deadlines.find((o) => o.key === s.key && o.deadlineId === s.deadlineId);
    if (!old || (!old.letters.length && !old.skippedLevels.length && !old.failedLetters?.length)) return s;
    const levels = compiledDeadlines(def).byId.get(s.deadlineId)!.levels.length;
    const failed = old.failedLetters?.length ? { failedLetters: old.failedLetters } : {};
    return { ...s, letters: old.letters, skippedLevels: old.skippedLevels, ...failed, nextLevel: Math.min(old.nextLevel, levels) };
  });
}

export interface SimulatedLetter {
  deadlineKey: string;
  deadlineId: string;
  deadlineLabel: string;
  due: LocalDate;
  level: number;
  kind: LetterKind;
  source: string;
  issuedOn: LocalDate;
  limitUntil?: LocalDate;
  to: string[];
  cc: string[];
}

/** A bound on letters per plan in one simulation: a ladder ends, so this is only a guard. */
const MAX_MOVES = 10_000;

/**
 * The letters the engine would send from `from` to `until` if nobody acted: the engine's own
 * ladder steps (nextLadderMove) on a virtual clock that jumps to each wake-up.
 */
export function simulateLetters(def: ProcessDefinition, calendar: HolidayCalendar, start: DeadlineState[], from: number, until: number): SimulatedLetter[] {
  let deadlines = start;
  const letters: SimulatedLetter[] = [];
  let now = from;
  for (let i = 0; i < MAX_MOVES; i++) {
    const wake = nextWakeAt(def, calendar, deadlines);
    if (wake === undefined) break;
    now = Math.max(now, wake);
    if (now > until) break;
    const move = nextLadderMove(def, calendar, deadlines, now);
    if (!move) break;
    const key = move.step.deadline.key;
    if (move.type === 'skip') {
      deadlines = deadlines.map((s) => (s.key === key ? skipLevel(s, move.step.level) : s));
      continue;
    }
    const d = compiledDeadlines(def).byId.get(move.step.deadline.deadlineId)!.deadline;
    const level = d.ladder[move.step.level];
    letters.push({
      deadlineKey: key,
      deadlineId: d.id,
      deadlineLabel: d.label,
      due: move.step.deadline.due,
      level: move.step.level,
      kind: move.kind,
      source: level.source,
      issuedOn: move.issuedOn,
      limitUntil: move.limitUntil,
      to: level.to,
      cc: level.cc,
    });
    deadlines = deadlines.map((s) => (s.key === key ? recordLetter(s, move, { letterId: `simulated-${i}`, number: '' }) : s));
  }
  return letters;
}
