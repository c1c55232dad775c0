import { addDays, Duration, fromParts, HolidayCalendar, MonthDay, shiftedDate } from '@reform/calendar';
import { Condition, Deadline, LetterKind, ProcessDefinition } from '@reform/definitions';
import { ZenDecision, ZenEngine } from '@gorules/zen-engine';
import type { Answer, PlanSnapshot } from './rules-model';

/**
 * The same rules as a GoRules JDM decision graph, generated from the compiled definition and
 * evaluated by @gorules/zen-engine (Rust, through N-API):
 *
 *   input → calendar (expression node: the holiday and make-up day lists, as literals)
 *         → one expression node per deadline (output under dl.<id>)
 *         → answer (expression node: the list of deadline answers) → output
 *
 * Each deadline node is a sequence of expressions (later ones read earlier ones as `$.key`): the
 * `when` condition on the attributes, the anchor, the occurrences met, open, the due date, and for
 * each ladder level its moment, its issue day (the later of the moment and the day the occurrence
 * opened), whether it is a stale reminder, whether it falls today, and the limit it sets. Zen
 * does the date arithmetic itself: months with its date functions (d(x).add(6, 'M') clamps to
 * the month's end like the library), calendar dates with string building, and working days by
 * listing the next N days and keeping those that are weekdays and not holidays, or make-up days;
 * N is the longest span of that many working days in the table's years (plus a margin), found
 * at translation. Years with no holiday data count weekends only, as the library does. Nothing
 * date-like is precomputed per snapshot: zen gets the raw snapshot.
 */
const F = `'%Y-%m-%d'`;

function zenCondition(c: Condition): string {
  if ('attr' in c) return `attributes.${c.attr} == true`;
  if ('not' in c) return `not (${zenCondition(c.not)})`;
  const parts = ('all' in c ? c.all : c.any).map(zenCondition);
  return parts.length === 1 ? parts[0] : `(${parts.join('all' in c ? ' and ' : ' or ')})`;
}

interface Translation {
  H: string[];
  M: string[];
  /** Calendar days to list for n working days. */
  window: (n: number) => number;
}

function shiftExpr(x: string, d: Duration, direction: 'after' | 'before', t: Translation): string {
  const sign = direction === 'after' ? 1 : -1;
  switch (d.unit) {
    case 'days':
      return `d(${x}).add(${sign * d.amount}, 'd').format(${F})`;
    case 'months':
      return `d(${x}).add(${sign * d.amount}, 'M').format(${F})`;
    case 'years':
      return `d(${x}).add(${sign * 12 * d.amount}, 'M').format(${F})`;
    case 'workingDays': {
      if (d.amount === 0) return x;
      const days = `map([1..${t.window(d.amount)}], d(${x}).add(${sign} * #, 'd').format(${F}))`;
      return `filter(${days}, (d(#).weekday() < 6 and # not in H) or # in M)[${d.amount - 1}]`;
    }
  }
}

function nextOnExpr(x: string, on: MonthDay): string {
  if (on.month === 2 && on.day === 29) throw new Error('zen translation: 2月29日 is not supported');
  const md = `-${String(on.month).padStart(2, '0')}-${String(on.day).padStart(2, '0')}`;
  const thisYear = `string(d(${x}).year()) + '${md}'`;
  return `d(${thisYear}) > d(${x}) ? ${thisYear} : string(d(${x}).year() + 1) + '${md}'`;
}

/** Repeats counted from the previous due date are unrolled up to this many occurrences. */
export const ZEN_MAX_OCCURRENCE = 8;

