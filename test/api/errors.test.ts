import { Controller, Get } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RequireUser, CurrentUser, Principal } from '../../apps/api/src/auth';
import { CONTROLLERS } from '../../apps/api/src/create-api';
import { ApiError } from '../../apps/api/src/errors';
import { ROOT } from '../support/temporal';
import { call, leaks, startTestApi, TestApi } from './support';

/** Routes that exist only in this test: a bug, and a route that needs a user. */
@Controller('test')
class ProbeController {
  @Get('bug')
  bug(): never {
    // A real bug: reading a property of undefined, with an internal detail in its message.
    const rows = undefined as unknown as Array<{ sql: string }>;
    return rows[0].sql as never;
  }

  @Get('me')
  @RequireUser()
  me(@CurrentUser() user: Principal) {
    return { name: user.username };
  }
}

const pilotRules = () => readFileSync(join(ROOT, 'rules/standard/pilot.rules'), 'utf8');

/** A user for the token "good", a locked account for "locked", nobody for anything else. */
const auth = {
  resolve: async (req: { headers: Record<string, string | string[] | undefined> }): Promise<{ principal: Principal } | undefined> => {
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (token === 'locked') throw new ApiError(403, '账号已锁定');
    return token === 'good' ? { principal: { userId: 'u1', unitId: 'unit1', username: 'liming', roles: ['staff'] } } : undefined;
  },
};

