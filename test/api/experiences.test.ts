import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DB_KINDS } from '../support/db';
import { Harness } from '../support/harness';
import { call, HarnessApi, leaks, startHarnessApi } from './support';

/**
 * The experience library (经验推广, S5) over HTTP, with the real time-skipping Temporal server:
 * a pilot (rules/standard/pilot.rules) whose final evaluation is 经验推广 is in the library, with
 * the summary report (A16) its lead unit uploaded, searchable by area, region and title; pilots
 * evaluated otherwise, or not yet evaluated, are not.
 */

interface Experience {
  planId: string;
  title: string;
  regionPath: string | null;
  leadUnit: { id: string | null; name: string | null };
  area: { specialGroupId: string | null; name: string | null };
  promotedOn: string;
  evaluatedBy: string | null;
  summaryReports: Array<{ evidenceId: string; filename: string; size: number }>;
}

const PDF = Buffer.from('%PDF-1.4\n%试点总结报告\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe.each(DB_KINDS)('the experience library over HTTP (%s)', (kind) => {
  let h: Harness;
  let api: HarnessApi;
  let url: string;
  let evidenceDir: string;

  beforeAll(async () => {
    evidenceDir = mkdtempSync(join(tmpdir(), 'reform-experiences-'));
    api = await startHarnessApi(kind, { logins: ['sf-ndrc', 'sf-edu', 'sf-econ', 'sf-reform', 'jia-reform'], evidence: { dir: evidenceDir } });
    ({ h, url } = api);
  });
  afterAll(async () => {
    await api?.close();
    if (evidenceDir) rmSync(evidenceDir, { recursive: true, force: true });
  });

  const as = (user: string, method: string, path: string, body?: unknown) => call({ url }, method, path, { body, headers: { authorization: `Bearer ${api.tokens[user]}` } });
  const register = async (procedure: string, title: string) => {
    const r = await as('sf-ndrc', 'POST', '/api/plans', { procedure, title, specialGroupId: 'sf-econ', responsibleLeader: '王副省长', responsiblePerson: '李明' });
    expect(r.status).toBe(201);
    return String(r.json.planId);
  };
  const walk = async (planId: string, steps: Array<[string, string]>) => {
    for (const [user, action] of steps) {
      const r = await as(user, 'POST', `/api/plans/${planId}/actions`, { action });
      expect([action, r.status]).toEqual([action, 200]);
    }
  };
  const upload = async (user: string, planId: string, filename: string, bytes: Buffer) => {
    const res = await fetch(`${url}/api/experiences/${planId}/evidence?filename=${encodeURIComponent(filename)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.tokens[user]}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(bytes),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const library = async (user: string, query = '') => {
    const r = await as(user, 'GET', `/api/experiences${query}`);
    expect(r.status).toBe(200);
    return r.json as unknown as { rows: Experience[]; total: number };
  };

  it('takes in a pilot evaluated 经验推广 with its summary report, searchable by area, and no other', async () => {
    const today = await h.today();
    const promoted = await register('pilot', '农村集体经营性建设用地入市试点');
    const stopped = await register('pilot', '国有林场经营管理体制试点');
    const continued = await register('pilot', '跨区域排污权交易试点');
    const plan = await register('reform_plan', '关于深化投融资体制改革的实施方案');

    // pilot.rules: 试点结束 → 提交总结报告 → 终期评估 (S5: one of four outcomes, by the reform office).
    const toEvaluation: Array<[string, string]> = [
      ['sf-ndrc', 'end_pilot'],
      ['sf-ndrc', 'submit_summary'],
    ];
    await walk(promoted, toEvaluation);
    await walk(stopped, toEvaluation);
    await walk(continued, toEvaluation);

    // The summary report: the lead unit uploads it; the special group only reads the pilot (403); a
    // unit outside its scope, and a plan that is no pilot, get 404.
    const up = await upload('sf-ndrc', promoted, '试点总结报告.pdf', PDF);
    expect(up.status).toBe(201);
    const evidenceId = String(up.json.evidenceId);
    expect((await upload('sf-econ', promoted, '试点总结报告.pdf', PDF)).status).toBe(403);
    expect((await upload('sf-edu', promoted, '试点总结报告.pdf', PDF)).status).toBe(404);
    expect((await upload('sf-ndrc', plan, '试点总结报告.pdf', PDF)).status).toBe(404);
    const wrongType = await upload('sf-ndrc', promoted, '试点总结报告.exe', Buffer.from('MZ'));
    expect(wrongType.status).toBe(415);

    // Not evaluated yet: not in the library.
    expect((await library('jia-reform')).total).toBe(0);
    expect((await as('sf-reform', 'GET', `/api/experiences/${promoted}`)).status).toBe(404);

    await walk(promoted, [['sf-reform', 'evaluate_promoted']]);
    await walk(stopped, [['sf-reform', 'evaluate_stopped']]);
    await walk(continued, [['sf-reform', 'evaluate_continue']]);

    // Only the promoted pilot is there, for every signed-in user (a city's office included).
    const all = await library('jia-reform');
    expect(all.total).toBe(1);
    expect(all.rows[0]).toEqual({
      planId: promoted,
      title: '农村集体经营性建设用地入市试点',
      regionPath: '/sf/',
      leadUnit: { id: 'sf-ndrc', name: '示范省发展和改革委员会' },
      area: { specialGroupId: 'sf-econ', name: '经济体制改革' },
      promotedOn: today,
      evaluatedBy: 'sf-reform',
      summaryReports: [expect.objectContaining({ evidenceId, filename: '试点总结报告.pdf', size: PDF.length })],
    });
    expect((await as('sf-edu', 'GET', `/api/experiences/${stopped}`)).status).toBe(404);
    expect((await as('sf-edu', 'GET', `/api/experiences/${continued}`)).status).toBe(404);

    // Searchable by area (its name or the special group), region and title.
    expect((await library('sf-edu', `?area=${encodeURIComponent('经济体制改革')}`)).rows.map((r) => r.planId)).toEqual([promoted]);
    expect((await library('sf-edu', '?area=sf-econ')).total).toBe(1);
    expect((await library('sf-edu', `?area=${encodeURIComponent('社会体制改革')}`)).total).toBe(0);
    expect((await library('sf-edu', `?region=${encodeURIComponent('/sf/jia/')}`)).total).toBe(0);
    expect((await library('sf-edu', `?text=${encodeURIComponent('建设用地')}`)).total).toBe(1);
    expect((await library('sf-edu', `?text=${encodeURIComponent('排污权')}`)).total).toBe(0);
    const bad = await as('sf-edu', 'GET', '/api/experiences?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.json.error?.issues?.[0].path).toBe('query.limit');
    expect(leaks(bad.text)).toEqual([]);

    // Its report, downloaded by anyone signed in, byte for byte.
    const res = await fetch(`${url}/api/experiences/${promoted}/evidence/${evidenceId}`, { headers: { authorization: `Bearer ${api.tokens['jia-reform']}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('试点总结报告.pdf')}`);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PDF);
    expect((await as('jia-reform', 'GET', `/api/experiences/${promoted}/evidence/no-such-report`)).status).toBe(404);
    expect((await call({ url }, 'GET', '/api/experiences')).status).toBe(401);

    // The upload audited.
    const rows: Array<{ action: string; actor_unit_id: string }> = await h.db.ds.query(`SELECT action, actor_unit_id FROM audit_log WHERE action = 'experience.summary_report_added'`);
    expect(rows).toEqual([{ action: 'experience.summary_report_added', actor_unit_id: 'sf-ndrc' }]);
  });
});
