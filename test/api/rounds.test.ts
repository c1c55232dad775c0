import { addDays, localDateAt } from '@reform/calendar';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DB_KINDS } from '../support/db';
import { Harness } from '../support/harness';
import { call, HarnessApi, leaks, startHarnessApi, TEST_PASSWORD } from './support';
import { eventually } from './world';
import { plusMonths } from '../support/dates';

/**
 * Supervision rounds (督察轮次, S3, S2) over HTTP, on the real time-skipping Temporal server:
 * the province's reform office opens the mid-year round over every plan of its level issued at
 * least half a year before (plans issued at dates derived from the server's clock); each lead
 * unit answers its own plan's self-inspection task, item by item, in one of the three statuses;
 * the office verifies; an item found completed leaves supervision scope (the item shows it, and
 * the next round no longer asks about it); the 督察评估事项表 is downloaded as .xlsx and .docx and
 * read back; another unit gets 404.
 */

/** rules/standard/reform-plan.rules, no attributes: from drafting to implementation (the special group's meeting deliberates). */
const WALK: Array<[role: 'lead' | 'sf-econ' | 'sf-legal', action: string]> = [
  ['lead', 'submit_draft'],
  ['lead', 'complete_research'],
  ['sf-econ', 'pass_special_group_review'],
  ['sf-legal', 'pass_legality_review'],
  ['sf-econ', 'approve_special_group_meeting'],
  ['lead', 'issue'],
  ['lead', 'file'],
];

interface Task {
  planId: string;
  planTitle: string;
  leadUnit: { id: string; name: string };
  issuedOn: string;
  limitDate: string | null;
  status: string;
  statusLabel: string;
  items: Array<{ itemId: string; title: string; selfInspection: { status: string; note: string | null } | null; finding: { status: string; statusLabel: string } | null; leavesSupervision: boolean }>;
  engine: { stage: { id: string }; deadlines: Array<{ key: string; due: string }> } | null;
}

interface RoundDetail {
  id: string;
  name: string;
  cutoff: string;
  openedOn: string;
  status: string;
  tasks: Task[];
}

