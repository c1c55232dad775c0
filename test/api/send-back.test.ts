import { localDateAt } from '@reform/calendar';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DB_KINDS } from '../support/db';
import { Harness } from '../support/harness';
import { call, HarnessApi, startHarnessApi } from './support';
import { plusMonths } from '../support/dates';

/**
 * Sending back (退回) and acting again afterwards, end to end over HTTP on the real time-skipping
 * Temporal server and both databases, every request sent twice with its X-Request-Id (the answer
 * lost): a problem's `send_back` (验收未通过,退回整改, problem.rules) back to rectifying, reported
 * again, cancelled; a round task's send-back (self-inspection.rules: 退回重新自查) back to
 * inspecting, reported again, verified. Each change is done and audited once; a late repeat of
 * the first report after the sending back changes nothing (it does not report again).
 */

/** rules/standard/reform-plan.rules, no attributes: from drafting to implementation. */
const WALK: Array<[who: string, action: string]> = [
  ['sf-ndrc', 'submit_draft'],
  ['sf-ndrc', 'complete_research'],
  ['sf-econ', 'pass_special_group_review'],
  ['sf-legal', 'pass_legality_review'],
  ['sf-econ', 'approve_special_group_meeting'],
  ['sf-ndrc', 'issue'],
  ['sf-ndrc', 'file'],
];