function deadlineExpressions(d: Deadline, t: Translation): Array<[string, string]> {
  const e: Array<[string, string]> = [];
  const repeat = !!d.repeat;
  e.push(['applies', d.when ? zenCondition(d.when) : 'true']);
  e.push(['anchor', `$.applies ? events.${d.from.event}[0] : null`]);
  e.push(['metd', `$.anchor != null ? filter(events.${d.metBy.event} ?? [], d(#) >= d($.anchor)) : []`]);
  e.push(['n', 'len($.metd)']);
  e.push(['open', repeat ? '$.anchor != null' : '$.anchor != null and $.n == 0']);
  e.push(['occ', repeat ? '$.n' : '0']);
  e.push(['opened', '$.occ == 0 ? $.anchor : $.metd[$.occ - 1]']);
  // The due date (dueOf).
  e.push(['start', d.from.after ? `$.anchor != null ? ${shiftExpr('$.anchor', d.from.after, 'after', t)} : null` : '$.anchor']);
  const first = d.within ? shiftExpr('$.start', d.within, 'after', t) : nextOnExpr('$.start', d.byDate!);
  const w = d.within;
  if (!d.repeat) {
    e.push(['due', `$.anchor != null ? ${first} : null`]);
  } else if (w && !d.from.after && d.repeat.every.unit === w.unit && w.unit !== 'workingDays') {
    const [per, unit] = w.unit === 'days' ? [1, 'd'] : w.unit === 'months' ? [1, 'M'] : [12, 'M'];
    e.push(['due', `$.anchor != null ? d($.anchor).add(${per} * (${w.amount} + $.occ * ${d.repeat.every.amount}), '${unit}').format(${F}) : null`]);
  } else {
    e.push(['due0', `$.anchor != null ? ${first} : null`]);
    for (let j = 1; j <= ZEN_MAX_OCCURRENCE; j++) e.push([`due${j}`, `$.anchor != null and $.occ >= ${j} ? ${shiftExpr(`$.due${j - 1}`, d.repeat.every, 'after', t)} : null`]);
    e.push(['due', `[${Array.from({ length: ZEN_MAX_OCCURRENCE + 1 }, (_, j) => `$.due${j}`).join(', ')}][$.occ]`]);
  }
  // The ladder, level by level, up to the first level whose issue day is after today.
  e.push(['go0', '$.open']);
  e.push(['lim_', 'null']);
  d.ladder.forEach((level, i) => {
    const tr = level.trigger;
    const prevLim = i === 0 ? '$.lim_' : `$.last${i - 1}`;
    const moment =
      tr.type === 'beforeDue'
        ? shiftExpr('$.due', tr.offset, 'before', t)
        : tr.type === 'dueEnded'
          ? `d($.due).add(1, 'd').format(${F})`
          : `d(${prevLim} ?? $.due).add(1, 'd').format(${F})`;
    e.push([`m${i}`, `$.go${i} ? ${moment} : null`]);
    e.push([`f${i}`, `$.go${i} ? (d($.m${i}) > d($.opened) ? $.m${i} : $.opened) : null`]);
    e.push([`go${i + 1}`, `$.go${i} and d($.f${i}) <= d(today)`]);
    e.push([`sent${i}`, tr.type === 'beforeDue' ? `$.go${i + 1} and d($.f${i}) <= d($.due)` : `$.go${i + 1}`]);
    e.push([`k${i}`, `$.sent${i} and $.f${i} == today ? '${level.kind}' : null`]);
    const needed = d.ladder.slice(i + 1).some((l) => l.trigger.type === 'previousLimitEnded');
    const lim = level.limit && needed ? shiftExpr(`$.f${i}`, level.limit, 'after', t) : 'null';
    e.push([`last${i}`, `$.sent${i} ? ${lim} : ${prevLim}`]);
  });
  const letters = `filter([${d.ladder.map((_, i) => `$.k${i}`).join(', ')}], # != null)`;
  e.push(['answer', `$.anchor != null ? {id: '${d.id}', open: $.open, occurrence: $.occ, due: $.due, letters: ${letters}} : null`]);
  return e;
}

export interface ZenGraph {
  nodes: Array<Record<string, unknown>>;
  edges: Array<{ id: string; sourceId: string; targetId: string; type: 'edge' }>;
}

/** Holiday and make-up day lists, and the working-day window, from the calendar the plans count with. */
/** The years the working-day window is measured over: the snapshots' dates and their deadlines fall in them. */
const WINDOW_YEARS = { from: 2020, to: 2040 };

