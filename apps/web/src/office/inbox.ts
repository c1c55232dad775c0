import type { Schemas } from '../api/client';
import { DEADLINE_STATUS } from '../format';
import { planHref } from '../route';
import { problemHref } from './problems';

/** The units' inbox (收件箱, issue 9 §2): order, and what the signing column says. */

export type InboxRow = Schemas['InboxPage']['rows'][number];

/** Unsigned first (those past their last day to sign first among them), then newest issued first. */
export function inboxOrder<R extends Pick<InboxRow, 'signedAt' | 'signOverdue' | 'issuedOn' | 'number'>>(rows: R[]): R[] {
  const rank = (r: R) => (r.signedAt ? 2 : r.signOverdue ? 0 : 1);
  return [...rows].sort((a, b) => rank(a) - rank(b) || b.issuedOn.localeCompare(a.issuedOn) || a.number.localeCompare(b.number));
}

export interface SigningState {
  text: string;
  color: 'green' | 'red' | 'orange';
  /** Whether the caller may still sign (签收). */
  canSign: boolean;
  /** Signed after its last day to sign (a late signing the ledger flagged). */
  late: boolean;
}

/**
 * The signing of one row: signed (by whom, when; late when after the last day to sign, which
 * lasts to the end of that day in China), overdue and not signed, or waiting.
 * `formatDate`/`formatTime` write the dates as the page does.
 */
export function signingState(
  r: Pick<InboxRow, 'signedAt' | 'signedByName' | 'signBy' | 'signOverdue'>,
  formatDate: (d: string) => string,
  formatTime: (t: string) => string,
): SigningState {
  if (r.signedAt) {
    const late = chinaDate(r.signedAt) > r.signBy;
    return { text: `${r.signedByName ?? '本单位'} 于 ${formatTime(r.signedAt)} 签收${late ? '(逾期签收)' : ''}`, color: late ? 'orange' : 'green', canSign: false, late };
  }
  if (r.signOverdue) return { text: `逾期未签收(签收期限 ${formatDate(r.signBy)})`, color: 'red', canSign: true, late: true };
  return { text: `待签收(签收期限 ${formatDate(r.signBy)})`, color: 'orange', canSign: true, late: false };
}

/** The local date in China (Asia/Shanghai, UTC+8, no daylight saving) of an ISO time. */
export function chinaDate(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Where a letter's subject lives: its plan's page; a problem's letters (the workflow
 * `problem-<id>`, problem-desk.ts) the problem's page; a round's self-inspection task has no page
 * of its own (null).
 */
export function letterSubjectHref(workflowId: string): string | null {
  if (workflowId.startsWith('problem-')) return problemHref(workflowId.slice('problem-'.length));
  if (workflowId.startsWith('self-inspection-')) return null;
  return planHref(workflowId);
}

/** What the 所督时限 column says of a letter: the deadline it chases, its due date now (and when the letter was issued, if it moved), its state and light. */
export interface ChasedDeadline {
  label: string;
  dueText: string;
  /** 办理中 / 已逾期 / 已完成 / 已取消; null when the ledger has no such deadline. */
  statusText: string | null;
  light: InboxRow['light'];
}

export function chasedDeadline(r: Pick<InboxRow, 'dueDate' | 'deadline' | 'light'>, formatDate: (d: string) => string): ChasedDeadline {
  if (!r.deadline) return { label: '所督时限', dueText: `到期日 ${formatDate(r.dueDate)}`, statusText: null, light: r.light };
  const moved = r.deadline.due !== r.dueDate ? `(发函时为 ${formatDate(r.dueDate)})` : '';
  return { label: r.deadline.label, dueText: `到期日 ${formatDate(r.deadline.due)}${moved}`, statusText: DEADLINE_STATUS[r.deadline.status] ?? '办理中', light: r.light };
}
