import { ITEM_STATUS_LABEL, ItemStatus } from '@reform/definitions';
import type { AssessmentEvaluationRow, AssessmentRecords, RedListRow } from '@reform/persistence';
import type { AssessmentScheme, SchemeIndicator } from '@reform/rules';

/**
 * The year-end assessment's arithmetic (S4, A14, A15, Y12–Y15): pure, over the records the store
 * read. Every indicator's score comes with the records it counted and the sum that made it, so
 * a reader recomputes each point by hand (可核查、可量化). The rules (docs/assessment.md):
 * - 按期完成率: the deadlines of the plans the subject leads (an area: the plans of its region) due
 *   in the year up to the day computed; met on schedule = met, with no letter of that deadline
 *   dated after its due date. Score = points × met / counted.
 * - 事项完成率: the specific reform items of those plans registered by the year's end and not
 *   completed before it began; completed = completed by the year's end. Score = points × completed / counted.
 * - letters (督办函, 点名通报, 约谈 …): those addressed (主送) to the subject (an area: to any unit in
 *   it) issued in the year. Score = points − per letter × letters, not below 0.
 * - 问题按期整改率: the problems the subject rectifies whose limit falls in the year (and has
 *   passed, or that are cancelled); on time = cancelled with no 点名通报 or 约谈 drawn. Score = points × on time / counted.
 * - 第三方评估: the average of the scores the office entered (out of 100). Score = points × average / 100.
 * - 红榜: the points when the subject is on the published red list of the year, else 0 (a bonus).
 * A rate or evaluation with nothing to count scores full points, and says so.
 */

export interface AssessmentSubject {
  type: 'unit' | 'region';
  id: string;
  name: string;
  /** A unit's region, or the area's own path: an area's records are those under it. */
  regionPath: string;
}

export type TraceRecordType = 'deadline' | 'item' | 'letter' | 'problem' | 'evaluation' | 'red_list';

/** One record an indicator looked at, and what it made of it. */
export interface TraceRecord {
  type: TraceRecordType;
  id: string;
  label: string;
  date: string | null;
  planId?: string;
  planTitle?: string;
  outcome: string;
  /** Whether it counts for the subject (met, completed, deducted, listed); false for a record counted against it. */
  counts: boolean;
}

export interface IndicatorScore {
  id: string;
  title: string;
  ruleId: string;
  points: number;
  measure: string;
  score: number;
  /** The sum, as written on the trace: 30 × 3/4 = 22.5. */
  formula: string;
  records: TraceRecord[];
}

export interface SubjectScore {
  subject: AssessmentSubject;
  total: number;
  fullMarks: number;
  indicators: IndicatorScore[];
}

export interface AssessmentInput {
  scheme: AssessmentScheme;
  year: number;
  /** The last day whose records count: the year's end, or today during the year. */
  asOf: string;
  units: AssessmentSubject[];
  areas: AssessmentSubject[];
  records: AssessmentRecords;
  /** The region path of each unit of the level's subtree (letters and problems of an area). */
  unitPaths: Map<string, string>;
  evaluations: AssessmentEvaluationRow[];
  /** Published entries only. */
  redList: RedListRow[];
}

export const MEASURE_LABEL: Record<SchemeIndicator['measure']['type'], string> = {
  on_schedule_rate: '按期完成率',
  completion_rate: '事项完成率',
  problems_on_time: '问题按期整改率',
  third_party: '第三方评估',
  red_list: '红榜',
  letters: '函件扣分',
};

export const LETTER_KIND_LABEL: Record<string, string> = { reminder: '提醒函', supervision: '督办函', rectification: '整改意见书', public_naming: '点名通报', interview: '约谈' };

/** To the cent, half away from zero (scores are written with at most two decimals). */
export const round2 = (x: number): number => Math.sign(x) * Math.round(Math.abs(x) * 100 + 1e-9) / 100;
const num = (x: number) => String(round2(x));

function rate(points: number, met: number, counted: number): { score: number; formula: string } {
  if (!counted) return { score: points, formula: `本年度无可计记录,按满分计:${num(points)}` };
  const score = round2((points * met) / counted);
  return { score, formula: `${num(points)} × ${met}/${counted} = ${num(score)}` };
}

