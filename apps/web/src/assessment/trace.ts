import type { Schemas } from '../api/client';

/**
 * The assessment's trace as the page shows it (A15: every point traced to the records that
 * produced it): records by their Chinese kind, whether each counted, scores as written.
 */
type Assessment = Schemas['Assessment'];
export type Scored = Assessment['units'][number];
export type ScoredIndicator = Scored['indicators'][number];
export type TraceRecord = ScoredIndicator['records'][number];

export const RECORD_TYPE_LABEL: Record<TraceRecord['type'], string> = {
  deadline: '时限',
  item: '具体改革事项',
  letter: '函件',
  problem: '问题',
  evaluation: '第三方评估',
  red_list: '红榜',
};

export interface TraceRow {
  key: string;
  type: string;
  label: string;
  plan: string;
  date: string | null;
  outcome: string;
  counted: string;
}

/** One indicator's records as rows: kind, record, plan, date, outcome, and whether it counted toward the score. */
export function traceRows(indicator: ScoredIndicator): TraceRow[] {
  return indicator.records.map((r, i) => ({
    key: `${r.type}:${r.id}:${i}`,
    type: RECORD_TYPE_LABEL[r.type],
    label: r.label,
    plan: r.planTitle ?? '—',
    date: r.date,
    outcome: r.outcome,
    // Letters are deductions: they never count as met (the API's `counts` is false for them).
    counted: r.type === 'letter' ? '扣分' : r.counts ? '计入' : '不计入',
  }));
}

/** A score as written: at most two decimals, no trailing zeros (22.5, 30, 13.33). */
export function scoreText(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** The reasons a unit or area is named (通报, H7), one line each with its rule: 「2 个时限未按期完成(S4)」. */
export function namedReasons(named: Schemas['AssessmentNamed']): string[] {
  return named.reasons.map((r) => `${r.reason}(${r.ruleId})`);
}
