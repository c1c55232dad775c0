import { addDays, HolidayCalendar, LocalDate, localDateAt, startOfLocalDay } from '@reform/calendar';
import { Attributes, LetterKind, ProcessDefinition } from '@reform/definitions';
import { applyEvent, DeadlineState, limitOf, nextStep, recordLetter, skipLevel } from '@reform/machine';

/**
 * The question every engine of the rules bench answers, and the engine's own answer to it.
 *
 * A plan snapshot is what a plan has on record: its attributes, its business events with their
 * dates (an event may be recorded more than once: half-year reports), and "today". The answer,
 * for each deadline of the procedure that applies to the plan (its `when` on attributes) and
 * whose from-event is recorded: is the current occurrence open (for a cadence, the occurrence
 * after the last one met), its due date, and which letters of its ladder fall due today.
 *
 * "Falls due today" follows the engine's ladder (libs/engine/machine nextStep / limitOf, as
 * fireDueLetters in the workflow steps it) on a clock that wakes exactly at each ladder moment,
 * with each event recorded at the start of its business date: a letter is issued on the later of
 * its moment and the day the occurrence opened; a pre-due reminder whose day comes after the due
 * date is passed over; a letter's limit is counted from the day it is issued.
 */
export interface PlanSnapshot {
  attributes: Attributes;
  /** Event → the dates it was recorded on, in ascending order. Events not recorded are absent. */
  events: Record<string, LocalDate[]>;
  today: LocalDate;
}

export interface DeadlineAnswer {
  id: string;
  open: boolean;
  /** 0 for the first; for a cadence, the number of times it has been met since it started. */
  occurrence: number;
  due: LocalDate;
  /** Letter kinds whose issue day is today, in ladder order. */
  letters: LetterKind[];
}

export type Answer = DeadlineAnswer[];

export const sameAnswer = (a: Answer, b: Answer): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Deterministic PRNG (mulberry32), so every run and every engine sees the same snapshots. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The letter a step records in the reference: the workflow's letter id and number are not part of the question. */
const NO_LETTER = { letterId: '', number: '' };

/**
 * The reference answer and the headline row: the engine's own code, as the workflow runs it. The
 * events are applied in date order with applyEvent (as the workflow applies them), and each open
 * occurrence's ladder is stepped with nextStep and limitOf, recording with skipLevel and
 * recordLetter (the workflow's own), until its next moment is after today. These evaluate
 * through the engine's compiled deadlines (libs/engine/machine compiled-deadlines.ts).
 */
export function engineAnswer(def: ProcessDefinition, calendar: HolidayCalendar, snap: PlanSnapshot): Answer {
  const recorded = Object.entries(snap.events)
    .flatMap(([event, dates]) => dates.map((date) => ({ event, date })))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let states: DeadlineState[] = [];
  const openedOn = new Map<string, LocalDate>();
  for (const { event, date } of recorded) {
    const before = states.length;
    states = applyEvent(def, calendar, states, snap.attributes, event, date);
    // applyEvent keeps the states it had in place and adds the ones it opens after them.
    for (let i = before; i < states.length; i++) openedOn.set(states[i].key, date);
  }
  const todayEnd = startOfLocalDay(addDays(snap.today, 1));
  const answer: Answer = [];
  const latest = new Map<string, DeadlineState>();
  for (const s of states) latest.set(s.deadlineId, s);
  for (const d of def.deadlines) {
    const s0 = latest.get(d.id);
    if (!s0) continue;
    const letters: LetterKind[] = [];
    if (s0.status === 'open') {
      const opened = startOfLocalDay(openedOn.get(s0.key)!);
      let s = s0;
      for (;;) {
        const step = nextStep(def, calendar, s);
        if (!step) break;
        const at = Math.max(step.at, opened);
        if (at >= todayEnd) break;
        if (step.staleFrom !== undefined && at >= step.staleFrom) {
          s = skipLevel(s, step.level);
          continue;
        }
        const issuedOn = localDateAt(at);
        const kind = d.ladder[step.level].kind;
        if (issuedOn === snap.today) letters.push(kind);
        const limitUntil = limitOf(def, calendar, s, step.level, issuedOn);
        s = recordLetter(s, { type: 'send', step, kind, issuedOn, limitUntil }, NO_LETTER);
      }
    }
    answer.push({ id: d.id, open: s0.status === 'open', occurrence: s0.occurrence, due: s0.due, letters });
  }
  return answer;
}

