import type { Schemas } from '../api/client';

/**
 * The problem library's pure logic (问题库, Y9, Y11, A13): status labels and colours, the fields
 * each action's form asks for, the filters as the page's URL query, the library as the caller
 * sees it, and a problem's history from what its detail carries.
 */

export type ProblemStatus = Schemas['Problem']['status'];
export type ProblemActionId = Schemas['ProblemAction']['action'];

/** The API's statusLabel words (docs/api.md), each with an antd tag colour. */
export const PROBLEM_STATUS: Record<ProblemStatus, { label: string; color: string }> = {
  registered: { label: '已挂号', color: 'blue' },
  rectifying: { label: '整改中', color: 'orange' },
  verifying: { label: '待验收', color: 'gold' },
  kept: { label: '留号', color: 'purple' },
  cancelled: { label: '已销号', color: 'green' },
  escalated: { label: '已上交', color: 'default' },
};
export const PROBLEM_STATUSES = Object.keys(PROBLEM_STATUS) as ProblemStatus[];

export const AGAINST_LABEL: Record<Schemas['Problem']['against']['type'], string> = { plan: '方案', item: '具体改革事项', unit: '单位' };

/** The letters' kinds (LetterPage.kind), as the offices name them. */
export const LETTER_KIND: Record<string, string> = {
  reminder: '提醒函',
  supervision: '督办函',
  rectification: '整改意见书',
  public_naming: '点名通报',
  interview: '约谈通知',
};
export const letterKindLabel = (kind: string) => LETTER_KIND[kind] ?? '函件';

export type Need = 'required' | 'optional' | 'none';
export interface ActionFields {
  reason: Need;
  note: Need;
  evidence: Need;
}

/**
 * What the form of an action asks for (docs/api.md, POST /api/problems/{id}/actions): a reason
 * for escalating (Y11) and sending back, and wherever the procedure requires one; a note for
 * keeping (留号) and, optionally, with a report; evidence for cancelling (销号).
 */
export function actionFields(action: string, needsReason = false): ActionFields {
  const reason: Need = needsReason || action === 'escalate' || action === 'send_back' ? 'required' : 'none';
  switch (action) {
    case 'keep':
      return { reason, note: 'required', evidence: 'none' };
    case 'report_rectification':
    case 'report_kept_progress':
      return { reason, note: 'optional', evidence: 'none' };
    case 'verify':
    case 'verify_kept':
      return { reason, note: 'none', evidence: 'required' };
    default:
      return { reason, note: 'none', evidence: 'none' };
  }
}

/** The list's filters, kept in the page's URL (#/problems?status=…&unit=…&plan=…). */
export interface ProblemFilters {
  status?: ProblemStatus;
  /** The rectifying unit's id. */
  unit?: string;
  /** The plan the problem is against (directly or through one of its items). */
  plan?: string;
}

export function parseProblemFilters(query: string): ProblemFilters {
  const q = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  const status = q.get('status');
  const f: ProblemFilters = {};
  if (status && (PROBLEM_STATUSES as string[]).includes(status)) f.status = status as ProblemStatus;
  if (q.get('unit')) f.unit = q.get('unit')!;
  if (q.get('plan')) f.plan = q.get('plan')!;
  return f;
}

export function problemFiltersQuery(f: ProblemFilters): string {
  const q = new URLSearchParams();
  if (f.status) q.set('status', f.status);
  if (f.unit) q.set('unit', f.unit);
  if (f.plan) q.set('plan', f.plan);
  return q.toString();
}

export const problemsHref = (f: ProblemFilters = {}) => {
  const q = problemFiltersQuery(f);
  return q ? `#/problems?${q}` : '#/problems';
};
export const problemHref = (id: string) => `#/problems/${encodeURIComponent(id)}`;

/**
 * The unit and plan filters (GET /api/problems filters on status only): applied to the rows
 * the API listed.
 */
export function filterProblems<P extends Pick<Schemas['Problem'], 'against'>>(rows: P[], f: ProblemFilters): P[] {
  return rows.filter((p) => (!f.unit || p.against.unitId === f.unit) && (!f.plan || p.against.planId === f.plan));
}

/** Which library holds the problem, from the caller's region: its own, the one above (Y11: escalated), or one below. */
export function libraryLabel(regionPath: string, callerRegionPath: string): string {
  if (regionPath === callerRegionPath) return '本级问题库';
  if (callerRegionPath.startsWith(regionPath)) return '上级问题库';
  if (regionPath.startsWith(callerRegionPath)) return '下级问题库';
  return '其他地区问题库';
}

/** One entry of a problem's history as the API tells it (GET /api/problems/{id}/history). */
export type HistoryRow = Schemas['ProblemHistory']['rows'][number];

/** The timeline colour of a history entry: cancelled green, sent back red, registered grey, the rest (hand-over, reports, letters) blue. */
export function historyTone(action: string): 'blue' | 'green' | 'red' | 'gray' {
  if (action === 'problem.verify' || action === 'problem.verify_kept') return 'green';
  if (action === 'problem.send_back') return 'red';
  if (action === 'problem.registered') return 'gray';
  return 'blue';
}

/** Who did it, as users read it: the unit and the person, or 系统 for the engine's own acts (its letters). */
export function historyWho(r: Pick<HistoryRow, 'actor'>): string {
  if (!r.actor) return '系统(流程引擎)';
  return [r.actor.unitName ?? '其他单位', r.actor.name].filter(Boolean).join(' ');
}

/** What a batch hand-over (合并交办) needs of the selection: problems to send, all rectified by one unit. */
export type HandoverCheck = { ok: true; unitId: string } | { ok: false; message: string };

/**
 * Whether the selected problems can go in one 整改意见书 (POST /api/problems/hand-over): at least
 * one, and one rectifying unit (A13: the letter goes to that unit); otherwise the reason, naming
 * the units (by `names`, else 其他单位).
 */
export function handoverCheck(selected: Array<Pick<Schemas['Problem'], 'against'>>, names: Map<string, string>): HandoverCheck {
  if (selected.length === 0) return { ok: false, message: '请先勾选要一并移交的问题' };
  const units = [...new Set(selected.map((p) => p.against.unitId))];
  if (units.length > 1) {
    const named = units.map((u) => names.get(u) ?? '其他单位').join('、');
    return { ok: false, message: `所选问题分属 ${units.length} 个整改单位(${named}):一份整改意见书只发给一个整改单位,请只勾选同一整改单位的问题` };
  }
  return { ok: true, unitId: units[0] };
}
