import {
  AccessTokenExpiredError,
  AccessTokenInvalidError,
  AccountLockedError,
  AuthenticationError,
  AuthEvent,
  authOptionsFromEnv,
  AuthService,
  CallerCache,
  InvalidCredentialsError,
  RefreshTokenInvalidError,
  RefreshTokenReusedError,
  SessionEndedError,
  UserAccounts,
} from '@reform/identity';
import { LoginFailureEntity, PlatformSecretEntity, RefreshTokenEntity, UserEntity } from '@reform/persistence';
import { LoginBodySchema, TokenPairSchema } from '@reform/platform';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { createHash, createHmac } from 'node:crypto';
import { DB_KINDS, TestDatabase, testDatabase } from '../support/db';
import { beijing, DAY, MINUTE, oneUser, rejection, TestClock } from './fixtures';

const b64url = (s: string | Buffer): string => Buffer.from(s).toString('base64url');
const decode = (part: string): Record<string, unknown> => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

describe.each(DB_KINDS)('AuthService on %s', (kind) => {
  let db: TestDatabase;
  let clock: TestClock;
  let auth: AuthService;
  let events: AuthEvent[];
  let who: Awaited<ReturnType<typeof oneUser>>;

  beforeEach(async () => {
    db = await testDatabase(kind);
    clock = new TestClock();
    events = [];
    who = await oneUser(db.ds, clock);
    auth = await AuthService.create(db.ds, {}, { clock, onEvent: (e) => void events.push(e) });
  });
  afterEach(async () => {
    await db.drop();
  });

  const user = () => db.ds.getRepository(UserEntity).findOneByOrFail({ id: who.userId });

  it('logs in with the right password: a token pair of the model schema, the principal from the access token', async () => {
    const pair = await auth.login(who.username, who.password, { ip: '10.0.0.1' });
    expect(TokenPairSchema.parse(pair)).toEqual(pair);
    expect(pair.tokenType).toBe('Bearer');
    expect(pair.expiresIn).toBe(15 * 60);
    expect(pair.accessTokenExpiresAt).toBe(new Date(Math.floor(clock.now().getTime() / 1000) * 1000 + 15 * MINUTE).toISOString());
    expect(await auth.verifyAccessToken(pair.accessToken)).toEqual({ userId: who.userId, username: 'clerk', unitId: 'tc-edu', roles: ['staff'], sessionId: expect.any(String) });
    // HS256, and no password or hash in the token.
    const [header, payload] = pair.accessToken.split('.');
    expect(decode(header)).toMatchObject({ alg: 'HS256' });
    expect(JSON.stringify(decode(payload))).not.toContain(who.password);
    expect(events.map((e) => e.type)).toEqual(['login_succeeded']);
    expect(JSON.stringify(events)).not.toContain(who.password);
  });

  it('stores an argon2id hash, never the password; refresh tokens only as their SHA-256', async () => {
    const row = await user();
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=\d+,/);
    expect(row.passwordHash).not.toContain(who.password);
    const pair = await auth.login(who.username, who.password);
    const tokens = await db.ds.getRepository(RefreshTokenEntity).find();
    expect(tokens).toHaveLength(1);
    expect(tokens[0].tokenHash).toBe(createHash('sha256').update(pair.refreshToken).digest('hex'));
    expect(JSON.stringify(tokens)).not.toContain(pair.refreshToken);
    expect(Buffer.from(pair.refreshToken, 'base64url')).toHaveLength(32);
  });

  it('gives the same answer for a wrong password and an unknown user, and neither names the password', async () => {
    const wrong = await rejection(() => auth.login(who.username, 'wrong password 1'));
    const unknown = await rejection(() => auth.login('nobody', 'wrong password 1'));
    for (const e of [wrong, unknown]) {
      expect(e).toBeInstanceOf(InvalidCredentialsError);
      expect(e).toBeInstanceOf(AuthenticationError);
      expect((e as AuthenticationError).status).toBe(401);
      expect(e.message).toBe('用户名或密码错误');
    }
    expect(wrong.message).toBe(unknown.message);
    expect((wrong as AuthenticationError).code).toBe((unknown as AuthenticationError).code);
    // An empty, an oversized or a non-text password is a mismatch, not a crash.
    for (const pw of ['', 'x'.repeat(10_000), 42 as unknown as string]) expect(await rejection(() => auth.login(who.username, pw))).toBeInstanceOf(InvalidCredentialsError);
    expect(await db.ds.getRepository(RefreshTokenEntity).count()).toBe(0);
  });

  it('locks the account after 5 consecutive failures for 15 minutes, says until when, and opens again after', async () => {
    const start = clock.now();
    for (let i = 1; i <= 4; i++) {
      expect(await rejection(() => auth.login(who.username, `wrong password ${i}`))).toBeInstanceOf(InvalidCredentialsError);
      expect((await user()).failedLogins).toBe(i);
    }
    const locking = await rejection(() => auth.login(who.username, 'wrong password 5'));
    expect(locking).toBeInstanceOf(AccountLockedError);
    const until = new Date(start.getTime() + 15 * MINUTE);
    expect(locking.message).toBe(`连续登录失败次数过多,账号已锁定至 ${beijing(until)}(北京时间),请届时再试`);
    expect((await user()).lockedUntil).toBe(until.toISOString());

    // While locked even the right password is refused, and nothing is issued.
    clock.advance(15 * MINUTE - 1000);
    const stillLocked = await rejection(() => auth.login(who.username, who.password));
    expect(stillLocked).toBeInstanceOf(AccountLockedError);
    expect(stillLocked.message).toContain(beijing(until));
    expect(await db.ds.getRepository(RefreshTokenEntity).count()).toBe(0);

    clock.advance(1000);
    const pair = await auth.login(who.username, who.password);
    expect((await auth.verifyAccessToken(pair.accessToken)).userId).toBe(who.userId);
    expect(await user()).toMatchObject({ failedLogins: 0, lockedUntil: null });
    expect(events.filter((e) => e.type === 'account_locked')).toHaveLength(1);
  });

  it('locks a name no account has exactly as it locks an account, so lockout does not tell who exists', async () => {
    const answers = async (name: string, password: string) => {
      const out: string[] = [];
      for (let i = 0; i < 6; i++) {
        const e = await rejection(() => auth.login(name, password));
        out.push(`${e.constructor.name}: ${e.message}`);
      }
      return out;
    };
    const known = await answers(who.username, 'wrong password');
    const unknown = await answers('nobody', 'wrong password');
    expect(unknown).toEqual(known);
    const until = beijing(new Date(clock.now().getTime() + 15 * MINUTE));
    expect(known).toEqual([
      ...Array(4).fill('InvalidCredentialsError: 用户名或密码错误'),
      ...Array(2).fill(`AccountLockedError: 连续登录失败次数过多,账号已锁定至 ${until}(北京时间),请届时再试`),
    ]);
    expect(await db.ds.getRepository(UserEntity).count()).toBe(1);
  });

  it('counts only consecutive failures: a good login starts the count again', async () => {
    for (let i = 0; i < 4; i++) await rejection(() => auth.login(who.username, 'wrong password'));
    await auth.login(who.username, who.password);
    expect((await user()).failedLogins).toBe(0);
    for (let i = 0; i < 4; i++) expect(await rejection(() => auth.login(who.username, 'wrong password'))).toBeInstanceOf(InvalidCredentialsError);
    await auth.login(who.username, who.password);
  });

  it('honours a configured failure limit and lock length', async () => {
    const strict = await AuthService.create(db.ds, { maxFailedLogins: 2, lockMinutes: 60 }, { clock });
    expect(await rejection(() => strict.login(who.username, 'wrong password'))).toBeInstanceOf(InvalidCredentialsError);
    const locked = await rejection(() => strict.login(who.username, 'wrong password'));
    expect((locked as AccountLockedError).lockedUntil).toEqual(new Date(clock.now().getTime() + 60 * MINUTE));
    clock.advance(59 * MINUTE);
    expect(await rejection(() => strict.login(who.username, who.password))).toBeInstanceOf(AccountLockedError);
    clock.advance(MINUTE);
    await strict.login(who.username, who.password);
  });

  it('refuses an access token once its 15 minutes are over (and a configured lifetime)', async () => {
    const pair = await auth.login(who.username, who.password);
    clock.advance(15 * MINUTE - 1000);
    expect((await auth.verifyAccessToken(pair.accessToken)).username).toBe('clerk');
    clock.advance(1000);
    const expired = await rejection(() => auth.verifyAccessToken(pair.accessToken));
    expect(expired).toBeInstanceOf(AccessTokenExpiredError);
    expect((expired as AuthenticationError).status).toBe(401);
    expect(expired.message).not.toContain(pair.accessToken);

    const short = await AuthService.create(db.ds, { accessTokenMinutes: 1 }, { clock });
    const p2 = await short.login(who.username, who.password);
    expect(p2.expiresIn).toBe(60);
    clock.advance(MINUTE);
    expect(await rejection(() => short.verifyAccessToken(p2.accessToken))).toBeInstanceOf(AccessTokenExpiredError);
  });

  it('refuses forged tokens: changed claims, another key, alg none, garbage', async () => {
    const pair = await auth.login(who.username, who.password);
    const [header, payload, signature] = pair.accessToken.split('.');
    const claims = decode(payload);

    const promoted = `${header}.${b64url(JSON.stringify({ ...claims, roles: ['admin'], unit: 'tp-reform' }))}.${signature}`;
    const otherKey = (() => {
      const body = `${header}.${payload}`;
      return `${body}.${createHmac('sha256', 'a-different-secret-of-enough-length-0000').update(body).digest('base64url')}`;
    })();
    const none = `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload}.`;
    const stranger = await AuthService.create(db.ds, { secret: 'another-installation-secret-0123456789' }, { clock });
    const foreign = (await stranger.login(who.username, who.password)).accessToken;

    for (const token of [promoted, otherKey, none, foreign, 'not.a.token', '', 'x'.repeat(100_000), pair.refreshToken]) {
      const e = await rejection(() => auth.verifyAccessToken(token));
      expect(e).toBeInstanceOf(AccessTokenInvalidError);
      expect(e.message).toBe('访问令牌无效,请重新登录');
    }
    // The genuine token still passes.
    expect((await auth.verifyAccessToken(pair.accessToken)).roles).toEqual(['staff']);
  });

  it('rotates the refresh token on every use: each gives a new pair and is good once', async () => {
    const first = await auth.login(who.username, who.password);
    clock.advance(MINUTE);
    const second = await auth.refresh(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(await auth.verifyAccessToken(second.accessToken)).toEqual({ userId: who.userId, username: 'clerk', unitId: 'tc-edu', roles: ['staff'], sessionId: expect.any(String) });
    const third = await auth.refresh(second.refreshToken);
    expect(new Set([first.refreshToken, second.refreshToken, third.refreshToken]).size).toBe(3);
    const rows = await db.ds.getRepository(RefreshTokenEntity).find({ order: { createdAt: 'ASC' } });
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.familyId)).size).toBe(1);
    expect(rows.filter((r) => r.usedAt !== null)).toHaveLength(2);
    expect(rows.every((r) => r.revokedAt === null)).toBe(true);
  });

  it('revokes the whole family when a used refresh token comes back: the newest token fails too', async () => {
    const first = await auth.login(who.username, who.password);
    const second = await auth.refresh(first.refreshToken);
    const third = await auth.refresh(second.refreshToken);
    // Another login of the same user is another family and is left alone.
    const elsewhere = await auth.login(who.username, who.password);

    const replay = await rejection(() => auth.refresh(first.refreshToken));
    expect(replay).toBeInstanceOf(RefreshTokenReusedError);
    expect(replay.message).not.toContain(first.refreshToken);
    expect(await rejection(() => auth.refresh(third.refreshToken))).toBeInstanceOf(RefreshTokenInvalidError);
    // Once the family is revoked, every token of it is refused as revoked.
    const again = await rejection(() => auth.refresh(second.refreshToken));
    expect(again).toBeInstanceOf(RefreshTokenInvalidError);
    expect(again.message).toBe('该登录会话已注销,请重新登录');

    const family = await db.ds.getRepository(RefreshTokenEntity).find({ where: { tokenHash: createHash('sha256').update(third.refreshToken).digest('hex') } });
    expect(family[0].revokedAt).not.toBeNull();
    await auth.refresh(elsewhere.refreshToken);
    expect(events.filter((e) => e.type === 'refresh_reused').length).toBeGreaterThanOrEqual(1);
  });

  it('lets only one of two racing uses of the same refresh token win; the other revokes the family', async () => {
    const pair = await auth.login(who.username, who.password);
    const results = await Promise.allSettled([auth.refresh(pair.refreshToken), auth.refresh(pair.refreshToken)]);
    const won = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<AuthService['refresh']>>> => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(lost.length).toBeGreaterThanOrEqual(1);
    expect(lost.some((l) => l.reason instanceof RefreshTokenReusedError)).toBe(true);
    for (const l of lost) expect(l.reason).toBeInstanceOf(AuthenticationError);
    for (const w of won) expect(await rejection(() => auth.refresh(w.value.refreshToken))).toBeInstanceOf(RefreshTokenInvalidError);
  });

  it('refuses unknown and expired refresh tokens, changing nothing', async () => {
    const pair = await auth.login(who.username, who.password);
    const rows = () => db.ds.getRepository(RefreshTokenEntity).find({ order: { id: 'ASC' } });
    const before = await rows();
    for (const token of ['made-up-token', '', 'y'.repeat(5000), 7 as unknown as string, pair.accessToken]) {
      expect(await rejection(() => auth.refresh(token))).toBeInstanceOf(RefreshTokenInvalidError);
    }
    clock.advance(7 * DAY);
    const expired = await rejection(() => auth.refresh(pair.refreshToken));
    expect(expired).toBeInstanceOf(RefreshTokenInvalidError);
    expect(expired.message).toBe('刷新令牌已过期,请重新登录');
    expect(await rows()).toEqual(before);
  });

  it('logs out: the session’s refresh tokens stop working, other sessions go on', async () => {
    const a = await auth.login(who.username, who.password);
    const a2 = await auth.refresh(a.refreshToken);
    const b = await auth.login(who.username, who.password);
    await auth.logout(a2.refreshToken);
    expect(await rejection(() => auth.refresh(a2.refreshToken))).toBeInstanceOf(RefreshTokenInvalidError);
    const stillB = await auth.refresh(b.refreshToken);
    expect((await auth.verifyAccessToken(stillB.accessToken)).userId).toBe(who.userId);
    expect(await rejection(() => auth.logout('made-up-token'))).toBeInstanceOf(RefreshTokenInvalidError);
    expect(events.filter((e) => e.type === 'logged_out')).toHaveLength(1);
  });

  it('counts failures as consecutive within the lock window only, for an account and an unknown name alike, and deletes old login_failures rows on a successful login', async () => {
    const failures = () => db.ds.getRepository(LoginFailureEntity).find({ order: { username: 'ASC' } });
    // Four failures each (one short of the lock of 5), then a pause longer than the lock window (15 minutes).
    for (const name of [who.username, 'nobody']) for (let i = 0; i < 4; i++) expect(await rejection(() => auth.login(name, 'wrong password'))).toBeInstanceOf(InvalidCredentialsError);
    clock.advance(15 * MINUTE + 1000);
    // The fifth failure after the pause starts a new count: no lock, for either.
    for (const name of [who.username, 'nobody']) expect(await rejection(() => auth.login(name, 'wrong password'))).toBeInstanceOf(InvalidCredentialsError);
    expect((await user()).failedLogins).toBe(1);
    expect((await failures()).map((f) => [f.username, f.failedLogins])).toEqual([['nobody', 1]]);

    // A name tried long ago, and one locked whose lock has run out, are deleted on the next good login; a recent one stays.
    for (let i = 0; i < 5; i++) await rejection(() => auth.login('ghost', 'wrong password'));
    expect((await failures()).find((f) => f.username === 'ghost')?.lockedUntil).not.toBeNull();
    clock.advance(15 * MINUTE + 1000);
    await rejection(() => auth.login('recent', 'wrong password'));
    await auth.login(who.username, who.password);
    expect((await failures()).map((f) => f.username)).toEqual(['recent']);
  });

  it('refuses an access token at once when its session ends (logout, refresh-token reuse), though the token has not expired; other sessions go on', async () => {
    const a = await auth.login(who.username, who.password);
    const b = await auth.login(who.username, who.password);
    // Both pass (and are now cached by this process).
    expect((await auth.verifyAccessToken(a.accessToken)).sessionId).not.toBe((await auth.verifyAccessToken(b.accessToken)).sessionId);
    await auth.logout(a.refreshToken);
    const ended = await rejection(() => auth.verifyAccessToken(a.accessToken));
    expect(ended).toBeInstanceOf(SessionEndedError);
    expect(ended.message).toBe('该登录会话已注销,请重新登录');
    expect((await auth.verifyAccessToken(b.accessToken)).userId).toBe(who.userId);

    // A refresh token presented twice ends its session: the access tokens of both turns go with it.
    const b2 = await auth.refresh(b.refreshToken);
    expect((await auth.verifyAccessToken(b2.accessToken)).userId).toBe(who.userId);
    expect(await rejection(() => auth.refresh(b.refreshToken))).toBeInstanceOf(RefreshTokenReusedError);
    for (const token of [b.accessToken, b2.accessToken]) expect(await rejection(() => auth.verifyAccessToken(token))).toBeInstanceOf(SessionEndedError);
  });

  it('refuses a well-signed access token that names no login session', async () => {
    const pair = await auth.login(who.username, who.password);
    const claims = decode(pair.accessToken.split('.')[1]);
    const key = new TextEncoder().encode((await db.ds.getRepository(PlatformSecretEntity).findOneByOrFail({ name: 'access_token_hs256' })).value);
    const sign = (extra: Record<string, unknown>) =>
      new SignJWT({ username: claims.username, unit: claims.unit, roles: claims.roles, ...extra })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(String(claims.sub))
        .setIssuer(String(claims.iss))
        .setAudience(String(claims.aud))
        .setIssuedAt(Number(claims.iat))
        .setExpirationTime(Number(claims.exp))
        .sign(key);
    // The same claims re-signed pass: what fails below is the missing or made-up session alone.
    expect((await auth.verifyAccessToken(await sign({ sid: claims.sid }))).userId).toBe(who.userId);
    expect(await rejection(async () => auth.verifyAccessToken(await sign({})))).toBeInstanceOf(AccessTokenInvalidError);
    expect(await rejection(async () => auth.verifyAccessToken(await sign({ sid: 'no-such-session' })))).toBeInstanceOf(SessionEndedError);
  });

  it('keeps a caller for the cache time only: another process’s logout reaches it within that bound, its own changes at once', async () => {
    let now = 0;
    const callers = new CallerCache(5000, () => now);
    const here = await AuthService.create(db.ds, {}, { clock, callers });
    const accounts = new UserAccounts(db.ds, clock, callers);
    // Another API process on the same database, which keeps nothing.
    const other = await AuthService.create(db.ds, { callerCacheSeconds: 0 }, { clock });

    const pair = await here.login(who.username, who.password);
    const first = await here.authenticate(pair.accessToken);
    expect(first.profile).toMatchObject({ id: who.userId, unit: { id: 'tc-edu' }, roles: ['staff'] });
    const sessionId = first.principal.sessionId!;
    expect(callers.get(sessionId)?.profile?.id).toBe(who.userId);

    // A change of roles made through this process applies at the next request.
    await accounts.assign(who.userId, { roles: ['head'] });
    expect((await here.authenticate(pair.accessToken)).principal.roles).toEqual(['head']);

    // Logged out through the other process: refused there at once; here once the entry is older than the bound.
    await other.logout(pair.refreshToken);
    expect(await rejection(() => other.verifyAccessToken(pair.accessToken))).toBeInstanceOf(SessionEndedError);
    now += 4999;
    expect((await here.verifyAccessToken(pair.accessToken)).userId).toBe(who.userId);
    now += 1;
    expect(await rejection(() => here.verifyAccessToken(pair.accessToken))).toBeInstanceOf(SessionEndedError);

    // A lockout here drops the user's cached sessions.
    const again = await here.login(who.username, who.password);
    const sid = (await here.authenticate(again.accessToken)).principal.sessionId!;
    expect(callers.get(sid)).toBeDefined();
    for (let i = 0; i < 5; i++) await rejection(() => here.login(who.username, 'wrong password'));
    expect(callers.get(sid)).toBeUndefined();
  });

  it('keeps a generated signing key in the database, so a restarted service accepts earlier tokens', async () => {
    const pair = await auth.login(who.username, who.password);
    const rows = await db.ds.getRepository(PlatformSecretEntity).find();
    expect(rows).toHaveLength(1);
    expect(rows[0].value.length).toBeGreaterThanOrEqual(32);
    const restarted = await AuthService.create(db.ds, {}, { clock });
    expect((await restarted.verifyAccessToken(pair.accessToken)).userId).toBe(who.userId);
    expect(await db.ds.getRepository(PlatformSecretEntity).count()).toBe(1);
    // A configured secret takes precedence; tokens signed with the stored one are then refused.
    const configured = await AuthService.create(db.ds, { secret: 'configured-secret-of-at-least-32-chars!' }, { clock });
    expect(await rejection(() => configured.verifyAccessToken(pair.accessToken))).toBeInstanceOf(AccessTokenInvalidError);
  });
});

