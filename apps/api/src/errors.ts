import { z } from 'zod';

/**
 * The one error shape of the API (docs/api.md): every 4xx and 5xx answers
 * `{ "error": { status, code, message, requestId, issues?, diagnostics?, reasons? } }`,
 * the message in Chinese, nothing internal (no stack, SQL or English exception text).
 */
export const ERROR_CODES = {
  400: 'validation',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'rules_invalid',
  429: 'too_many_requests',
  500: 'internal',
  503: 'unavailable',
} as const;

export type ErrorStatus = keyof typeof ERROR_CODES;

/** The sentence a status says when nothing more specific is known. */
export const DEFAULT_MESSAGES: Record<ErrorStatus, string> = {
  400: '请求有误',
  401: '请先登录',
  403: '无权进行此操作',
  404: '没有找到所请求的资源',
  405: '该地址不支持此请求方法',
  409: '操作与当前状态冲突,未生效',
  413: '请求体过大',
  415: '不支持的请求体类型,请使用 application/json',
  422: '规则有错误',
  429: '请求过于频繁,请稍后再试',
  500: '服务器内部错误,请求未完成;请把请求编号告诉运维人员',
  503: '服务暂不可用,请稍后再试',
};

export const IssueSchema = z.object({
  path: z.string().meta({ description: '出错字段的路径,如 plan.title、files.0.text、query.limit' }),
  message: z.string(),
});
export type Issue = z.infer<typeof IssueSchema>;

export const DiagnosticSchema = z.object({
  file: z.string().optional(),
  line: z.number().int(),
  column: z.number().int(),
  offset: z.number().int(),
  length: z.number().int(),
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
});

/** Why the engine refused an action: the engine's own code for the rule it applied, and its Chinese reason. */
export const ReasonSchema = z.object({
  code: z.string().meta({ description: '引擎拒绝的规则,如 role、reason、stages_missing' }),
  message: z.string(),
  rules: z.array(z.string()).optional().meta({ description: '所依据的规则来源编号,如 A9' }),
});
export type Reason = z.infer<typeof ReasonSchema>;

export const ErrorBodySchema = z
  .object({
    error: z.object({
      status: z.number().int(),
      code: z.string(),
      message: z.string(),
      requestId: z.string(),
      issues: z.array(IssueSchema).optional(),
      diagnostics: z.array(DiagnosticSchema).optional(),
      reasons: z.array(ReasonSchema).optional(),
    }),
  })
  .meta({ id: 'Error', description: '所有错误的统一格式' });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

type Details = Pick<ErrorBody['error'], 'issues' | 'diagnostics' | 'reasons'>;

/** An error the API answers as it is: status, code, Chinese message and details. */
export class ApiError extends Error {
  constructor(
    readonly status: ErrorStatus,
    message: string = DEFAULT_MESSAGES[status],
    readonly details: Details = {},
    readonly code: string = ERROR_CODES[status],
  ) {
    super(message);
  }
}

/** A zod (Standard Schema) issue path as users read it: plan.title, files.0.text. */
export function issuePath(path: ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined, prefix?: string): string {
  const parts = (path ?? []).map((p) => String(typeof p === 'object' && p !== null ? p.key : p));
  if (prefix) parts.unshift(prefix);
  return parts.join('.');
}
