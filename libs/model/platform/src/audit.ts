import { z } from 'zod';

/**
 * The audit trail's vocabulary (A15 全程留痕), shared by the store that verifies the chain, the
 * service, the CLI and the API's response schema.
 */

/** An audit action code: lower-case words joined by dots, e.g. 'plan.act', 'letter.issued', 'auth.login'. */
export const AUDIT_ACTION_CODE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** How the chain broke: a row's content no longer matches its hash; rows are gone; rows are out of order. */
export const AuditBreakKindSchema = z.enum(['changed', 'missing', 'reordered']);
export type AuditBreakKind = z.infer<typeof AuditBreakKindSchema>;

/** The kinds of break as users read them. */
export const AUDIT_BREAK_LABELS: Record<AuditBreakKind, string> = {
  changed: '记录被改动',
  missing: '记录缺失',
  reordered: '记录顺序被调换',
};

export const AuditBreakSchema = z.object({
  /** The first row found broken (for a gap, the first seq that is missing). */
  seq: z.number().int().nonnegative(),
  kind: AuditBreakKindSchema,
  /** What was found, in Chinese. */
  message: z.string(),
});
export type AuditBreak = z.infer<typeof AuditBreakSchema>;

/** What verifying the chain found (modelled on SQL Server's ledger verification report). */
export const AuditVerificationSchema = z.object({
  ok: z.boolean(),
  /** Rows read and checked, up to and including the first broken one. */
  rowsChecked: z.number().int().nonnegative(),
  /** The last row found intact: the head of the chain when ok (seq 0 and the genesis hash when empty). */
  headSeq: z.number().int().nonnegative(),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  broken: AuditBreakSchema.nullable(),
});
export type AuditVerification = z.infer<typeof AuditVerificationSchema>;

/** The audit trail's act codes as users read them (the console and the API's list show these, never the code). */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'plan.registered': '登记方案',
  'plan.act': '办理方案',
  'plan.migrated': '方案迁移到新版本规则',
  'letter.issued': '发出函件',
  'letter.signed': '签收函件',
  'auth.login': '登录',
  'auth.login_succeeded': '登录成功',
  'auth.login_failed': '登录失败',
  'auth.account_locked': '账号锁定',
  'auth.refresh_reused': '刷新令牌被重复使用(登录已注销)',
  'auth.logged_out': '退出登录',
  'item.evidence_added': '上传事项佐证材料',
  'problem.registered': '问题挂号',
  'problem.hand_over': '问题移交整改',
  'problem.hand_over_listed': '问题随整改意见书一并移交',
  'problem.escalate': '问题提交上一级问题库',
  'problem.report_rectification': '报送问题整改情况',
  'problem.verify': '问题验收销号',
  'problem.send_back': '问题退回整改',
  'problem.keep': '问题留号',
  'problem.report_kept_progress': '报送留号问题进展',
  'problem.verify_kept': '留号问题销号',
  'problem.evidence_added': '上传问题整改佐证材料',
  'procedure.published': '发布规则',
  'round.opened': '开启督察轮次',
  'round.closed': '结束督察轮次',
  'round.self_inspection_reported': '报送自查报告',
  'round.verified': '督察核验',
  'round.sent_back': '督察退回自查',
  'task_list.imported': '导入年度改革任务清单',
  'deliberation.meeting_added': '安排上会审议会议',
  'deliberation.plan_listed': '方案列入上会审议计划',
  'deliberation.plan_removed': '方案移出上会审议计划',
  'experience.summary_report_added': '提交经验推广总结报告',
  'assessment.computed': '计算年度考核',
  'assessment.evaluation_entered': '录入第三方评估得分',
  'assessment.red_list_added': '列入红榜',
  'assessment.red_list_published': '公布红榜',
};

/** The objects audited rows are about, as users read them. */
export const AUDIT_TARGET_LABELS: Record<string, string> = {
  plan: '方案',
  letter: '函件',
  user: '用户',
  problem: '问题',
  procedure: '规则',
  round: '督察轮次',
  round_task: '督察自查任务',
  task_list_import: '任务清单导入',
  deliberation_meeting: '上会审议会议',
  assessment: '年度考核',
  assessment_evaluation: '第三方评估',
  red_list_entry: '红榜条目',
};

/** An act code as users read it; a code not listed yet reads by its object (「方案相关操作」), never in English. */
export function auditActionLabel(code: string): string {
  const known = AUDIT_ACTION_LABELS[code];
  if (known) return known;
  const object = code.split('.')[0];
  const byTarget: Record<string, string> = { ...AUDIT_TARGET_LABELS, auth: '登录', item: '具体改革事项', deliberation: '上会审议', experience: '经验推广', task_list: '任务清单', calendar: '节假日日历' };
  return `${byTarget[object] ?? '其他'}相关操作`;
}

/** An audited object's kind as users read it. */
export function auditTargetLabel(type: string): string {
  return AUDIT_TARGET_LABELS[type] ?? '其他';
}
