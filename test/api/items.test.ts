import { addDays } from '@reform/calendar';
import type { AuditService } from '@reform/audit';
import fc from 'fast-check';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DB_KINDS } from '../support/db';
import { Harness } from '../support/harness';
import { call, HarnessApi, leaks, startHarnessApi } from './support';
import { eventually } from './world';

/**
 * Specific reform items (S2) and letters over HTTP, with the real time-skipping Temporal server
 * and real databases. Stage, action and deadline ids are those of rules/standard; item statuses
 * 未启动 / 已启动未完成 / 已完成 are domain.md's (S2); write-off needs every item completed (S2) and
 * the one-year retrospective (A16), as reform-plan.rules says. The evidence size limit is set low
 * here (the default is 20 MB) so an oversized file is cheap to send.
 */
const MAX_BYTES = 200_000;

/** Every file under a directory, recursively. */
function filesUnder(dir: string): string[] {
  let out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  for (const n of names) {
    const p = join(dir, n);
    out = statSync(p).isDirectory() ? out.concat(filesUnder(p)) : out.concat(p);
  }
  return out;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.each(DB_KINDS)('specific reform items with evidence, and letters, over HTTP (%s)', (kind) => {
  let h: Harness;
  let api: HarnessApi;
  let url: string;
  let audit: AuditService;
  let evidenceDir: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    evidenceDir = mkdtempSync(join(tmpdir(), 'reform-evidence-'));
    api = await startHarnessApi(kind, { logins: ['sf-ndrc', 'sf-edu', 'sf-fin', 'sf-econ', 'sf-legal', 'sf-reform', 'jia-reform'], extraUnits: [['sf', 'sf-fin', '示范省财政厅', 'department']], evidence: { dir: evidenceDir, maxBytes: MAX_BYTES } });
    ({ h, url, audit } = api);
    Object.assign(tokens, api.tokens);
  });
  afterAll(async () => {
    await api?.close();
    if (evidenceDir) rmSync(evidenceDir, { recursive: true, force: true });
  });

  const as = (user: string, method: string, path: string, body?: unknown) => call({ url }, method, path, { body, headers: { authorization: `Bearer ${tokens[user]}` } });
  const act = (user: string, id: string, action: string, extra: Record<string, unknown> = {}) => as(user, 'POST', `/api/plans/${id}/actions`, { action, ...extra });

  /** Sends bytes as an evidence file; `stream` sends them chunked, without a Content-Length. */
  async function upload(user: string, path: string, filename: string, bytes: Buffer, opts: { stream?: boolean; type?: string } = {}) {
    const body = opts.stream
      ? new ReadableStream<Uint8Array>({
          start(controller) {
            for (let at = 0; at < bytes.length; at += 16_384) controller.enqueue(new Uint8Array(bytes.subarray(at, at + 16_384)));
            controller.close();
          },
        })
      : new Uint8Array(bytes);
    const res = await fetch(`${url}${path}?filename=${encodeURIComponent(filename)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[user]}`, 'content-type': opts.type ?? 'application/octet-stream' },
      body,
      ...(opts.stream ? { duplex: 'half' } : {}),
    } as RequestInit);
    const text = await res.text();
    let json: Record<string, unknown> & { error?: { message: string; status: number } } = {};
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      // not JSON
    }
    return { status: res.status, json, text };
  }

  async function stageOf(user: string, id: string): Promise<{ stage: string; actions: Array<{ action: string; blockers: string[]; needsReason: boolean }> }> {
    return eventually(async () => {
      const r = await as(user, 'GET', `/api/plans/${id}`);
      expect(r.status).toBe(200);
      const d = r.json as unknown as { plan: { stage: { id: string } }; actions: Array<{ action: string; blockers: string[]; needsReason: boolean }> };
      return { stage: d.plan.stage.id, actions: d.actions };
    });
  }

  /** Moves the plan forward as `user` (never a return, never an item) until it reaches `stage`. */
  async function advanceTo(user: string, id: string, stage: string): Promise<void> {
    for (let step = 0; step < 12; step++) {
      const d = await stageOf(user, id);
      if (d.stage === stage) return;
      const next = d.actions.find((a) => !a.blockers.length && !a.needsReason && !/^(reject|return)_/.test(a.action) && a.action !== 'update_item');
      if (!next) throw new Error(`${user} has no action to take in ${d.stage}`);
      const r = await act(user, id, next.action);
      expect(r.status).toBe(200);
      const moved = (r.json as { stage: { id: string } }).stage.id;
      await eventually(async () => expect((await stageOf(user, id)).stage).toBe(moved));
    }
    throw new Error(`did not reach ${stage}`);
  }

  it('adds items, changes their status with evidence files, keeps each item history, and writes the plan off only once every item is completed', async () => {
    const reg = await as('sf-ndrc', 'POST', '/api/plans', {
      procedure: 'reform_plan',
      title: '关于深化财政预算管理改革的实施方案',
      specialGroupId: 'sf-econ',
      participatingUnitIds: ['sf-edu'],
      responsibleLeader: '王副省长',
      responsiblePerson: '李明',
    });
    expect(reg.status).toBe(201);
    const id = String(reg.json.planId);
    const items = `/api/plans/${id}/items`;

    // Before implementation the procedure has no item action in the stage: the engine refuses (409).
    await stageOf('sf-ndrc', id);
    const early = await as('sf-ndrc', 'POST', items, { id: '1', title: '建立预算绩效评价制度' });
    expect(early.status).toBe(409);
    expect(leaks(early.text)).toEqual([]);

    // Walk the plan to implementation (组织实施) as the units of each role.
    await advanceTo('sf-ndrc', id, 'special_group_review');
    expect((await act('sf-econ', id, 'pass_special_group_review')).status).toBe(200);
    await eventually(async () => expect((await as('sf-legal', 'GET', `/api/plans/${id}`)).status).toBe(200));
    expect((await act('sf-legal', id, 'pass_legality_review')).status).toBe(200);
    await advanceTo('sf-econ', id, 'issuance');
    await advanceTo('sf-ndrc', id, 'implementation');

    // No token: 401. Another department: the plan does not exist for it (404).
    expect((await call({ url }, 'GET', items)).status).toBe(401);
    expect((await as('sf-fin', 'POST', items, { id: '1', title: '建立预算绩效评价制度' })).status).toBe(404);
    expect((await as('sf-fin', 'GET', items)).status).toBe(404);

    // The lead unit adds two items (未启动 unless said otherwise); an id twice is a conflict; a bad field names its path.
    const one = await as('sf-ndrc', 'POST', items, { id: '1', title: '建立预算绩效评价制度' });
    expect(one.status).toBe(201);
    expect(one.json).toEqual(expect.objectContaining({ id: '1', title: '建立预算绩效评价制度', status: 'not_started', statusLabel: '未启动' }));
    expect((await as('sf-ndrc', 'POST', items, { id: '2', title: '推进预算公开', status: 'started' })).status).toBe(201);
    const twice = await as('sf-ndrc', 'POST', items, { id: '1', title: '另一个事项' });
    expect(twice.status).toBe(409);
    expect(twice.json.error?.message).toContain('建立预算绩效评价制度');
    const badStatus = await as('sf-ndrc', 'PATCH', `${items}/1`, { status: 'done' });
    expect(badStatus.status).toBe(400);
    expect(badStatus.json.error?.issues?.[0].path).toBe('status');
    expect((await as('sf-ndrc', 'PATCH', `${items}/9`, { status: 'started' })).status).toBe(404);
    // Two changes of one item at once: both kept, numbered apart.
    const both = await Promise.all(['第一次报送', '第二次报送'].map((note) => as('sf-ndrc', 'PATCH', `${items}/2`, { status: 'started', note })));
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    const two = await as('sf-edu', 'GET', `${items}/2`);
    expect((two.json.history as Array<{ seq: number }>).map((c) => c.seq)).toEqual([1, 2, 3]);
    // Its light (亮灯): registered today, the plan's next due date (filing, A9) a month after issue today: green.
    expect(two.json.light).toBe('green');
    // An item changed through the plain action endpoint has that change in its history too.
    expect((await act('sf-ndrc', id, 'update_item', { item: { id: '2', status: 'started' } })).status).toBe(200);
    const viaAction = (await as('sf-edu', 'GET', `${items}/2`)).json.history as Array<{ seq: number; statusBefore: string; statusAfter: string; title: string }>;
    expect(viaAction.map((c) => c.seq)).toEqual([1, 2, 3, 4]);
    expect(viaAction[3]).toEqual(expect.objectContaining({ statusBefore: 'started', statusAfter: 'started', title: '推进预算公开' }));
    const list = await as('sf-edu', 'GET', items);
    expect(list.status).toBe(200);
    expect((list.json.items as Array<{ id: string; status: string }>).map((i) => [i.id, i.status])).toEqual([
      ['1', 'not_started'],
      ['2', 'started'],
    ]);

    // An evidence file: the sha256 the API records is the one of the bytes sent.
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(60_000)]);
    const up = await upload('sf-ndrc', `${items}/1/evidence`, '验收报告(第一批).pdf', pdf);
    expect(up.status).toBe(201);
    expect(up.json).toEqual(expect.objectContaining({ filename: '验收报告(第一批).pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) }));
    const evidenceId = String(up.json.evidenceId);
    const stored = filesUnder(evidenceDir);
    expect(stored.map((f) => f.split('/').pop())).toEqual([sha256(pdf)]);

    // Refused files leave nothing behind (no file on disk, no row): a PNG name over PDF bytes,
    // an extension not allowed, a file over the limit (declared, and streamed without a length).
    const rows = async () => Number((await h.db.ds.query('SELECT COUNT(*) AS n FROM item_evidence'))[0].n);
    const wrongContent = await upload('sf-ndrc', `${items}/1/evidence`, '照片.png', pdf);
    expect(wrongContent.status).toBe(415);
    expect(wrongContent.json.error?.message).toContain('PNG');
    const wrongExt = await upload('sf-ndrc', `${items}/1/evidence`, '说明.exe', Buffer.from('MZ\x90\x00'));
    expect(wrongExt.status).toBe(415);
    expect(wrongExt.json.error?.message).toContain('pdf');
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(MAX_BYTES)]);
    const tooBig = await upload('sf-ndrc', `${items}/1/evidence`, '大文件.pdf', big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.error?.message).toContain('不得超过');
    const tooBigStreamed = await upload('sf-ndrc', `${items}/1/evidence`, '大文件.pdf', big, { stream: true });
    expect(tooBigStreamed.status).toBe(413);
    const noName = await fetch(`${url}${items}/1/evidence`, { method: 'POST', headers: { authorization: `Bearer ${tokens['sf-ndrc']}` }, body: new Uint8Array(pdf) });
    expect(noName.status).toBe(400);
    expect(filesUnder(evidenceDir)).toEqual(stored);
    expect(await rows()).toBe(1);

    // A unit that only reads the plan (a participant) may not add evidence (403); one outside it gets 404.
    expect((await upload('sf-edu', `${items}/1/evidence`, '报告.pdf', pdf)).status).toBe(403);
    expect((await upload('sf-fin', `${items}/1/evidence`, '报告.pdf', pdf)).status).toBe(404);
    // Acting on the plan is not enough: its special group and the province's reform office only
    // read its items (update_item is the lead unit's, reform-plan.rules): 403 for evidence and changes alike.
    for (const unit of ['sf-econ', 'sf-reform']) {
      const refused = await upload(unit, `${items}/1/evidence`, '报告.pdf', pdf);
      expect([unit, refused.status]).toEqual([unit, 403]);
      expect(refused.json.error?.message).toMatch(/具体改革事项只能查看/);
      expect([unit, (await as(unit, 'PATCH', `${items}/1`, { status: 'completed' })).status]).toEqual([unit, 403]);
      expect([unit, (await as(unit, 'POST', items, { id: '9', title: '不应登记的事项' })).status]).toEqual([unit, 403]);
    }
    expect(filesUnder(evidenceDir)).toEqual(stored);
    expect(await rows()).toBe(1);

    // Item 1 completed with its evidence; evidence of another item is refused with its field.
    const wrongItem = await as('sf-ndrc', 'PATCH', `${items}/2`, { status: 'completed', evidenceIds: [evidenceId] });
    expect(wrongItem.status).toBe(400);
    expect(wrongItem.json.error?.issues?.[0].path).toBe('evidenceIds.0');
    const done = await as('sf-ndrc', 'PATCH', `${items}/1`, { status: 'completed', note: '制度已印发', evidenceIds: [evidenceId] });
    expect(done.status).toBe(200);
    expect(done.json).toEqual(expect.objectContaining({ status: 'completed', statusLabel: '已完成' }));
    const history = done.json.history as Array<{ seq: number; statusBefore: string | null; statusAfter: string; evidenceIds: string[]; note: string | null; by: { unitId: string } }>;
    expect(history.map((c) => [c.seq, c.statusBefore, c.statusAfter, c.evidenceIds])).toEqual([
      [1, null, 'not_started', []],
      [2, 'not_started', 'completed', [evidenceId]],
    ]);
    expect(history[1]).toEqual(expect.objectContaining({ note: '制度已印发', by: expect.objectContaining({ unitId: 'sf-ndrc' }) }));

    // A reader in scope downloads the same bytes, with the type and the UTF-8 file name; outside scope 404.
    const dl = await fetch(`${url}${items}/1/evidence/${evidenceId}`, { headers: { authorization: `Bearer ${tokens['sf-edu']}` } });
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe('application/pdf');
    expect(dl.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('验收报告').replace(/[()]/g, '')}`);
    expect(sha256(Buffer.from(await dl.arrayBuffer()))).toBe(sha256(pdf));
    expect((await fetch(`${url}${items}/1/evidence/${evidenceId}`, { headers: { authorization: `Bearer ${tokens['sf-fin']}` } })).status).toBe(404);
    expect((await fetch(`${url}${items}/2/evidence/${evidenceId}`, { headers: { authorization: `Bearer ${tokens['sf-edu']}` } })).status).toBe(404);

    // Write-off (申请销账): refused by the engine while item 2 is open, with the item named; accepted once it is completed.
    expect((await act('sf-ndrc', id, 'submit_retrospective')).status).toBe(200);
    const refused = await act('sf-econ', id, 'request_write_off');
    expect(refused.status).toBe(409);
    const reasons = (refused.json.error as { reasons?: Array<{ code: string; message: string }> }).reasons ?? [];
    expect(reasons.map((r) => r.code)).toEqual(['items_incomplete']);
    expect(reasons[0].message).toContain('推进预算公开');
    expect((await as('sf-ndrc', 'PATCH', `${items}/2`, { status: 'completed' })).status).toBe(200);
    const written = await act('sf-econ', id, 'request_write_off');
    expect(written.status).toBe(200);
    expect((written.json as { stage: { id: string } }).stage.id).toBe('write_off');

    // Audited: the evidence, each item change (with its evidence), in a chain that verifies.
    const auditRows: Array<{ action: string; after: string | null }> = await h.db.ds.query(`SELECT action, after FROM audit_log WHERE target_id = '${id}' ORDER BY seq`);
    expect(auditRows.filter((r) => r.action === 'item.evidence_added').length).toBe(1);
    const itemActs = auditRows.filter((r) => r.action === 'plan.act' && r.after && JSON.parse(r.after).item);
    expect(itemActs.length).toBe(7);
    expect(itemActs.some((r) => JSON.stringify(JSON.parse(r.after!).evidenceIds) === JSON.stringify([evidenceId]))).toBe(true);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('lists the letters of plans in scope once a deadline has passed (filters, paging) and answers 404 for a letter of another unit', async () => {
    const today = await h.today();
    // A central plan issued 170 days ago: its matching plan is due within six months (S1), not yet overdue.
    const mine = await as('sf-ndrc', 'POST', '/api/plans', {
      procedure: 'central_integration',
      title: '关于对接中央财税体制改革方案的实施方案',
      specialGroupId: 'sf-econ',
      responsibleLeader: '王副省长',
      responsiblePerson: '李明',
      startEvents: { central_plan_issued: addDays(today, -170) },
    });
    expect(mine.status).toBe(201);
    const planId = String(mine.json.planId);
    // Another department's plan, already late when registered: it gets letters at once.
    const theirs = await as('sf-fin', 'POST', '/api/plans', {
      procedure: 'central_integration',
      title: '关于对接中央预算制度改革方案的实施方案',
      specialGroupId: 'sf-econ',
      responsibleLeader: '张副省长',
      responsiblePerson: '赵强',
      startEvents: { central_plan_issued: addDays(today, -215) },
    });
    expect(theirs.status).toBe(201);
    const otherId = String(theirs.json.planId);

    await stageOf('sf-ndrc', planId);
    const before = await as('sf-ndrc', 'GET', `/api/letters?plan=${planId}&kind=supervision`);
    expect(before.status).toBe(200);
    expect(before.json.rows).toEqual([]);

    // Thirty days on by the server's own clock, the six months have passed: a supervision letter (督办函).
    await h.travelTo(addDays(today, 30), 60);
    const listed = await eventually(async () => {
      const r = await as('sf-ndrc', 'GET', `/api/letters?plan=${planId}&kind=supervision`);
      expect(r.status).toBe(200);
      expect((r.json.rows as unknown[]).length).toBeGreaterThan(0);
      return r.json.rows as Array<{ letterId: string; planId: string; kind: string; number: string; issuedOn: string; deadlineKey: string }>;
    });
    expect(listed.every((l) => l.planId === planId && l.kind === 'supervision')).toBe(true);
    expect(listed[0].deadlineKey).toContain('matching_plan');
    expect(listed[0].number).toMatch(/^改办函〔\d{4}〕\d+号$/);

    // All its letters, one per page: the pages are disjoint and end with a null cursor.
    const all = (await as('sf-ndrc', 'GET', `/api/letters?plan=${planId}`)).json.rows as Array<{ letterId: string; issuedOn: string }>;
    expect(all.length).toBeGreaterThanOrEqual(2);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json: Record<string, unknown> } = await as('sf-ndrc', 'GET', `/api/letters?plan=${planId}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...(page.json.rows as Array<{ letterId: string }>).map((r) => r.letterId));
      cursor = page.json.nextCursor as string | null;
    } while (cursor && paged.length < 50);
    expect(paged).toEqual(all.map((l) => l.letterId));
    // A date range before the first letter holds none of them.
    const earliest = all.map((l) => l.issuedOn).sort()[0];
    expect((await as('sf-ndrc', 'GET', `/api/letters?plan=${planId}&to=${addDays(earliest, -1)}`)).json.rows).toEqual([]);
    expect(((await as('sf-ndrc', 'GET', `/api/letters?plan=${planId}&from=${earliest}`)).json.rows as unknown[]).length).toBe(all.length);
    const badQuery = await as('sf-ndrc', 'GET', '/api/letters?kind=memo');
    expect(badQuery.status).toBe(400);

    // The letter in full, for the lead unit; the reform office of the province sees it, a city's does not.
    const detail = await as('sf-ndrc', 'GET', `/api/letters/${listed[0].letterId}`);
    expect(detail.status).toBe(200);
    expect(detail.json).toEqual(expect.objectContaining({ number: listed[0].number, kind: 'supervision', planId, body: expect.stringContaining('督办') }));
    expect((await as('sf-reform', 'GET', `/api/letters/${listed[0].letterId}`)).status).toBe(200);
    expect((await as('jia-reform', 'GET', `/api/letters/${listed[0].letterId}`)).status).toBe(404);

    // The other department's letters exist, but not for the lead unit: not listed, and 404 by id.
    const other = await eventually(async () => {
      const r = await as('sf-fin', 'GET', `/api/letters?plan=${otherId}`);
      expect((r.json.rows as unknown[]).length).toBeGreaterThan(0);
      return r.json.rows as Array<{ letterId: string }>;
    });
    expect((await as('sf-ndrc', 'GET', `/api/letters?plan=${otherId}`)).json.rows).toEqual([]);
    const hidden = await as('sf-ndrc', 'GET', `/api/letters/${other[0].letterId}`);
    expect(hidden.status).toBe(404);
    expect(leaks(hidden.text)).toEqual([]);
    const everything = (await as('sf-ndrc', 'GET', '/api/letters?limit=100')).json.rows as Array<{ planId: string }>;
    expect(everything.some((l) => l.planId === otherId)).toBe(false);
    expect((await call({ url }, 'GET', '/api/letters')).status).toBe(401);

    // Whatever a signed-in user puts in the queries and ids of these routes: a 4xx at worst, never a 5xx.
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('plan', 'unit', 'kind', 'from', 'to', 'limit', 'cursor', 'x'), fc.string({ maxLength: 30 }), { maxKeys: 4 }),
        fc.string({ maxLength: 120 }),
        async (query, id) => {
          const some = encodeURIComponent(id) || 'x';
          for (const path of [`/api/letters?${new URLSearchParams(query)}`, `/api/letters/${some}`, `/api/plans/${planId}/items/${some}`, `/api/plans/${planId}/items/1/evidence/${some}`]) {
            const r = await as('sf-ndrc', 'GET', path);
            expect([path, r.status < 500, leaks(r.text)]).toEqual([path, true, []]);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
