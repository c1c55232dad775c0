import fc from 'fast-check';
import { fuzzRequests, OpenApi, operations } from './openapi';
import { fuzzOnce } from './support';
import { callFrom, DemoWorld, startDemoWorld } from './world';

/**
 * fuzz.test.ts walks the document without a token, so the guard answers 401 before any body is
 * read on a signed-in route. Here the same generated input goes in with the tokens of the demo
 * province's units, against plans that exist (one walked to write-off, its workflow closed), over
 * the real Temporal test server: still no 5xx the operation does not document, no internals.
 */
/** Actions of rules/standard/reform-plan.rules, of several stages and roles. */
const ACTIONS = ['submit_draft', 'pass_legality_review', 'issue', 'update_item', 'request_write_off', 'approve_write_off', 'submit_report'];

describe('no 5xx for anything a signed-in client sends', () => {
  let world: DemoWorld;
  let doc: OpenApi;
  const tokens: string[] = [];
  const planIds: string[] = [];

  beforeAll(async () => {
    world = await startDemoWorld('sqlite', { options: { throttle: { limit: 1_000_000, ttlMs: 60_000 }, bodyLimit: '64kb' } });
    doc = (await callFrom(world.url, '127.0.0.60', 'GET', '/api/docs-json')).json as unknown as OpenApi;
    const token: Record<string, string> = {};
    for (const u of ['demo-ndrc', 'demo-econ', 'demo-legal', 'demo-reform', 'demo-leading', 'demo-edu']) {
      const r = await callFrom(world.url, '127.0.0.60', 'POST', '/api/auth/login', { body: { username: u, password: world.passwords[u] } });
      token[u] = String(r.json.accessToken);
      tokens.push(token[u]);
    }
    const as = (u: string, method: string, path: string, body?: unknown) => callFrom(world.url, '127.0.0.61', method, path, { body, token: token[u] });
    for (const title of ['关于模糊测试的实施方案', '关于模糊测试销账的实施方案']) {
      const r = await as('demo-ndrc', 'POST', '/api/plans', { procedure: 'reform_plan', title, specialGroupId: 'demo-econ', participatingUnitIds: ['demo-edu'], responsibleLeader: '王副省长', responsiblePerson: '李明' });
      expect(r.status).toBe(201);
      planIds.push(String(r.json.planId));
    }
    // The second to write-off (not major: no reform office review nor meetings; its one item completed, its retrospective done).
    const closed = planIds[1];
    for (const [u, action, extra] of [
      ['demo-ndrc', 'submit_draft'],
      ['demo-ndrc', 'complete_research'],
      ['demo-econ', 'pass_special_group_review'],
      ['demo-legal', 'pass_legality_review'],
      ['demo-econ', 'approve_countersign'],
      ['demo-ndrc', 'issue'],
      ['demo-ndrc', 'file'],
      ['demo-ndrc', 'update_item', { item: { id: 'S2-1', title: '压减企业开办时间', status: 'completed' } }],
      ['demo-ndrc', 'submit_retrospective'],
      ['demo-econ', 'request_write_off'],
      ['demo-leading', 'approve_write_off'],
    ] as Array<[string, string, Record<string, unknown>?]>) {
      const r = await as(u, 'POST', `/api/plans/${closed}/actions`, { action, ...extra });
      expect([action, r.status, r.text]).toEqual([action, 200, expect.any(String)]);
    }
  });
  afterAll(async () => {
    await world?.close();
  });

  it('walks every operation with generated input and the tokens of every kind of unit', async () => {
    const seen: string[] = [];
    for (const op of operations(doc)) {
      await fc.assert(
        fc.asyncProperty(fuzzRequests(doc, op, { id: planIds }), fc.constantFrom(...tokens), fc.boolean(), fc.constantFrom(...ACTIONS), async (input, token, wellFormed, action) => {
          // Half the requests well-formed JSON about a plan that exists, naming an action of the procedure, so they get past validation to scope, roles and the engine.
          const sent = wellFormed ? { ...input, contentType: 'application/json', raw: undefined, params: { ...input.params, id: planIds[action.length % planIds.length] } } : input;
          if (wellFormed && op.path.endsWith('/actions') && sent.body && typeof sent.body === 'object') sent.body = { ...sent.body, action };
          seen.push(`${op.method} ${op.path} ${await fuzzOnce(world, op, sent, { authorization: `Bearer ${token}` })}`);
        }),
        { numRuns: 40 },
      );
    }
    // The plan routes were reached past the guard and the validation: answered, refused by the engine, or by scope.
    expect(seen.filter((s) => /^GET \/api\/plans\/\{id\} 200$/.test(s)).length).toBeGreaterThan(0);
    expect(seen.filter((s) => /^POST \/api\/plans\/\{id\}\/actions (403|404|409)$/.test(s)).length).toBeGreaterThan(0);
  });
});
