import * as A from '../syntax/ast';
import { checkId, checkSource } from '../check/names';
import { error, Report, Ruleset } from '../check/scope';

/**
 * Assessment schemes (考核细则, S4, Y13–Y15): the office's indicators, each with its points, the
 * ledger measure it is computed from and the rule it rests on. What the checks let through
 * compiles to an AssessmentScheme, which the assessment desk computes scores with.
 */

export type SchemeMeasure =
  | { type: 'on_schedule_rate' | 'completion_rate' | 'problems_on_time' | 'third_party' }
  /** A bonus of the indicator's points when the unit or area is on the published red list (Y14, Y15). */
  | { type: 'red_list' }
  /** A deduction of `perLetter` points per letter of the kind received, down to zero. */
  | { type: 'letters'; letter: A.LetterKindName; perLetter: number };

export interface SchemeIndicator {
  id: string;
  title: string;
  points: number;
  measure: SchemeMeasure;
  ruleId: string;
}

export interface AssessmentScheme {
  id: string;
  title: string;
  ruleId: string;
  indicators: SchemeIndicator[];
  /** The points of every indicator but the bonuses (红榜): what a unit scores at best without one. */
  fullMarks: number;
}

/** The most points one indicator may carry. */
export const MAX_POINTS = 1000;

const MEASURE_LABEL: Record<A.MeasureName, string> = { on_schedule_rate: '按期完成率', completion_rate: '事项完成率', problems_on_time: '问题按期整改率', third_party: '第三方评估', red_list: '红榜' };

/** Points are written with at most two decimals (扣 0.5 分, 0.25 分). */
const twoDecimals = (v: number) => Math.abs(Math.round(v * 100) - v * 100) < 1e-9;

/** Every scheme's names, rule ids, points and measures; a scheme id once across the files. */
export function checkSchemes(r: Ruleset, report: Report, broken: ReadonlySet<string> = new Set()) {
  const seen = new Map<string, { file: string; decl: A.SchemeDecl }>();
  for (const { file, decl } of r.schemes) {
    checkId(file, decl.id, report);
    if (decl.id) {
      const first = seen.get(decl.id.text);
      if (first) {
        const at = first.decl.id!.range;
        report(error(file, decl.id, 'duplicate', `考核「${decl.id.text}」重复定义(首次定义于 ${first.file}:${at.line}:${at.column})`));
      } else seen.set(decl.id.text, { file, decl });
    }
    if (decl.label && !decl.label.value.trim()) report(error(file, decl.label, 'empty-label', '名称不能为空'));
    checkSource(file, decl.source, report);
    if (!decl.source && decl.id) report(error(file, decl.id, 'missing-source', `考核「${decl.id.text}」未写依据(来源编号)`, '加上「依据 Y13」之类的来源编号'));
    if (!decl.indicators.length && decl.id) report(error(file, decl.id, 'empty-scheme', `考核「${decl.id.text}」没有指标`, '在其下写「指标 标识 "名称" 分值 10 分 计分 按期完成率 依据 S4」'));
    const ids = new Map<string, A.IndicatorDecl>();
    // In a file the parser could not read whole, a clause it lost is no second mistake.
    const missing: Report = broken.has(file) ? () => undefined : report;
    for (const i of decl.indicators) checkIndicator(file, i, ids, report, missing);
  }
}

function checkIndicator(file: string, i: A.IndicatorDecl, ids: Map<string, A.IndicatorDecl>, report: Report, missing: Report) {
  const where = i.id ?? i;
  const name = i.id ? `指标「${i.id.text}」` : '指标';
  checkId(file, i.id, report);
  if (i.id) {
    const first = ids.get(i.id.text);
    if (first) report(error(file, i.id, 'duplicate', `${name}在本考核中重复定义(首次定义于 ${file}:${first.id!.range.line}:${first.id!.range.column})`));
    else ids.set(i.id.text, i);
  }
  if (i.label && !i.label.value.trim()) report(error(file, i.label, 'empty-label', '名称不能为空'));
  checkSource(file, i.source, report);
  if (!i.source) missing(error(file, where, 'missing-source', `${name}未写依据(来源编号)`, '加上「依据 S4」之类的来源编号'));
  if (!i.points) missing(error(file, where, 'missing-points', `${name}未写分值`, '加上「分值 10 分」'));
  else if (i.points.value <= 0 || i.points.value > MAX_POINTS) report(error(file, i.points, 'bad-points', `分值应大于 0 且不超过 ${MAX_POINTS}`));
  else if (!twoDecimals(i.points.value)) report(error(file, i.points, 'bad-points', '分值最多保留两位小数'));
  const m = i.measure;
  if (!m) {
    missing(error(file, where, 'missing-measure', `${name}未写计分口径`, '加上「计分 按期完成率」,或「计分 督办函 每件扣 2 分」之类'));
    return;
  }
  if (m.type === 'letters') {
    if (!i.perLetter) missing(error(file, m, 'missing-deduction', '按函件计分的指标须写每件扣几分', '例如「计分 督办函 每件扣 2 分」'));
    else if (i.perLetter.value <= 0 || (i.points && i.perLetter.value > i.points.value)) report(error(file, i.perLetter, 'bad-deduction', '每件扣分应大于 0 且不超过该指标的分值'));
    else if (!twoDecimals(i.perLetter.value)) report(error(file, i.perLetter, 'bad-deduction', '每件扣分最多保留两位小数'));
  } else if (i.perLetter) {
    report(error(file, i.perLetter, 'deduction-not-applicable', `「${MEASURE_LABEL[m.type]}」不按件扣分:每件扣只用于按函件计分的指标`));
  }
}

/** A checked scheme as the desk computes with it (call only when the checks found no error). */
export function compileScheme(d: A.SchemeDecl): AssessmentScheme {
  const indicators: SchemeIndicator[] = d.indicators.map((i) => {
    const m = i.measure!;
    return {
      id: i.id!.text,
      title: i.label!.value,
      points: i.points!.value,
      measure: m.type === 'letters' ? { type: 'letters', letter: m.letter, perLetter: i.perLetter!.value } : { type: m.type },
      ruleId: i.source!.text,
    };
  });
  const fullMarks = Math.round(indicators.filter((i) => i.measure.type !== 'red_list').reduce((s, i) => s + i.points * 100, 0)) / 100;
  return { id: d.id!.text, title: d.label!.value, ruleId: d.source!.text, indicators, fullMarks };
}
