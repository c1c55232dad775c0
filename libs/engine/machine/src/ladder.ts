import { HolidayCalendar, LocalDate, localDateAt } from '@reform/calendar/core';
import { LetterKind, ProcessDefinition } from '@reform/definitions';
import { compiledDeadlines } from './compiled-deadlines';
import { changed, DeadlineState, LadderStep, nextStep } from './deadlines';

/**
 * What the engine does at instant `now` about letters: nothing, pass over a reminder that came
 * too late to matter, or send a letter. The workflow and the what-if simulation both step with
 * this, so a simulation is the engine's own schedule, not a copy of it.
 */
export type LadderMove =
  | { type: 'skip'; step: LadderStep }
  | { type: 'send'; step: LadderStep; kind: LetterKind; issuedOn: LocalDate; limitUntil?: LocalDate };

export function nextLadderMove(def: ProcessDefinition, calendar: HolidayCalendar, deadlines: DeadlineState[], now: number): LadderMove | undefined {
  // The earliest step due by now; of steps due at the same instant, the first in the list.
  let due: LadderStep | undefined;
  for (const s of deadlines) {
    const step = nextStep(def, calendar, s);
    if (step && step.at <= now && (!due || step.at < due.at)) due = step;
  }
  if (!due) return undefined;
  if (due.staleFrom !== undefined && now >= due.staleFrom) return { type: 'skip', step: due };
  const issuedOn = localDateAt(now);
  const level = compiledDeadlines(def).byId.get(due.deadline.deadlineId)!.levels[due.level];
  return { type: 'send', step: due, kind: level.kind, issuedOn, limitUntil: level.limit?.(issuedOn, calendar) };
}

/** The deadline after its stale level was passed over. */
export function skipLevel(s: DeadlineState, level: number): DeadlineState {
  return changed(s, { nextLevel: s.nextLevel + 1, skippedLevels: [...s.skippedLevels, level] });
}

/** The deadline after a letter of the move was issued with this id and number. */
export function recordLetter(s: DeadlineState, move: Extract<LadderMove, { type: 'send' }>, letter: { letterId: string; number: string }): DeadlineState {
  const { level } = move.step;
  return changed(s, {
    nextLevel: level + 1,
    letters: [...s.letters, { level, kind: move.kind, letterId: letter.letterId, number: letter.number, issuedOn: move.issuedOn, limitUntil: move.limitUntil }],
  });
}

/**
 * The deadline after the letter of the move could not be written for good: the level is passed
 * (as a stale one is) and the failure kept with its reason, so the ladder and the plan's other
 * letters go on and an operator sees what is missing.
 */
export function recordLetterFailure(s: DeadlineState, move: Extract<LadderMove, { type: 'send' }>, reason: string): DeadlineState {
  const { level } = move.step;
  return changed(s, { nextLevel: level + 1, failedLetters: [...(s.failedLetters ?? []), { level, kind: move.kind, failedOn: move.issuedOn, reason }] });
}
