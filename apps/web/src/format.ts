import dayjs from 'dayjs';

/** A date as the offices write it: 2026年11月30日. */
export function chineseDate(value: string | null | undefined): string {
  if (!value) return '—';
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY年M月D日') : value;
}

/** A date and time: 2026年11月30日 14:05. */
export function chineseDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY年M月D日 HH:mm') : value;
}

export const LIGHT = {
  red: { text: '红灯', status: 'error', hint: '已逾期' },
  yellow: { text: '黄灯', status: 'warning', hint: '临近到期或进度落后' },
  green: { text: '绿灯', status: 'success', hint: '正常' },
} as const;

export const DEADLINE_STATUS: Record<string, string> = { open: '办理中', overdue: '已逾期', done: '已完成', cancelled: '已取消' };
// The model's words (ITEM_STATUS_LABEL in libs/model/definitions).
export const ITEM_STATUS: Record<string, string> = { not_started: '未启动', started: '已启动未完成', completed: '已完成' };
