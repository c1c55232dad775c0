import { addDays } from '@reform/calendar';
import { DB_KINDS } from '../support/db';
import { Harness } from '../support/harness';
import { call, HarnessApi, startHarnessApi } from './support';
import { eventually } from './world';

/**
 * Letters reach their unit (issue 9, §2) over HTTP, with the real time-skipping Temporal server
 * and both databases. From the standard rules (common.rules): a central plan's matching plan is
 * due six months after the central plan (S1); once that has passed, the supervision letter
 * (督办函) goes to the lead unit (主送) and is copied to its special group (抄送). A unit signs for
 * it (签收) within 2 working days (the default limit), or the letter is flagged on the ledger.
 */
describe.each(DB_KINDS)('letters in the inboxes of their units, signing and late signings, over HTTP (%s)', (kind) => {
  let h: Harness;
  let api: HarnessApi;
  let url: string;

  beforeAll(async () => {
    api = await startHarnessApi(kind, { logins: ['sf-ndrc', 'sf-edu', 'sf-econ', 'sf-reform', 'jia-reform'] });
    ({ h, url } = api);
  });
  afterAll(async () => {
    await api?.close();
  });

  const as = (user: string, method: string, path: string, body?: unknown) => call({ url }, method, path, { body, headers: { authorization: `Bearer ${api.tokens[user]}` } });

  type InboxRow = {
    letterId: string;
    number: string;
    kind: string;
    planId: string;
    relation: string;
    relationLabel: string;
    issuedOn: string;
    dueDate: string;
    deadline: { label: string; due: string; status: string } | null;
    light: string | null;
    signBy: string;
    signedAt: string | null;
    signedBy: string | null;
    signOverdue: boolean;
  };

  /** A date plus whole months, the last day of the month when the day is missing (docs/rules-language.md §2.9). */
  const plusMonths = (date: string, months: number): string => {
    const [y, m, d] = date.split('-').map(Number);
    const index = y * 12 + (m - 1) + months;
    const year = Math.floor(index / 12);
    const month = (index % 12) + 1;
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
  };

  it('puts the letter in the lead unit’s inbox (主送) and its special group’s (抄送); only they sign for it, once; late signings are flagged', async () => {
    const today = await h.today();
    // Issued 215 days ago: the six months of S1 have passed when it is registered, so the supervision letter is written at once.
    const reg = await as('sf-ndrc', 'POST', '/api/plans', {
      procedure: 'central_integration',
      title: '关于对接中央国资国企改革方案的实施方案',
      specialGroupId: 'sf-econ',
      responsibleLeader: '王副省长',
      responsiblePerson: '李明',
      startEvents: { central_plan_issued: addDays(today, -215) },
    });
    expect(reg.status).toBe(201);
    const planId = String(reg.json.planId);

    const lead = await eventually(async () => {
      const r = await as('sf-ndrc', 'GET', '/api/inbox?kind=supervision');
      expect(r.status).toBe(200);
      const rows = (r.json.rows as InboxRow[]).filter((x) => x.planId === planId);
      expect(rows.length).toBe(1);
      return rows[0];
    }, 60_000);
    expect(lead).toMatchObject({ kind: 'supervision', relation: 'to', relationLabel: '主送', signedAt: null, signOverdue: false });
    expect(lead.number).toMatch(/^改办函〔\d{4}〕\d+号$/);
    // Two working days after the issue date: after it, and at most twelve calendar days on (the longest holiday with its weekends).
    expect(lead.signBy > lead.issuedOn).toBe(true);
    expect(lead.signBy <= addDays(lead.issuedOn, 12)).toBe(true);
    // The deadline it chases (central-integration.rules: 时限 matching_plan "出台配套方案", 6 months after the central plan, S1): past, not met: red.
    const matchingDue = plusMonths(addDays(today, -215), 6);
    expect(lead.dueDate).toBe(matchingDue);
    expect(lead.deadline).toMatchObject({ label: '出台配套方案', due: matchingDue });
    expect(lead.deadline?.status).not.toBe('done');
    expect(lead.light).toBe('red');

    const group = (await as('sf-econ', 'GET', '/api/inbox')).json.rows as InboxRow[];
    expect(group.filter((x) => x.letterId === lead.letterId).map((x) => [x.relation, x.relationLabel])).toEqual([['cc', '抄送']]);
    // Another department, and a city's reform office: not in their inboxes, and they cannot sign for it.
    for (const other of ['sf-edu', 'jia-reform']) {
      expect(((await as(other, 'GET', '/api/inbox')).json.rows as InboxRow[]).map((x) => x.letterId)).not.toContain(lead.letterId);
      const refused = await as(other, 'POST', `/api/letters/${lead.letterId}/sign`);
      expect(refused.status).toBe(404);
      expect(refused.json.error?.message).toContain('函件');
    }
    expect((await as('sf-ndrc', 'POST', '/api/letters/00000000-0000-0000-0000-000000000000/sign')).status).toBe(404);
    expect((await call({ url }, 'POST', `/api/letters/${lead.letterId}/sign`)).status).toBe(401);

    // Signing twice: one signing (the first's time and user), one audit row.
    const tooLong = await as('sf-ndrc', 'POST', `/api/letters/${lead.letterId}/sign`, { note: '收'.repeat(201) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.error?.issues?.map((i) => i.path)).toEqual(['note']);
    const first = await as('sf-ndrc', 'POST', `/api/letters/${lead.letterId}/sign`, { note: '已收悉,抓紧办理' });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ letterId: lead.letterId, unitId: 'sf-ndrc', relation: 'to', signedBy: expect.any(String), signedNow: true });
    const second = await as('sf-ndrc', 'POST', `/api/letters/${lead.letterId}/sign`);
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ signedAt: first.json.signedAt, signedBy: first.json.signedBy, signedNow: false });
    const audited: Array<{ action: string; actor_unit_id: string; after: string }> = await h.db.ds.query(
      `SELECT action, actor_unit_id, after FROM audit_log WHERE action = 'letter.signed' AND target_id = '${lead.letterId}'`,
    );
    expect(audited.map((a) => [a.action, a.actor_unit_id, JSON.parse(a.after).note])).toEqual([['letter.signed', 'sf-ndrc', '已收悉,抓紧办理']]);
    expect((await api.audit.verify()).ok).toBe(true);

    // The filters: signed for by the lead unit, still unsigned by the group.
    const signed = (await as('sf-ndrc', 'GET', '/api/inbox?state=signed')).json.rows as InboxRow[];
    expect(signed.map((x) => x.letterId)).toContain(lead.letterId);
    expect(((await as('sf-ndrc', 'GET', '/api/inbox?state=unsigned')).json.rows as InboxRow[]).map((x) => x.letterId)).not.toContain(lead.letterId);
    expect(((await as('sf-econ', 'GET', '/api/inbox?state=unsigned')).json.rows as InboxRow[]).map((x) => x.letterId)).toContain(lead.letterId);
    const bad = await as('sf-ndrc', 'GET', '/api/inbox?state=read');
    expect(bad.status).toBe(400);
    expect(bad.json.error?.message).toContain('state');

    // The letter in full: who it reached, who signed, and its notification (no endpoint configured: pending).
    const detail = await as('sf-ndrc', 'GET', `/api/letters/${lead.letterId}`);
    expect(detail.status).toBe(200);
    const recipients = detail.json.recipients as Array<{ unitId: string; relation: string; signedAt: string | null; delivery: { state: string; attempts: number } | null }>;
    expect(recipients.map((r) => [r.unitId, r.relation, r.signedAt === null, r.delivery?.state, r.delivery?.attempts])).toEqual([
      ['sf-ndrc', 'to', false, 'pending', 0],
      ['sf-econ', 'cc', true, 'pending', 0],
    ]);
    // Not late yet: nothing flagged on the ledger.
    const planBefore = await as('sf-ndrc', 'GET', `/api/plans/${planId}`);
    const lettersBefore = (planBefore.json.plan as { letters: Array<{ number: string; lateSigningUnitIds: string[] }> }).letters;
    expect(lettersBefore.find((l) => l.number === lead.number)?.lateSigningUnitIds).toEqual([]);

    // Twenty days on by the server's clock, past any two working days: the group's signing is late.
    await h.travelTo(addDays(today, 20), 60);
    const late = await eventually(async () => {
      const rows = (await as('sf-econ', 'GET', '/api/inbox?state=unsigned')).json.rows as InboxRow[];
      const row = rows.find((x) => x.letterId === lead.letterId);
      expect(row?.signOverdue).toBe(true);
      return row!;
    });
    expect(late.signBy < addDays(today, 20)).toBe(true);
    expect(((await as('sf-ndrc', 'GET', '/api/inbox?state=signed')).json.rows as InboxRow[]).find((x) => x.letterId === lead.letterId)?.signOverdue).toBe(false);
    const planAfter = await as('sf-ndrc', 'GET', `/api/plans/${planId}`);
    const lettersAfter = (planAfter.json.plan as { letters: Array<{ number: string; lateSigningUnitIds: string[] }> }).letters;
    expect(lettersAfter.find((l) => l.number === lead.number)?.lateSigningUnitIds).toEqual(['sf-econ']);
    const listed = await as('sf-ndrc', 'GET', '/api/plans?lateSigning=true');
    expect(listed.status).toBe(200);
    const row = (listed.json.rows as Array<{ planId: string; lateSignings: number }>).find((r) => r.planId === planId);
    expect(row?.lateSignings).toBeGreaterThanOrEqual(1);
    expect(((await as('sf-ndrc', 'GET', '/api/plans?lateSigning=false')).json.rows as Array<{ planId: string }>).map((r) => r.planId)).not.toContain(planId);

    // Signed now, late: the signing's time is the API's clock (twenty days on), after its last day, so a reader can tell a late signing.
    const lateSigned = await as('sf-econ', 'POST', `/api/letters/${lead.letterId}/sign`);
    expect(lateSigned.status).toBe(200);
    const signedOn = new Date(Date.parse(String(lateSigned.json.signedAt)) + 8 * 3_600_000).toISOString().slice(0, 10);
    expect(signedOn).toBe(addDays(today, 20));
    expect(signedOn > late.signBy).toBe(true);

    // Paging the inbox: one row a page, disjoint, ending with a null cursor, the same as one page.
    const all = ((await as('sf-econ', 'GET', '/api/inbox?limit=100')).json.rows as InboxRow[]).map((x) => x.letterId);
    expect(all.length).toBeGreaterThanOrEqual(2);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json: Record<string, unknown> } = await as('sf-econ', 'GET', `/api/inbox?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...(page.json.rows as InboxRow[]).map((x) => x.letterId));
      cursor = page.json.nextCursor as string | null;
    } while (cursor);
    expect(paged).toEqual(all);

    // The outbox's state: the province's reform office only.
    const status = await as('sf-reform', 'GET', '/api/outbox');
    expect(status.status).toBe(200);
    expect(status.json).toMatchObject({ configured: false });
    expect((status.json.counts as { pending: number }).pending).toBeGreaterThanOrEqual(2);
    expect((await as('jia-reform', 'GET', '/api/outbox')).status).toBe(403);
    expect((await as('sf-ndrc', 'GET', '/api/outbox')).status).toBe(403);
  }, 240_000);
});
