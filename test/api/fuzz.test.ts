import fc from 'fast-check';
import { fuzzRequests, OpenApi, operations } from './openapi';
import { call, fuzzOnce, startTestApi, TestApi } from './support';

/**
 * Walks every operation of the generated OpenAPI document, so a new endpoint cannot escape:
 * valid and invalid bodies, path parameters and queries, odd content types. No client input
 * may get a 5xx (except one the operation documents, as health's 503 when Temporal is down),
 * and no response may carry a stack, an exception name or SQL.
 */
describe('no 5xx for anything a client sends', () => {
  let api: TestApi;
  let doc: OpenApi;

  beforeAll(async () => {
    api = await startTestApi({ options: { throttle: { limit: 1_000_000, ttlMs: 60_000 }, bodyLimit: '64kb' } });
    doc = (await call(api, 'GET', '/api/docs-json')).json as unknown as OpenApi;
  });
  afterAll(() => api.close());

  it('walks every operation of the document with generated input', async () => {
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThanOrEqual(5);
    const seen: string[] = [];
    for (const op of ops) {
      await fc.assert(
        fc.asyncProperty(fuzzRequests(doc, op), async (input) => {
          seen.push(`${op.method} ${op.path} ${await fuzzOnce(api, op, input)}`);
        }),
        // rules/check more often: about one generated body in twenty gets past validation to the checker.
        { numRuns: op.path === '/api/rules/check' ? 240 : 60 },
      );
    }
    // Every operation was reached, and the bodies got past validation as well as failing it.
    for (const op of ops) expect(seen.some((s) => s.startsWith(`${op.method} ${op.path} `))).toBe(true);
    expect(seen.filter((s) => s.startsWith('POST /api/rules/check 4')).length).toBeGreaterThan(0);
    expect(seen.filter((s) => /^POST \/api\/rules\/check (200|422)$/.test(s)).length).toBeGreaterThan(0);
  });
});
