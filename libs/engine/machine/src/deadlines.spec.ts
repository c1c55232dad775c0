import { endOfLocalDay, HolidayCalendar, SHIPPED_HOLIDAYS, startOfLocalDay } from '@reform/calendar';
import { Deadline, DeadlineSchema, ProcessDefinition, ProcessDefinitionSchema } from '@reform/definitions';
import { standardProcedure } from '@reform/procedures';
import { applyEvent, cancelAll, DeadlineState, dueOf, LetterSent, limitOf, nextStep, nextWakeAt } from './deadlines';

const PILOT = standardProcedure('pilot');
const REFORM_PLAN = standardProcedure('reform_plan');

const DEF = ProcessDefinitionSchema.parse(REFORM_PLAN);
const CAL: HolidayCalendar = SHIPPED_HOLIDAYS;
const utc = (iso: string) => Date.parse(iso);
const byId = (list: DeadlineState[], key: string) => list.find((s) => s.key === key)!;

const letter = (level: number, kind: LetterSent['kind'], issuedOn: string, limitUntil?: string): LetterSent => ({
  level,
  kind,
  letterId: `L${level}`,
  number: `改办函〔2026〕${level + 1}号`,
  issuedOn,
  limitUntil,
});

describe('applyEvent', () => {
  it('opens the filing deadline on issued 2027-01-31, due 2027-02-28 (no 28-day drift, no 3 March)', () => {
    const list = applyEvent(DEF, CAL, [], {}, 'issued', '2027-01-31');
    expect(list.map((s) => [s.key, s.due])).toEqual([
      ['filing#0', '2027-02-28'],
      ['half_year_report#0', '2027-07-31'],
      ['retrospective#0', '2028-01-31'],
      ['midyear_supervision#0', '2028-06-30'],
      ['annual_supervision#0', '2028-01-31'],
    ]);
    expect(byId(list, 'filing#0')).toEqual({
      key: 'filing#0',
      deadlineId: 'filing',
      label: '方案备案',
      occurrence: 0,
      anchor: '2027-01-31',
      due: '2027-02-28',
      shift: {
        from: '2027-01-31',
        duration: { amount: 1, unit: 'months' },
        direction: 'after',
        result: '2027-02-28',
        monthEndFrom: 31,
        days: [],
        missingYears: [],
      },
      status: 'open',
      nextLevel: 0,
      skippedLevels: [],
      letters: [],
    });
  });

  it('closes the filing deadline when filed, leaving the others untouched', () => {
    const opened = applyEvent(DEF, CAL, [], {}, 'issued', '2027-01-31');
    const filed = applyEvent(DEF, CAL, opened, {}, 'filed', '2027-02-20');
    expect(filed).toHaveLength(5);
    expect(byId(filed, 'filing#0')).toEqual({ ...byId(opened, 'filing#0'), status: 'met', metOn: '2027-02-20' });
    expect(byId(filed, 'half_year_report#0')).toBe(byId(opened, 'half_year_report#0'));
    expect(byId(filed, 'retrospective#0')).toBe(byId(opened, 'retrospective#0'));
    // Pure: the input list is not changed.
    expect(opened.map((s) => s.status)).toEqual(['open', 'open', 'open', 'open', 'open']);
  });

  it('an event nobody waits for changes nothing', () => {
    const opened = applyEvent(DEF, CAL, [], {}, 'issued', '2027-01-31');
    expect(applyEvent(DEF, CAL, opened, {}, 'research_done', '2027-02-01')).toEqual(opened);
    expect(applyEvent(DEF, CAL, [], {}, 'filed', '2027-02-01')).toEqual([]);
  });

  it('a late filing still meets the deadline, on its own date', () => {
    const opened = applyEvent(DEF, CAL, [], {}, 'issued', '2027-01-31');
    expect(byId(applyEvent(DEF, CAL, opened, {}, 'filed', '2027-03-15'), 'filing#0')).toMatchObject({ status: 'met', metOn: '2027-03-15', due: '2027-02-28' });
  });

  it('runs the half-year report cadence from the anchor: 2026-07-31, then 2027-01-31, then 2027-07-31', () => {
    let list = applyEvent(DEF, CAL, [], {}, 'issued', '2026-01-31');
    expect(byId(list, 'half_year_report#0')).toMatchObject({ occurrence: 0, anchor: '2026-01-31', due: '2026-07-31', status: 'open' });

    list = applyEvent(DEF, CAL, list, {}, 'report_submitted', '2026-07-20');
    expect(byId(list, 'half_year_report#0')).toMatchObject({ status: 'met', metOn: '2026-07-20' });
    expect(byId(list, 'half_year_report#1')).toEqual({
      key: 'half_year_report#1',
      deadlineId: 'half_year_report',
      label: '半年落实情况报告',
      occurrence: 1,
      anchor: '2026-01-31',
      due: '2027-01-31',
      shift: { from: '2026-01-31', duration: { amount: 12, unit: 'months' }, direction: 'after', result: '2027-01-31', days: [], missingYears: [] },
      status: 'open',
      nextLevel: 0,
      skippedLevels: [],
      letters: [],
    });

    // Met late: the next one still counts from the anchor, not from when it was met.
    list = applyEvent(DEF, CAL, list, {}, 'report_submitted', '2027-02-15');
    expect(list.filter((s) => s.deadlineId === 'half_year_report').map((s) => [s.key, s.due, s.status])).toEqual([
      ['half_year_report#0', '2026-07-31', 'met'],
      ['half_year_report#1', '2027-01-31', 'met'],
      ['half_year_report#2', '2027-07-31', 'open'],
    ]);
  });

  it('keeps the anchor day of month across a cadence that passes February', () => {
    let list = applyEvent(DEF, CAL, [], {}, 'issued', '2026-08-31');
    expect(byId(list, 'half_year_report#0').due).toBe('2027-02-28');
    list = applyEvent(DEF, CAL, list, {}, 'report_submitted', '2027-02-01');
    expect(byId(list, 'half_year_report#1').due).toBe('2027-08-31');
  });

  it('opens a second occurrence only once the first is no longer open, numbering keys in order', () => {
    let list = applyEvent(DEF, CAL, [], {}, 'issued', '2026-01-31');
    list = applyEvent(DEF, CAL, list, {}, 'issued', '2026-02-10');
    expect(list.map((s) => s.key)).toEqual(['filing#0', 'half_year_report#0', 'retrospective#0', 'midyear_supervision#0', 'annual_supervision#0']);
    expect(byId(list, 'filing#0').anchor).toBe('2026-01-31');
    list = applyEvent(DEF, CAL, list, {}, 'filed', '2026-02-11');
    list = applyEvent(DEF, CAL, list, {}, 'issued', '2026-03-31');
    expect(list.filter((s) => s.deadlineId === 'filing').map((s) => [s.key, s.anchor, s.due, s.status])).toEqual([
      ['filing#0', '2026-01-31', '2026-02-28', 'met'],
      ['filing#1', '2026-03-31', '2026-04-30', 'open'],
    ]);
  });

  it('does not open a deadline whose when does not hold (central integration without central_plan)', () => {
    expect(applyEvent(DEF, CAL, [], {}, 'central_plan_issued', '2026-01-10')).toEqual([]);
    expect(applyEvent(DEF, CAL, [], { central_plan: false, major: true }, 'central_plan_issued', '2026-01-10')).toEqual([]);
  });

  it('opens it when the plan integrates a central plan, and issuing the matching plan meets it', () => {
    let list = applyEvent(DEF, CAL, [], { central_plan: true }, 'central_plan_issued', '2026-01-10');
    expect(list.map((s) => [s.key, s.anchor, s.due, s.status])).toEqual([['central_integration#0', '2026-01-10', '2026-07-10', 'open']]);
    list = applyEvent(DEF, CAL, list, { central_plan: true }, 'issued', '2026-05-06');
    expect(list.map((s) => [s.key, s.status, s.metOn])).toEqual([
      ['central_integration#0', 'met', '2026-05-06'],
      ['filing#0', 'open', undefined],
      ['half_year_report#0', 'open', undefined],
      ['retrospective#0', 'open', undefined],
      ['midyear_supervision#0', 'open', undefined],
      ['annual_supervision#0', 'open', undefined],
    ]);
  });

  it('supervises a plan in the May–June round once it has been issued for half a year (S3), then every year', () => {
    // Issued 31 Jan 2027: half a year later is 31 Jul, so the first round is June 2028, not June 2027.
    let list = applyEvent(DEF, CAL, [], {}, 'issued', '2027-01-31');
    const first = byId(list, 'midyear_supervision#0');
    expect(first.due).toBe('2028-06-30');
    expect(first.shift.via?.result).toBe('2027-07-31');
    // Issued 10 Dec 2026: half a year later is 10 Jun 2027, inside the 2027 round.
    expect(byId(applyEvent(DEF, CAL, [], {}, 'issued', '2026-12-10'), 'midyear_supervision#0').due).toBe('2027-06-30');
    list = applyEvent(DEF, CAL, list, {}, 'self_inspection_submitted', '2028-06-01');
    expect(byId(list, 'midyear_supervision#1').due).toBe('2029-06-30');
    expect(byId(list, 'annual_supervision#0').due).toBe('2028-01-31');
  });
});

