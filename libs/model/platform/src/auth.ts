import { z } from 'zod';
import { IDENTITY_LIMITS } from './units';
import { UnitRoleSchema, UsernameSchema } from './users';

/** What a client sends to log in. Unknown fields are refused. */
export const LoginBodySchema = z.strictObject(
  {
    username: UsernameSchema,
    password: z
      .string({ error: '密码应为文本' })
      .min(1, '密码不能为空')
      .max(IDENTITY_LIMITS.password, `密码最长 ${IDENTITY_LIMITS.password} 个字符`),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `不认识的字段:${issue.keys.join('、')}` : '请求体应为含 username 和 password 的对象') },
);
export type LoginBody = z.infer<typeof LoginBodySchema>;

/** What a client sends to refresh its tokens or to log out. */
export const RefreshBodySchema = z.strictObject(
  {
    refreshToken: z
      .string({ error: '刷新令牌应为文本' })
      .min(1, '刷新令牌不能为空')
      .max(IDENTITY_LIMITS.refreshToken, `刷新令牌最长 ${IDENTITY_LIMITS.refreshToken} 个字符`),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `不认识的字段:${issue.keys.join('、')}` : '请求体应为含 refreshToken 的对象') },
);
export type RefreshBody = z.infer<typeof RefreshBodySchema>;

/** What login and refresh answer: a short-lived access token and the next refresh token (use each refresh token once). */
export const TokenPairSchema = z.object({
  tokenType: z.literal('Bearer'),
  accessToken: z.string(),
  /** Seconds the access token lives. */
  expiresIn: z.number().int().positive(),
  accessTokenExpiresAt: z.string(),
  refreshToken: z.string(),
  refreshTokenExpiresAt: z.string(),
});
export type TokenPair = z.infer<typeof TokenPairSchema>;

/** Who is calling, as an access token proves it. Engine roles are derived per plan, never carried here. */
export const PrincipalSchema = z.object({
  userId: z.string(),
  username: z.string(),
  unitId: z.string(),
  roles: z.array(UnitRoleSchema),
  /** The login session (refresh-token family) the access token belongs to: it is refused once the session ends. */
  sessionId: z.string().optional(),
});
export type Principal = z.infer<typeof PrincipalSchema>;
