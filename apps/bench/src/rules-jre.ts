import { addDays, HolidayCalendar, LocalDate, shiftedDate } from '@reform/calendar';
import { Condition, Deadline, LetterKind, ProcessDefinition } from '@reform/definitions';
import { Almanac, Engine, RuleProperties, TopLevelCondition } from 'json-rules-engine';
import { dueOf } from '@reform/machine';
import type { Answer, DeadlineAnswer, PlanSnapshot } from './rules-model';

/**
 * The same rules for json-rules-engine (7.x), generated from the compiled definition:
 *
 * - per deadline, a rule "<id>:status" whose conditions are the deadline's `when` on the
 *   attributes fact (as JRE all/any/not conditions, one `equal true` per attribute) and "the
 *   from-event is recorded" (custom operator `recorded` on the events fact);
 * - per ladder level, a rule "<id>:<level>" with the same conditions, plus `deadline.open equal
 *   true` and `ladder(level) equal {fact: today}`: the letter falls due today.
 *
 * JRE has no date arithmetic, so the dates come from dynamic facts written in JavaScript that
 * read the deadline definition on each call (interpreted, not compiled): `deadline` (anchor,
 * occurrences met, open, due) and `ladder` (each level's issue day up to today). They count with
 * the engine's own functions (dueOf, shiftedDate: the calendar's day table in libs/model/calendar). JRE caches fact values
 * per run, so each is computed at most once per snapshot. Tuning in JRE's favour: a plain
 * property path resolver instead of its default JSONPath one.
 */
type NestedCondition = Extract<TopLevelCondition, { all: unknown }>['all'][number];

export interface JreRules {
  engine: Engine;
  rules: RuleProperties[];
}

const pathResolver = (value: object, path: string): unknown => {
  let v: unknown = value;
  for (const key of path.slice(2).split('.')) {
    if (v === null || v === undefined) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
};

function conditionFor(c: Condition): NestedCondition {
  if ('attr' in c) return { fact: 'attributes', path: `$.${c.attr}`, operator: 'equal', value: true };
  if ('not' in c) return { not: conditionFor(c.not) };
  if ('all' in c) return { all: c.all.map(conditionFor) };
  return { any: c.any.map(conditionFor) };
}

interface DeadlineFact {
  open: boolean;
  occurrence: number;
  due: LocalDate;
  opened: LocalDate;
}

export function jreRules(def: ProcessDefinition): RuleProperties[] {
  const rules: RuleProperties[] = [];
  for (const d of def.deadlines) {
    // Priority 2 runs first; in an `all`, JRE skips the lower priorities once one has failed, so
    // the date facts are computed only for deadlines that apply and have started.
    const base = (): NestedCondition[] => [
      ...(d.when ? [{ ...conditionFor(d.when), priority: 2 }] : []),
      { fact: 'events', path: `$.${d.from.event}`, operator: 'recorded', value: true, priority: 2 },
    ];
    rules.push({ name: `${d.id}:status`, conditions: { all: base() } as TopLevelCondition, event: { type: 'deadline', params: { deadline: d.id } } });
    d.ladder.forEach((level, i) => {
      rules.push({
        name: `${d.id}:${i}`,
        conditions: {
          all: [
            ...base(),
            { fact: 'deadline', params: { deadline: d.id }, path: '$.open', operator: 'equal', value: true, priority: 1 },
            { fact: 'ladder', params: { deadline: d.id, level: i }, operator: 'equal', value: { fact: 'today' }, priority: 0 },
          ],
        } as TopLevelCondition,
        event: { type: 'letter', params: { deadline: d.id, level: i, kind: level.kind } },
      });
    });
  }
  return rules;
}

export function jreEngine(def: ProcessDefinition, calendar: HolidayCalendar): JreRules {
  const rules = jreRules(def);
  const engine = new Engine(rules, { allowUndefinedFacts: true, pathResolver });
  const byId = new Map<string, Deadline>(def.deadlines.map((d) => [d.id, d]));
  engine.addOperator('recorded', (value: unknown, expected: boolean) => (Array.isArray(value) && value.length > 0) === expected);

  engine.addFact('deadline', async (params: Record<string, unknown>, almanac: Almanac): Promise<DeadlineFact> => {
    const d = byId.get(params.deadline as string)!;
    const events = await almanac.factValue<Record<string, LocalDate[]>>('events');
    const anchor = events[d.from.event][0];
    let met = 0;
    let opened = anchor;
    for (const m of events[d.metBy.event] ?? []) {
      if (m >= anchor) {
        met++;
        opened = m;
      }
    }
    const occurrence = d.repeat ? met : 0;
    if (occurrence === 0) opened = anchor;
    return { open: !!d.repeat || met === 0, occurrence, due: dueOf(d, anchor, occurrence, calendar).result, opened };
  });

  // Issue day of every level up to the first one after today (later ones: null); skipped: null.
  engine.addFact('ladderDays', async (params: Record<string, unknown>, almanac: Almanac): Promise<Array<LocalDate | null>> => {
    const d = byId.get(params.deadline as string)!;
    const s = await almanac.factValue<DeadlineFact>('deadline', { deadline: d.id });
    const today = await almanac.factValue<LocalDate>('today');
    const days: Array<LocalDate | null> = d.ladder.map(() => null);
    let lastLimit: LocalDate | undefined;
    for (let i = 0; i < d.ladder.length; i++) {
      const level = d.ladder[i];
      const t = level.trigger;
      const moment = t.type === 'beforeDue' ? shiftedDate(s.due, t.offset, 'before', calendar) : addDays(t.type === 'dueEnded' ? s.due : (lastLimit ?? s.due), 1);
      const issued = moment > s.opened ? moment : s.opened;
      if (issued > today) break;
      if (t.type === 'beforeDue' && issued > s.due) continue;
      days[i] = issued;
      lastLimit = level.limit ? shiftedDate(issued, level.limit, 'after', calendar) : undefined;
    }
    return days;
  });

  engine.addFact('ladder', async (params: Record<string, unknown>, almanac: Almanac): Promise<LocalDate | null> => {
    const days = await almanac.factValue<Array<LocalDate | null>>('ladderDays', { deadline: params.deadline });
    return days[params.level as number];
  });
  return { engine, rules };
}

/** One run of the engine on a snapshot, read back into the common answer. */
export async function evaluateJre(jre: JreRules, order: Map<string, number>, snap: PlanSnapshot): Promise<Answer> {
  const { events, almanac } = await jre.engine.run({ attributes: snap.attributes, events: snap.events, today: snap.today });
  const found: Array<DeadlineAnswer & { levels: Array<[number, LetterKind]> }> = [];
  for (const e of events) {
    if (e.type !== 'deadline') continue;
    const id = e.params!.deadline as string;
    const s = await almanac.factValue<DeadlineFact>('deadline', { deadline: id });
    found.push({ id, open: s.open, occurrence: s.occurrence, due: s.due, letters: [], levels: [] });
  }
  for (const e of events) {
    if (e.type !== 'letter') continue;
    found.find((f) => f.id === e.params!.deadline)!.levels.push([e.params!.level as number, e.params!.kind as LetterKind]);
  }
  found.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return found.map(({ levels, ...rest }) => ({ ...rest, letters: levels.sort((a, b) => a[0] - b[0]).map((l) => l[1]) }));
}
