import { randomUUID } from 'node:crypto';
import { DB_KINDS } from '../support/db';
import { Harness } from '../support/harness';
import { call, HarnessApi, leaks, startHarnessApi } from './support';

/**
 * Saved views of the ledger (台账视图, issue 10) over HTTP: a user keeps the ledger's filters under
 * a name, lists, opens and deletes them; nobody else sees them (404); bad input is a Chinese 400
 * naming the field and changes nothing; a name twice is 409; a request repeated with the same
 * request id is done once; every change is audited.
 */

interface View {
  id: string;
  name: string;
  filters: Record<string, string>;
}

describe.each(DB_KINDS)('saved ledger views over HTTP (%s)', (kind) => {
  let h: Harness;
  let api: HarnessApi;
  let url: string;

  beforeAll(async () => {
    api = await startHarnessApi(kind, { logins: ['sf-reform', 'sf-ndrc'] });
    ({ h, url } = api);
  });
  afterAll(async () => {
    await api?.close();
  });

  const as = (user: string, method: string, path: string, body?: unknown, requestId?: string) =>
    call({ url }, method, path, { body, headers: { authorization: `Bearer ${api.tokens[user]}`, ...(requestId ? { 'x-request-id': requestId } : {}) } });
  const views = async (user: string) => {
    const r = await as(user, 'GET', '/api/ledger/views');
    expect(r.status).toBe(200);
    return r.json as unknown as View[];
  };
  const rowCount = async () => Number((await h.db.ds.query('SELECT COUNT(*) AS n FROM ledger_views'))[0].n);

  it('saves, lists, opens and deletes a user’s own views; others see none of them', async () => {
    expect((await call({ url }, 'GET', '/api/ledger/views')).status).toBe(401);
    expect(await views('sf-reform')).toEqual([]);

    const filters = { level: 'province', overdue: 'true', sort: 'title', text: '营商环境' };
    const key = randomUUID();
    const saved = await as('sf-reform', 'POST', '/api/ledger/views', { name: '省级逾期方案', filters }, key);
    expect(saved.status).toBe(201);
    const view = saved.json as unknown as View;
    expect(view).toMatchObject({ name: '省级逾期方案', filters });
    // Typed values (a number, a boolean) are kept as the query string has them.
    const typed = await as('sf-reform', 'POST', '/api/ledger/views', { name: '十日内到期', filters: { dueWithinDays: 10, overdue: false } });
    expect(typed.status).toBe(201);
    expect((typed.json as unknown as View).filters).toEqual({ dueWithinDays: '10', overdue: 'false' });

    // The same request again: the same view, not a second one.
    const again = await as('sf-reform', 'POST', '/api/ledger/views', { name: '省级逾期方案', filters }, key);
    expect(again.status).toBe(201);
    expect((again.json as unknown as View).id).toBe(view.id);
    expect((await views('sf-reform')).map((v) => v.name)).toEqual(['省级逾期方案', '十日内到期']);

    // Opened, its filters are those saved, and they are the ledger's query.
    const opened = await as('sf-reform', 'GET', `/api/ledger/views/${view.id}`);
    expect(opened.status).toBe(200);
    expect((opened.json as unknown as View).filters).toEqual(filters);
    expect((await as('sf-reform', 'GET', `/api/plans?${new URLSearchParams(filters)}`)).status).toBe(200);

    // Another user: sees none of them, cannot open or delete one.
    expect(await views('sf-ndrc')).toEqual([]);
    expect((await as('sf-ndrc', 'GET', `/api/ledger/views/${view.id}`)).status).toBe(404);
    expect((await as('sf-ndrc', 'DELETE', `/api/ledger/views/${view.id}`)).status).toBe(404);
    // The other user may use the same name for a view of their own.
    expect((await as('sf-ndrc', 'POST', '/api/ledger/views', { name: '省级逾期方案', filters: { status: 'open' } })).status).toBe(201);

    // A name twice for the same user: 409 in Chinese, nothing added.
    const before = await rowCount();
    const twice = await as('sf-reform', 'POST', '/api/ledger/views', { name: '省级逾期方案', filters: { status: 'open' } });
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('已有名为「省级逾期方案」的台账视图');
    expect(await rowCount()).toBe(before);

    // Deleted (and a repeat of that request answers the same), gone from the list.
    const delKey = randomUUID();
    expect((await as('sf-reform', 'DELETE', `/api/ledger/views/${view.id}`, undefined, delKey)).status).toBe(204);
    expect((await as('sf-reform', 'DELETE', `/api/ledger/views/${view.id}`, undefined, delKey)).status).toBe(204);
    expect((await as('sf-reform', 'DELETE', `/api/ledger/views/${view.id}`)).status).toBe(404);
    expect((await views('sf-reform')).map((v) => v.name)).toEqual(['十日内到期']);

    // Every change audited once, by its user and unit.
    const rows: Array<{ action: string; actor_unit_id: string; target_id: string }> = await h.db.ds.query(
      `SELECT action, actor_unit_id, target_id FROM audit_log WHERE target_type = 'ledger_view' ORDER BY seq`,
    );
    expect(rows.map((r) => [r.action, r.actor_unit_id])).toEqual([
      ['ledger_view.saved', 'sf-reform'],
      ['ledger_view.saved', 'sf-reform'],
      ['ledger_view.saved', 'sf-ndrc'],
      ['ledger_view.deleted', 'sf-reform'],
    ]);
    expect(rows.filter((r) => r.target_id === view.id).map((r) => r.action)).toEqual(['ledger_view.saved', 'ledger_view.deleted']);
    expect((await api.audit.verify()).ok).toBe(true);
  });

  it('refuses bad input with a Chinese message naming the field, and keeps nothing', async () => {
    const before = await rowCount();
    const cases: Array<[unknown, string, string]> = [
      [{ name: '', filters: {} }, 'name', '须写明视图名称'],
      [{ name: '视'.repeat(51), filters: {} }, 'name', '视图名称最长 50 个字'],
      [{ name: '坏层级', filters: { level: 'planet' } }, 'filters.level', '层级应为'],
      [{ name: '坏天数', filters: { dueWithinDays: '-3' } }, 'filters.dueWithinDays', '天数不能为负'],
      [{ name: '坏条件', filters: { colour: 'red' } }, 'filters', '未知的筛选条件 colour'],
      [{ name: '带分页', filters: { cursor: 'abc' } }, 'filters.cursor', '视图不保存分页'],
      [{ name: '缺条件' }, 'filters', ''],
      [{ name: '多字段', filters: {}, owner: 'x' }, 'owner', ''],
    ];
    for (const [body, field, message] of cases) {
      const r = await as('sf-reform', 'POST', '/api/ledger/views', body);
      expect([field, r.status]).toEqual([field, 400]);
      const error = r.json.error as { message: string; issues?: Array<{ path: string; message: string }> };
      const said = [error.message, ...(error.issues ?? []).map((i) => `${i.path} ${i.message}`)].join('\n');
      expect(said).toContain(field);
      expect(said).toContain(message);
      expect(leaks(r.text)).toEqual([]);
    }
    expect((await as('sf-reform', 'GET', '/api/ledger/views/not-a-view')).status).toBe(404);
    expect(await rowCount()).toBe(before);
  });
});
