import type { LocalDate } from '@reform/calendar';
import { LetterKind, ProcessDefinition, ProcessDefinitionSchema } from '@reform/definitions';

/**
 * A procedure made for letter tests: one deadline, a day after the plan is registered, and a
 * four-letter ladder, each letter setting a one-day limit for the next. Nothing meets the
 * deadline but the lead unit's report, so a plan left alone gets every letter of the ladder.
 */
export const LETTER_DRILL: ProcessDefinition = ProcessDefinitionSchema.parse({
  id: 'letter_drill',
  version: 1,
  title: '函件演练',
  source: 'Y9',
  roles: [
    { id: 'lead_unit', label: '牵头单位', addressee: { plan: 'leadUnit' } },
    { id: 'special_group', label: '专项小组', addressee: { plan: 'specialGroup' } },
  ],
  events: [
    { id: 'assigned', label: '任务交办' },
    { id: 'reported', label: '报送落实情况' },
  ],
  startEvents: ['assigned'],
  stages: [
    { id: 'implementing', label: '落实', actions: [{ id: 'report', label: '报送落实情况', roles: ['lead_unit'], records: ['reported'], to: 'closed' }] },
    { id: 'closed', label: '办结', final: true },
  ],
  deadlines: [
    {
      id: 'report',
      label: '报送落实情况',
      source: 'Y9',
      from: { event: 'assigned' },
      within: { amount: 1, unit: 'days' },
      metBy: { event: 'reported' },
      ladder: [
        { kind: 'supervision', trigger: { type: 'dueEnded' }, to: ['lead_unit'], cc: ['special_group'], limit: { amount: 1, unit: 'days' }, source: 'Y9' },
        { kind: 'rectification', trigger: { type: 'previousLimitEnded' }, to: ['lead_unit'], limit: { amount: 1, unit: 'days' }, source: 'Y9' },
        { kind: 'public_naming', trigger: { type: 'previousLimitEnded' }, to: ['lead_unit'], limit: { amount: 1, unit: 'days' }, source: 'A13' },
        { kind: 'interview', trigger: { type: 'previousLimitEnded' }, to: ['lead_unit'], source: 'A13' },
      ],
    },
  ],
});

/** A date some calendar days later, counted here rather than by the calendar code under test. */
export function daysAfter(date: LocalDate, days: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The deadline occurrence every drill plan has: the first (and only) one of `report`. */
export const DRILL_DEADLINE_KEY = 'report#0';

/**
 * The letters a drill plan registered on `registeredOn` has once the ladder has run, written
 * from the definition above: due the next day; the supervision letter when that day has ended
 * (issued the day after); each later letter when the one-day limit of the previous has ended,
 * so two days after it.
 */
export function drillLadder(registeredOn: LocalDate): Array<{ level: number; kind: LetterKind; issuedOn: LocalDate }> {
  const kinds: LetterKind[] = ['supervision', 'rectification', 'public_naming', 'interview'];
  return kinds.map((kind, level) => ({ level, kind, issuedOn: daysAfter(registeredOn, 2 + 2 * level) }));
}

