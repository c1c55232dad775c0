import { DB_KINDS } from '../support/db';
import { call, startTestApi, TestApi } from './support';

describe.each(DB_KINDS)('the read endpoints and the database check on %s', (kind) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ db: kind });
  });
  afterAll(() => api.close());

  it('lists the published standard procedures and their versions', async () => {
    const list = await call(api, 'GET', '/api/procedures');
    expect(list.status).toBe(200);
    expect((list.json.procedures as Array<{ id: string; latestVersion: number }>).map((p) => [p.id, p.latestVersion]).sort()).toEqual([
      ['blocked_reform', 1],
      ['central_integration', 1],
      ['leader_led', 1],
      ['pilot', 1],
      ['problem', 1],
      ['reform_plan', 1],
      ['self_inspection', 1],
    ]);
    const versions = await call(api, 'GET', '/api/procedures/pilot/versions');
    expect(versions.status).toBe(200);
    // rules/standard/pilot.rules: 程序 pilot "改革试点", 依据 S6.
    expect(versions.json).toEqual({ id: 'pilot', versions: [expect.objectContaining({ version: 1, title: '改革试点', source: 'S6' })] });
  });

  it('health finds the database up', async () => {
    const r = await call(api, 'GET', '/api/health');
    expect((r.json.checks as Record<string, unknown>).database).toEqual({ ok: true, message: '正常' });
  });
});
