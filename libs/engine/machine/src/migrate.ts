import { HolidayCalendar, LocalDate } from '@reform/calendar';
import { ProcessDefinition } from '@reform/definitions';
import { cancelAll, deadlineLabel, DeadlineState } from './deadlines';
import { PlanSnapshot, recomputeDeadlines } from './simulate';

/**
 * Moving a running plan to another published version of its procedure. Either the due dates
 * it has are kept (deadlines the new version drops are withdrawn; ones it adds are counted from
 * the business events on record), or every due date is counted again from those events under
 * the new rules. Letters already sent stay sent either way. The dry run and the workflow call
 * this same function, so the dry run shows exactly what the move will do.
 */
export type DeadlinePolicy = 'keep' | 'recompute';

export interface DeadlineChange {
  key: string;
  deadlineId: string;
  label: string;
  change: 'kept' | 'moved' | 'added' | 'withdrawn' | 'unchanged';
  before?: LocalDate;
  after?: LocalDate;
}

export interface MigrationPlan {
  /** Reasons the move cannot be made; empty when it can. */
  problems: string[];
  deadlines: DeadlineState[];
  changes: DeadlineChange[];
}

export function planMigration(snap: PlanSnapshot, target: ProcessDefinition, policy: DeadlinePolicy, calendar: HolidayCalendar): MigrationPlan {
  const from = snap.definition;
  const problems: string[] = [];
  if (target.id !== from.id) problems.push(`方案属于程序「${from.id}」,不能迁移到「${target.id}」`);
  if (target.version === from.version) problems.push(`方案已按第${from.version}版办理`);
  if (snap.finished) problems.push('方案已办结,无需迁移');
  if (!target.stages.some((s) => s.id === snap.stage)) {
    problems.push(`方案当前所在阶段「${from.stages.find((s) => s.id === snap.stage)?.label ?? snap.stage}」在第${target.version}版中不存在`);
  }
  const unknownAttributes = Object.keys(snap.attributes).filter((a) => snap.attributes[a] && !target.attributes.some((x) => x.id === a));
  if (unknownAttributes.length) problems.push(`方案的属性 ${unknownAttributes.join('、')} 在第${target.version}版中不存在`);
  if (problems.length) return { problems, deadlines: snap.deadlines, changes: [] };

  const recounted = recomputeDeadlines(target, calendar, snap);
  const inTarget = (s: DeadlineState) => target.deadlines.some((d) => d.id === s.deadlineId);
  const base: DeadlineState[] =
    policy === 'recompute'
      ? recounted
      : [
          // Kept: the occurrences both versions have, with their due dates and letters as they are.
          ...snap.deadlines.filter(inTarget).map((s) => ({ ...s, nextLevel: Math.min(s.nextLevel, target.deadlines.find((d) => d.id === s.deadlineId)!.ladder.length) })),
          // Added: deadlines only the new version has, counted from the events on record.
          ...recounted.filter((s) => !from.deadlines.some((d) => d.id === s.deadlineId)),
        ];
  // Occurrences the new rules do not have are withdrawn, not forgotten: their letters stay on record.
  const same = (a: DeadlineState, b: DeadlineState) => a.key === b.key && a.deadlineId === b.deadlineId;
  const dropped = snap.deadlines.filter((old) => !base.some((s) => same(s, old)));
  const deadlines = [...base, ...cancelAll(dropped)];
  // A deadline neither version has (withdrawn by an earlier move) keeps the name it was opened under.
  const label = (s: DeadlineState) => deadlineLabel(target.deadlines.some((d) => d.id === s.deadlineId) ? target : from, s);
  const changes: DeadlineChange[] = [];
  for (const s of deadlines) {
    const old = snap.deadlines.find((o) => same(o, s));
    const row = { key: s.key, deadlineId: s.deadlineId, label: label(s) };
    if (!old) changes.push({ ...row, change: 'added', after: s.due });
    else if (old.status === s.status && old.due === s.due) changes.push({ ...row, change: policy === 'keep' ? 'kept' : 'unchanged', before: old.due, after: s.due });
    else if (old.status === 'open' && s.status === 'cancelled') changes.push({ ...row, change: 'withdrawn', before: old.due });
    else if (old.due !== s.due) changes.push({ ...row, change: 'moved', before: old.due, after: s.due });
    else changes.push({ ...row, change: 'unchanged', before: old.due, after: s.due });
  }
  return { problems, deadlines, changes };
}
