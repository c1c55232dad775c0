import { addDays, formatChineseDate } from '@reform/calendar';
import type { AuditService } from '@reform/audit';
import type { ProblemLetter } from '@reform/desk';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DB_KINDS } from '../support/db';
import { Harness } from '../support/harness';
import { call, HarnessApi, leaks, startHarnessApi } from './support';
import { eventually } from './world';
import { plusMonths } from '../support/dates';

/**
 * The problem library (问题库, Y9, Y11, A13) over HTTP, with the real time-skipping Temporal
 * server: problems registered (挂号) by a reform office, handed over with the rectification
 * opinion letter (整改意见书), escalated to the library above (Y11), rectified and cancelled
 * (销号) with evidence; one that fails rectification draws the ladder of
 * rules/standard/problem.rules; one kept (留号) with a note.
 */

/** rules/standard/problem.rules: 时限 rectification_due 起算 handed_over 期限 2 个月. */
const LIMIT_MONTHS = 2;

interface Problem {
  id: string;
  number: string;
  status: string;
  statusLabel: string;
  limitDate: string | null;
  workflowId: string;
  library: { regionPath: string; ownerUnitId: string };
  evidenceIds: string[];
  note: string | null;
  engine: { stage: { id: string } } | null;
  letters: ProblemLetter[];
}

interface Page {
  rows: Problem[];
  total: number;
  counts: { open: number; kept: number; cancelled: number; escalated: number } | null;
}

