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
