/**
 * The simulation's answer (POST /api/rules/simulate) as the workbench's table: a row per letter
 * that moves, stops or is new, with its old and new dates. Plain functions, tested by the unit spec.
 */
export interface SimulatedLetter {
  deadlineLabel: string;
  due: string;
  kind: string;
  issuedOn: string;
}

export interface SimulatedPlan {
  workflowId: string;
  title: string;
  affected: boolean;
  changes: Array<{ change: 'moved' | 'dropped' | 'added'; before?: SimulatedLetter; after?: SimulatedLetter; to: string[] }>;
}

/** What each kind of letter is called (LETTER_KIND_LABEL in libs/model/definitions/src/model.ts). */
export const LETTER_KIND: Record<string, string> = {
  reminder: '提醒函',
  supervision: '督办函',
  rectification: '整改意见书',
  public_naming: '点名通报',
  interview: '约谈通知',
};

export const CHANGE_LABEL = { moved: '改期', dropped: '不再发出', added: '新增' } as const;

export interface SimulationRow {
  key: string;
  planId: string;
  plan: string;
  deadline: string;
  kind: string;
  change: string;
  beforeIssued?: string;
  beforeDue?: string;
  afterIssued?: string;
  afterDue?: string;
  to: string;
}

/** Every letter that changes, plan by plan (by title), in the order of its new (or old) issue date. */
export function simulationRows(plans: readonly SimulatedPlan[]): SimulationRow[] {
  return [...plans]
    .sort((a, b) => a.title.localeCompare(b.title, 'zh-CN') || a.workflowId.localeCompare(b.workflowId))
    .flatMap((p) =>
      [...p.changes]
        .sort((a, b) => ((a.after ?? a.before)?.issuedOn ?? '').localeCompare((b.after ?? b.before)?.issuedOn ?? ''))
        .map((c, i) => {
          const letter = (c.after ?? c.before)!;
          return {
            key: `${p.workflowId}:${i}`,
            planId: p.workflowId,
            plan: p.title,
            deadline: letter.deadlineLabel,
            kind: LETTER_KIND[letter.kind] ?? letter.kind,
            change: CHANGE_LABEL[c.change],
            beforeIssued: c.before?.issuedOn,
            beforeDue: c.before?.due,
            afterIssued: c.after?.issuedOn,
            afterDue: c.after?.due,
            to: c.to.join('、'),
          };
        }),
    );
}

/** The simulation in one sentence: how many plans were looked at, and how many letters change in how many of them. */
export function simulationSummary(plans: readonly SimulatedPlan[]): string {
  const affected = plans.filter((p) => p.changes.length);
  const letters = affected.reduce((n, p) => n + p.changes.length, 0);
  if (!plans.length) return '没有运行中的方案使用这些程序';
  if (!letters) return `模拟了 ${plans.length} 个运行中的方案,函件均不受影响`;
  return `模拟了 ${plans.length} 个运行中的方案,其中 ${affected.length} 个方案的 ${letters} 封函件有变化`;
}