describe('auth options and login body', () => {
  it('reads the environment, with defaults', () => {
    expect(authOptionsFromEnv({})).toEqual({ accessTokenMinutes: 15, refreshTokenDays: 7, maxFailedLogins: 5, lockMinutes: 15, callerCacheSeconds: 5 });
    expect(authOptionsFromEnv({ REFORM_CALLER_CACHE_SECONDS: '0' }).callerCacheSeconds).toBe(0);
    expect(() => authOptionsFromEnv({ REFORM_CALLER_CACHE_SECONDS: '61' })).toThrow('REFORM_CALLER_CACHE_SECONDS 最大为 60');
    expect(authOptionsFromEnv({ REFORM_AUTH_SECRET: 's'.repeat(40), REFORM_ACCESS_TOKEN_MINUTES: '5', REFORM_LOGIN_MAX_FAILURES: '3', REFORM_LOGIN_LOCK_MINUTES: '30', REFORM_REFRESH_TOKEN_DAYS: '1' })).toEqual({
      secret: 's'.repeat(40),
      accessTokenMinutes: 5,
      refreshTokenDays: 1,
      maxFailedLogins: 3,
      lockMinutes: 30,
      callerCacheSeconds: 5,
    });
  });

  it('refuses a short secret without echoing it, and a bad number naming the variable', () => {
    const secret = 'short-secret-xyz';
    expect(() => authOptionsFromEnv({ REFORM_AUTH_SECRET: secret })).toThrow('REFORM_AUTH_SECRET 至少 32 个字符');
    try {
      authOptionsFromEnv({ REFORM_AUTH_SECRET: secret });
    } catch (e) {
      expect((e as Error).message).not.toContain(secret);
    }
    expect(() => authOptionsFromEnv({ REFORM_ACCESS_TOKEN_MINUTES: 'abc' })).toThrow('REFORM_ACCESS_TOKEN_MINUTES');
    expect(() => authOptionsFromEnv({ REFORM_LOGIN_MAX_FAILURES: '0' })).toThrow('REFORM_LOGIN_MAX_FAILURES 至少为 1');
  });

  it('answers any body whatever with a parse or Chinese issues, never an exception', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ username: fc.anything(), password: fc.anything() }, { requiredKeys: [] })), (body) => {
        const r = LoginBodySchema.safeParse(body);
        if (!r.success) for (const issue of r.error.issues) expect(issue.message).toMatch(/[\u4e00-\u9fff]/);
      }),
    );
  });

  it('validates the login body with Chinese messages: missing, wrong type, too long, unknown fields', () => {
    const issues = (body: unknown) => {
      const r = LoginBodySchema.safeParse(body);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ username: 'clerk', password: 'pw' })).toEqual([]);
    expect(issues({ username: 'clerk' })).toEqual(['password: 密码应为文本']);
    expect(issues({ username: 3, password: 'pw' })).toEqual(['username: 用户名应为文本']);
    expect(issues({ username: 'clerk', password: 'p'.repeat(201) })).toEqual(['password: 密码最长 200 个字符']);
    expect(issues({ username: 'clerk', password: 'pw', role: 'admin' })).toEqual([': 不认识的字段:role']);
    expect(issues('clerk')).toEqual([': 请求体应为含 username 和 password 的对象']);
  });
});