describe.each(DB_KINDS)('supervision rounds over HTTP (%s)', (kind) => {
  let h: Harness;
  let api: HarnessApi;
  let url: string;
  let today: string;
  const plan: Record<'old' | 'recent' | 'other', string> = { old: '', recent: '', other: '' };

  const as = (user: string, method: string, path: string, body?: unknown) => call({ url }, method, path, { body, headers: { authorization: `Bearer ${api.tokens[user]}` } });

  /** Registers a plan led by `lead`, walks it to implementation with its issuing dated `issuedOn`, and adds its items. */
  async function planIssued(lead: string, title: string, issuedOn: string, items: Array<[string, string, string]>): Promise<string> {
    const r = await as(lead, 'POST', '/api/plans', { procedure: 'reform_plan', title, specialGroupId: 'sf-econ', responsibleLeader: '王副省长', responsiblePerson: '李明', registeredOn: plusMonths(issuedOn, -1) });
    expect([r.status, r.text]).toEqual([201, expect.any(String)]);
    const id = String(r.json.planId);
    for (const [who, action] of WALK) {
      const date = action === 'submit_draft' || action === 'complete_research' ? plusMonths(issuedOn, -1) : issuedOn;
      const done = await as(who === 'lead' ? lead : who, 'POST', `/api/plans/${id}/actions`, { action, businessDate: date });
      expect([action, done.status, done.status === 200 ? '' : done.text]).toEqual([action, 200, '']);
    }
    for (const [itemId, itemTitle, status] of items) {
      const added = await as(lead, 'POST', `/api/plans/${id}/items`, { id: itemId, title: itemTitle, status });
      expect([itemId, added.status]).toEqual([itemId, 201]);
    }
    return id;
  }

  beforeAll(async () => {
    api = await startHarnessApi(kind, { logins: ['sf-ndrc', 'sf-edu', 'sf-econ', 'sf-legal', 'sf-reform', 'jia-reform'] });
    ({ h, url } = api);
    today = localDateAt(await h.env.currentTimeMs());
    // S3: plans issued more than half a year before the opening are in the round; a recent one is not.
    // The three walks at once: each plan is its own workflow.
    [plan.old, plan.recent, plan.other] = await Promise.all([
      planIssued('sf-ndrc', '关于深化预算管理制度改革的实施方案', plusMonths(today, -8), [
        ['1', '建立预算绩效评价制度', 'started'],
        ['2', '推进预算公开', 'not_started'],
      ]),
      planIssued('sf-ndrc', '关于优化营商环境的实施方案', plusMonths(today, -2), [['1', '推行一网通办', 'started']]),
      planIssued('sf-edu', '关于深化教育评价改革的实施方案', plusMonths(today, -7), [['1', '改进结果评价', 'started']]),
    ]);
  });
  afterAll(async () => {
    await api?.close();
  });

  let round: RoundDetail;

  it('opens a round over the plans of its level issued at least half a year before, each with its self-inspection task and limit', async () => {
    expect((await as('sf-ndrc', 'POST', '/api/rounds', { name: '年中集中督察' })).status).toBe(403);
    const opened = await as('sf-reform', 'POST', '/api/rounds', { name: '年中集中督察' });
    expect([opened.status, opened.status === 201 ? '' : opened.text]).toEqual([201, '']);
    round = opened.json as unknown as RoundDetail;
    expect(round).toEqual(expect.objectContaining({ openedOn: today, cutoff: plusMonths(today, -6), status: 'open' }));
    expect(round.tasks.map((t) => t.planId).sort()).toEqual([plan.old, plan.other].sort());
    const old = round.tasks.find((t) => t.planId === plan.old)!;
    expect(old).toEqual(expect.objectContaining({ leadUnit: { id: 'sf-ndrc', name: '示范省发展和改革委员会' }, issuedOn: plusMonths(today, -8), status: 'inspecting', statusLabel: '待自查' }));
    // self-inspection.rules: 期限 15 个工作日 from the opening: three weeks of weekdays at least, at most ~5 weeks with holidays.
    const days = (Date.parse(old.limitDate!) - Date.parse(today)) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(19);
    expect(days).toBeLessThanOrEqual(35);
  });

  it('shows a lead unit its own tasks only; another unit gets 404', async () => {
    const mine = await as('sf-ndrc', 'GET', `/api/rounds/${round.id}`);
    expect(mine.status).toBe(200);
    expect((mine.json.tasks as Task[]).map((t) => t.planId)).toEqual([plan.old]);
    expect((await as('sf-ndrc', 'GET', `/api/rounds/${round.id}/plans/${plan.other}`)).status).toBe(404);
    expect((await as('sf-edu', 'GET', `/api/rounds/${round.id}/plans/${plan.old}`)).status).toBe(404);
    expect((await as('sf-econ', 'GET', `/api/rounds/${round.id}`)).status).toBe(404);
    expect((await as('jia-reform', 'GET', `/api/rounds/${round.id}`)).status).toBe(404);
    expect((await as('jia-reform', 'GET', '/api/rounds')).json.rows).toEqual([]);
    const listed = await as('sf-edu', 'GET', '/api/rounds');
    expect((listed.json.rows as Array<{ id: string; counts: { tasks: number } }>).map((r) => [r.id, r.counts.tasks])).toEqual([[round.id, 1]]);
  });

  it('refuses bad input with Chinese errors and their field paths', async () => {
    const task = `/api/rounds/${round.id}/plans/${plan.old}`;
    const cases: Array<[string, string, unknown, string]> = [
      ['sf-reform', '/api/rounds', { name: '   ' }, 'name'],
      ['sf-reform', '/api/rounds', { name: '督察', year: '今年' }, 'year'],
      ['sf-ndrc', `${task}/self-inspection`, { items: [{ itemId: '1', status: 'done' }] }, 'items.0.status'],
      ['sf-ndrc', `${task}/self-inspection`, { items: [{ itemId: '9', status: 'completed' }] }, 'items.0.itemId'],
      ['sf-ndrc', `${task}/self-inspection`, { items: [{ itemId: '1', status: 'completed' }] }, 'items'],
      ['sf-ndrc', `${task}/self-inspection`, { items: [{ itemId: '1', status: 'completed', evidenceIds: ['00000000-0000-4000-8000-000000000000'] }, { itemId: '2', status: 'started' }] }, 'items.0.evidenceIds.0'],
      ['sf-reform', `${task}/send-back`, {}, 'reason'],
    ];
    for (const [user, path, body, field] of cases) {
      const r = await as(user, 'POST', path, body);
      expect([path, field, r.status, r.json.error?.issues?.[0]?.path]).toEqual([path, field, 400, field]);
      expect(r.json.error?.message).toMatch(/[\u4e00-\u9fff]/);
      expect(leaks(r.text)).toEqual([]);
    }
    // The office verifies, the lead unit reports: each is refused the other's part; before a report the engine refuses verification.
    expect((await as('sf-reform', 'POST', `${task}/self-inspection`, { items: [{ itemId: '1', status: 'completed' }, { itemId: '2', status: 'started' }] })).status).toBe(403);
    expect((await as('sf-ndrc', 'POST', `${task}/verification`, {})).status).toBe(403);
    expect((await as('sf-reform', 'POST', `${task}/verification`, {})).status).toBe(409);
    expect((await as('sf-reform', 'POST', `/api/rounds/${round.id}/close`)).status).toBe(409);
    // The task's workflow is answered through the round only: the round's rows follow its every action.
    const workflowId = (round.tasks.find((t) => t.planId === plan.old) as Task & { workflowId: string }).workflowId;
    expect((await as('sf-ndrc', 'POST', `/api/plans/${workflowId}/actions`, { action: 'report_self_inspection' })).status).toBe(403);
  });

  it('takes the lead unit’s self-inspection and the office’s verification; what is found completed leaves supervision scope', async () => {
    const task = `/api/rounds/${round.id}/plans/${plan.old}`;
    const reported = await as('sf-ndrc', 'POST', `${task}/self-inspection`, {
      items: [
        { itemId: '1', status: 'completed', note: '制度已印发实施' },
        { itemId: '2', status: 'started', note: '已公开部门预算' },
      ],
    });
    expect([reported.status, reported.status === 200 ? '' : reported.text]).toEqual([200, '']);
    const r = reported.json as unknown as Task;
    expect([r.status, r.engine?.stage.id]).toEqual(['verification', 'verification']);
    expect(r.items.map((i) => [i.itemId, i.selfInspection?.status, i.selfInspection?.note])).toEqual([
      ['1', 'completed', '制度已印发实施'],
      ['2', 'started', '已公开部门预算'],
    ]);
    // The plan's own mid-year self-inspection deadline (reform-plan.rules, midyear_supervision) is met by the same report.
    await eventually(async () => {
      const d = (await as('sf-ndrc', 'GET', `/api/plans/${plan.old}`)).json as { plan: { deadlines: Array<{ key: string; status: string }> } };
      // Its first occurrence is done (the next year's, 重复 每 1 年, opens after it).
      expect(d.plan.deadlines.filter((x) => x.key.startsWith('midyear_supervision#')).map((x) => [x.key, x.status])[0]).toEqual(['midyear_supervision#0', 'done']);
    });
    // Reported once: a second report is the engine's refusal.
    expect((await as('sf-ndrc', 'POST', `${task}/self-inspection`, { items: [{ itemId: '1', status: 'completed' }, { itemId: '2', status: 'started' }] })).status).toBe(409);

    // The office finds item 2 not started after all; item 1 as reported.
    const verified = await as('sf-reform', 'POST', `${task}/verification`, { items: [{ itemId: '2', status: 'not_started', note: '未见公开材料' }] });
    expect([verified.status, verified.status === 200 ? '' : verified.text]).toEqual([200, '']);
    const v = verified.json as unknown as Task;
    expect(v.status).toBe('verified');
    expect(v.items.map((i) => [i.itemId, i.finding?.status, i.finding?.statusLabel, i.leavesSupervision])).toEqual([
      ['1', 'completed', '已完成', true],
      ['2', 'not_started', '未启动', false],
    ]);

    // S2: the item shows it has left supervision scope; the other is still in it.
    const items = await as('sf-ndrc', 'GET', `/api/plans/${plan.old}/items`);
    expect((items.json.items as Array<{ id: string; supervision: { inScope: boolean; foundCompleted: { roundId: string } | null } }>).map((i) => [i.id, i.supervision.inScope, i.supervision.foundCompleted?.roundId ?? null])).toEqual([
      ['1', false, round.id],
      ['2', true, null],
    ]);

    // Every step is in the audit trail, and the chain holds.
    const logged: Array<{ action: string }> = await h.db.ds.query(`SELECT action FROM audit_log WHERE target_type IN ('round', 'round_task') ORDER BY seq`);
    expect(logged.map((a) => a.action)).toEqual(['round.opened', 'round.self_inspection_reported', 'round.verified']);
    expect((await api.audit.verify()).ok).toBe(true);
  });

  it('exports the 督察评估事项表 as .xlsx and .docx that read back', async () => {
    const x = await fetch(`${url}/api/rounds/${round.id}/table.xlsx`, { headers: { authorization: `Bearer ${api.tokens['sf-reform']}` } });
    expect(x.status).toBe(200);
    expect(x.headers.get('content-type')).toContain('spreadsheetml');
    expect(x.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('年中集中督察-督察评估事项表.xlsx')}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await x.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('督察评估事项表')!;
    const header = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1);
    expect(header).toEqual(['序号', '方案编号', '方案名称', '牵头单位', '事项编号', '具体改革事项', '已完成', '已启动未完成', '未启动', '认定方式', '不再纳入督察', '说明']);
    const rows: string[][] = [];
    ws.eachRow((row, n) => {
      if (n > 1) rows.push((row.values as ExcelJS.CellValue[]).slice(1).map((c) => (c === null || c === undefined ? '' : String(c))));
    });
    const pick = (r: string[]) => [r[1], r[4], r[6], r[7], r[8], r[9], r[10]];
    // The old plan verified (item 1 completed and out of scope, item 2 not started); the other plan's item not yet reported.
    expect(rows.map(pick).sort()).toEqual(
      [
        [plan.old, '1', '√', '', '', '改革办核查认定', '是'],
        [plan.old, '2', '', '', '√', '改革办核查认定', ''],
        [plan.other, '1', '', '', '', '未报送自查', ''],
      ].sort(),
    );

    // The lead unit's export holds its own plan only.
    const mine = await fetch(`${url}/api/rounds/${round.id}/table.xlsx`, { headers: { authorization: `Bearer ${api.tokens['sf-edu']}` } });
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(Buffer.from(await mine.arrayBuffer()) as unknown as ArrayBuffer);
    expect(wb2.getWorksheet('督察评估事项表')!.rowCount).toBe(2);
    expect((await fetch(`${url}/api/rounds/${round.id}/table.xlsx`, { headers: { authorization: `Bearer ${api.tokens['jia-reform']}` } })).status).toBe(404);

    const d = await fetch(`${url}/api/rounds/${round.id}/table.docx`, { headers: { authorization: `Bearer ${api.tokens['sf-reform']}` } });
    expect(d.status).toBe(200);
    expect(d.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const zip = await JSZip.loadAsync(Buffer.from(await d.arrayBuffer()));
    const xml = await zip.file('word/document.xml')!.async('string');
    // Landscape A4: 297 × 210 mm (16838 × 11906 twips).
    const size = /<w:pgSz ([^>]*)\/>/.exec(xml)![1];
    expect(size).toContain('w:orient="landscape"');
    expect(Number(/w:w="(\d+)"/.exec(size)![1])).toBeGreaterThan(Number(/w:h="(\d+)"/.exec(size)![1]));
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('|');
    for (const want of ['督察评估事项表', '关于深化预算管理制度改革的实施方案', '关于深化教育评价改革的实施方案', '已完成', '已启动未完成', '未启动', '建立预算绩效评价制度', '不再纳入督察范围']) expect(text).toContain(want);
    expect(text).not.toContain('关于优化营商环境的实施方案');
    expect((xml.match(/<w:tbl>/g) ?? []).length).toBe(2);
  });

  // The CLI runs the same RoundDesk over the same stores the HTTP half has just read on both databases:
  // once (on SQLite) keeps the PostgreSQL half lean.
  const onSqlite = kind === 'sqlite' ? it : () => undefined;
  onSqlite('exports the same table through the CLI as a signed-in user (reform round export)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reform-rounds-'));
    const db = h.db.options;
    try {
      const out = join(dir, '事项表.xlsx');
      const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [join(__dirname, '../../bin/reform.js'), 'round', 'export', round.id, '--user', 'sf-edu', '--out', out],
          {
            cwd: join(__dirname, '../..'),
            env: {
              ...process.env,
              TEMPORAL_ADDRESS: h.env.address,
              TEMPORAL_TASK_QUEUE: h.taskQueue,
              REFORM_PASSWORD: TEST_PASSWORD,
              ...(db.url ? { DATABASE_URL: db.url } : { REFORM_DATA_DIR: dirname(db.sqlitePath), DATABASE_URL: '' }),
            },
            timeout: 120_000,
          },
          (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 2) : 0, stdout, stderr }),
        );
      });
      expect([r.code, r.stderr]).toEqual([0, '']);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(out);
      // 教育厅 leads one plan of the round, with one item: its own table only.
      const ws = wb.getWorksheet('督察评估事项表')!;
      expect([ws.rowCount, ws.getRow(2).getCell(2).value, ws.getRow(2).getCell(6).value]).toEqual([2, plan.other, '改进结果评价']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves items found completed out of the next round, and closes a round only when every task is verified', async () => {
    const other = `/api/rounds/${round.id}/plans/${plan.other}`;
    expect((await as('sf-edu', 'POST', `${other}/self-inspection`, { items: [{ itemId: '1', status: 'started' }] })).status).toBe(200);
    expect((await as('sf-reform', 'POST', `${other}/send-back`, { reason: '请补充佐证材料' })).json.status).toBe('inspecting');
    expect((await as('sf-edu', 'POST', `${other}/self-inspection`, { items: [{ itemId: '1', status: 'started', note: '已补充' }] })).status).toBe(200);
    expect((await as('sf-reform', 'POST', `${other}/verification`, {})).json.status).toBe('verified');
    const closed = await as('sf-reform', 'POST', `/api/rounds/${round.id}/close`);
    expect([closed.status, closed.json.status]).toEqual([200, 'closed']);
    expect((await as('sf-reform', 'POST', `/api/rounds/${round.id}/close`)).status).toBe(409);

    const next = await as('sf-reform', 'POST', '/api/rounds', { name: '补充督察' });
    expect(next.status).toBe(201);
    const path = `/api/rounds/${String(next.json.id)}/plans/${plan.old}`;
    const task = (await as('sf-ndrc', 'GET', path)).json as unknown as Task & { letters: Array<{ kind: string; ruleId: string; dueDate: string }> };
    expect(task.items.map((i) => i.itemId)).toEqual(['2']);

    // The limit is the engine's: unanswered past it, the reminder came before it and the supervision letter after (Y9).
    await h.travelTo(addDays(task.limitDate!, 1), 60);
    const letters = await eventually(async () => {
      const l = ((await as('sf-ndrc', 'GET', path)).json as unknown as typeof task).letters;
      expect(l.map((x) => x.kind)).toEqual(['reminder', 'supervision']);
      return l;
    });
    expect(letters.map((x) => [x.ruleId, x.dueDate])).toEqual([
      ['Y9', task.limitDate],
      ['Y9', task.limitDate],
    ]);
  });
});
