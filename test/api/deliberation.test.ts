import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { DB_KINDS } from '../support/db';
import { Harness } from '../support/harness';
import { call, HarnessApi, leaks, startHarnessApi, TEST_PASSWORD } from './support';

/**
 * The yearly deliberation schedule (年度上会审议计划, W5) over HTTP, with the real time-skipping
 * Temporal server: a reform office plans its leading-group meetings and lists plans for them;
 * central-plan integrations come first (S1); a plan is ready once its procedure reaches the
 * leading group's stage, deliberated once past it, and flagged when the meeting's date has come
 * and it is not ready (read from the ledger projection); the schedule's progress is counted.
 */

interface Scheduled {
  planId: string;
  central: boolean;
  status: string;
  statusLabel: string;
  stage: { id: string } | null;
}
interface Progress {
  total: number;
  planned: number;
  ready: number;
  deliberated: number;
  notReady: number;
}
interface Meeting {
  id: string;
  title: string;
  meetingDate: string;
  plans: Scheduled[];
  progress: Progress;
}
interface Schedule {
  year: number;
  meetings: Meeting[];
  progress: Progress;
  unscheduledCentral: Array<{ planId: string }>;
}

describe.each(DB_KINDS)('the yearly deliberation schedule over HTTP (%s)', (kind) => {
  let h: Harness;
  let api: HarnessApi;
  let url: string;

  beforeAll(async () => {
    api = await startHarnessApi(kind, { logins: ['sf-ndrc', 'sf-econ', 'sf-legal', 'sf-reform', 'jia-reform'] });
    ({ h, url } = api);
  });
  afterAll(async () => {
    await api?.close();
  });

  const as = (user: string, method: string, path: string, body?: unknown, requestId?: string) =>
    call({ url }, method, path, { body, headers: { authorization: `Bearer ${api.tokens[user]}`, ...(requestId ? { 'x-request-id': requestId } : {}) } });
  const register = async (procedure: string, title: string, attributes: Record<string, boolean> = {}) => {
    const r = await as('sf-ndrc', 'POST', '/api/plans', { procedure, title, specialGroupId: 'sf-econ', responsibleLeader: '王副省长', responsiblePerson: '李明', attributes });
    expect(r.status).toBe(201);
    return String(r.json.planId);
  };
  const walk = async (planId: string, steps: Array<[string, string]>) => {
    for (const [user, action] of steps) {
      const r = await as(user, 'POST', `/api/plans/${planId}/actions`, { action });
      expect([action, r.status]).toEqual([action, 200]);
    }
  };

  it('lists plans for meetings, central integrations first, and reads readiness and deliberation from the ledger', async () => {
    const today = await h.today();
    const year = Number(today.slice(0, 4));
    const next = year + 1;

    // Only a reform office keeps a schedule; bad input names its field.
    expect((await as('sf-ndrc', 'GET', `/api/deliberation-schedules/${year}`)).status).toBe(403);
    expect((await call({ url }, 'GET', `/api/deliberation-schedules/${year}`)).status).toBe(401);
    const badYear = await as('sf-reform', 'GET', '/api/deliberation-schedules/1999');
    expect(badYear.status).toBe(400);
    expect(badYear.json.error?.issues?.[0].path).toBe('year');
    const outside = await as('sf-reform', 'POST', `/api/deliberation-schedules/${year}/meetings`, { title: '省委全面深化改革委员会会议', meetingDate: `${next}-03-01` });
    expect(outside.status).toBe(400);
    expect(outside.json.error?.issues?.[0].path).toBe('meetingDate');
    const noTitle = await as('sf-reform', 'POST', `/api/deliberation-schedules/${year}/meetings`, { title: ' ', meetingDate: today });
    expect(noTitle.status).toBe(400);
    expect(noTitle.json.error?.issues?.[0].path).toBe('title');

    // A meeting today, and one next year (in the future whatever today is).
    const m0Key = `req-${randomUUID()}`;
    const m0 = await as('sf-reform', 'POST', `/api/deliberation-schedules/${year}/meetings`, { title: '省委全面深化改革委员会第一次会议', meetingDate: today }, m0Key);
    expect(m0.status).toBe(201);
    // The same request again (a client that never heard back, same X-Request-Id): the same meeting, none added.
    const m0Again = await as('sf-reform', 'POST', `/api/deliberation-schedules/${year}/meetings`, { title: '省委全面深化改革委员会第一次会议', meetingDate: today }, m0Key);
    expect([m0Again.status, m0Again.json.id]).toEqual([201, m0.json.id]);
    const m1 = await as('sf-reform', 'POST', `/api/deliberation-schedules/${next}/meetings`, { title: '省委全面深化改革委员会第二次会议', meetingDate: `${next}-06-30` });
    expect(m1.status).toBe(201);
    const m2 = await as('sf-reform', 'POST', `/api/deliberation-schedules/${next}/meetings`, { title: '省委全面深化改革委员会第三次会议', meetingDate: `${next}-09-30` });
    const [meeting0, meeting1, meeting2] = [m0, m1, m2].map((r) => String(r.json.id));

    // reform-plan.rules: the leading group deliberates major plans (A9); central_integration.rules: every matching plan (S1).
    const major = await register('reform_plan', '关于深化国有企业改革的实施方案', { major: true });
    const central = await register('central_integration', '关于对接中央生态文明体制改革方案的实施方案');
    const late = await register('reform_plan', '关于深化医药卫生体制改革的实施方案', { major: true });
    const minor = await register('reform_plan', '关于优化营商环境的若干措施');
    const unlisted = await register('central_integration', '关于对接中央统一大市场建设方案的实施方案');

    const list = (meetingId: string, planId: string, user = 'sf-reform', requestId?: string) => as(user, 'POST', `/api/deliberation-schedules/meetings/${meetingId}/plans`, { planId }, requestId);
    const listKey = `req-${randomUUID()}`;
    expect((await list(meeting1, major, 'sf-reform', listKey)).status).toBe(201);
    // Repeated, it is done once (no 409 for listing it twice, no second audit row).
    expect((await list(meeting1, major, 'sf-reform', listKey)).status).toBe(201);
    expect((await list(meeting1, central)).status).toBe(201);
    expect((await list(meeting0, late)).status).toBe(201);
    // A plan the leading group does not deliberate (no attribute of A9) is refused on its field.
    const refused = await list(meeting1, minor);
    expect(refused.status).toBe(400);
    expect(refused.json.error?.issues?.[0].path).toBe('planId');
    expect(leaks(refused.text)).toEqual([]);
    // Once a year: moving it means taking it off first.
    expect((await list(meeting2, major)).status).toBe(409);
    // Another office's meeting does not exist for it; a department may not list.
    expect((await list(meeting1, major, 'jia-reform')).status).toBe(404);
    expect((await list(meeting1, major, 'sf-ndrc')).status).toBe(403);
    expect((await list(meeting1, 'no-such-plan')).status).toBe(404);

    const schedule = async (y: number) => {
      const r = await as('sf-reform', 'GET', `/api/deliberation-schedules/${y}`);
      expect(r.status).toBe(200);
      return r.json as unknown as Schedule;
    };
    let s = await schedule(next);
    expect(s.meetings.map((m) => m.id)).toEqual([meeting1, meeting2]);
    // The central integration first (S1), though listed second; both planned, the meeting ahead.
    expect(s.meetings[0].plans.map((p) => [p.planId, p.central, p.status])).toEqual([
      [central, true, 'planned'],
      [major, false, 'planned'],
    ]);
    // Every central integration goes to the leading group (S1): one listed in no meeting of the year is shown as a gap.
    expect(s.unscheduledCentral.map((p) => p.planId)).toEqual([unlisted]);
    // The meeting of today: its plan, still in drafting, is not ready.
    const now = await schedule(year);
    expect(now.meetings[0].plans.map((p) => [p.planId, p.status, p.statusLabel])).toEqual([[late, 'not_ready', '会期已到仍未具备上会条件']]);
    expect(now.progress).toEqual({ total: 1, planned: 0, ready: 0, deliberated: 0, notReady: 1 });
    expect((await as('jia-reform', 'GET', `/api/deliberation-schedules/${next}`)).json.meetings).toEqual([]);

    // central_integration.rules: drafting → research → (A7 skipped) → reviews (A8) → the leading group's meeting.
    await walk(central, [
      ['sf-ndrc', 'submit_draft'],
      ['sf-ndrc', 'complete_research'],
      ['sf-econ', 'pass_special_group_review'],
      ['sf-legal', 'pass_legality_review'],
      ['sf-reform', 'pass_reform_office_review'],
    ]);
    s = await schedule(next);
    expect(s.meetings[0].plans[0]).toEqual(expect.objectContaining({ planId: central, status: 'ready', stage: expect.objectContaining({ id: 'leading_group_meeting' }) }));
    await walk(central, [['sf-reform', 'approve_leading_group_meeting']]);
    s = await schedule(next);
    expect(s.meetings[0].plans[0]).toEqual(expect.objectContaining({ planId: central, status: 'deliberated', statusLabel: '已审议' }));
    expect(s.progress).toEqual({ total: 2, planned: 1, ready: 0, deliberated: 1, notReady: 0 });
    // Deliberated, the listed one is no gap in any year; the unlisted one still is.
    expect((await schedule(year)).unscheduledCentral.map((p) => p.planId)).toEqual([unlisted]);
    expect(s.meetings[0].progress).toEqual({ total: 2, planned: 1, ready: 0, deliberated: 1, notReady: 0 });

    // Moved to the third meeting: off the second, onto the third.
    expect((await as('jia-reform', 'DELETE', `/api/deliberation-schedules/meetings/${meeting1}/plans/${major}`)).status).toBe(404);
    expect((await as('sf-reform', 'DELETE', `/api/deliberation-schedules/meetings/${meeting2}/plans/${major}`)).status).toBe(404);
    const removeKey = `req-${randomUUID()}`;
    expect((await as('sf-reform', 'DELETE', `/api/deliberation-schedules/meetings/${meeting1}/plans/${major}`, undefined, removeKey)).status).toBe(200);
    expect((await as('sf-reform', 'DELETE', `/api/deliberation-schedules/meetings/${meeting1}/plans/${major}`, undefined, removeKey)).status).toBe(200);
    expect((await list(meeting2, major)).status).toBe(201);
    s = await schedule(next);
    expect(s.meetings.map((m) => m.plans.map((p) => p.planId))).toEqual([[central], [major]]);

    // Every change audited: who, what, which meeting.
    const rows: Array<{ action: string; actor_unit_id: string }> = await h.db.ds.query(
      `SELECT action, actor_unit_id FROM audit_log WHERE target_type = 'deliberation_meeting' ORDER BY seq`,
    );
    expect(rows.map((r) => r.action)).toEqual([
      'deliberation.meeting_added',
      'deliberation.meeting_added',
      'deliberation.meeting_added',
      'deliberation.plan_listed',
      'deliberation.plan_listed',
      'deliberation.plan_listed',
      'deliberation.plan_removed',
      'deliberation.plan_listed',
    ]);
    expect(new Set(rows.map((r) => r.actor_unit_id))).toEqual(new Set(['sf-reform']));
    expect((await api.audit.verify()).ok).toBe(true);

    // The CLI reads the same schedule through the same desk (SQLite only: the PostgreSQL half stays lean).
    if (kind !== 'sqlite') return;
    const cli = (user: string, args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [join(__dirname, '../../bin/reform.js'), 'deliberation', ...args, '--user', user],
          {
            cwd: join(__dirname, '../..'),
            env: { ...process.env, TEMPORAL_ADDRESS: h.env.address, TEMPORAL_TASK_QUEUE: h.taskQueue, REFORM_PASSWORD: TEST_PASSWORD, REFORM_DATA_DIR: dirname(h.db.options.sqlitePath), DATABASE_URL: '' },
            timeout: 120_000,
          },
          (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 2) : 0, stdout, stderr }),
        );
      });
    const shown = await cli('sf-reform', ['show', String(next), '--json']);
    expect(shown.code).toBe(0);
    const read = JSON.parse(shown.stdout) as Schedule;
    expect(read.meetings.map((m) => m.plans.map((p) => [p.planId, p.status]))).toEqual([[[central, 'deliberated']], [[major, 'planned']]]);
    expect(read.unscheduledCentral.map((p) => p.planId)).toEqual([unlisted]);
  });
});