describe.each(DB_KINDS)('the problem library over HTTP (%s)', (kind) => {
  let h: Harness;
  let api: HarnessApi;
  let url: string;
  let audit: AuditService;
  let evidenceDir: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    evidenceDir = mkdtempSync(join(tmpdir(), 'reform-problems-'));
    api = await startHarnessApi(kind, {
      logins: ['sf-ndrc', 'sf-edu', 'sf-reform', 'jia-reform', 'jia-fgw'],
      extraUnits: [['jia', 'jia-fgw', '示范省甲市发展和改革委员会', 'department']],
      evidence: { dir: evidenceDir },
    });
    ({ h, url, audit } = api);
    Object.assign(tokens, api.tokens);
  });
  afterAll(async () => {
    await api?.close();
    if (evidenceDir) rmSync(evidenceDir, { recursive: true, force: true });
  });

  const as = (user: string, method: string, path: string, body?: unknown) => call({ url }, method, path, { body, headers: { authorization: `Bearer ${tokens[user]}` } });
  const act = (user: string, id: string, action: string, extra: Record<string, unknown> = {}) => as(user, 'POST', `/api/problems/${id}/actions`, { action, ...extra });
  const detail = async (user: string, id: string) => (await as(user, 'GET', `/api/problems/${id}`)).json as unknown as Problem;
  const page = async (user: string, query = '') => (await as(user, 'GET', `/api/problems${query}`)).json as unknown as Page;
  const lettersOf = async (workflowId: string) => (await h.letters.forWorkflow(workflowId)).map((l) => l.kind);

  /** Uploads an evidence file for the problem over HTTP (the body is the file, its name in the query). */
  async function upload(user: string, id: string, filename: string, bytes: Buffer, requestId?: string) {
    const res = await fetch(`${url}/api/problems/${id}/evidence?filename=${encodeURIComponent(filename)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[user]}`, 'content-type': 'application/octet-stream', ...(requestId ? { 'x-request-id': requestId } : {}) },
      body: new Uint8Array(bytes),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  it('registers a problem, hands it over with its rectification letter, escalates it to the library above and cancels it there with evidence', async () => {
    const today = await h.today();
    const year = today.slice(0, 4);

    // Only a reform office registers, into its own level's library; a bad target names its field.
    const description = '市场准入负面清单落实不到位,部分行业仍设隐性准入壁垒';
    expect((await as('jia-fgw', 'POST', '/api/problems', { against: { type: 'unit', unitId: 'jia-fgw' }, description })).status).toBe(403);
    const badUnit = await as('jia-reform', 'POST', '/api/problems', { against: { type: 'unit', unitId: 'sf-ndrc' }, description });
    expect(badUnit.status).toBe(400);
    expect(badUnit.json.error?.issues?.[0].path).toBe('against.unitId');
    const noText = await as('jia-reform', 'POST', '/api/problems', { against: { type: 'unit', unitId: 'jia-fgw' }, description: ' ' });
    expect(noText.status).toBe(400);
    expect(noText.json.error?.issues?.[0].path).toBe('description');

    const reg = await as('jia-reform', 'POST', '/api/problems', { against: { type: 'unit', unitId: 'jia-fgw' }, description });
    expect(reg.status).toBe(201);
    const problem = reg.json as unknown as Problem;
    expect(problem.number).toBe(`示范省甲市问题〔${year}〕1号`);
    expect(problem).toEqual(expect.objectContaining({ status: 'registered', statusLabel: '已挂号', limitDate: null, library: { regionPath: '/sf/jia/', ownerUnitId: 'jia-reform' } }));
    const id = problem.id;

    // The unit that rectifies sees it; another unit, another level's office do not (404).
    expect((await page('jia-fgw')).rows.map((r) => r.id)).toEqual([id]);
    expect((await as('sf-edu', 'GET', `/api/problems/${id}`)).status).toBe(404);
    expect((await as('sf-reform', 'GET', `/api/problems/${id}`)).status).toBe(404);
    expect((await page('sf-reform')).rows).toEqual([]);
    expect((await page('jia-reform')).counts).toEqual({ open: 1, kept: 0, cancelled: 0, escalated: 0 });

    // Handover is the office's: the unit may not hand itself over (403).
    expect((await act('jia-fgw', id, 'hand_over')).status).toBe(403);
    const handed = await act('jia-reform', id, 'hand_over');
    expect(handed.status).toBe(200);
    const limit = plusMonths(today, LIMIT_MONTHS);
    expect(handed.json).toEqual(expect.objectContaining({ status: 'rectifying', statusLabel: '整改中', limitDate: limit }));

    // The rectification opinion letter: once, to the unit, with the problem and the limit (A13).
    const letter = await eventually(async () => {
      const d = await detail('jia-fgw', id);
      expect(d.letters.map((l) => l.kind)).toEqual(['rectification']);
      return d.letters[0];
    });
    expect(letter.subject).toBe('关于督察发现问题的整改意见书');
    expect(letter.addressees.map((a) => a.name)).toEqual(['示范省甲市发展和改革委员会']);
    // The problem list (A13): one numbered line with the problem, its number and what it is against.
    expect(letter.body).toContain(`须挂账整改:\n  1.${description}(${problem.number};涉及单位:示范省甲市发展和改革委员会)\n`);
    expect(letter.body).toContain(`于${formatChineseDate(limit)}前整改到位`);
    expect(letter.body).toContain('第13条(A13)');
    expect(letter).toEqual(expect.objectContaining({ ruleId: 'A13', dueDate: limit, issuedOn: today }));
    // Time passes, the engine wakes again: still that one letter.
    await h.travelTo(addDays(today, 3));
    expect(await lettersOf(problem.workflowId)).toEqual(['rectification']);

    // Escalation (Y11) needs a reason: the engine refuses without one (409, in Chinese).
    const bare = await act('jia-reform', id, 'escalate');
    expect(bare.status).toBe(409);
    expect(bare.json.error?.message).toMatch(/理由/);
    expect(leaks(bare.text)).toEqual([]);
    const up = await act('jia-reform', id, 'escalate', { reason: '涉及省级审批权限,需省里统筹协调' });
    expect(up.status).toBe(200);
    // Below it is 已上交 and leaves the open count; above it is in the library, open.
    expect(up.json).toEqual(expect.objectContaining({ status: 'escalated', statusLabel: '已上交', library: { regionPath: '/sf/', ownerUnitId: 'sf-reform' } }));
    expect((await page('jia-reform')).counts).toEqual({ open: 0, kept: 0, cancelled: 0, escalated: 1 });
    const above = await page('sf-reform');
    expect(above.rows.map((r) => [r.id, r.status])).toEqual([[id, 'rectifying']]);
    expect(above.counts).toEqual({ open: 1, kept: 0, cancelled: 0, escalated: 0 });
    // The office below no longer acts on it.
    expect((await act('jia-reform', id, 'send_back', { reason: '退回' })).status).toBe(403);

    // The unit reports; the office above verifies: evidence required, then cancelled (销号).
    expect((await act('jia-fgw', id, 'report_rectification')).status).toBe(200);
    const noEvidence = await act('sf-reform', id, 'verify');
    expect(noEvidence.status).toBe(400);
    expect(noEvidence.json.error?.issues?.[0].path).toBe('evidenceIds');
    const unknown = await act('sf-reform', id, 'verify', { evidenceIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error?.issues?.[0].path).toBe('evidenceIds.0');
    // The rectifying unit uploads its report; the office below (it sent the problem up) and another unit may not.
    const report = Buffer.from('%PDF-1.7\n整改完成情况报告');
    expect((await upload('jia-reform', id, '整改完成情况报告.pdf', report)).status).toBe(403);
    expect((await upload('sf-edu', id, '整改完成情况报告.pdf', report)).status).toBe(404);
    expect((await upload('jia-fgw', id, '整改完成情况报告.png', report)).status).toBe(415);
    const uploadKey = `req-${randomUUID()}`;
    const uploaded = await upload('jia-fgw', id, '整改完成情况报告.pdf', report, uploadKey);
    expect(uploaded.status).toBe(201);
    expect(uploaded.json).toEqual(expect.objectContaining({ filename: '整改完成情况报告.pdf', contentType: 'application/pdf', size: report.length }));
    const evidenceId = String(uploaded.json.evidenceId);
    // Sent again with the same X-Request-Id (no answer reached the client): the same file, kept and audited once (below).
    const uploadedAgain = await upload('jia-fgw', id, '整改完成情况报告.pdf', report, uploadKey);
    expect([uploadedAgain.status, uploadedAgain.json.evidenceId]).toEqual([201, evidenceId]);
    const verifyKey = `req-${randomUUID()}`;
    const verifyOnce = () => call({ url }, 'POST', `/api/problems/${id}/actions`, { body: { action: 'verify', evidenceIds: [evidenceId] }, headers: { authorization: `Bearer ${tokens['sf-reform']}`, 'x-request-id': verifyKey } });
    const cancelled = await verifyOnce();
    expect(cancelled.status).toBe(200);
    // Sent again with the same X-Request-Id: the problem as it stands (not the engine's 409 for a closed problem), verified once (below).
    const cancelledAgain = await verifyOnce();
    expect([cancelledAgain.status, cancelledAgain.json.status]).toEqual([200, 'cancelled']);
    expect(cancelled.json).toEqual(expect.objectContaining({ status: 'cancelled', statusLabel: '已销号', evidenceIds: [evidenceId] }));
    expect((cancelled.json as unknown as Problem).engine?.stage.id).toBe('closed');
    expect((await page('sf-reform')).counts).toEqual({ open: 0, kept: 0, cancelled: 1, escalated: 0 });
    // A cancelled problem takes no further action: the engine says why (409).
    expect((await act('sf-reform', id, 'send_back', { reason: '复查' })).status).toBe(409);

    // Its workflow is not acted on through the plans API: the library's row would not follow.
    expect((await as('jia-reform', 'POST', `/api/plans/${problem.workflowId}/actions`, { action: 'send_back', reason: '绕过问题库' })).status).toBe(403);

    // Audited: each change of the library, in a chain that verifies.
    const rows: Array<{ action: string }> = await h.db.ds.query(`SELECT action FROM audit_log WHERE target_id = '${id}' ORDER BY seq`);
    expect(rows.map((r) => r.action)).toEqual(['problem.registered', 'problem.hand_over', 'problem.escalate', 'problem.report_rectification', 'problem.evidence_added', 'problem.verify']);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('sends the ladder once each when rectification fails, and keeps a problem with its note', async () => {
    const today = await h.today();
    const description = '义务教育阶段课后服务经费保障政策未落实';
    const reg = await as('sf-reform', 'POST', '/api/problems', { against: { type: 'unit', unitId: 'sf-edu' }, description });
    expect(reg.status).toBe(201);
    const { id, workflowId } = reg.json as unknown as Problem;
    expect((await act('sf-reform', id, 'hand_over')).status).toBe(200);
    const limit = plusMonths(today, LIMIT_MONTHS);
    await eventually(async () => expect(await lettersOf(workflowId)).toEqual(['rectification']));

    // Past the limit with nothing reported: public naming (点名通报) to every unit, once (A13).
    await h.travelTo(addDays(limit, 1), 60);
    const naming = await eventually(async () => {
      const d = await detail('sf-reform', id);
      expect(d.letters.map((l) => l.kind)).toEqual(['rectification', 'public_naming']);
      return d.letters[1];
    });
    expect(naming.addressees.map((a) => a.name)).toEqual(['各有关单位']);
    expect(naming.copyTo.map((a) => a.name)).toEqual(['改革领导小组']);
    expect(naming).toEqual(expect.objectContaining({ ruleId: 'A13', dueDate: limit, issuedOn: addDays(limit, 1) }));
    expect(naming.limitDate).not.toBeNull();
    expect(naming.body).toContain(description);

    // Past the naming's own limit: the interview of the unit's principal (约谈), once.
    await h.travelTo(addDays(naming.limitDate!, 1), 60);
    const interview = await eventually(async () => {
      const d = await detail('sf-reform', id);
      expect(d.letters.map((l) => l.kind)).toEqual(['rectification', 'public_naming', 'interview']);
      return d.letters[2];
    });
    expect(interview.addressees.map((a) => a.name)).toEqual(['示范省教育厅']);
    expect(interview.ruleId).toBe('A13');
    await h.travelTo(addDays(naming.limitDate!, 30));
    expect(await lettersOf(workflowId)).toEqual(['rectification', 'public_naming', 'interview']);

    // Long-running work is kept (留号) with a note, still on the ledger.
    expect((await act('sf-edu', id, 'report_rectification')).status).toBe(200);
    const noNote = await act('sf-reform', id, 'keep');
    expect(noNote.status).toBe(400);
    expect(noNote.json.error?.issues?.[0].path).toBe('note');
    const note = '经费保障需纳入下年度预算,按季度跟踪';
    const kept = await act('sf-reform', id, 'keep', { note });
    expect(kept.status).toBe(200);
    expect(kept.json).toEqual(expect.objectContaining({ status: 'kept', statusLabel: '留号', note }));
    expect((await page('sf-reform', '?status=kept')).rows.map((r) => r.id)).toEqual([id]);
    expect((await page('sf-reform')).counts).toEqual(expect.objectContaining({ kept: 1 }));
  });

  it('registers a problem against a plan of the level, rectified by its lead unit, and not as a plan', async () => {
    const plan = await as('sf-ndrc', 'POST', '/api/plans', {
      procedure: 'reform_plan',
      title: '关于深化投资审批制度改革的实施方案',
      specialGroupId: 'sf-econ',
      responsibleLeader: '王副省长',
      responsiblePerson: '李明',
    });
    expect(plan.status).toBe(201);
    const planId = String(plan.json.planId);
    // A problem is not registered through the plans API.
    const asPlan = await as('sf-ndrc', 'POST', '/api/plans', { procedure: 'problem', title: '问题', specialGroupId: 'sf-econ', responsibleLeader: '王副省长', responsiblePerson: '李明' });
    expect(asPlan.status).toBe(400);
    expect(asPlan.json.error?.issues?.[0].path).toBe('procedure');

    const description = '投资项目在线审批监管平台未与部门系统全面对接';
    // The city's office does not register against the province's plan; an unknown item is named.
    const fromBelow = await as('jia-reform', 'POST', '/api/problems', { against: { type: 'plan', planId }, description });
    expect(fromBelow.status).toBe(400);
    expect(fromBelow.json.error?.issues?.[0].path).toBe('against.planId');
    const noItem = await as('sf-reform', 'POST', '/api/problems', { against: { type: 'item', planId, itemId: '9' }, description });
    expect(noItem.status).toBe(400);
    expect(noItem.json.error?.issues?.[0].path).toBe('against.itemId');

    const reg = await as('sf-reform', 'POST', '/api/problems', { against: { type: 'plan', planId }, description });
    expect(reg.status).toBe(201);
    expect(reg.json.against).toEqual({ type: 'plan', planId, itemId: null, unitId: 'sf-ndrc' });
    const id = String(reg.json.id);
    // The plan's lead unit sees it and rectifies it; another department does not.
    expect((await page('sf-ndrc')).rows.map((r) => r.id)).toContain(id);
    expect((await as('sf-edu', 'GET', `/api/problems/${id}`)).status).toBe(404);
    expect((await act('sf-reform', id, 'hand_over')).status).toBe(200);
    const letter = await eventually(async () => {
      const d = await detail('sf-ndrc', id);
      expect(d.letters.length).toBe(1);
      return d.letters[0];
    });
    expect(letter.addressees.map((a) => a.name)).toEqual(['示范省发展和改革委员会']);
    expect(letter.body).toContain(description);
  });

  it('answers 401 without a token and 404 for an unknown problem', async () => {
    expect((await call({ url }, 'GET', '/api/problems')).status).toBe(401);
    expect((await call({ url }, 'POST', '/api/problems', { body: {} })).status).toBe(401);
    expect((await as('sf-reform', 'GET', '/api/problems/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await as('sf-reform', 'GET', '/api/problems/not-a-problem')).status).toBe(404);
    expect((await act('sf-reform', 'not-a-problem', 'hand_over')).status).toBe(404);
    const badAction = await as('sf-reform', 'POST', '/api/problems/00000000-0000-4000-8000-000000000000/actions', { action: 'burn' });
    expect(badAction.status).toBe(400);
    expect(badAction.json.error?.issues?.[0].path).toBe('action');
  });
});