describe.each(DB_KINDS)('sending back and acting again, retried with the same request id (%s)', (kind) => {
  let h: Harness;
  let api: HarnessApi;
  let url: string;
  let evidenceDir: string;

  beforeAll(async () => {
    evidenceDir = mkdtempSync(join(tmpdir(), 'reform-send-back-'));
    api = await startHarnessApi(kind, { logins: ['sf-ndrc', 'sf-edu', 'sf-econ', 'sf-legal', 'sf-reform'], evidence: { dir: evidenceDir } });
    ({ h, url } = api);
  });
  afterAll(async () => {
    await api?.close();
    if (evidenceDir) rmSync(evidenceDir, { recursive: true, force: true });
  });

  /** A request as a client sends it, with its own request id; `twice` sends it again with the same id and expects the same answer. */
  const as = (user: string, method: string, path: string, body?: unknown, requestId = `req-${randomUUID()}`) =>
    call({ url }, method, path, { body, headers: { authorization: `Bearer ${api.tokens[user]}`, 'x-request-id': requestId } });
  async function twice(user: string, method: string, path: string, body: unknown, status: number) {
    const key = `req-${randomUUID()}`;
    const first = await as(user, method, path, body, key);
    expect([first.status, first.status === status ? '' : first.text]).toEqual([status, '']);
    const again = await as(user, method, path, body, key);
    expect([again.status, again.json.status]).toEqual([status, first.json.status]);
    return { json: first.json, key };
  }
  const audited = async (target: string): Promise<string[]> => ((await h.db.ds.query(`SELECT action FROM audit_log WHERE target_id = '${target}' ORDER BY seq`)) as Array<{ action: string }>).map((r) => r.action);

  it('sends a problem back after its report, takes the report again, and cancels it: each once', async () => {
    const reg = await as('sf-reform', 'POST', '/api/problems', { against: { type: 'unit', unitId: 'sf-edu' }, description: '中小学教师减负清单落实不到位' });
    expect(reg.status).toBe(201);
    const id = String(reg.json.id);
    const act = (user: string, body: Record<string, unknown>, status = 200) => twice(user, 'POST', `/api/problems/${id}/actions`, body, status);
    await act('sf-reform', { action: 'hand_over' });
    const reported = await act('sf-edu', { action: 'report_rectification' });
    expect(reported.json.status).toBe('verifying');
    // 验收未通过,退回整改: a reason is required (the engine's 409), then back to rectifying.
    expect((await as('sf-reform', 'POST', `/api/problems/${id}/actions`, { action: 'send_back' })).status).toBe(409);
    const sentBack = await act('sf-reform', { action: 'send_back', reason: '整改材料不全,清单未向社会公布' });
    expect(sentBack.json.status).toBe('rectifying');
    // The first report's request, arriving late: answered as the problem stands, not reported again.
    const late = await as('sf-edu', 'POST', `/api/problems/${id}/actions`, { action: 'report_rectification' }, reported.key);
    expect([late.status, late.json.status]).toEqual([200, 'rectifying']);
    // Acting again after the sending back: reported anew, then cancelled with evidence.
    expect((await act('sf-edu', { action: 'report_rectification', businessDate: undefined })).json.status).toBe('verifying');
    const up = await fetch(`${url}/api/problems/${id}/evidence?filename=${encodeURIComponent('整改报告.pdf')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.tokens['sf-edu']}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(Buffer.from('%PDF-1.7\n清单已公布')),
    });
    expect(up.status).toBe(201);
    const { evidenceId } = (await up.json()) as { evidenceId: string };
    expect((await act('sf-reform', { action: 'verify', evidenceIds: [evidenceId] })).json.status).toBe('cancelled');
    expect(await audited(id)).toEqual(['problem.registered', 'problem.hand_over', 'problem.report_rectification', 'problem.send_back', 'problem.report_rectification', 'problem.evidence_added', 'problem.verify']);
    const [row] = (await h.db.ds.query(`SELECT after FROM audit_log WHERE target_id = '${id}' AND action = 'problem.send_back'`)) as Array<{ after: string }>;
    expect(JSON.parse(row.after)).toEqual(expect.objectContaining({ status: 'rectifying', reason: '整改材料不全,清单未向社会公布' }));
  });

  it('sends a self-inspection back, takes it again, and verifies it: each once', async () => {
    const today = localDateAt(await h.env.currentTimeMs());
    const issuedOn = plusMonths(today, -8);
    const r = await as('sf-ndrc', 'POST', '/api/plans', { procedure: 'reform_plan', title: '关于深化预算管理制度改革的实施方案', specialGroupId: 'sf-econ', responsibleLeader: '王副省长', responsiblePerson: '李明', registeredOn: plusMonths(issuedOn, -1) });
    expect(r.status).toBe(201);
    const planId = String(r.json.planId);
    for (const [who, action] of WALK) {
      const date = action === 'submit_draft' || action === 'complete_research' ? plusMonths(issuedOn, -1) : issuedOn;
      expect([action, (await as(who, 'POST', `/api/plans/${planId}/actions`, { action, businessDate: date })).status]).toEqual([action, 200]);
    }
    expect((await as('sf-ndrc', 'POST', `/api/plans/${planId}/items`, { id: '1', title: '建立预算绩效评价制度', status: 'started' })).status).toBe(201);
    const opened = await twice('sf-reform', 'POST', '/api/rounds', { name: '年中集中督察' }, 201);
    const roundId = String(opened.json.id);
    const task = `/api/rounds/${roundId}/plans/${planId}`;

    const first = await twice('sf-ndrc', 'POST', `${task}/self-inspection`, { items: [{ itemId: '1', status: 'completed', note: '制度已印发' }] }, 200);
    expect(first.json.status).toBe('verification');
    const back = await twice('sf-reform', 'POST', `${task}/send-back`, { reason: '请补充制度文件' }, 200);
    expect(back.json.status).toBe('inspecting');
    // The first report's request, arriving late, reports nothing again.
    const late = await as('sf-ndrc', 'POST', `${task}/self-inspection`, { items: [{ itemId: '1', status: 'completed', note: '制度已印发' }] }, first.key);
    expect([late.status, late.json.status]).toEqual([200, 'inspecting']);
    // Reported again, now as it stands; then verified.
    const second = await twice('sf-ndrc', 'POST', `${task}/self-inspection`, { items: [{ itemId: '1', status: 'started', note: '制度文件待印发' }] }, 200);
    expect(second.json.status).toBe('verification');
    const items = second.json.items as Array<{ itemId: string; selfInspection: { status: string; note: string | null } | null }>;
    expect(items.map((i) => [i.itemId, i.selfInspection])).toEqual([['1', expect.objectContaining({ status: 'started', note: '制度文件待印发' })]]);
    const verified = await twice('sf-reform', 'POST', `${task}/verification`, {}, 200);
    expect(verified.json.status).toBe('verified');
    expect(await audited(`${roundId}/${planId}`)).toEqual(['round.self_inspection_reported', 'round.sent_back', 'round.self_inspection_reported', 'round.verified']);
    expect(await audited(roundId)).toEqual(['round.opened']);
  });
});
