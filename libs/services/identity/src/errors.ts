import { formatLocalDateTime } from '@reform/calendar';
import { UserError } from '@reform/config';

/** Why a caller was not authenticated. Every one maps to HTTP 401; the message is Chinese and never holds a password or token. */
export type AuthFailure = 'invalid_credentials' | 'account_locked' | 'access_token_expired' | 'access_token_invalid' | 'refresh_token_invalid' | 'refresh_token_reused' | 'session_ended';

/** The caller is not (or no longer) authenticated: the API answers 401 with the message and the code. */
export class AuthenticationError extends UserError {
  readonly status = 401;
  constructor(
    readonly code: AuthFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Unknown user and wrong password get this same answer (no user enumeration). */
export class InvalidCredentialsError extends AuthenticationError {
  override readonly name = 'InvalidCredentialsError';
  constructor() {
    super('invalid_credentials', '用户名或密码错误');
  }
}

/** Too many consecutive failures: no password is checked until the lock ends. */
export class AccountLockedError extends AuthenticationError {
  override readonly name = 'AccountLockedError';
  constructor(readonly lockedUntil: Date) {
    super('account_locked', `连续登录失败次数过多,账号已锁定至 ${formatLocalDateTime(lockedUntil.getTime())}(北京时间),请届时再试`);
  }
}

export class AccessTokenExpiredError extends AuthenticationError {
  override readonly name = 'AccessTokenExpiredError';
  constructor() {
    super('access_token_expired', '访问令牌已过期,请用刷新令牌换取新令牌或重新登录');
  }
}

/** Forged, malformed, signed with another key or algorithm, or for another audience. */
export class AccessTokenInvalidError extends AuthenticationError {
  override readonly name = 'AccessTokenInvalidError';
  constructor() {
    super('access_token_invalid', '访问令牌无效,请重新登录');
  }
}

/** The access token's login session has ended (logged out, its refresh token reused) or its account is gone. */
export class SessionEndedError extends AuthenticationError {
  override readonly name = 'SessionEndedError';
  constructor() {
    super('session_ended', '该登录会话已注销,请重新登录');
  }
}

/** Unknown, expired or revoked refresh token. */
export class RefreshTokenInvalidError extends AuthenticationError {
  override readonly name = 'RefreshTokenInvalidError';
  constructor(reason: 'unknown' | 'expired' | 'revoked' = 'unknown') {
    super('refresh_token_invalid', reason === 'expired' ? '刷新令牌已过期,请重新登录' : reason === 'revoked' ? '该登录会话已注销,请重新登录' : '刷新令牌无效,请重新登录');
  }
}

/** A refresh token presented a second time: the whole login session (its family) is revoked. */
export class RefreshTokenReusedError extends AuthenticationError {
  override readonly name = 'RefreshTokenReusedError';
  constructor() {
    super('refresh_token_reused', '刷新令牌已被使用过,可能已泄露;为安全起见,该登录会话已全部注销,请重新登录');
  }
}

/** Bad data for the directory or an account (an unknown parent region, a name taken, a weak password): the API answers 400 or 409 as `status` says. */
export class IdentityInputError extends UserError {
  override readonly name = 'IdentityInputError';
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
  }
}
