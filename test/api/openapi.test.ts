import { API_PREFIX, CONTROLLERS } from '../../apps/api/src/create-api';
import { OpenApi, operations, queryTable, routeTable } from './openapi';
import { call, startTestApi, TestApi } from './support';

describe('the OpenAPI document and Swagger UI', () => {
  let api: TestApi;
  let doc: OpenApi;

  beforeAll(async () => {
    api = await startTestApi();
    doc = (await call(api, 'GET', '/api/docs-json')).json as unknown as OpenApi;
  });
  afterAll(() => api.close());

  it('lists every route the controllers serve, and no other', () => {
    const listed = operations(doc).map((o) => `${o.method} ${o.path}`).sort();
    const served = routeTable(CONTROLLERS, API_PREFIX);
    expect(served).toEqual(expect.arrayContaining(['GET /api/health', 'GET /api/metrics', 'GET /api/procedures', 'GET /api/procedures/{id}/versions', 'POST /api/rules/check']));
    expect(listed).toEqual(served);
  });

  it('lists every query parameter the schema of a route takes (a schema kept as a component would hide them from clients)', () => {
    const declared = queryTable(CONTROLLERS, API_PREFIX);
    expect(declared.map((d) => d.route)).toEqual(expect.arrayContaining(['GET /api/plans', 'GET /api/rounds', 'POST /api/plans/{id}/items/{itemId}/evidence']));
    const missing = declared.flatMap(({ route, keys }) => {
      const op = operations(doc).find((o) => `${o.method} ${o.path}` === route);
      const listed = new Set((op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
      return keys.filter((k) => !listed.has(k)).map((k) => `${route} ?${k}`);
    });
    expect(missing).toEqual([]);
  });

  it('gives every operation its schemas: the success response, the request body, the path parameters, the error shape', () => {
    const schemas = doc.components.schemas;
    const exists = (ref: string | undefined) => !!ref && ref.replace('#/components/schemas/', '') in schemas;
    for (const op of operations(doc)) {
      const where = `${op.method} ${op.path}`;
      const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'));
      // 204 answers no body; every other success has its schema.
      if (success?.[0] !== '204') expect([where, success && Object.values(success[1].content ?? {})[0]?.schema]).toEqual([where, expect.anything()]);
      expect([where, op.responses.default?.content?.['application/json'].schema.$ref]).toEqual([where, '#/components/schemas/Error']);
      if (op.method === 'POST' || op.method === 'PUT' || op.method === 'PATCH') {
        // A JSON body names its schema; a file upload declares its body as bytes.
        const binary = op.requestBody?.content['application/octet-stream']?.schema;
        if (binary) expect([where, binary]).toEqual([where, expect.objectContaining({ type: 'string', format: 'binary' })]);
        else expect([where, exists(op.requestBody?.content['application/json'].schema.$ref)]).toEqual([where, true]);
      }
      for (const name of op.path.match(/\{(\w+)\}/g) ?? []) {
        const param = op.parameters?.find((p) => p.in === 'path' && `{${p.name}}` === name);
        expect([where, name, param?.schema?.type]).toEqual([where, name, 'string']);
      }
    }
    // The request body of the rules check is the zod schema's: strict, with the file-name rule.
    expect(schemas.RulesCheckRequest).toEqual(expect.objectContaining({ type: 'object', required: ['files'], additionalProperties: false }));
    const file = schemas.RulesCheckRequest.properties!.files.items!;
    expect(file.properties!.name.pattern).toBe('^[^/\\\\\\0]+\\.rules$');
    expect(schemas.Error.properties!.error.required).toEqual(['status', 'code', 'message', 'requestId']);
  });

  it('serves Swagger UI at /api/docs, with its assets', async () => {
    const page = await fetch(`${api.url}/api/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('swagger-ui');
    const init = await fetch(`${api.url}/api/docs/swagger-ui-init.js`);
    expect(init.status).toBe(200);
    // The UI is pointed at this API's document.
    expect(await init.text()).toContain('Reform Loop 改革落实闭环 API');
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css']) {
      expect([asset, (await fetch(`${api.url}/api/docs/${asset}`)).status]).toEqual([asset, 200]);
    }
  });

  it('counts requests by route template and status in /api/metrics', async () => {
    await call(api, 'GET', '/api/procedures/reform_plan/versions');
    await call(api, 'GET', '/api/procedures/no_such/versions');
    const text = (await call(api, 'GET', '/api/metrics')).text;
    expect(text).toContain('reform_http_requests_total{method="GET",route="/api/procedures/:id/versions",status="200"} 1');
    expect(text).toContain('reform_http_requests_total{method="GET",route="/api/procedures/:id/versions",status="404"} 1');
    expect(text).toMatch(/reform_http_request_duration_seconds_count\{method="GET",route="\/api\/procedures\/:id\/versions"\} 2/);
    // The gauges and counters the engine's parts feed are there to be fed.
    for (const name of ['reform_actions_total', 'reform_letters_total', 'reform_projection_lag_seconds']) expect(text).toContain(`# TYPE ${name}`);
  });
});
