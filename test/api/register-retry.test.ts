import type { AuditService } from '@reform/audit';
import { createHash, randomUUID } from 'node:crypto';
import { DB_KINDS } from '../support/db';
import { Harness } from '../support/harness';
import { call, HarnessApi, leaks, startHarnessApi } from './support';

/**
 * Registration then action never 404s (issue 11, operations): a 201 for POST /api/plans means
 * the plan is in the ledger, so the next read or action finds it; when its ledger row cannot be
 * written (no worker answers the plan's projection query) the answer is a 503 in Chinese, and the
 * registration is idempotent by its X-Request-Id: the retry answers the plan the first try
 * registered, never a second one, as does a retry after a 201 whose answer was lost.
 */
describe.each(DB_KINDS)('plan registration: 201 means findable, X-Request-Id makes it once (%s)', (kind) => {
  let h: Harness;
  let api: HarnessApi;
  let url: string;
  let audit: AuditService;

  beforeAll(async () => {
    api = await startHarnessApi(kind, { logins: ['sf-ndrc', 'sf-reform'] });
    ({ h, url, audit } = api);
  });
  afterAll(async () => {
    await api?.close();
  });

  const as = (user: string, method: string, path: string, body?: unknown, requestId?: string) =>
    call({ url }, method, path, { body, headers: { authorization: `Bearer ${api.tokens[user]}`, ...(requestId ? { 'x-request-id': requestId } : {}) } });
  const registration = (title: string, extra: Record<string, unknown> = {}) => ({
    procedure: 'reform_plan',
    title,
    specialGroupId: 'sf-econ',
    responsibleLeader: '王副省长',
    responsiblePerson: '李明',
    ...extra,
  });
  /** The ledger's rows of this title, as the lead unit sees them. */
  const ledgerIdsOf = async (title: string) => {
    const r = await as('sf-ndrc', 'GET', '/api/plans?limit=100');
    expect(r.status).toBe(200);
    return (r.json.rows as Array<{ planId: string; title: string }>).filter((p) => p.title === title).map((p) => p.planId);
  };
  const registeredRows = async (planId: string) => (await audit.list({ pathPrefix: null }, { action: 'plan.registered', limit: 200 })).rows.filter((r) => r.target.id === planId);

  it('a 201 is findable at once; the same X-Request-Id sent again answers the same plan and registers nothing more', async () => {
    const title = `关于登记重发验证的实施方案${kind}`;
    const key = `reg-${randomUUID()}`;
    const first = await as('sf-ndrc', 'POST', '/api/plans', registration(title), key);
    expect(first.status).toBe(201);
    const planId = String(first.json.planId);
    // Findable at once, by the ledger (detail) and by the engine (the next action), without waiting.
    expect((await as('sf-ndrc', 'GET', `/api/plans/${planId}`)).status).toBe(200);
    // The answer was lost: the client sends the same request again.
    const again = await as('sf-ndrc', 'POST', '/api/plans', registration(title), key);
    expect([again.status, again.json.planId]).toEqual([201, planId]);
    const acted = await as('sf-ndrc', 'POST', `/api/plans/${planId}/actions`, { action: 'submit_draft' });
    expect([acted.status, (acted.json.stage as { id: string } | undefined)?.id]).toEqual([200, 'research']);
    expect(await ledgerIdsOf(title)).toEqual([planId]);
    const rows = await registeredRows(planId);
    expect(rows.map((r) => r.requestId)).toEqual([key]);

    // Another request (another id) registers another plan, even with the same fields.
    const other = await as('sf-ndrc', 'POST', '/api/plans', registration(title), `reg-${randomUUID()}`);
    expect(other.status).toBe(201);
    expect(other.json.planId).not.toBe(planId);
    expect((await ledgerIdsOf(title)).sort()).toEqual([planId, String(other.json.planId)].sort());
  });

  it('two requests whose derived ids share their 8 hex digits register two plans; each repeat answers its own', async () => {
    // The plan id without a named one is <procedure>-<day>-<8 hex of sha256 of ["plan", user, request id]>:
    // find two request ids of this user that meet there (a birthday search over 32 bits).
    const me = await as('sf-ndrc', 'GET', '/api/auth/me');
    const userId = String(me.json.id);
    const seen = new Map<string, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair && i < 2_000_000; i++) {
      const id = `collide-${kind}-${i}`;
      const prefix = createHash('sha256').update(JSON.stringify(['plan', userId, id])).digest('hex').slice(0, 8);
      const before = seen.get(prefix);
      if (before) pair = [before, id];
      else seen.set(prefix, id);
    }
    expect(pair).toBeDefined();
    const [a, b] = pair!;
    const title = `关于编号碰撞验证的实施方案${kind}`;
    const first = await as('sf-ndrc', 'POST', '/api/plans', registration(title), a);
    const second = await as('sf-ndrc', 'POST', '/api/plans', registration(title), b);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.json.planId).not.toBe(first.json.planId);
    expect((await ledgerIdsOf(title)).sort()).toEqual([String(first.json.planId), String(second.json.planId)].sort());
    // Each sent again answers its own plan and registers nothing more.
    expect((await as('sf-ndrc', 'POST', '/api/plans', registration(title), b)).json.planId).toBe(second.json.planId);
    expect((await as('sf-ndrc', 'POST', '/api/plans', registration(title), a)).json.planId).toBe(first.json.planId);
    expect(await ledgerIdsOf(title)).toHaveLength(2);
  });

  it('503 in Chinese while the ledger row cannot be written (no worker); the retry with the same X-Request-Id answers the one plan, and its action lands', async () => {
    const title = `关于工作进程停止时登记的实施方案${kind}`;
    const key = `reg-${randomUUID()}`;
    await h.stopWorker();
    let refused;
    try {
      refused = await as('sf-ndrc', 'POST', '/api/plans', registration(title), key);
    } finally {
      await h.startWorker();
    }
    expect([refused.status, refused.json.error?.code]).toEqual([503, 'unavailable']);
    const message = String(refused.json.error?.message);
    // The message names the plan the first try registered.
    const planNamed = /方案「([^」]+)」/.exec(message)?.[1];
    expect(message).toBe(`已受理,方案「${planNamed}」正在写入台账(流程引擎或数据库暂未应答);请稍后以同一请求编号(X-Request-Id)重试,不会重复登记`);
    expect(leaks(refused.text)).toEqual([]);
    expect(refused.json.error?.requestId).toBe(key);

    // The retry, once a worker runs again: the plan the first try started, now in the ledger.
    const retried = await as('sf-ndrc', 'POST', '/api/plans', registration(title), key);
    expect([retried.status, retried.json.planId]).toEqual([201, planNamed]);
    const planId = String(retried.json.planId);
    const acted = await as('sf-ndrc', 'POST', `/api/plans/${planId}/actions`, { action: 'submit_draft' });
    expect([acted.status, (acted.json.stage as { id: string } | undefined)?.id]).toEqual([200, 'research']);
    expect(await ledgerIdsOf(title)).toEqual([planId]);
    expect((await registeredRows(planId)).map((r) => r.requestId)).toEqual([key]);
    expect((await audit.verify()).ok).toBe(true);
  }, 120_000);

  it('a plan id the caller names: the same X-Request-Id answers it again; another request is refused the used id', async () => {
    const id = `named-${kind}-${randomUUID().slice(0, 8)}`;
    const title = `关于自定编号登记的实施方案${kind}`;
    const key = `reg-${randomUUID()}`;
    const first = await as('sf-ndrc', 'POST', '/api/plans', registration(title, { id }), key);
    expect([first.status, first.json.planId]).toEqual([201, id]);
    const again = await as('sf-ndrc', 'POST', '/api/plans', registration(title, { id }), key);
    expect([again.status, again.json.planId]).toEqual([201, id]);
    const taken = await as('sf-ndrc', 'POST', '/api/plans', registration(title, { id }), `reg-${randomUUID()}`);
    expect([taken.status, taken.json.error?.message]).toEqual([400, `方案编号「${id}」已被使用(该编号的方案正在办理中),请换一个编号`]);
    expect(await ledgerIdsOf(title)).toEqual([id]);
  });
});
