import fc from 'fast-check';
import { invalid, OpenApi, Operation, operations, valid } from './openapi';
import { call, leaks, startTestApi, TestApi } from './support';

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

  const pathValue = (op: Operation, name: string) => {
    const schema = op.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema ?? {};
    return fc.oneof(valid(doc, schema).map(String), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom('..', '%', '%00', '%E0%A4%A', 'a'.repeat(300)));
  };

  const request = (op: Operation) =>
    fc.record({
      params: fc.record(Object.fromEntries((op.path.match(/\{(\w+)\}/g) ?? []).map((p) => [p.slice(1, -1), pathValue(op, p.slice(1, -1))]))),
      // The query parameters the operation documents, valid or not, and some it does not know.
      query: fc.tuple(
        fc.record(
          Object.fromEntries(
            (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, fc.oneof(valid(doc, p.schema ?? {}), fc.jsonValue({ maxDepth: 1 })).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))]),
          ),
          { requiredKeys: [] },
        ),
        fc.dictionary(fc.constantFrom('limit', 'cursor', 'q', 'token', 'x'), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
      ).map(([documented, other]) => ({ ...other, ...documented }) as Record<string, string>),
      body: op.requestBody?.content['application/json'] ? fc.oneof(valid(doc, op.requestBody.content['application/json'].schema), invalid(doc, op.requestBody.content['application/json'].schema)) : fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
      contentType: fc.constantFrom('application/json', 'application/json', 'application/json', 'text/plain', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x', 'application/octet-stream', undefined),
      raw: fc.option(fc.string({ maxLength: 60 }), { freq: 4, nil: undefined }),
    });

  it('walks every operation of the document with generated input', async () => {
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThanOrEqual(5);
    const seen: string[] = [];
    for (const op of ops) {
      const allowed5xx = Object.keys(op.responses).filter((s) => s.startsWith('5'));
      await fc.assert(
        fc.asyncProperty(request(op), async (input) => {
          const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(input.params[name])).replace(/%25/g, (m) => (Math.random() < 0.5 ? '%' : m)));
          const query = new URLSearchParams(input.query).toString();
          const headers: Record<string, string> = input.contentType ? { 'content-type': input.contentType } : {};
          // fetch sends no body with GET.
          const raw = op.method === 'GET' ? undefined : (input.raw ?? (input.body === undefined ? undefined : JSON.stringify(input.body)));
          const r = await call(api, op.method, `${path}${query ? `?${query}` : ''}`, { raw, headers });
          seen.push(`${op.method} ${op.path} ${r.status}`);
          const fine = r.status < 500 || allowed5xx.includes(String(r.status));
          if (!fine || leaks(r.text).length) throw new Error(`${op.method} ${path} → ${r.status}: ${r.text.slice(0, 300)}`);
          // An error not documented otherwise (health's 503 has its own schema) is in the error shape.
          const documented = op.responses[String(r.status)]?.content?.['application/json']?.schema.$ref;
          if (r.status >= 400 && (documented ?? '#/components/schemas/Error') === '#/components/schemas/Error') expect(r.json.error).toEqual(expect.objectContaining({ status: r.status, requestId: expect.any(String) }));
        }),
        { numRuns: 60 },
      );
    }
    // Every operation was reached, and the bodies got past validation as well as failing it.
    for (const op of ops) expect(seen.some((s) => s.startsWith(`${op.method} ${op.path} `))).toBe(true);
    expect(seen.filter((s) => s.startsWith('POST /api/rules/check 4')).length).toBeGreaterThan(0);
    expect(seen.filter((s) => /^POST \/api\/rules\/check (200|422)$/.test(s)).length).toBeGreaterThan(0);
  });
});