export function computeAssessment(input: AssessmentInput): { units: SubjectScore[]; areas: SubjectScore[] } {
  const { scheme, year, asOf, records } = input;
  const from = `${year}-01-01`;
  const yearEnd = `${year}-12-31`;
  const to = yearEnd < asOf ? yearEnd : asOf;
  const dayBefore = `${year - 1}-12-31`;
  const under = (s: AssessmentSubject, unitId: string) => (s.type === 'unit' ? unitId === s.id : (input.unitPaths.get(unitId) ?? '').startsWith(s.regionPath));

  const score = (s: AssessmentSubject): SubjectScore => {
    const plans = records.plans.filter((p) => (s.type === 'unit' ? p.leadUnitId === s.id : p.regionPath.startsWith(s.regionPath)));
    const planIds = new Set(plans.map((p) => p.planId));
    const planTitle = new Map(plans.map((p) => [p.planId, p.title]));
    const indicators = scheme.indicators.map((ind): IndicatorScore => {
      const base = { id: ind.id, title: ind.title, ruleId: ind.ruleId, points: ind.points, measure: ind.measure.type === 'letters' ? `${LETTER_KIND_LABEL[ind.measure.letter]}扣分` : MEASURE_LABEL[ind.measure.type] };
      const m = ind.measure;
      switch (m.type) {
        case 'on_schedule_rate': {
          const out: TraceRecord[] = [];
          for (const p of plans) {
            for (const d of p.deadlines) {
              if (d.status === 'cancelled' || d.due < from || d.due > to) continue;
              if (d.status !== 'done' && d.due >= asOf) continue;
              const late = p.letters.filter((l) => l.deadlineKey === d.key && l.date > d.due);
              const met = d.status === 'done' && !late.length;
              const outcome = met ? '按期完成' : d.status === 'done' ? `逾期后完成(${late.map((l) => l.number).join('、')})` : '逾期未完成';
              out.push({ type: 'deadline', id: d.key, label: d.label, date: d.due, planId: p.planId, planTitle: p.title, outcome, counts: met });
            }
          }
          return { ...base, ...rate(ind.points, out.filter((r) => r.counts).length, out.length), records: out };
        }
        case 'completion_rate': {
          const out: TraceRecord[] = [];
          const changes = new Map<string, AssessmentRecords['itemChanges']>();
          for (const c of records.itemChanges) {
            if (!planIds.has(c.planId)) continue;
            const key = `${c.planId}\u0000${c.itemId}`;
            const list = changes.get(key) ?? [];
            list.push(c);
            changes.set(key, list);
          }
          for (const item of records.items) {
            if (!planIds.has(item.planId)) continue;
            const list = (changes.get(`${item.planId}\u0000${item.itemId}`) ?? []).slice().sort((a, b) => a.seq - b.seq);
            const at = (date: string) => list.filter((c) => c.businessDate <= date).pop();
            let status: string;
            let date: string | null = null;
            if (list.length) {
              if (list[0].businessDate > to) continue;
              if (at(dayBefore)?.statusAfter === 'completed') continue;
              const last = at(to);
              status = last?.statusAfter ?? 'not_started';
              date = last?.businessDate ?? null;
            } else status = item.status;
            const done = status === 'completed';
            out.push({ type: 'item', id: item.itemId, label: item.title, date, planId: item.planId, planTitle: planTitle.get(item.planId), outcome: ITEM_STATUS_LABEL[status as ItemStatus] ?? status, counts: done });
          }
          return { ...base, ...rate(ind.points, out.filter((r) => r.counts).length, out.length), records: out };
        }
        case 'letters': {
          const seen = new Set<string>();
          const out: TraceRecord[] = [];
          for (const l of records.letters) {
            if (l.kind !== m.letter || seen.has(l.id) || !under(s, l.unitId)) continue;
            seen.add(l.id);
            out.push({ type: 'letter', id: l.id, label: `${l.number} ${l.subject}`, date: l.issuedOn, outcome: `扣 ${num(m.perLetter)} 分`, counts: false });
          }
          const raw = ind.points - m.perLetter * out.length;
          const result = round2(Math.max(0, raw));
          const formula = !out.length ? `未收到${LETTER_KIND_LABEL[m.letter]},不扣分:${num(ind.points)}` : raw < 0 ? `${num(ind.points)} − ${num(m.perLetter)} × ${out.length} < 0,扣完为止:0` : `${num(ind.points)} − ${num(m.perLetter)} × ${out.length} = ${num(result)}`;
          return { ...base, score: result, formula, records: out };
        }
        case 'problems_on_time': {
          const out: TraceRecord[] = [];
          for (const p of records.problems) {
            if (!under(s, p.unitId)) continue;
            if (p.status !== 'cancelled' && p.limitDate >= asOf) continue;
            const onTime = p.status === 'cancelled' && !p.ladder.length;
            const outcome = onTime ? '按期整改销号' : p.ladder.length ? `逾期(${p.ladder.map((l) => `${LETTER_KIND_LABEL[l.kind] ?? l.kind} ${l.number}`).join('、')})` : '未整改销号';
            out.push({ type: 'problem', id: p.id, label: `${p.number} ${p.description}`, date: p.limitDate, outcome, counts: onTime });
          }
          return { ...base, ...rate(ind.points, out.filter((r) => r.counts).length, out.length), records: out };
        }
        case 'third_party': {
          const mine = input.evaluations.filter((e) => e.targetType === s.type && e.targetId === s.id);
          const out: TraceRecord[] = mine.map((e) => ({ type: 'evaluation', id: e.id, label: `${e.subject}(${e.evaluator})`, date: e.enteredAt.slice(0, 10), outcome: `${num(e.scoreCenti / 100)} 分`, counts: true }));
          if (!mine.length) return { ...base, score: ind.points, formula: `本年度未列入第三方评估,按满分计:${num(ind.points)}`, records: out };
          const sum = mine.reduce((t, e) => t + e.scoreCenti, 0);
          const result = round2((ind.points * sum) / (100 * 100 * mine.length));
          const average = mine.length === 1 ? num(sum / 100) : `(${mine.map((e) => num(e.scoreCenti / 100)).join(' + ')})/${mine.length}`;
          return { ...base, score: result, formula: `${num(ind.points)} × ${average}/100 = ${num(result)}`, records: out };
        }
        case 'red_list': {
          const mine = input.redList.filter((e) => e.targetType === s.type && e.targetId === s.id);
          const out: TraceRecord[] = mine.map((e) => ({ type: 'red_list', id: e.id, label: e.reason, date: (e.publishedAt ?? e.addedAt).slice(0, 10), outcome: '上榜', counts: true }));
          const result = mine.length ? ind.points : 0;
          return { ...base, score: result, formula: mine.length ? `上红榜,加 ${num(ind.points)} 分` : '未上红榜:0', records: out };
        }
      }
    });
    const total = round2(indicators.reduce((t, i) => t + i.score, 0));
    return { subject: s, total, fullMarks: scheme.fullMarks, indicators };
  };
  return { units: input.units.map(score), areas: input.areas.map(score) };
}
