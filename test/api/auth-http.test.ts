import { authOptionsFromEnv, seedDemo } from '@reform/identity';
import { PlatformSecretEntity } from '@reform/persistence';
import { createHmac } from 'node:crypto';
import { beijing, MINUTE, TestClock } from '../identity/fixtures';
import { tamper } from '../persistence/audit-fixtures';
import { DB_KINDS } from '../support/db';
import { leaks, startTestApi, TestApi } from './support';
import { callFrom, eventually, Reply } from './world';

const b64url = (s: string | Buffer): string => Buffer.from(s).toString('base64url');
const decode = (part: string): Record<string, unknown> => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
const sign = (body: string, key: string) => createHmac('sha256', key).update(body).digest('base64url');

/**
 * Signing in over HTTP (issue 8 §2, "Bad input and safety"): lockout after repeated failures and
 * unlock once the configured minutes are over, the login throttle, access token expiry, forged
 * tokens, refresh-token rotation and a replayed refresh token revoking its family, logout, and
 * the audit chain verified over HTTP catching a row altered by SQL. The settings come from the
 * environment variables the API reads; the service's clock is the test's.
 */
describe.each(DB_KINDS)('sign-in, tokens and the audit chain over HTTP (%s)', (kind) => {
  let api: TestApi;
  let clock: TestClock;
  let passwords: Record<string, string>;
  /** Every token the API handed out: none may be in a log line or an audit row. */
  const handedOut: string[] = [];

  // Each test from its own address: the login throttle (10 a minute) counts per address.
  const from = (n: number) => `127.0.0.${20 + n}`;
  const req = (n: number, method: string, path: string, init: { body?: unknown; token?: string } = {}) => callFrom(api.url, from(n), method, path, init);
  async function login(n: number, username: string, password = passwords[username]): Promise<Reply> {
    const r = await req(n, 'POST', '/api/auth/login', { body: { username, password } });
    if (r.status === 200) handedOut.push(String(r.json.accessToken), String(r.json.refreshToken));
    return r;
  }
  const me = (n: number, token: string) => req(n, 'GET', '/api/auth/me', { token });
  const auditActions = async (): Promise<string[]> => ((await api.db.ds.query('SELECT action FROM audit_log ORDER BY seq')) as Array<{ action: string }>).map((r) => r.action);

  beforeAll(async () => {
    clock = new TestClock();
    // As an office would configure it: 3 failures lock for 2 minutes; access tokens live 1 minute.
    const auth = authOptionsFromEnv({ REFORM_LOGIN_MAX_FAILURES: '3', REFORM_LOGIN_LOCK_MINUTES: '2', REFORM_ACCESS_TOKEN_MINUTES: '1' });
    api = await startTestApi({ db: kind, platform: { auth, clock } });
    passwords = Object.fromEntries((await seedDemo(api.db.ds, { clock })).logins.map((l) => [l.username, l.password]));
  });
  afterAll(async () => {
    await api?.close();
  });

  it('locks an account after the configured failures, refuses even the right password until the minutes are over, then lets it in', async () => {
    const start = clock.now();
    for (const attempt of [1, 2]) {
      const r = await login(1, 'demo-edu', `wrong password ${attempt}`);
      expect([r.status, r.json.error?.code, r.json.error?.message]).toEqual([401, 'invalid_credentials', '用户名或密码错误']);
    }
    const until = new Date(start.getTime() + 2 * MINUTE);
    const locking = await login(1, 'demo-edu', 'wrong password 3');
    expect([locking.status, locking.json.error?.code]).toEqual([401, 'account_locked']);
    expect(locking.json.error?.message).toBe(`连续登录失败次数过多,账号已锁定至 ${beijing(until)}(北京时间),请届时再试`);

    clock.advance(2 * MINUTE - 1000);
    const still = await login(1, 'demo-edu');
    expect([still.status, still.json.error?.code]).toEqual([401, 'account_locked']);

    clock.advance(1000);
    const open = await login(1, 'demo-edu');
    expect(open.status).toBe(200);
    expect((await me(1, String(open.json.accessToken))).json).toMatchObject({ username: 'demo-edu' });
    // In the audit trail: the failures, the lock, the login that followed.
    await eventually(async () => expect(await auditActions()).toEqual(expect.arrayContaining(['auth.login_failed', 'auth.account_locked', 'auth.login_succeeded'])));
  });

  it('throttles logins from one address: the eleventh within a minute is 429, in Chinese', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await login(2, 'demo-finance')).status);
    const over = await login(2, 'demo-finance');
    expect([...statuses, over.status]).toEqual([...Array<number>(10).fill(200), 429]);
    expect(over.json.error).toEqual(expect.objectContaining({ status: 429, message: '请求过于频繁,请稍后再试' }));
    // Another office's address is not held up.
    expect((await login(3, 'demo-finance')).status).toBe(200);
  });

  it('refuses an access token once its configured lifetime is over, and one signed with an expiry in the past', async () => {
    const pair = (await login(4, 'demo-ndrc')).json;
    const token = String(pair.accessToken);
    expect(pair.expiresIn).toBe(60);
    clock.advance(MINUTE - 1000);
    expect((await me(4, token)).status).toBe(200);
    clock.advance(1000);
    const expired = await me(4, token);
    expect([expired.status, expired.json.error?.code, expired.json.error?.message]).toEqual([401, 'access_token_expired', '访问令牌已过期,请用刷新令牌换取新令牌或重新登录']);
    // The refresh token still gets a new pair, whose access token works.
    const renewed = await req(4, 'POST', '/api/auth/refresh', { body: { refreshToken: pair.refreshToken } });
    expect(renewed.status).toBe(200);
    handedOut.push(String(renewed.json.accessToken), String(renewed.json.refreshToken));
    expect((await me(4, String(renewed.json.accessToken))).status).toBe(200);

    // A token signed with the installation's own key, but whose expiry is already past.
    const key = (await api.db.ds.getRepository(PlatformSecretEntity).findOneByOrFail({ name: 'access_token_hs256' })).value;
    const [header, payload] = String(renewed.json.accessToken).split('.');
    const claims = decode(payload);
    const past = `${header}.${b64url(JSON.stringify({ ...claims, exp: Number(claims.iat) - 1 }))}`;
    const stale = await me(4, `${past}.${sign(past, key)}`);
    expect([stale.status, stale.json.error?.code]).toEqual([401, 'access_token_expired']);
  });

  it('refuses forged tokens with 401, and a forged token changes nothing', async () => {
    const genuine = String((await login(5, 'demo-ndrc')).json.accessToken);
    const [header, payload, signature] = genuine.split('.');
    const claims = decode(payload);
    // Claims changed to another unit and more roles, the signature kept; the same claims under another key; alg none.
    const promoted = `${header}.${b64url(JSON.stringify({ ...claims, unit: 'demo-reform', roles: ['staff', 'admin'] }))}.${signature}`;
    const body = `${header}.${payload}`;
    const otherKey = `${body}.${sign(body, 'not-the-installation-key-but-long-enough-0000')}`;
    const none = `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload}.`;
    const before = await auditActions();
    for (const [what, token] of Object.entries({ promoted, otherKey, none, garbage: 'not.a.token', truncated: genuine.slice(0, -4) })) {
      const r = await me(5, token);
      expect([what, r.status, r.json.error?.code, r.json.error?.message]).toEqual([what, 401, 'access_token_invalid', '访问令牌无效,请重新登录']);
      // A state-changing route: refused before anything runs.
      const write = await req(5, 'POST', '/api/plans', { token, body: { procedure: 'reform_plan', title: '伪造令牌登记的方案', specialGroupId: 'demo-econ', responsibleLeader: '王副省长', responsiblePerson: '李明' } });
      expect([what, write.status]).toEqual([what, 401]);
      expect(leaks(r.text)).toEqual([]);
    }
    // A refresh token is no access token, and a missing scheme is no token.
    expect((await me(5, String(handedOut[handedOut.length - 1]))).status).toBe(401);
    expect((await req(5, 'GET', '/api/auth/me', { body: undefined })).status).toBe(401);
    expect(await auditActions()).toEqual(before);
    expect((await me(5, genuine)).status).toBe(200);
  });

  it('rotates the refresh token on each use; a used one presented again revokes its whole family, other logins go on', async () => {
    const first = (await login(6, 'demo-econ')).json;
    const elsewhere = (await login(6, 'demo-econ')).json;
    const second = await req(6, 'POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(second.status).toBe(200);
    expect(second.json.refreshToken).not.toBe(first.refreshToken);
    expect(second.json.accessToken).not.toBe(first.accessToken);
    const third = await req(6, 'POST', '/api/auth/refresh', { body: { refreshToken: second.json.refreshToken } });
    expect(third.status).toBe(200);
    handedOut.push(...[second, third].flatMap((r) => [String(r.json.accessToken), String(r.json.refreshToken)]));

    // The first token again (a thief's copy, say): refused, and the family is gone, the newest token too.
    const replay = await req(6, 'POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect([replay.status, replay.json.error?.code]).toEqual([401, 'refresh_token_reused']);
    expect(replay.json.error?.message).toBe('刷新令牌已被使用过,可能已泄露;为安全起见,该登录会话已全部注销,请重新登录');
    const newest = await req(6, 'POST', '/api/auth/refresh', { body: { refreshToken: third.json.refreshToken } });
    expect([newest.status, newest.json.error?.code, newest.json.error?.message]).toEqual([401, 'refresh_token_invalid', '该登录会话已注销,请重新登录']);
    // The access tokens of the revoked family are refused at once too.
    for (const token of [first.accessToken, second.json.accessToken, third.json.accessToken]) expect((await me(6, String(token))).json.error?.code).toBe('session_ended');
    // Another login of the same user is another family.
    const other = await req(6, 'POST', '/api/auth/refresh', { body: { refreshToken: elsewhere.refreshToken } });
    expect(other.status).toBe(200);
    handedOut.push(String(other.json.accessToken), String(other.json.refreshToken));
    await eventually(async () => expect(await auditActions()).toContain('auth.refresh_reused'));
  });

  it('logs out: the session’s access and refresh tokens no longer work at once; a made-up one is 401', async () => {
    const pair = (await login(7, 'demo-legal')).json;
    const other = (await login(7, 'demo-legal')).json;
    // Signed in (and the caller now cached by the API).
    expect((await me(7, String(pair.accessToken))).status).toBe(200);
    const out = await req(7, 'POST', '/api/auth/logout', { body: { refreshToken: pair.refreshToken } });
    expect([out.status, out.text]).toEqual([204, '']);
    // The access token has 1 minute left, but its session is over.
    const refused = await me(7, String(pair.accessToken));
    expect([refused.status, refused.json.error?.code, refused.json.error?.message]).toEqual([401, 'session_ended', '该登录会话已注销,请重新登录']);
    // The user's other login goes on.
    expect((await me(7, String(other.accessToken))).status).toBe(200);
    const after = await req(7, 'POST', '/api/auth/refresh', { body: { refreshToken: pair.refreshToken } });
    expect([after.status, after.json.error?.message]).toEqual([401, '该登录会话已注销,请重新登录']);
    expect((await req(7, 'POST', '/api/auth/logout', { body: { refreshToken: 'made-up-refresh-token' } })).status).toBe(401);
    await eventually(async () => expect(await auditActions()).toContain('auth.logged_out'));
    // The session events are the user's unit's, as every audit row names the actor's unit.
    const rows: Array<{ action: string; actor_unit_id: string | null }> = await api.db.ds.query("SELECT action, actor_unit_id FROM audit_log WHERE actor_user_id IS NOT NULL AND action LIKE 'auth.%'");
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.actor_unit_id === null)).toEqual([]);
    const legal: Array<{ action: string; actor_unit_id: string }> = await api.db.ds.query(
      "SELECT a.action, a.actor_unit_id FROM audit_log a JOIN users u ON u.id = a.actor_user_id WHERE u.username = 'demo-legal' AND a.action IN ('auth.login_succeeded', 'auth.logged_out')",
    );
    expect(new Set(legal.map((r) => `${r.action} ${r.actor_unit_id}`))).toEqual(new Set(['auth.login_succeeded demo-legal', 'auth.logged_out demo-legal']));
  });

  it('verifies the audit chain over HTTP for the reform office, and catches a row altered by SQL', async () => {
    const reform = String((await login(8, 'demo-reform')).json.accessToken);
    // Login events are audited a moment after the answer: verify once the trail has them all.
    const rows = await eventually(async () => {
      const n = Number((await api.db.ds.query('SELECT COUNT(*) AS n FROM audit_log'))[0].n);
      const v = await req(8, 'GET', '/api/audit/verify', { token: reform });
      expect(v.status).toBe(200);
      expect(v.json).toEqual(expect.objectContaining({ ok: true, rowsChecked: n, headSeq: n, broken: null }));
      expect((v.json.lines as string[])[0]).toBe(`审计链完好:已核验 ${n} 条记录。`);
      return n;
    });
    expect(rows).toBeGreaterThan(10);
    // Another unit may not run it, nor a city's reform office (the chain holds the whole province's acts).
    expect((await req(8, 'GET', '/api/audit/verify', { token: String((await login(8, 'demo-ndrc')).json.accessToken) })).status).toBe(403);
    const city = await req(8, 'GET', '/api/audit/verify', { token: String((await login(8, 'jia-reform')).json.accessToken) });
    expect([city.status, city.json.error?.message]).toEqual([403, '审计链记录全省各级的操作,仅省级改革办可核验;甲市改革办不能核验']);

    // Someone with rights on the database rewrites who failed to log in, in row 2.
    await tamper(api.db.ds, [`UPDATE audit_log SET after = '{"username":"somebody-else","knownUser":false}' WHERE seq = 2`]);
    const v = await req(8, 'GET', '/api/audit/verify', { token: reform });
    expect(v.status).toBe(200);
    expect(v.json).toEqual(
      expect.objectContaining({ ok: false, rowsChecked: 2, headSeq: 1, broken: { seq: 2, kind: 'changed', message: '第 2 条记录的内容与其存储的哈希不符:该条在写入后被改动' } }),
    );
    expect((v.json.lines as string[])[0]).toMatch(/^审计链断裂:第 2 条/);
  });

  it('writes no password and no token to the log or the audit trail', async () => {
    const logged = JSON.stringify(api.logs);
    const audited = JSON.stringify(await api.db.ds.query('SELECT * FROM audit_log'));
    const secrets = [...Object.values(passwords), ...handedOut];
    expect(secrets.length).toBeGreaterThan(20);
    expect(secrets.filter((s) => logged.includes(s) || audited.includes(s))).toEqual([]);
  });
});
