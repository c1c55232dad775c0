import { addDays, localDateAt } from '@reform/calendar';
import ExcelJS from 'exceljs';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RoundEntity, RoundItemEntity, RoundPlanEntity } from '@reform/persistence';
import { DB_KINDS } from '../support/db';
import { call, HarnessApi, leaks, startHarnessApi, TEST_PASSWORD } from './support';
import { eventually } from './world';
import { chineseDate } from '../support/dates';

/**
 * The annual task list (年度改革任务清单, Y9) and the Excel exports over HTTP, on the real
 * time-skipping Temporal server and both databases (issue 9, §6). Expected values are written
 * from the issue and domain.md: the reform office registers the year's tasks, naming units by
 * their names; every row is checked first and nothing is imported unless all pass; item statuses
 * 未启动 / 已启动未完成 / 已完成 (S2). Dates are derived from the test server's clock.
 */
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The units of the seeded test province (support.ts) and this test's extras, by id: the names a clerk types. */
const UNIT_NAMES: Record<string, string> = {
  'sf-ndrc': '示范省发展和改革委员会',
  'sf-edu': '示范省教育厅',
  'sf-fin': '示范省财政厅',
  'sf-econ': '示范省经济体制改革专项小组',
  'sf-social': '示范省社会体制改革专项小组',
};

/** The columns the issue and the registration require, in the template's order, and the start events of rules/standard. */
const TEMPLATE_HEADERS = ['方案名称', '流程', '牵头单位', '参与单位', '所属专项小组', '责任领导', '责任人', '工作目标', '方案属性', '登记日期'];
const EVENT_HEADERS = ['报告改革推进受阻日期', '中央改革方案印发日期', '明确领衔领导日期', '试点启动日期'];

type Row = Record<string, ExcelJS.CellValue>;

/** A response read as bytes (a workbook), with its headers. */
async function download(url: string, path: string, token: string): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

async function workbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

/** The values of a sheet's rows below the header, keyed by header. */
function sheetRows(ws: ExcelJS.Worksheet): Array<Record<string, ExcelJS.CellValue>> {
  const headers = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
  const out: Array<Record<string, ExcelJS.CellValue>> = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const values = ws.getRow(r).values as ExcelJS.CellValue[];
    if (!values.length) continue;
    out.push(Object.fromEntries(headers.map((h, i) => [h, values[i + 1] ?? null])));
  }
  return out;
}

