import * as A from '../syntax/ast';
import { error, Report, Ruleset } from './scope';

/** Largest amount a duration may have (the definition model's own bound). */
const MAX_AMOUNT = 100_000;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Values the grammar accepts but the model cannot hold: reported at the value itself, so the
 * compiler never meets them.
 */
export function checkValues(r: Ruleset, report: Report) {
  const label = (file: string, t: A.Text | undefined) => {
    if (t && !t.value.trim()) report(error(file, t, 'empty-label', '名称不能为空'));
  };
  const duration = (file: string, d: A.Duration | undefined) => {
    if (d && d.amount > MAX_AMOUNT) report(error(file, d, 'bad-amount', `期间不能超过${MAX_AMOUNT}`));
  };
  const levels = (file: string, list: A.LevelDecl[]) =>
    list.forEach((l) => {
      duration(file, l.limit);
      if (l.trigger?.type === 'beforeDue') duration(file, l.trigger.offset);
    });
  for (const { file, decl } of [...r.shared.roles, ...r.shared.attributes, ...r.shared.events, ...r.shared.ladders]) label(file, decl.label);
  for (const { file, decl } of r.shared.ladders) levels(file, decl.levels);
  for (const p of r.procedures) {
    const f = p.file;
    label(f, p.header.label);
    if (p.header.version && p.header.version.value < 1) report(error(f, p.header.version, 'bad-version', '版本号从 1 开始'));
    for (const { file, decl } of [...p.roles, ...p.attributes, ...p.events, ...p.ladders]) label(file, decl.label);
    for (const { file, decl } of p.ladders) levels(file, decl.levels);
    for (const s of p.stages) {
      label(f, s.label);
      s.actions.forEach((a) => label(f, a.label));
    }
    for (const d of p.deadlines) {
      label(f, d.label);
      [d.fromAfter, d.within, d.repeat].forEach((x) => duration(f, x));
      levels(f, d.levels);
      if (d.byDate && (d.byDate.month < 1 || d.byDate.month > 12 || d.byDate.day < 1 || d.byDate.day > DAYS_IN_MONTH[d.byDate.month - 1])) {
        report(error(f, d.byDate, 'no-such-date', `没有${d.byDate.month}月${d.byDate.day}日这一天`));
      }
    }
  }
}