// ---------------------------------------------------------------------------------------------
// Snapshots of reform_plan plans.

const ATTRIBUTES = ['major', 'cross_department', 'affects_public', 'technical', 'stability_risk', 'party_document', 'government_duties', 'central_plan', 'pilot'];

/** Every ladder moment (issue day) of the snapshot's open occurrences, on any day: to aim "today" at. */
function momentsOf(def: ProcessDefinition, calendar: HolidayCalendar, snap: PlanSnapshot): LocalDate[] {
  const days: LocalDate[] = [];
  // Step the ladders with "today" far in the future, remembering each issue day.
  const far = { ...snap, today: '2099-12-31' };
  const recorded = Object.entries(far.events)
    .flatMap(([event, dates]) => dates.map((date) => ({ event, date })))
    .sort((a, b) => (a.date < b.date ? -1 : 1));
  let states: DeadlineState[] = [];
  const openedOn = new Map<string, LocalDate>();
  for (const { event, date } of recorded) {
    states = applyEvent(def, calendar, states, far.attributes, event, date);
    for (const s of states) if (!openedOn.has(s.key)) openedOn.set(s.key, date);
  }
  for (let s of states.filter((x) => x.status === 'open')) {
    const opened = startOfLocalDay(openedOn.get(s.key)!);
    for (;;) {
      const step = nextStep(def, calendar, s);
      if (!step) break;
      const at = Math.max(step.at, opened);
      const issuedOn = localDateAt(at);
      if (step.staleFrom !== undefined && at >= step.staleFrom) {
        s = { ...s, nextLevel: s.nextLevel + 1 };
        continue;
      }
      days.push(issuedOn);
      const limitUntil = limitOf(def, calendar, s, step.level, issuedOn);
      s = { ...s, nextLevel: step.level + 1, letters: [...s.letters, { level: step.level, kind: 'reminder', letterId: '', number: '', issuedOn, limitUntil }] };
    }
  }
  return days;
}

/**
 * `count` snapshots of reform_plan plans, from a seed. Attributes are drawn independently; the
 * events follow the procedure's order (central plan issued → plan issued → filed → half-year
 * reports, self-inspections, annual supervisions, retrospective), a few days to months apart, in
 * 2025–2028. Half of the "todays" are aimed at a ladder moment of the plan (so letters fall due
 * in many snapshots), the rest fall anywhere up to 400 days after the last event.
 */
export function reformPlanSnapshots(def: ProcessDefinition, calendar: HolidayCalendar, count: number, seed = 20260101): PlanSnapshot[] {
  const rnd = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const chance = (p: number) => rnd() < p;
  const out: PlanSnapshot[] = [];
  for (let i = 0; i < count; i++) {
    const attributes: Attributes = {};
    for (const a of ATTRIBUTES) if (chance(0.3)) attributes[a] = true;
    const events: Record<string, LocalDate[]> = {};
    const add = (e: string, date: LocalDate) => (events[e] ??= []).push(date);
    let last = addDays('2025-01-01', int(0, 540));
    if (attributes.central_plan || chance(0.1)) add('central_plan_issued', last);
    if (chance(0.85)) {
      const issued = addDays(last, int(20, 240));
      add('issued', issued);
      last = issued;
      if (chance(0.7)) last = maxDate(last, pushed(add, 'filed', addDays(issued, int(3, 50))));
      const series = (event: string, n: number, gapLo: number, gapHi: number) => {
        let at = issued;
        for (let k = 0; k < n; k++) {
          at = addDays(at, int(gapLo, gapHi));
          add(event, at);
          last = maxDate(last, at);
        }
      };
      series('report_submitted', int(0, 3), 150, 200);
      series('self_inspection_submitted', int(0, 2), 200, 380);
      series('annual_supervision_done', int(0, 2), 300, 380);
      if (chance(0.35)) last = maxDate(last, pushed(add, 'retrospective_done', addDays(issued, int(300, 420))));
    }
    let today = addDays(last, int(0, 400));
    const snap: PlanSnapshot = { attributes, events, today };
    if (chance(0.5)) {
      const moments = momentsOf(def, calendar, snap).filter((m) => m >= last);
      if (moments.length) today = moments[int(0, moments.length - 1)];
    }
    out.push({ attributes, events, today });
  }
  return out;
}

function pushed(add: (e: string, d: LocalDate) => void, event: string, date: LocalDate): LocalDate {
  add(event, date);
  return date;
}

const maxDate = (a: LocalDate, b: LocalDate) => (a > b ? a : b);
