// Names and labels the engine needs at run time, without zod: the workflow bundle imports these.

export const LETTER_KINDS = ['reminder', 'supervision', 'rectification', 'public_naming', 'interview'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

/** What each kind of letter is called, in letters, explanations and diffs. */
export const LETTER_KIND_LABEL: Record<LetterKind, string> = {
  reminder: '提醒函',
  supervision: '督办函',
  rectification: '整改意见书',
  public_naming: '点名通报',
  interview: '约谈通知',
};

/** What a letter template may say; the renderer fills each in from the letter being written. */
export const LETTER_PLACEHOLDERS = ['方案', '时限', '截止日期', '限期', '牵头单位', '责任人', '专项小组', '依据', '函件依据', '前函', '发函单位', '名称', '问题清单'] as const;
export type LetterPlaceholder = (typeof LETTER_PLACEHOLDERS)[number];

/** A region's materialized path as a plan's scope carries it: `/sc/`, `/sc/cd/`, `/sc/cd/wh/`. */
export const REGION_PATH = /^\/(?:[^/\s]+\/)+$/;

export const ITEM_STATUSES = ['not_started', 'started', 'completed'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
export const ITEM_STATUS_LABEL: Record<ItemStatus, string> = {
  not_started: '未启动',
  started: '已启动未完成',
  completed: '已完成',
};
