import dayjs from 'dayjs';

/**
 * Every date a user reads goes through here (issue 10: 2026年11月30日, never 2026-11-30): pages,
 * tables, the date picker's text, the board's months.
 */
export const DATE_FORMAT = 'YYYY年M月D日';

/** A date as the offices write it: 2026年11月30日. */
export function chineseDate(value: string | null | undefined): string {
  if (!value) return '—';
  const d = dayjs(value);
  return d.isValid() ? d.format(DATE_FORMAT) : value;
}

/** A date and time: 2026年11月30日 14:05. */
export function chineseDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const d = dayjs(value);
  return d.isValid() ? d.format(`${DATE_FORMAT} HH:mm`) : value;
}

/** A month as the API writes it (2026-03) as the offices do: 2026年3月. */
export function chineseMonth(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  return m ? `${m[1]}年${Number(m[2])}月` : month;
}

export const LIGHT = {
  red: { text: '红灯', status: 'error', hint: '已逾期' },
  yellow: { text: '黄灯', status: 'warning', hint: '临近到期或进度落后' },
  green: { text: '绿灯', status: 'success', hint: '正常' },
} as const;

export const DEADLINE_STATUS: Record<string, string> = { open: '办理中', overdue: '已逾期', done: '已完成', cancelled: '已取消' };
// The model's words (ITEM_STATUS_LABEL in libs/model/definitions).
export const ITEM_STATUS: Record<string, string> = { not_started: '未启动', started: '已启动未完成', completed: '已完成' };
