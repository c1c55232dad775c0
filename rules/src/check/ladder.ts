import { LETTER_TEXT } from '../format/format';
import * as A from '../syntax/ast';
import { Symbols } from './names';
import { error, Report, warning } from './scope';

const PHASE = { beforeDue: 0, dueEnded: 1, previousLimitEnded: 2 } as const;
const SEVERITY: Record<A.LetterKindName, number> = { reminder: 0, supervision: 1, rectification: 2, public_naming: 3, interview: 4 };
// Messages name a letter by the keyword the clerk wrote.
const LETTER_LABEL = LETTER_TEXT;
/** Rough length of a unit in days: enough to order offsets written in different units. */
const APPROX_DAYS: Record<A.Duration['unit'], number> = { days: 1, workingDays: 1.4, months: 30, years: 365 };
const days = (d: A.Duration) => d.amount * APPROX_DAYS[d.unit];

/**
 * The engine sends a ladder's letters in the order written, so the order must be the order in
 * time: reminders before the due date (earliest first), the one letter when it passes, then
 * letters each counted from the limit the one before set.
 */
export function checkLadderOrder(file: string, levels: A.LevelDecl[], report: Report) {
  let dueEnded = false;
  levels.forEach((l, i) => {
    const prev = levels[i - 1];
    if (!l.trigger) return;
    if (prev?.trigger && PHASE[l.trigger.type] < PHASE[prev.trigger.type]) {
      report(error(file, l.trigger, 'ladder-order', `${LETTER_LABEL[l.letter]}的发函时机早于上一级函件`, '按时间先后排列:到期前 → 到期后 → 前函限期届满后'));
    }
    if (l.trigger.type === 'beforeDue' && l.trigger.offset && prev?.trigger?.type === 'beforeDue' && prev.trigger.offset && days(l.trigger.offset) >= days(prev.trigger.offset)) {
      report(error(file, l.trigger, 'ladder-order', `${LETTER_LABEL[l.letter]}不早于上一级提醒,却排在其后`, '到期前的提醒按提前量从大到小排列'));
    }
    if (l.trigger.type === 'dueEnded') {
      if (dueEnded) report(error(file, l.trigger, 'ladder-order', '「到期后」只能有一级函件'));
      dueEnded = true;
    }
    if (l.trigger.type === 'previousLimitEnded' && !prev?.limit) {
      report(error(file, l.trigger, 'no-previous-limit', '上一级函件未设限期,本级无从起算', prev ? '给上一级函件加上「限期 10 个工作日」' : '第一级函件不能「前函限期届满后」发出'));
    }
    if (prev && SEVERITY[l.letter] < SEVERITY[prev.letter]) {
      report(warning(file, l, 'ladder-kind-order', `${LETTER_LABEL[l.letter]}排在更重的${LETTER_LABEL[prev.letter]}之后`, '催办一般逐级加重'));
    }
  });
}

/** The letters a deadline sends: its own, or the first levels of the ladder it names. */
export function deadlineLevels(d: A.DeadlineDecl, s: Symbols): A.LevelDecl[] {
  if (!d.uses) return d.levels;
  const ladder = s.ladders.get(d.uses.ladder.text)?.decl;
  if (!ladder) return [];
  return d.uses.first ? ladder.levels.slice(0, d.uses.first.value) : ladder.levels;
}

export function checkDeadlineLadders(file: string, deadlines: A.DeadlineDecl[], s: Symbols, report: Report) {
  for (const d of deadlines) {
    const ladder = d.uses && s.ladders.get(d.uses.ladder.text)?.decl;
    if (d.uses?.first && ladder && (d.uses.first.value < 1 || d.uses.first.value > ladder.levels.length)) {
      report(error(file, d.uses.first, 'ladder-levels', `催办梯度「${ladder.id?.text}」只有${ladder.levels.length}级,不能取前${d.uses.first.value}级`));
    }
    if (!d.uses && d.levels.length === 0 && d.id) {
      report(warning(file, d.id, 'no-escalation', `时限「${d.id.text}」逾期不会发出任何函件`, '加上「催办 standard」或逐级写函件'));
    }
    if (!d.uses) checkLadderOrder(file, d.levels, report);
  }
}
