import { UserError } from '@reform/config';
import { z } from 'zod';

export interface AuthOptions {
  /**
   * The HS256 signing key for access tokens (at least 32 characters). Unset: one is generated on
   * first start and kept in the database (table platform_secrets), so restarts and every API
   * instance on the same database keep accepting the same tokens.
   */
  secret?: string;
  /** How long an access token lives (default 15 minutes). */
  accessTokenMinutes: number;
  /** How long a refresh token lives unused (default 7 days); each use gives a new one. */
  refreshTokenDays: number;
  /** Consecutive failed logins that lock an account (default 5). */
  maxFailedLogins: number;
  /** How long the lock lasts (default 15 minutes). */
  lockMinutes: number;
  /**
   * How long a process keeps a caller (session live, profile, roles, unit) before reading them
   * again (default 5 seconds; 0 reads them on every request). Changes made in the same process
   * apply at once; those of another process (another API instance, the CLI) within this bound.
   */
  callerCacheSeconds: number;
}

export const DEFAULT_AUTH_OPTIONS: AuthOptions = { accessTokenMinutes: 15, refreshTokenDays: 7, maxFailedLogins: 5, lockMinutes: 15, callerCacheSeconds: 5 };

const positive = (name: string, max: number) =>
  z.coerce.number({ error: `环境变量 ${name} 应为正整数` }).int(`环境变量 ${name} 应为正整数`).min(1, `环境变量 ${name} 至少为 1`).max(max, `环境变量 ${name} 最大为 ${max}`).optional();

const Env = z.object({
  REFORM_AUTH_SECRET: z.string().min(32, '环境变量 REFORM_AUTH_SECRET 至少 32 个字符(建议用 openssl rand -base64 48 生成)').optional(),
  REFORM_ACCESS_TOKEN_MINUTES: positive('REFORM_ACCESS_TOKEN_MINUTES', 24 * 60),
  REFORM_REFRESH_TOKEN_DAYS: positive('REFORM_REFRESH_TOKEN_DAYS', 365),
  REFORM_LOGIN_MAX_FAILURES: positive('REFORM_LOGIN_MAX_FAILURES', 100),
  REFORM_LOGIN_LOCK_MINUTES: positive('REFORM_LOGIN_LOCK_MINUTES', 7 * 24 * 60),
  REFORM_CALLER_CACHE_SECONDS: z.coerce
    .number({ error: '环境变量 REFORM_CALLER_CACHE_SECONDS 应为 0 到 60 的整数' })
    .int('环境变量 REFORM_CALLER_CACHE_SECONDS 应为 0 到 60 的整数')
    .min(0, '环境变量 REFORM_CALLER_CACHE_SECONDS 应为 0 到 60 的整数')
    .max(60, '环境变量 REFORM_CALLER_CACHE_SECONDS 最大为 60')
    .optional(),
});

/** The auth settings from the environment; a bad value is a UserError naming the variable (never echoing the secret). */
export function authOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AuthOptions {
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([k, v]) => k in Env.shape && v !== '')));
  if (!parsed.success) throw new UserError(parsed.error.issues.map((i) => i.message).join('\n'));
  const e = parsed.data;
  return {
    ...(e.REFORM_AUTH_SECRET ? { secret: e.REFORM_AUTH_SECRET } : {}),
    accessTokenMinutes: e.REFORM_ACCESS_TOKEN_MINUTES ?? DEFAULT_AUTH_OPTIONS.accessTokenMinutes,
    refreshTokenDays: e.REFORM_REFRESH_TOKEN_DAYS ?? DEFAULT_AUTH_OPTIONS.refreshTokenDays,
    maxFailedLogins: e.REFORM_LOGIN_MAX_FAILURES ?? DEFAULT_AUTH_OPTIONS.maxFailedLogins,
    lockMinutes: e.REFORM_LOGIN_LOCK_MINUTES ?? DEFAULT_AUTH_OPTIONS.lockMinutes,
    callerCacheSeconds: e.REFORM_CALLER_CACHE_SECONDS ?? DEFAULT_AUTH_OPTIONS.callerCacheSeconds,
  };
}
