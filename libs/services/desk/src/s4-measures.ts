import { ITEM_STATUS_LABEL, ItemStatus } from '@reform/definitions';
import type { AssessedPlan, AssessmentRecords } from '@reform/persistence';

/**
 * S4's two quantitative indicators (计划事项按期完成率, 具体改革事项完成率), defined once: the
 * year-end assessment scores them (assessment-compute.ts) and the dashboard shows them
 * (dashboard-desk.ts), both through these functions, so the two figures never differ for the
 * same ledger. Pure: over the records the store read (AssessmentStore.planRecords).
 *
 * - 按期完成率: the deadlines of the plans due in the year up to the day computed (a deadline not
 *   yet met and due that day or later is not yet counted; cancelled ones never); met on
 *   schedule = met, with no letter of that deadline dated after its due date.
 * - 事项完成率: the specific reform items of the plans registered by the end of the window and
 *   not completed before the year began; completed = completed by the end of the window (by
 *   its history of changes; an item without history as the ledger has it now).
 */

/** One record a measure looked at, and what it made of it. */
export interface S4Record {
  type: 'deadline' | 'item';
  id: string;
  label: string;
  date: string | null;
  planId: string;
  planTitle: string;
  outcome: string;
  /** Met on schedule / completed. */
  counts: boolean;
}

export interface S4Measure {
  /** Records that count for the unit (met on schedule, completed). */
  met: number;
  /** Every record looked at. */
  counted: number;
  records: S4Record[];
}

/** The window of a year's measures: the year's first day and the last day counted. */
export interface S4Window {
  from: string;
  /** The day computed, or the year's end once it has passed. */
  to: string;
}

/** A year's window as computed on `today`. */
export function s4Window(year: number, today: string): S4Window {
  const yearEnd = `${year}-12-31`;
  return { from: `${year}-01-01`, to: yearEnd < today ? yearEnd : today };
}

const measure = (records: S4Record[]): S4Measure => ({ met: records.filter((r) => r.counts).length, counted: records.length, records });

/** 按期完成率 (S4): the plans' deadlines due in the window, and whether each was met on schedule. */
export function onScheduleMeasure(plans: readonly AssessedPlan[], w: S4Window): S4Measure {
  const out: S4Record[] = [];
  for (const p of plans) {
    for (const d of p.deadlines) {
      if (d.status === 'cancelled' || d.due < w.from || d.due > w.to) continue;
      if (d.status !== 'done' && d.due >= w.to) continue;
      const late = p.letters.filter((l) => l.deadlineKey === d.key && l.date > d.due);
      const met = d.status === 'done' && !late.length;
      const outcome = met ? '按期完成' : d.status === 'done' ? `逾期后完成(${late.map((l) => l.number).join('、')})` : '逾期未完成';
      out.push({ type: 'deadline', id: d.key, label: d.label, date: d.due, planId: p.planId, planTitle: p.title, outcome, counts: met });
    }
  }
  return measure(out);
}

/** 事项完成率 (S4): the plans' specific reform items of the window, and whether each was completed by its end. */
export function completionMeasure(plans: readonly AssessedPlan[], records: Pick<AssessmentRecords, 'items' | 'itemChanges'>, w: S4Window): S4Measure {
  const planTitle = new Map(plans.map((p) => [p.planId, p.title]));
  const dayBefore = `${Number(w.from.slice(0, 4)) - 1}-12-31`;
  const changes = new Map<string, AssessmentRecords['itemChanges']>();
  for (const c of records.itemChanges) {
    if (!planTitle.has(c.planId)) continue;
    const key = `${c.planId}\u0000${c.itemId}`;
    const list = changes.get(key) ?? [];
    list.push(c);
    changes.set(key, list);
  }
  const out: S4Record[] = [];
  for (const item of records.items) {
    const title = planTitle.get(item.planId);
    if (title === undefined) continue;
    const list = (changes.get(`${item.planId}\u0000${item.itemId}`) ?? []).slice().sort((a, b) => a.seq - b.seq);
    const at = (date: string) => list.filter((c) => c.businessDate <= date).pop();
    let status: string;
    let date: string | null = null;
    if (list.length) {
      if (list[0].businessDate > w.to) continue;
      if (at(dayBefore)?.statusAfter === 'completed') continue;
      const last = at(w.to);
      status = last?.statusAfter ?? 'not_started';
      date = last?.businessDate ?? null;
    } else status = item.status;
    const done = status === 'completed';
    out.push({ type: 'item', id: item.itemId, label: item.title, date, planId: item.planId, planTitle: title, outcome: ITEM_STATUS_LABEL[status as ItemStatus] ?? status, counts: done });
  }
  return measure(out);
}

/** A rate in per cent with one decimal, as the dashboard shows it; null with nothing counted. */
export const percentOf = (m: Pick<S4Measure, 'met' | 'counted'>): number | null => (m.counted ? Math.round((m.met * 1000) / m.counted) / 10 : null);
