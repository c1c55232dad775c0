import { addDays } from '@reform/calendar';
import { DB_KINDS } from '../support/db';
import { call, HarnessApi, startHarnessApi } from './support';
import { eventually } from './world';

/**
 * The audit trail's list (GET /api/audit/entries) over HTTP, on the real Temporal test server and
 * both databases. Scope, written from the issue's rule (a reform office sees its level and below;
 * the province's reform office the whole trail; anyone else 403): 甲市改革办 sees the acts of 甲市's
 * units and the engine's letters on 甲市's plans, none of the province's departments' acts.
 */
type Row = {
  seq: number;
  action: string;
  actionLabel: string;
  actor: { name: string | null; displayName: string | null; unitId: string | null; unitName: string | null } | null;
  target: { type: string; typeLabel: string; id: string | null; title: string | null };
  hash: string;
  prevHash: string;
};
type Page = { rows: Row[]; nextCursor: number | null };

describe.each(DB_KINDS)('the audit trail’s list over HTTP (%s)', (kind) => {
  let api: HarnessApi;
  let provincePlan: string;
  let cityPlan: string;
  const as = (user: string, path: string) => call(api, 'GET', path, { headers: { authorization: `Bearer ${api.tokens[user]}` } });
  const page = async (user: string, path: string): Promise<Page> => {
    const r = await as(user, path);
    expect([r.status, r.text.slice(0, 300)]).toEqual([200, expect.any(String)]);
    return r.json as unknown as Page;
  };

  beforeAll(async () => {
    api = await startHarnessApi(kind, {
      logins: ['sf-reform', 'sf-ndrc', 'jia-reform', 'jia-ndrc'],
      extraUnits: [
        ['jia', 'jia-ndrc', '甲市发展和改革委员会', 'department'],
        ['jia', 'jia-econ', '甲市经济体制改革专项小组', 'special_group', '经济体制改革'],
      ],
    });
    const today = await api.h.today();
    const register = async (user: string, body: Record<string, unknown>) => {
      const r = await call(api, 'POST', '/api/plans', { headers: { authorization: `Bearer ${api.tokens[user]}` }, body: { participatingUnitIds: [], responsibleLeader: '王副省长', responsiblePerson: '李明', ...body } });
      expect(r.status).toBe(201);
      return String(r.json.planId);
    };
    provincePlan = await register('sf-ndrc', { procedure: 'reform_plan', title: '关于深化营商环境改革的实施方案', specialGroupId: 'sf-econ' });
    // S1's half year from the central plan passed before registration: the engine issues its letters at once.
    cityPlan = await register('jia-ndrc', { procedure: 'central_integration', title: '关于对接中央国资国企改革方案的实施方案', specialGroupId: 'jia-econ', startEvents: { central_plan_issued: addDays(today, -215) } });
    await eventually(async () => {
      const rows = (await page('sf-reform', '/api/audit/entries?action=letter.issued')).rows;
      expect(rows.length).toBeGreaterThan(0);
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('lists the province’s whole trail newest first, with the acts and objects in Chinese', async () => {
    const all = (await page('sf-reform', '/api/audit/entries?limit=200')).rows;
    const seqs = all.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    // Chained: each row's prev_hash is the hash of the row listed after it (one seq earlier).
    for (let i = 0; i + 1 < all.length; i++) if (all[i].seq === all[i + 1].seq + 1) expect(all[i].prevHash).toBe(all[i + 1].hash);
    const registered = all.filter((r) => r.action === 'plan.registered');
    expect(registered.map((r) => [r.actionLabel, r.target.typeLabel, r.target.title, r.actor?.unitName]).sort()).toEqual([
      ['登记方案', '方案', '「关于对接中央国资国企改革方案的实施方案」', '甲市发展和改革委员会'],
      ['登记方案', '方案', '「关于深化营商环境改革的实施方案」', '示范省发展和改革委员会'],
    ]);
    const letter = all.find((r) => r.action === 'letter.issued')!;
    expect([letter.actionLabel, letter.actor, letter.target.typeLabel]).toEqual(['发出函件', null, '函件']);
    expect(letter.target.title).toMatch(/^.+〔\d{4}〕\d+号「.+」$/);
    // Logins are acts of the users' units, with the user's name (seedTestProvince: the unit's name and 经办人).
    const login = all.find((r) => r.action === 'auth.login_succeeded' && r.actor?.unitId === 'sf-ndrc')!;
    expect([login.actionLabel, login.actor?.displayName, login.actor?.unitName]).toEqual(['登录成功', '示范省发展和改革委员会经办人', '示范省发展和改革委员会']);
  });

  it('shows a city’s reform office its city only: its units’ acts and the engine’s letters on its plans', async () => {
    const city = (await page('jia-reform', '/api/audit/entries?limit=200')).rows;
    expect(city.length).toBeGreaterThan(0);
    for (const r of city) {
      const ofCity = r.actor?.unitId?.startsWith('jia-') || (r.target.type === 'plan' && r.target.id === cityPlan) || r.target.type === 'letter';
      expect([r.action, r.target.id, ofCity]).toEqual([r.action, r.target.id, true]);
    }
    expect(city.some((r) => r.target.id === provincePlan)).toBe(false);
    expect(city.some((r) => r.actor?.unitId === 'sf-ndrc')).toBe(false);
    expect(city.some((r) => r.action === 'letter.issued')).toBe(true);
    expect(city.filter((r) => r.action === 'plan.registered').map((r) => r.target.id)).toEqual([cityPlan]);
  });

  it('pages by cursor and filters by act and object', async () => {
    const first = await page('sf-reform', '/api/audit/entries?limit=2');
    expect(first.rows).toHaveLength(2);
    expect(first.nextCursor).toBe(first.rows[1].seq);
    const second = await page('sf-reform', `/api/audit/entries?limit=2&before=${first.nextCursor}`);
    expect(second.rows[0].seq).toBeLessThan(first.rows[1].seq);
    const all = (await page('sf-reform', '/api/audit/entries?limit=200')).rows;
    expect([...first.rows, ...second.rows].map((r) => r.seq)).toEqual(all.slice(0, 4).map((r) => r.seq));
    const last = await page('sf-reform', `/api/audit/entries?limit=200&before=${all[all.length - 1].seq}`);
    expect(last).toEqual({ rows: [], nextCursor: null });
    expect((await page('sf-reform', '/api/audit/entries?targetType=plan')).rows.every((r) => r.target.type === 'plan')).toBe(true);
  });

  it('refuses other units (403) and bad queries (400 naming the field), in Chinese', async () => {
    const dept = await as('sf-ndrc', '/api/audit/entries');
    expect(dept.status).toBe(403);
    expect(dept.json.error?.message).toBe('审计记录由改革办查阅;示范省发展和改革委员会不能查阅');
    for (const [query, field, words] of [
      ['limit=0', 'query.limit', '每页至少 1 条'],
      ['limit=201', 'query.limit', '每页最多 200 条'],
      ['before=abc', 'query.before', '翻页游标应为整数'],
      ['action=PLAN', 'query.action', '操作代码应为小写英文'],
      ['colour=red', 'query.colour', '请求有误'],
    ]) {
      const r = await as('sf-reform', `/api/audit/entries?${query}`);
      expect([query, r.status]).toEqual([query, 400]);
      expect(r.json.error?.issues?.[0]?.path).toBe(field);
      expect(r.json.error?.message).toContain(words);
    }
  });
});