/** Holiday and make-up day lists, and the working-day window, from the calendar the plans count with. */
export function zenTranslation(calendar: HolidayCalendar): Translation {
  const H: string[] = [];
  for (const y of calendar.years) for (const h of y.holidays) for (let x = h.from; x <= h.to; x = addDays(x, 1)) H.push(x);
  const M = calendar.years.flatMap((y) => y.workdays.map((w) => w.date));
  const spans = new Map<number, number>();
  const window = (n: number) => {
    let span = spans.get(n);
    if (span === undefined) {
      // The longest run of calendar days holding n working days, after or before any day of the span.
      span = 0;
      const last = fromParts({ year: WINDOW_YEARS.to, month: 11, day: 1 });
      for (let day = fromParts({ year: WINDOW_YEARS.from, month: 1, day: 31 }); day < last; day = addDays(day, 1)) {
        const after = shiftedDate(day, { unit: 'workingDays', amount: n }, 'after', calendar);
        const before = shiftedDate(day, { unit: 'workingDays', amount: n }, 'before', calendar);
        span = Math.max(span, dayDiff(day, after), dayDiff(before, day));
      }
      span += 3;
      spans.set(n, span);
    }
    return span;
  };
  return { H, M, window };
}

const dayDiff = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);

export function zenGraph(def: ProcessDefinition, t: Translation): ZenGraph {
  const node = (id: string, type: string, content?: Record<string, unknown>, x = 0) => ({ id, name: id, type, position: { x, y: 0 }, ...(content ? { content } : {}) });
  const expressions = (id: string, list: Array<[string, string]>) => list.map(([key, value], i) => ({ id: `${id}-${i}`, key, value }));
  const lit = (xs: string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;
  const nodes: ZenGraph['nodes'] = [
    node('input', 'inputNode'),
    node('calendar', 'expressionNode', { expressions: expressions('calendar', [['H', lit(t.H)], ['M', lit(t.M)]]), passThrough: true }, 200),
  ];
  const edges: ZenGraph['edges'] = [{ id: 'input-calendar', sourceId: 'input', targetId: 'calendar', type: 'edge' }];
  for (const d of def.deadlines) {
    nodes.push(node(d.id, 'expressionNode', { expressions: expressions(d.id, deadlineExpressions(d, t)), passThrough: false, outputPath: `dl.${d.id}` }, 400));
    edges.push({ id: `calendar-${d.id}`, sourceId: 'calendar', targetId: d.id, type: 'edge' });
    edges.push({ id: `${d.id}-answer`, sourceId: d.id, targetId: 'answer', type: 'edge' });
  }
  const answers = `filter([${def.deadlines.map((d) => `dl.${d.id}.answer`).join(', ')}], # != null)`;
  nodes.push(node('answer', 'expressionNode', { expressions: expressions('answer', [['deadlines', answers]]) }, 600));
  nodes.push(node('output', 'outputNode', undefined, 800));
  edges.push({ id: 'answer-output', sourceId: 'answer', targetId: 'output', type: 'edge' });
  return { nodes, edges };
}

export interface ZenRules {
  engine: ZenEngine;
  decision: ZenDecision;
  graph: ZenGraph;
}

export function zenRules(def: ProcessDefinition, calendar: HolidayCalendar): ZenRules {
  const graph = zenGraph(def, zenTranslation(calendar));
  const engine = new ZenEngine();
  const decision = engine.createDecision(graph);
  return { engine, decision, graph };
}

interface ZenDeadline {
  id: string;
  open: boolean;
  occurrence: number;
  due: string;
  letters: LetterKind[];
}

/** One evaluation, read back into the common answer (fields in the common order). */
export async function evaluateZen(zen: ZenRules, snap: PlanSnapshot): Promise<Answer> {
  const res = await zen.decision.evaluate(snap);
  return (res.result.deadlines as ZenDeadline[]).map((d) => ({ id: d.id, open: d.open, occurrence: d.occurrence, due: d.due, letters: d.letters }));
}