const utcDate = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
describe.each(DB_KINDS)('the annual task list and Excel exports over HTTP (%s)', (kind) => {
  let api: HarnessApi;
  let url: string;
  let today: string;
  let template: Buffer;

  beforeAll(async () => {
    api = await startHarnessApi(kind, {
      logins: ['sf-reform', 'sf-ndrc', 'sf-edu', 'sf-econ', 'sf-legal', 'jia-reform'],
      extraUnits: [
        ['sf', 'sf-fin', '示范省财政厅', 'department'],
        ['sf', 'sf-social', '示范省社会体制改革专项小组', 'special_group', '社会体制改革'],
      ],
    });
    url = api.url;
    today = localDateAt(await api.h.env.currentTimeMs());
    template = (await download(url, '/api/imports/task-list/template', api.tokens['sf-reform'])).body;
  });
  afterAll(async () => {
    await api?.close();
  });

  const as = (user: string, method: string, path: string, body?: unknown) => call({ url }, method, path, { body, headers: { authorization: `Bearer ${api.tokens[user]}` } });

  /** Sends a file to the import as `user`. */
  async function importFile(user: string, bytes: Buffer, filename = '年度改革任务清单.xlsx') {
    const res = await fetch(`${url}/api/imports/task-list?filename=${encodeURIComponent(filename)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.tokens[user]}`, 'content-type': XLSX },
      body: new Uint8Array(bytes),
    });
    const text = await res.text();
    let json: Record<string, unknown> & { error?: { status: number; code: string; message: string; issues?: Array<{ path: string; message: string }> } } = {};
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      // not JSON
    }
    return { status: res.status, json, text };
  }

  /** The downloaded template filled with rows (by header), as a clerk saves it. */
  async function filled(rows: Row[]): Promise<Buffer> {
    const wb = await workbook(template);
    const ws = wb.getWorksheet('任务清单')!;
    const col = new Map<string, number>();
    ws.getRow(1).eachCell((c, i) => col.set(String(c.value), i));
    rows.forEach((r, i) => {
      for (const [header, value] of Object.entries(r)) {
        if (!col.has(header)) throw new Error(`no column ${header} in the template`);
        ws.getRow(i + 2).getCell(col.get(header)!).value = value;
      }
    });
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  /** Every plan of the ledger the reform office sees. */
  async function ledger(): Promise<Array<{ planId: string; title: string; leadUnitId: string; specialGroupId: string }>> {
    const out: Array<{ planId: string; title: string; leadUnitId: string; specialGroupId: string }> = [];
    let cursor: string | undefined;
    do {
      const r = await as('sf-reform', 'GET', `/api/plans?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status).toBe(200);
      out.push(...(r.json.rows as typeof out));
      cursor = (r.json.nextCursor as string | null) ?? undefined;
    } while (cursor);
    return out;
  }

  const task = (n: number, extra: Row = {}): Row => ({
    方案名称: `关于第${n}项年度改革任务的实施方案`,
    流程: '改革方案',
    牵头单位: n % 2 ? UNIT_NAMES['sf-ndrc'] : UNIT_NAMES['sf-edu'],
    所属专项小组: n % 3 ? UNIT_NAMES['sf-econ'] : '社会体制改革',
    责任领导: '王副省长',
    责任人: `李明${n}`,
    ...extra,
  });

  it('hands out a template with Chinese headers, drop-down lists of procedures and units, and a notes sheet', async () => {
    const r = await download(url, '/api/imports/task-list/template', api.tokens['sf-reform']);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(XLSX);
    const disposition = r.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+\.xlsx"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1])).toBe('示范省年度改革任务清单导入模板.xlsx');
    const wb = await workbook(r.body);
    const ws = wb.getWorksheet('任务清单')!;
    expect((ws.getRow(1).values as ExcelJS.CellValue[]).slice(1)).toEqual([...TEMPLATE_HEADERS, ...EVENT_HEADERS]);
    expect(ws.views[0]).toEqual(expect.objectContaining({ state: 'frozen', ySplit: 1 }));
    // The lists behind the drop-downs: the published procedures, the departments and groups of the office's level.
    const validation = (header: string) => {
      const letter = ws.getColumn(TEMPLATE_HEADERS.indexOf(header) + 1).letter;
      return (ws as unknown as { dataValidations: { model: Record<string, { type: string; formulae: string[] }> } }).dataValidations.model[`${letter}2`];
    };
    const options = wb.getWorksheet('选项')!;
    const listed = (v: { formulae: string[] }) => {
      const [, from, to] = /!\$([A-Z]+\$\d+):\$([A-Z]+\$\d+)$/.exec(v.formulae[0])!;
      const [col, first] = from.split('$');
      const last = Number(to.split('$')[1]);
      return Array.from({ length: last - Number(first) + 1 }, (_, i) => options.getCell(`${col}${Number(first) + i}`).value);
    };
    expect(listed(validation('流程')).sort()).toEqual(['中央改革方案对接', '改革方案', '改革试点', '领导领衔改革', '受阻改革月度调度'].sort());
    expect(listed(validation('牵头单位')).sort()).toEqual([UNIT_NAMES['sf-ndrc'], UNIT_NAMES['sf-edu'], UNIT_NAMES['sf-fin']].sort());
    expect(listed(validation('所属专项小组')).sort()).toEqual([UNIT_NAMES['sf-econ'], UNIT_NAMES['sf-social']].sort());
    // The notes explain every column, required or not.
    const notes = sheetRows(wb.getWorksheet('说明')!);
    for (const h of [...TEMPLATE_HEADERS, ...EVENT_HEADERS]) expect([h, notes.find((n) => n['列名'] === h)?.['填写说明']]).toEqual([h, expect.stringMatching(/[\u4e00-\u9fff]/)]);
    expect(notes.filter((n) => n['是否必填'] === '必填').map((n) => n['列名'])).toEqual(['方案名称', '流程', '牵头单位', '所属专项小组', '责任领导', '责任人']);
    expect((await call({ url }, 'GET', '/api/imports/task-list/template')).status).toBe(401);
  });

  it('imports nothing from fifty rows with one bad one, naming its row and column', async () => {
    const before = (await ledger()).length;
    const rows = Array.from({ length: 50 }, (_, i) => task(i + 1, i % 4 === 0 ? { 登记日期: utcDate(addDays(today, -i)) } : i % 4 === 1 ? { 登记日期: chineseDate(addDays(today, -i)) } : {}));
    // The 38th task, on the sheet's row 39: a lead unit that the unit tree does not have.
    rows[37] = task(38, { 牵头单位: '示范省发改委员会' });
    const r = await importFile('sf-reform', await filled(rows));
    expect(r.status).toBe(422);
    expect(r.json.error?.issues).toEqual([{ path: 'rows.39.牵头单位', message: '第 39 行「牵头单位」:找不到单位“示范省发改委员会”' }]);
    expect(r.json.error?.message).toContain('未导入任何任务');
    expect(leaks(r.text)).toEqual([]);
    expect((await ledger()).length).toBe(before);

    // Every error of a file is listed, by row and column, and still nothing is imported.
    const many = Array.from({ length: 6 }, (_, i) => task(100 + i));
    many[0] = task(100, { 流程: '改革办法' });
    many[1] = task(101, { 登记日期: '2026年13月1日' });
    many[2] = task(102, { 方案属性: '涉及多个部门、很重要' });
    many[3] = task(103, { 所属专项小组: '文化体制改革' });
    many[4] = task(104, { 责任人: null, 登记日期: utcDate(addDays(today, 3)) });
    many[5] = task(105, { 流程: '改革试点', 中央改革方案印发日期: utcDate(addDays(today, -10)) });
    const all = await importFile('sf-reform', await filled(many));
    expect(all.status).toBe(422);
    const issues = all.json.error!.issues!;
    expect(issues.map((i) => i.path)).toEqual(['rows.2.流程', 'rows.3.登记日期', 'rows.4.方案属性', 'rows.5.所属专项小组', 'rows.6.责任人', 'rows.6.登记日期', 'rows.7.中央改革方案印发日期']);
    expect(issues[0].message).toMatch(/^第 2 行「流程」:找不到已发布的流程“改革办法”;可填:/);
    for (const title of ['改革方案', '改革试点', '中央改革方案对接']) expect(issues[0].message.split('可填:')[1].split('、')).toContain(title);
    expect(issues[1].message).toContain('第 3 行「登记日期」:日期“2026年13月1日”无法识别');
    expect(issues[2].message).toContain('没有属性“很重要”');
    expect(issues[4].message).toBe('第 6 行「责任人」:须填写');
    expect(issues[5].message).toContain('晚于今天');
    expect((await ledger()).length).toBe(before);
  });

  it('registers every task of a good list for the lead units it names, audited, and a repeat registers nothing new', async () => {
    const before = await ledger();
    const issued = addDays(today, -20);
    const rows = [
      task(1, { 方案名称: '关于深化要素市场化配置改革的实施方案', 参与单位: `${UNIT_NAMES['sf-edu']}、${UNIT_NAMES['sf-fin']}`, 方案属性: '涉及多个部门', 工作目标: '年底前出台配套细则\n要素流动壁垒明显减少', 登记日期: utcDate(addDays(today, -2)) }),
      task(2, { 方案名称: '关于推进教育评价改革的实施方案', 登记日期: chineseDate(addDays(today, -1)) }),
      task(3, { 方案名称: '关于优化营商环境的实施方案', 所属专项小组: '经济体制改革' }),
      task(4, { 方案名称: '关于对接中央财税体制改革的配套方案', 流程: '中央改革方案对接', 牵头单位: UNIT_NAMES['sf-fin'], 中央改革方案印发日期: chineseDate(issued) }),
      task(5, { 方案名称: '关于开展社区治理改革试点的方案', 流程: '改革试点', 试点启动日期: utcDate(addDays(today, -5)) }),
    ];
    const file = await filled(rows);
    const r = await importFile('sf-reform', file);
    expect([r.status, r.text]).toEqual([200, expect.any(String)]);
    expect(r.json).toEqual(expect.objectContaining({ repeated: false, registered: 5 }));
    const plans = r.json.plans as Array<{ row: number; planId: string; title: string }>;
    expect(plans.map((p) => [p.row, p.title])).toEqual(rows.map((row, i) => [i + 2, row['方案名称']]));

    // In the ledger, each led by the unit named on its row, in the group named (or whose area was named).
    const after = await eventually(async () => {
      const l = await ledger();
      expect(l.length).toBe(before.length + 5);
      return l;
    });
    const lead = ['sf-ndrc', 'sf-edu', 'sf-ndrc', 'sf-fin', 'sf-ndrc'];
    for (const [i, p] of plans.entries()) {
      const row = after.find((x) => x.planId === p.planId);
      expect([p.title, row?.leadUnitId, row?.specialGroupId]).toEqual([p.title, lead[i], 'sf-econ']);
    }
    // The lead unit now holds the plan (its role derived from it), with the participants, goals and events of its row.
    const first = await eventually(async () => {
      const d = await as('sf-ndrc', 'GET', `/api/plans/${plans[0].planId}`);
      expect(d.status).toBe(200);
      return d.json as unknown as { plan: Record<string, unknown> & { plan: { participatingUnits: string[]; goals: string[] } }; access: { roles: Array<{ id: string }> } };
    });
    expect(first.access.roles.map((x) => x.id)).toEqual(['lead_unit']);
    expect(JSON.stringify(first.plan)).toContain(UNIT_NAMES['sf-fin']);
    // Goals are the plan's own (the workflow's view), one a line of the cell.
    expect((await api.plans.view(plans[0].planId)).plan.goals).toEqual(['年底前出台配套细则', '要素流动壁垒明显减少']);
    expect((await as('sf-edu', 'GET', `/api/plans/${plans[0].planId}`)).status).toBe(200);

    // Audited: each registration by the reform office's user, and the import itself.
    const audits: Array<{ action: string; actor_unit_id: string; target_id: string }> = await api.h.db.ds.query(`SELECT action, actor_unit_id, target_id FROM audit_log WHERE action IN ('plan.registered', 'task_list.imported')`);
    const registered = audits.filter((a) => a.action === 'plan.registered' && plans.some((p) => p.planId === a.target_id));
    expect(registered.map((a) => a.actor_unit_id)).toEqual(['sf-reform', 'sf-reform', 'sf-reform', 'sf-reform', 'sf-reform']);
    expect(audits.filter((a) => a.action === 'task_list.imported').map((a) => a.target_id)).toEqual([r.json.importId]);

    // The same file again, by the same user: the earlier result, nothing registered.
    const again = await importFile('sf-reform', file);
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ importId: r.json.importId, repeated: true, registered: 0, plans });
    expect((await ledger()).length).toBe(before.length + 5);
  });

  it('refuses a file that is not an .xlsx (415), one too large (413), and anyone but a reform office (403), in Chinese', async () => {
    const text = await importFile('sf-reform', Buffer.from('方案名称,流程\n关于某项改革的实施方案,改革方案\n'), '任务清单.csv');
    expect(text.status).toBe(415);
    expect(text.json.error?.message).toMatch(/[\u4e00-\u9fff]/);
    expect(text.json.error?.message).toContain('.xlsx');
    const renamed = await importFile('sf-reform', Buffer.from('%PDF-1.4\n%not a workbook\n'), '任务清单.xlsx');
    expect(renamed.status).toBe(415);
    expect(renamed.json.error?.message).toBe('文件内容不是 Excel 工作簿:请上传 Excel 工作簿(.xlsx),可先下载导入模板填写');
    const big = await importFile('sf-reform', Buffer.concat([template, Buffer.alloc(5 * 1024 * 1024)]));
    expect(big.status).toBe(413);
    expect(big.json.error?.message).toContain('文件过大');
    const department = await importFile('sf-ndrc', await filled([task(1)]));
    expect(department.status).toBe(403);
    expect(department.json.error?.message).toContain('改革办');
  });

  it('exports the ledger as filtered, every page, with Chinese headers and labels', async () => {
    for (const query of ['procedure=reform_plan&sort=title', 'unit=sf-edu', 'sort=due&direction=desc']) {
      const list = await as('sf-reform', 'GET', `/api/plans?limit=100&${query}`);
      expect(list.status).toBe(200);
      const want = list.json.rows as Array<{ planId: string; title: string; procedure: { id: string }; stage: { label: string }; status: string; leadUnitId: string; specialGroupId: string; nextDue: string | null; overdue: boolean; updatedAt: string }>;
      expect(want.length).toBeGreaterThan(0);
      const r = await download(url, `/api/ledger/export.xlsx?${query}`, api.tokens['sf-reform']);
      expect([query, r.status]).toEqual([query, 200]);
      expect(r.headers.get('content-type')).toBe(XLSX);
      expect(r.headers.get('content-disposition')).toContain("filename*=UTF-8''");
      expect(decodeURIComponent((r.headers.get('content-disposition') ?? '').split("UTF-8''")[1])).toBe(`方案台账-${chineseDate(today)}导出.xlsx`);
      const ws = (await workbook(r.body)).getWorksheet('方案台账')!;
      expect((ws.getRow(1).values as ExcelJS.CellValue[]).slice(1)).toEqual(['序号', '方案编号', '方案名称', '流程', '当前阶段', '办理状态', '地区', '牵头单位', '所属专项小组', '最近时限', '是否逾期', '最后更新']);
      expect(ws.views[0]).toEqual(expect.objectContaining({ state: 'frozen', ySplit: 1 }));
      expect(ws.getColumn(3).width).toBeGreaterThanOrEqual(30);
      const PROCEDURE_TITLES: Record<string, string> = { reform_plan: '改革方案', central_integration: '中央改革方案对接', pilot: '改革试点' };
      expect(sheetRows(ws)).toEqual(
        want.map((w, i) => ({
          序号: i + 1,
          方案编号: w.planId,
          方案名称: w.title,
          流程: PROCEDURE_TITLES[w.procedure.id],
          当前阶段: w.stage.label,
          办理状态: w.status === 'open' ? '办理中' : '已办结',
          地区: '示范省',
          牵头单位: UNIT_NAMES[w.leadUnitId],
          所属专项小组: UNIT_NAMES[w.specialGroupId],
          最近时限: w.nextDue ? utcDate(w.nextDue) : null,
          是否逾期: w.overdue ? '是' : '否',
          最后更新: utcDate(localDateAt(Date.parse(w.updatedAt))),
        })),
      );
      // The date cells show as 2026年3月1日.
      if (want[0].nextDue) expect(ws.getRow(2).getCell(10).numFmt).toBe('yyyy"年"m"月"d"日"');
    }
    // Another level's reform office sees none of the province's plans; a bad filter is a 400 naming it.
    const city = await download(url, '/api/ledger/export.xlsx', api.tokens['jia-reform']);
    expect(city.status).toBe(200);
    expect(sheetRows((await workbook(city.body)).getWorksheet('方案台账')!)).toEqual([]);
    const bad = await as('sf-reform', 'GET', '/api/ledger/export.xlsx?status=maybe');
    expect(bad.status).toBe(400);
    expect(bad.json.error?.issues?.[0].path).toBe('query.status');
    expect((await call({ url }, 'GET', '/api/ledger/export.xlsx')).status).toBe(401);
  });

  // The CLI runs the same TaskListDesk over the same stores the HTTP half checks on both databases:
  // once (on SQLite) keeps the PostgreSQL half lean.
  const onSqlite = kind === 'sqlite' ? it : () => undefined;
  onSqlite('imports through the CLI as a signed-in user of the reform office, through the same checks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reform-task-list-'));
    const db = api.h.db.options;
    const reform = (user: string, file: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [join(__dirname, '../../bin/reform.js'), 'import', 'task-list', file, '--user', user],
          {
            cwd: join(__dirname, '../..'),
            env: {
              ...process.env,
              TEMPORAL_ADDRESS: api.h.env.address,
              TEMPORAL_TASK_QUEUE: api.h.taskQueue,
              REFORM_PASSWORD: TEST_PASSWORD,
              ...(db.url ? { DATABASE_URL: db.url } : { REFORM_DATA_DIR: dirname(db.sqlitePath), DATABASE_URL: '' }),
            },
            timeout: 120_000,
          },
          (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 2) : 0, stdout, stderr }),
        );
      });
    try {
      const before = (await ledger()).length;
      const bad = join(dir, '有错的清单.xlsx');
      writeFileSync(bad, await filled([task(201), task(202, { 牵头单位: '示范省发改委员会' })]));
      const refused = await reform('sf-reform', bad);
      expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining('第 3 行「牵头单位」:找不到单位“示范省发改委员会”')]);
      expect(refused.stderr).toContain('未导入任何任务');

      const good = join(dir, '清单.xlsx');
      writeFileSync(good, await filled([task(301, { 方案名称: '关于命令行导入的第一项改革方案' }), task(302, { 方案名称: '关于命令行导入的第二项改革方案' })]));
      const done = await reform('sf-reform', good);
      expect([done.code, done.stdout, done.stderr]).toEqual([0, expect.stringContaining('已导入 2 项任务,新登记 2 个方案'), expect.any(String)]);
      await eventually(async () => expect((await ledger()).length).toBe(before + 2));
      const again = await reform('sf-reform', good);
      expect([again.code, again.stdout]).toEqual([0, expect.stringContaining('本次未重复登记')]);
      const department = await reform('sf-ndrc', good);
      expect([department.code, department.stderr]).toEqual([1, expect.stringContaining('年度改革任务清单由改革办导入')]);
      expect((await ledger()).length).toBe(before + 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exports a plan's specific reform items with their status labels; 404 outside the caller's scope", async () => {
    const reg = await as('sf-ndrc', 'POST', '/api/plans', { procedure: 'reform_plan', title: '关于深化投融资体制改革的实施方案', specialGroupId: 'sf-econ', responsibleLeader: '王副省长', responsiblePerson: '李明' });
    expect(reg.status).toBe(201);
    const id = String(reg.json.planId);
    for (const [user, action] of [
      ['sf-ndrc', 'submit_draft'],
      ['sf-ndrc', 'complete_research'],
      ['sf-econ', 'pass_special_group_review'],
      ['sf-legal', 'pass_legality_review'],
      ['sf-econ', 'approve_countersign'],
      ['sf-ndrc', 'issue'],
      ['sf-ndrc', 'file'],
    ]) {
      const r = await as(user, 'POST', `/api/plans/${id}/actions`, { action });
      expect([action, r.status, r.text]).toEqual([action, 200, expect.any(String)]);
    }
    const items = [
      { id: '1', title: '建立投资项目审批清单', status: 'started' },
      { id: '2', title: '推行企业投资项目承诺制', status: 'completed' },
      { id: '3', title: '规范政府投资基金管理', status: 'not_started' },
    ];
    for (const item of items) expect((await as('sf-ndrc', 'POST', `/api/plans/${id}/items`, item)).status).toBe(201);
    // A mid-year round (S3) whose verification found item 2 completed: it leaves supervision scope (S2).
    // Written as the round desk keeps it: the round, the plan's task verified, the office's findings.
    const ds = api.h.db.ds;
    const roundId = '00000000-0000-4000-8000-000000000009';
    await ds.getRepository(RoundEntity).insert({ id: roundId, name: '年中集中督察', year: Number(today.slice(0, 4)), regionPath: '/sf/', ownerUnitId: 'sf-reform', openedOn: today, cutoff: today, status: 'open', openedBy: 'sf-reform', openedAt: new Date().toISOString(), closedOn: null, closedAt: null });
    await ds.getRepository(RoundPlanEntity).insert({ roundId, planId: id, planTitle: '关于深化投融资体制改革的实施方案', procedureId: 'reform_plan', leadUnitId: 'sf-ndrc', specialGroupId: 'sf-econ', issuedOn: today, workflowId: `self-inspection-${id}`, limitDate: today, status: 'verified', reportedOn: today, verifiedOn: today, updatedAt: new Date().toISOString() });
    for (const [itemId, verified] of [['1', 'started'], ['2', 'completed']]) {
      await ds.getRepository(RoundItemEntity).insert({ roundId, planId: id, itemId, itemTitle: `事项${itemId}`, statusAtOpening: 'started', selfStatus: verified, selfNote: null, evidenceIds: '[]', verifiedStatus: verified, verifyNote: null });
    }
    const r = await download(url, `/api/plans/${id}/items/export.xlsx`, api.tokens['sf-reform']);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(XLSX);
    expect(decodeURIComponent((r.headers.get('content-disposition') ?? '').split("UTF-8''")[1])).toBe('关于深化投融资体制改革的实施方案-具体改革事项.xlsx');
    const ws = (await workbook(r.body)).getWorksheet('具体改革事项')!;
    expect(ws.views[0]).toEqual(expect.objectContaining({ state: 'frozen', ySplit: 1 }));
    const LABELS: Record<string, string> = { not_started: '未启动', started: '已启动未完成', completed: '已完成' };
    const listed = (await as('sf-reform', 'GET', `/api/plans/${id}/items`)).json.items as Array<{ id: string; updatedOn: string }>;
    expect(listed.map((i) => i.updatedOn)).toEqual([today, today, today]);
    // 督察范围: items 1 and 3 still in it (1 found only started, 3 not in the round); 2 found completed left it.
    const scope = [
      ['在督察范围内', null],
      ['已退出督察范围', `年中集中督察(${chineseDate(today)}验收)认定已完成`],
      ['在督察范围内', null],
    ];
    expect(sheetRows(ws)).toEqual(
      items.map((item, i) => ({ 序号: i + 1, 事项编号: item.id, 事项名称: item.title, 状态: LABELS[item.status], 最近更新: utcDate(listed[i].updatedOn), 督察范围: scope[i][0], 认定完成: scope[i][1] })),
    );
    // Outside its scope (another level's office, a department with no part in it): as if it did not exist.
    expect((await as('jia-reform', 'GET', `/api/plans/${id}/items/export.xlsx`)).status).toBe(404);
    expect((await as('sf-edu', 'GET', `/api/plans/${id}/items/export.xlsx`)).status).toBe(404);
  });
});