describe('the one error shape, from real requests', () => {
  let api: TestApi;
  const bodies: string[] = [];

  beforeAll(async () => {
    api = await startTestApi({ options: { bodyLimit: '4kb', throttle: { limit: 1000, ttlMs: 60_000 } }, deps: { auth }, controllers: [...CONTROLLERS, ProbeController] });
  });
  afterAll(async () => {
    // Nothing internal in any response of this file.
    expect(bodies.flatMap(leaks)).toEqual([]);
    await api.close();
  });

  async function request(method: string, path: string, init?: Parameters<typeof call>[3]) {
    const r = await call(api, method, path, init);
    bodies.push(r.text);
    if (r.status >= 400) {
      // Every error: the shape, Chinese text, and the request id also in the header.
      expect(r.json.error).toEqual(expect.objectContaining({ status: r.status, code: expect.any(String), message: expect.stringMatching(/[\u4e00-\u9fff]/), requestId: r.headers.get('x-request-id') }));
    }
    return r;
  }

  it('400: each bad field by its path, unknown fields refused', async () => {
    const r = await request('POST', '/api/rules/check', { body: { files: [{ name: 'a.rules', text: 5 }, { name: '../etc/passwd', text: '' }], extra: true } });
    expect(r.status).toBe(400);
    expect(r.json.error!.code).toBe('validation');
    const paths = r.json.error!.issues!.map((i) => i.path).sort();
    expect(paths).toEqual(['extra', 'files.0.text', 'files.1.name']);
    expect(r.json.error!.issues!.find((i) => i.path === 'files.1.name')!.message).toBe('文件名应形如 reform_plan.rules,不含路径');
  });

  it('400: a path parameter, under params', async () => {
    const r = await request('GET', '/api/procedures/Not-An-Id/versions');
    expect(r.status).toBe(400);
    expect(r.json.error!.issues).toEqual([{ path: 'params.id', message: '标识应为小写字母、数字和下划线,以字母开头' }]);
  });

  it('400: malformed JSON and an empty body', async () => {
    const bad = await request('POST', '/api/rules/check', { raw: '{"files": [', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error!.message).toBe('请求体不是合法的 JSON');
    const none = await request('POST', '/api/rules/check');
    expect(none.status).toBe(400);
    expect(none.json.error!.issues![0].path).toBe('');
  });

  it('401 without a user, 403 for a locked one, 200 with a good token', async () => {
    expect((await request('GET', '/api/test/me')).status).toBe(401);
    expect((await request('GET', '/api/test/me', { headers: { authorization: 'Bearer forged' } })).status).toBe(401);
    const locked = await request('GET', '/api/test/me', { headers: { authorization: 'Bearer locked' } });
    expect(locked.status).toBe(403);
    expect(locked.json.error!.message).toBe('账号已锁定');
    const ok = await request('GET', '/api/test/me', { headers: { authorization: 'Bearer good' } });
    expect(ok.json).toEqual({ name: 'liming' });
  });

  it('404: an unknown route and an unknown procedure, in Chinese', async () => {
    const route = await request('GET', '/api/no/such/thing?x=1');
    expect(route.status).toBe(404);
    expect(route.json.error!.message).toBe('没有这个接口:GET /api/no/such/thing');
    const outside = await request('DELETE', '/elsewhere');
    expect(outside.status).toBe(404);
    const procedure = await request('GET', '/api/procedures/no_such_procedure/versions');
    expect(procedure.status).toBe(404);
    expect(procedure.json.error!.message).toBe('没有已发布的流程「no_such_procedure」');
  });

  it('413: a body over the limit', async () => {
    const r = await request('POST', '/api/rules/check', { body: { files: [{ name: 'a.rules', text: 'x'.repeat(5000) }] } });
    expect(r.status).toBe(413);
    expect(r.json.error!.message).toBe('请求体过大:不得超过 4 KB');
  });

  it('415: a body that is not JSON', async () => {
    const text = await request('POST', '/api/rules/check', { raw: 'files=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(text.status).toBe(415);
    expect(text.json.error!.code).toBe('unsupported_media_type');
    const latin = await request('POST', '/api/rules/check', { raw: '{}', headers: { 'content-type': 'application/json; charset=latin1' } });
    expect(latin.status).toBe(415);
  });

  it('422: rules with an error, positioned; 200 for good rules with the procedures they define', async () => {
    const lines = pilotRules().split('\n');
    expect(lines[3]).toBe('  依据 S6');
    lines[3] = '  依据 Z99';
    const r = await request('POST', '/api/rules/check', { body: { files: [{ name: 'pilot.rules', text: lines.join('\n') }] } });
    expect(r.status).toBe(422);
    expect(r.json.error!.code).toBe('rules_invalid');
    expect(r.json.error!.diagnostics).toEqual([expect.objectContaining({ file: 'pilot.rules', line: 4, column: 6, severity: 'error', code: 'bad-source' })]);

    const ok = await request('POST', '/api/rules/check', { body: { files: [{ name: 'pilot.rules', text: pilotRules() }] } });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual(expect.objectContaining({ ok: true, procedures: [{ id: 'pilot', version: 1, title: '改革试点' }] }));
  });

  it('500 only for a bug: a generic Chinese message and the request id; the stack goes to the log only', async () => {
    const r = await request('GET', '/api/test/bug', { headers: { 'x-request-id': 'req-bug-1' } });
    expect(r.status).toBe(500);
    expect(r.json.error).toEqual({ status: 500, code: 'internal', message: '服务器内部错误,请求未完成;请把请求编号告诉运维人员', requestId: 'req-bug-1' });
    const logged = api.logs.find((l) => l.msg === 'unhandled error' && l.requestId === 'req-bug-1');
    expect(logged?.stack).toMatch(/TypeError/);
  });

  it('logs one JSON line per request with its id, route template, status and duration; no secret', async () => {
    await request('GET', '/api/procedures/reform_plan/versions?token=tok-123&page=2', { headers: { authorization: 'Bearer very-secret', 'x-request-id': 'req-log-1' } });
    const line = api.logs.find((l) => l.requestId === 'req-log-1');
    expect(line).toEqual(expect.objectContaining({ msg: 'request', method: 'GET', route: '/api/procedures/:id/versions', status: 200, durationMs: expect.any(Number) }));
    expect(line!.path).toBe('/api/procedures/reform_plan/versions?token=***&page=2');
    const all = JSON.stringify(api.logs);
    expect(all).not.toContain('very-secret');
    expect(all).not.toContain('tok-123');
  });
});

describe('429 when throttled', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ options: { throttle: { limit: 3, ttlMs: 60_000 } } });
  });
  afterAll(() => api.close());

  it('answers the requests within the limit, then 429 in Chinese', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(api, 'GET', '/api/procedures')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const r = await call(api, 'GET', '/api/procedures');
    expect(r.json.error).toEqual(expect.objectContaining({ status: 429, code: 'too_many_requests', message: '请求过于频繁,请稍后再试' }));
  });
});
