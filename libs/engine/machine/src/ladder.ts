import { HolidayCalendar, LocalDate, localDateAt } from '@reform/calendar/core';
import { LetterKind, ProcessDefinition } from '@reform/definitions';
import { DeadlineState, LadderStep, limitOf, nextStep } from './deadlines';

/**
 * What the engine does at instant `now` about letters: nothing, pass over a reminder that came
 * too late to matter, or send a letter. The workflow and the what-if simulation both step with
 * this, so a simulation is the engine's own schedule, not a copy of it.
 */
export type LadderMove =
  | { type: 'skip'; step: LadderStep }
  | { type: 'send'; step: LadderStep; kind: LetterKind; issuedOn: LocalDate; limitUntil?: LocalDate };

export function nextLadderMove(def: ProcessDefinition, calendar: HolidayCalendar, deadlines: DeadlineState[], now: number): LadderMove | undefined {
  const due = deadlines
    .map((s) => nextStep(def, calendar, s))
    .filter((s): s is LadderStep => !!s && s.at <= now)
    .sort((a, b) => a.at - b.at)[0];
  if (!due) return undefined;
  if (due.staleFrom !== undefined && now >= due.staleFrom) return { type: 'skip', step: due };
  const issuedOn = localDateAt(now);
  const kind = def.deadlines.find((d) => d.id === due.deadline.deadlineId)!.ladder[due.level].kind;
  return { type: 'send', step: due, kind, issuedOn, limitUntil: limitOf(def, calendar, due.deadline, due.level, issuedOn) };
}

/** The deadline after its stale level was passed over. */
export function skipLevel(s: DeadlineState, level: number): DeadlineState {
  return { ...s, nextLevel: s.nextLevel + 1, skippedLevels: [...s.skippedLevels, level] };
}

/** The deadline after a letter of the move was issued with this id and number. */
export function recordLetter(s: DeadlineState, move: Extract<LadderMove, { type: 'send' }>, letter: { letterId: string; number: string }): DeadlineState {
  const { level } = move.step;
  return {
    ...s,
    nextLevel: level + 1,
    letters: [...s.letters, { level, kind: move.kind, letterId: letter.letterId, number: letter.number, issuedOn: move.issuedOn, limitUntil: move.limitUntil }],
  };
}

/**
 * The deadline after the letter of the move could not be written for good: the level is passed
 * (as a stale one is) and the failure kept with its reason, so the ladder and the plan's other
 * letters go on and an operator sees what is missing.
 */
export function recordLetterFailure(s: DeadlineState, move: Extract<LadderMove, { type: 'send' }>, reason: string): DeadlineState {
  const { level } = move.step;
  return { ...s, nextLevel: level + 1, failedLetters: [...(s.failedLetters ?? []), { level, kind: move.kind, failedOn: move.issuedOn, reason }] };
}
