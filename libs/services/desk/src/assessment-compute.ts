import type { AssessmentEvaluationRow, AssessmentRecords, RedListRow } from '@reform/persistence';
import type { AssessmentScheme, SchemeIndicator } from '@reform/rules';
import { completionMeasure, onScheduleMeasure, s4Window } from './s4-measures';

/**
 * The year-end assessment's arithmetic (S4, A14, A15, Y12–Y15): pure, over the records the store
 * read. Every indicator's score comes with the records it counted and the sum that made it, so
 * a reader recomputes each point by hand (可核查、可量化). The rules (docs/assessment.md):
 * - 按期完成率 and 事项完成率 (S4): as s4-measures.ts defines them (the dashboard shows the same
 *   figures), over the plans the subject leads (an area: the plans of its region).
 *   Score = points × met / counted.
 * - letters (督办函, 点名通报, 约谈 …): those addressed (主送) to the subject (an area: to any unit in
 *   it) issued in the year. Score = points − per letter × letters, not below 0.
 * - 问题按期整改率: the problems the subject rectifies whose limit falls in the year (and has
 *   passed, or that are cancelled); on time = cancelled with no 点名通报 or 约谈 drawn. Score = points × on time / counted.
 * - 第三方评估: the average of the scores the office entered (out of 100). Score = points × average / 100.
 * - 红榜: the points when the subject is on the published red list of the year, else 0 (a bonus).
 * A rate or evaluation with nothing to count scores full points, and says so.
 *
 * And who is named (通报, H7: 对于改革考核不达标、评估不合格的单位给予通报问责): a unit or area
 * with a deadline of the year not met on schedule (S4's measure: overdue, or met only after its
 * due date), or with a third-party evaluation below EVALUATION_PASS_SCORE (评估不合格, Y12, H5);
 * each named with the records that put it there.
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

/** The rule the naming rests on. */
export const NAMING_RULE_ID = 'H7';
/** A third-party evaluation scored below this (of 100) is failed (不合格, H7). */
export const EVALUATION_PASS_SCORE = 60;

/** Why a subject is named: one rule broken and the records that broke it. */
export interface NamingReason {
  ruleId: string;
  reason: string;
  records: TraceRecord[];
}

/** A unit or area named in the assessment's results (通报, H7). */
export interface NamedSubject {
  subject: AssessmentSubject;
  ruleId: string;
  reasons: NamingReason[];
}

export interface AssessmentResult {
  units: SubjectScore[];
  areas: SubjectScore[];
  /** The units and areas named (H7), units first, in the order assessed. */
  named: NamedSubject[];
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

export function computeAssessment(input: AssessmentInput): AssessmentResult {
  const { scheme, year, asOf, records } = input;
  const window = s4Window(year, asOf);
  const under = (s: AssessmentSubject, unitId: string) => (s.type === 'unit' ? unitId === s.id : (input.unitPaths.get(unitId) ?? '').startsWith(s.regionPath));

  const plansOf = (s: AssessmentSubject) => records.plans.filter((p) => (s.type === 'unit' ? p.leadUnitId === s.id : p.regionPath.startsWith(s.regionPath)));
  const evaluationRecord = (e: AssessmentEvaluationRow, outcome: string): TraceRecord => ({ type: 'evaluation', id: e.id, label: `${e.subject}(${e.evaluator})`, date: e.enteredAt.slice(0, 10), outcome, counts: true });

  const score = (s: AssessmentSubject): SubjectScore => {
    const plans = plansOf(s);
    const s4 = { on_schedule_rate: () => onScheduleMeasure(plans, window), completion_rate: () => completionMeasure(plans, records, window) };
    const indicators = scheme.indicators.map((ind): IndicatorScore => {
      const base = { id: ind.id, title: ind.title, ruleId: ind.ruleId, points: ind.points, measure: ind.measure.type === 'letters' ? `${LETTER_KIND_LABEL[ind.measure.letter]}扣分` : MEASURE_LABEL[ind.measure.type] };
      const m = ind.measure;
      switch (m.type) {
        case 'on_schedule_rate':
        case 'completion_rate': {
          const { met, counted, records } = s4[m.type]();
          return { ...base, ...rate(ind.points, met, counted), records };
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
          const out: TraceRecord[] = mine.map((e) => evaluationRecord(e, `${num(e.scoreCenti / 100)} 分`));
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

  const named = (s: AssessmentSubject): NamedSubject | null => {
    const reasons: NamingReason[] = [];
    const late = onScheduleMeasure(plansOf(s), window).records.filter((r) => !r.counts);
    if (late.length) reasons.push({ ruleId: 'S4', reason: `${late.length} 个时限未按期完成`, records: late.map((r) => ({ ...r, outcome: `${r.outcome}(到期 ${r.date})` })) });
    const failed = input.evaluations.filter((e) => e.targetType === s.type && e.targetId === s.id && e.scoreCenti < EVALUATION_PASS_SCORE * 100);
    if (failed.length) {
      reasons.push({
        ruleId: 'Y12',
        reason: `第三方评估不合格(低于 ${EVALUATION_PASS_SCORE} 分):${failed.map((e) => `${e.subject} ${num(e.scoreCenti / 100)} 分`).join('、')}`,
        records: failed.map((e) => evaluationRecord(e, `${num(e.scoreCenti / 100)} 分,不合格`)),
      });
    }
    return reasons.length ? { subject: s, ruleId: NAMING_RULE_ID, reasons } : null;
  };
  const subjects = [...input.units, ...input.areas];
  return { units: input.units.map(score), areas: input.areas.map(score), named: subjects.map(named).filter((n): n is NamedSubject => n !== null) };
}