describe('cancelAll', () => {
  it('cancels the open deadlines and leaves met ones as they are', () => {
    let list = applyEvent(DEF, CAL, [], {}, 'issued', '2026-01-31');
    list = applyEvent(DEF, CAL, list, {}, 'filed', '2026-02-05');
    const cancelled = cancelAll(list);
    expect(cancelled.map((s) => [s.key, s.status])).toEqual([
      ['filing#0', 'met'],
      ['half_year_report#0', 'cancelled'],
      ['retrospective#0', 'cancelled'],
      ['midyear_supervision#0', 'cancelled'],
      ['annual_supervision#0', 'cancelled'],
    ]);
    expect(cancelled[0]).toBe(list[0]);
    expect(cancelAll([])).toEqual([]);
    expect(cancelled.map((s) => nextStep(DEF, CAL, s))).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('nextStep with the standard ladder', () => {
  // Issued 2026-01-26: filing due Thursday 2026-02-26, just after the Spring Festival.
  const filing = () => byId(applyEvent(DEF, CAL, [], {}, 'issued', '2026-01-26'), 'filing#0');

  it('gives the reminder at the start of the day 5 working days before the due date, stale once the due date ends', () => {
    const s = filing();
    expect(s.due).toBe('2026-02-26');
    // 25, 24 (2), 23–15 holiday, 14 make-up (3), 13 (4), 12 (5).
    expect(nextStep(DEF, CAL, s)).toEqual({
      deadline: s,
      level: 0,
      at: startOfLocalDay('2026-02-12'),
      staleFrom: endOfLocalDay('2026-02-26'),
    });
    expect(startOfLocalDay('2026-02-12')).toBe(utc('2026-02-11T16:00:00Z'));
    expect(endOfLocalDay('2026-02-26')).toBe(utc('2026-02-26T16:00:00Z'));
  });

  it('counts the reminder by weekends only in a year with no calendar', () => {
    const s = byId(applyEvent(DEF, CAL, [], {}, 'issued', '2027-01-31'), 'filing#0');
    // Due Sunday 2027-02-28: Fri 26 (1) … Mon 22 (5).
    expect(nextStep(DEF, CAL, s)?.at).toBe(utc('2027-02-21T16:00:00Z'));
  });

  it('gives the supervision letter when the due date has ended', () => {
    const s = { ...filing(), nextLevel: 1, letters: [letter(0, 'reminder', '2026-02-12')] };
    expect(nextStep(DEF, CAL, s)).toEqual({ deadline: s, level: 1, at: endOfLocalDay('2026-02-26') });
  });

  it('gives the public naming when the supervision letter’s limit has ended', () => {
    const s = { ...filing(), nextLevel: 2, letters: [letter(0, 'reminder', '2026-02-12'), letter(1, 'supervision', '2026-02-27', '2026-03-12')] };
    expect(nextStep(DEF, CAL, s)).toEqual({ deadline: s, level: 2, at: endOfLocalDay('2026-03-12') });
  });

  it('gives the interview when the public naming’s limit has ended', () => {
    const s = {
      ...filing(),
      nextLevel: 3,
      letters: [letter(1, 'supervision', '2026-02-27', '2026-03-12'), letter(2, 'public_naming', '2026-03-13', '2026-03-27')],
    };
    expect(nextStep(DEF, CAL, s)).toEqual({ deadline: s, level: 3, at: utc('2026-03-27T16:00:00Z') });
  });

  it('falls back to the due date’s end when no earlier letter set a limit', () => {
    const s = { ...filing(), nextLevel: 2, skippedLevels: [0] };
    expect(nextStep(DEF, CAL, s)?.at).toBe(endOfLocalDay('2026-02-26'));
  });

  it('has nothing after the last level, or for a met deadline', () => {
    expect(nextStep(DEF, CAL, { ...filing(), nextLevel: 4 })).toBeUndefined();
    expect(nextStep(DEF, CAL, { ...filing(), status: 'met', metOn: '2026-02-20' })).toBeUndefined();
  });

  it('stops the half-year report ladder after the supervision letter', () => {
    const report = byId(applyEvent(DEF, CAL, [], {}, 'issued', '2026-01-26'), 'half_year_report#0');
    expect(nextStep(DEF, CAL, { ...report, nextLevel: 1 })?.level).toBe(1);
    expect(nextStep(DEF, CAL, { ...report, nextLevel: 2 })).toBeUndefined();
  });
});

describe('nextWakeAt', () => {
  it('is the earliest step of all open deadlines', () => {
    const list = applyEvent(DEF, CAL, [], {}, 'issued', '2026-01-26');
    expect(nextWakeAt(DEF, CAL, list)).toBe(startOfLocalDay('2026-02-12'));
    const filingLate = list.map((s) => (s.deadlineId === 'filing' ? { ...s, nextLevel: 4 } : s));
    // Half-year report due 2026-07-26 (a Sunday): the reminder 5 working days before, Monday 20 July.
    expect(nextWakeAt(DEF, CAL, filingLate)).toBe(startOfLocalDay('2026-07-20'));
  });

  it('is undefined when nothing is open', () => {
    expect(nextWakeAt(DEF, CAL, [])).toBeUndefined();
    expect(nextWakeAt(DEF, CAL, cancelAll(applyEvent(DEF, CAL, [], {}, 'issued', '2026-01-26')))).toBeUndefined();
  });
});

describe('limitOf', () => {
  it('counts a letter’s working-day limit from its issue date', () => {
    const s = byId(applyEvent(DEF, CAL, [], {}, 'issued', '2026-01-26'), 'filing#0');
    // From Fri 27 Feb: Sat 28 make-up (1), Mon 2 – Fri 6 March (6), Mon 9 – Thu 12 (10).
    expect(limitOf(DEF, CAL, s, 1, '2026-02-27')).toBe('2026-03-12');
    expect(limitOf(DEF, CAL, s, 2, '2026-03-13')).toBe('2026-03-27');
  });

  it('is undefined for levels that set no limit', () => {
    const s = byId(applyEvent(DEF, CAL, [], {}, 'issued', '2026-01-26'), 'filing#0');
    expect(limitOf(DEF, CAL, s, 0, '2026-02-12')).toBeUndefined();
    expect(limitOf(DEF, CAL, s, 3, '2026-03-30')).toBeUndefined();
  });
});

describe('dueOf', () => {
  const base = { id: 'd', label: 'd', source: 'A9', from: { event: 'a' }, metBy: { event: 'b' }, ladder: [] };

  it('counts a cadence in one step when units agree', () => {
    const d: Deadline = DeadlineSchema.parse({ ...base, within: { amount: 1, unit: 'months' }, repeat: { every: { amount: 1, unit: 'months' } } });
    expect([0, 1, 2, 3].map((k) => dueOf(d, '2026-01-31', k, CAL).result)).toEqual(['2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31']);
  });

  it('chains from the previous due date when units differ', () => {
    const d: Deadline = DeadlineSchema.parse({ ...base, within: { amount: 1, unit: 'months' }, repeat: { every: { amount: 10, unit: 'workingDays' } } });
    // From Sun 15 Feb: 16–23 holiday, 24–27 (4), Sat 28 make-up (5), 2–6 March (10); then 9–20 March.
    expect([0, 1, 2].map((k) => dueOf(d, '2026-01-15', k, CAL).result)).toEqual(['2026-02-15', '2026-03-06', '2026-03-20']);
  });

  it('ignores the occurrence for a deadline that does not repeat', () => {
    const d: Deadline = DeadlineSchema.parse({ ...base, within: { amount: 2, unit: 'months' } });
    expect(dueOf(d, '2026-12-31', 5, CAL).result).toBe('2027-02-28');
  });
});

describe('the pilot’s deadlines', () => {
  const pilot: ProcessDefinition = ProcessDefinitionSchema.parse(PILOT);

  it('opens the phase evaluation on the pilot’s start and the summary two months after it ends', () => {
    let list = applyEvent(pilot, CAL, [], {}, 'pilot_started', '2026-03-31');
    expect(list.map((s) => [s.key, s.due])).toEqual([['phase_evaluation#0', '2026-09-30']]);
    list = applyEvent(pilot, CAL, list, {}, 'evaluation_submitted', '2026-09-01');
    list = applyEvent(pilot, CAL, list, {}, 'pilot_ended', '2026-12-31');
    expect(list.map((s) => [s.key, s.due, s.status])).toEqual([
      ['phase_evaluation#0', '2026-09-30', 'met'],
      ['phase_evaluation#1', '2027-03-31', 'open'],
      ['pilot_summary#0', '2027-02-28', 'open'],
    ]);
  });
});
