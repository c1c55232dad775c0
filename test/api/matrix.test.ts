import { DB_KINDS } from '../support/db';
import { ACCESS, Caller, Cell, MatrixContext, PlanKey, PLANS, ROUTES, UserKey, USERS } from './access-matrix';
import { OpenApi, operations } from './openapi';
import { leaks } from './support';
import { callFrom, DemoWorld, eventually, startDemoWorld } from './world';

/**
 * The role × scope matrix (issue 8, "Tests"), generated from the route table: every operation of
 * the OpenAPI document, called as every user of access-matrix.ts (and without a token), against
 * a plan of their own unit and plans of others, answers the status the table writes out from the
 * issue's scope rules. An operation the table does not know fails the test.
 */
describe.each(DB_KINDS)('role × scope matrix over HTTP (%s)', (kind) => {
  let world: DemoWorld;
  let doc: OpenApi;
  const tokens = {} as Record<UserKey, string>;
  const ctx = { planIds: {}, sessions: {} } as MatrixContext;
  const callers: Caller[] = [...(Object.keys(USERS) as UserKey[]), 'anonymous'];
  /** Each caller's own loopback address (the login throttle counts per address, as it would per office). */
  const address = (c: Caller) => `127.0.0.${10 + callers.indexOf(c)}`;
  /** Access tokens of the units that register and walk PLANS, by unit id. */
  const unitTokens: Record<string, string> = {};
  const asUnit = (unit: string, method: string, path: string, body?: unknown) => callFrom(world.url, '127.0.0.2', method, path, { body, token: unitTokens[unit] });

  async function login(unit: string, from: string): Promise<{ accessToken: string; refreshToken: string }> {
    const r = await callFrom(world.url, from, 'POST', '/api/auth/login', { body: { username: unit, password: world.passwords[unit] } });
    expect([unit, r.status]).toEqual([unit, 200]);
    return r.json as unknown as { accessToken: string; refreshToken: string };
  }

  beforeAll(async () => {
    world = await startDemoWorld(kind);
    ctx.passwords = world.passwords;
    doc = (await callFrom(world.url, '127.0.0.2', 'GET', '/api/docs-json')).json as unknown as OpenApi;
    // Every user's three sessions at once (each login an argon2 check: the pool hashes them side by side).
    await Promise.all(
      (Object.keys(USERS) as UserKey[]).map(async (u) => {
        const [access, refresh, logout] = await Promise.all([0, 1, 2].map(() => login(USERS[u].unit, address(u))));
        tokens[u] = access.accessToken;
        ctx.sessions[u] = { refresh: refresh.refreshToken, logout: logout.refreshToken };
      }),
    );
    // The plans, registered by their lead units and walked to their stage by the units the rules name.
    for (const [key, p] of Object.entries(PLANS) as Array<[PlanKey, (typeof PLANS)[PlanKey]]>) {
      for (const unit of [p.lead, ...p.walk.map(([u]) => u)]) unitTokens[unit] ??= (await login(unit, '127.0.0.3')).accessToken;
      const reg = await asUnit(p.lead, 'POST', '/api/plans', {
        procedure: 'reform_plan',
        title: `关于矩阵测试${key}的实施方案`,
        specialGroupId: p.specialGroup,
        participatingUnitIds: [...p.participants],
        responsibleLeader: '王副省长',
        responsiblePerson: '李明',
      });
      expect([key, reg.status, reg.text]).toEqual([key, 201, expect.any(String)]);
      ctx.planIds[key] = String(reg.json.planId);
      for (const [unit, action] of p.walk) {
        const r = await asUnit(unit, 'POST', `/api/plans/${ctx.planIds[key]}/actions`, { action });
        expect([key, action, r.status, r.text]).toEqual([key, action, 200, expect.any(String)]);
      }
      for (const item of (p as { items?: readonly string[] }).items ?? []) {
        const r = await asUnit(p.lead, 'POST', `/api/plans/${ctx.planIds[key]}/items`, { id: item, title: `矩阵测试事项${item}` });
        expect([key, item, r.status, r.text]).toEqual([key, item, 201, expect.any(String)]);
      }
      // The ledger shows the stage (scope filters read it: the legal office sees plans under review).
      await eventually(async () => {
        const d = await asUnit(p.lead, 'GET', `/api/plans/${ctx.planIds[key]}`);
        expect((d.json.plan as { stage: { id: string } } | undefined)?.stage.id).toBe(p.stage);
      });
    }
  });
  afterAll(async () => {
    await world?.close();
  });

  it('has a row for every operation of the OpenAPI document, and none for an operation that is gone', () => {
    const documented = operations(doc).map((o) => `${o.method} ${o.path}`);
    expect(documented.length).toBeGreaterThanOrEqual(14);
    expect({ missing: documented.filter((op) => !(op in ROUTES)), stale: Object.keys(ROUTES).filter((op) => !documented.includes(op)) }).toEqual({ missing: [], stale: [] });
  });

  it('answers every role, on every operation and every plan, as the scope rules say', async () => {
    const wrong: string[] = [];
    let calls = 0;
    for (const op of operations(doc)) {
      const key = `${op.method} ${op.path}`;
      const row = ROUTES[key];
      if (!row) {
        wrong.push(`${key}: no row in access-matrix.ts ROUTES`);
        continue;
      }
      const plans: Array<PlanKey | undefined> = row.plan ? (Object.keys(PLANS) as PlanKey[]) : [undefined];
      for (const caller of callers) {
        for (const plan of plans) {
          const cell: Cell = { caller, plan, access: plan && caller !== 'anonymous' ? ACCESS[caller][plan] : undefined, ctx };
          const params: Record<string, string> = { ...row.params?.(cell), ...(plan ? { id: ctx.planIds[plan] } : {}) };
          const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
            if (params[name] === undefined) throw new Error(`${key}: no value for {${name}}; give the row params`);
            return encodeURIComponent(params[name]);
          });
          const query = row.query ? `?${new URLSearchParams(row.query(cell)).toString()}` : '';
          const r = await callFrom(world.url, address(caller), op.method, `${path}${query}`, {
            body: row.body?.(cell),
            token: caller === 'anonymous' ? undefined : tokens[caller],
          });
          calls++;
          const where = `${key} as ${caller === 'anonymous' ? 'no token' : `${caller} (${USERS[caller].unit})`}${plan ? ` on ${plan}` : ''}`;
          const want = row.expect(cell);
          if (r.status !== want) {
            wrong.push(`${where}: ${r.status} instead of ${want}: ${r.text.slice(0, 200)}`);
            continue;
          }
          if (r.status < 300) for (const complaint of row.check?.(cell, r) ?? []) wrong.push(`${where}: ${complaint}`);
          if (leaks(r.text).length) wrong.push(`${where}: leaks ${leaks(r.text).join(', ')}`);
          // A refusal says why in Chinese, in the one error shape.
          if (r.status >= 400 && !/[\u4e00-\u9fff]/.test(r.json.error?.message ?? '')) wrong.push(`${where}: ${r.status} without a Chinese message: ${r.text.slice(0, 200)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(calls).toBeGreaterThanOrEqual(callers.length * 14);
  });

  it('answers a plan outside the caller’s scope exactly as one that does not exist, on every plan route', async () => {
    const unknownId = 'reform_plan-00000000-nosuchplan';
    const shape = (r: { status: number; json: { error?: { code: string; message: string } } }, id: string) => [r.status, r.json.error?.code, r.json.error?.message.split(id).join('<id>')];
    const planOps = operations(doc).filter((op) => ROUTES[`${op.method} ${op.path}`]?.plan);
    expect(planOps.length).toBeGreaterThanOrEqual(2);
    const differ: string[] = [];
    for (const op of planOps) {
      const row = ROUTES[`${op.method} ${op.path}`];
      for (const user of Object.keys(USERS) as UserKey[]) {
        for (const plan of (Object.keys(PLANS) as PlanKey[]).filter((p) => ACCESS[user][p] === 'none')) {
          const cell: Cell = { caller: user, plan, access: 'none', ctx };
          const send = (id: string) =>
            callFrom(world.url, address(user), op.method, op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(name === 'id' ? id : (row.params?.(cell)[name] ?? ''))), { body: row.body?.(cell), token: tokens[user] });
          const [hidden, missing] = [shape(await send(ctx.planIds[plan]), ctx.planIds[plan]), shape(await send(unknownId), unknownId)];
          if (JSON.stringify(hidden) !== JSON.stringify(missing)) differ.push(`${op.method} ${op.path} as ${user} on ${plan}: ${JSON.stringify(hidden)} but a missing plan ${JSON.stringify(missing)}`);
        }
      }
    }
    expect(differ).toEqual([]);
  });

  it('lists only plans in scope, whatever the filters and however the ledger is paged', async () => {
    const FILTERS: Array<Record<string, string>> = [
      {},
      { region: '/demo/' },
      { region: '/demo/jia/' },
      { level: 'province' },
      { unit: 'demo-finance' },
      { unit: 'jia-ndrc' },
      { area: 'demo-social' },
      { stage: 'drafting' },
      { text: '矩阵测试' },
      { procedure: 'reform_plan', status: 'open' },
    ];
    const wrong: string[] = [];
    for (const user of Object.keys(USERS) as UserKey[]) {
      const visible = new Set((Object.keys(PLANS) as PlanKey[]).filter((p) => ACCESS[user][p] !== 'none').map((p) => ctx.planIds[p]));
      const fixed = new Set(Object.values(ctx.planIds));
      for (const filter of FILTERS) {
        // One row a page, following the cursor to the end: the pages together are the unpaged list.
        const all = await callFrom(world.url, address(user), 'GET', `/api/plans?${new URLSearchParams({ ...filter, limit: '100' })}`, { token: tokens[user] });
        const whole = (all.json.rows as Array<{ planId: string }>).map((r) => r.planId);
        const paged: string[] = [];
        let cursor: string | null = null;
        for (let page = 0; page < 50; page++) {
          const r = await callFrom(world.url, address(user), 'GET', `/api/plans?${new URLSearchParams({ ...filter, limit: '1', ...(cursor ? { cursor } : {}) })}`, { token: tokens[user] });
          if (r.status !== 200) {
            wrong.push(`${user} ${JSON.stringify(filter)} page ${page}: ${r.status} ${r.text.slice(0, 200)}`);
            break;
          }
          paged.push(...(r.json.rows as Array<{ planId: string }>).map((x) => x.planId));
          cursor = r.json.nextCursor as string | null;
          if (!cursor) break;
        }
        const where = `${user} (${USERS[user].unit}) ${JSON.stringify(filter)}`;
        if (paged.join() !== whole.join()) wrong.push(`${where}: pages ${paged.join()} but the list ${whole.join()}`);
        const outside = whole.filter((id) => fixed.has(id) && !visible.has(id));
        if (outside.length) wrong.push(`${where}: lists ${outside.join()} outside its scope`);
      }
      // Unfiltered, every plan in scope is there.
      const unfiltered = await callFrom(world.url, address(user), 'GET', '/api/plans?limit=100', { token: tokens[user] });
      const listed = new Set((unfiltered.json.rows as Array<{ planId: string }>).map((r) => r.planId));
      for (const id of visible) if (!listed.has(id)) wrong.push(`${user}: ledger lacks ${id}`);
    }
    expect(wrong).toEqual([]);
  });
});
