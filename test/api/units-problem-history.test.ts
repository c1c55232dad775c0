import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { DB_KINDS } from '../support/db';
import { chineseDate, plusMonths } from '../support/dates';
import { Harness } from '../support/harness';
import { call, HarnessApi, leaks, startHarnessApi, TEST_PASSWORD } from './support';
import { eventually } from './world';

/**
 * The units directory (GET /api/units) and a problem's history and evidence
 * (GET /api/problems/{id}/history, …/evidence, …/evidence/{evidenceId}), over HTTP with the real
 * time-skipping Temporal server, on both databases (issue 10: the console names units and shows a
 * problem's 全程留痕 from these).
 *
 * Who lists which units, from docs/api.md's scope model: a reform office (and the leading group)
 * every unit of its region and below; any unit the units of its own region (its level) and the
 * units on the plans it may see.
 */

/** rules/standard/problem.rules: 时限 rectification_due "整改期限", 期限 2 个月 from the handover (A13). */
const LIMIT_MONTHS = 2;
const RECTIFICATION_LABEL = '整改期限';

/** The units of the test province (test/api/support.ts seedTestProvince) and the extra ones below. */
const PROVINCE_UNITS = ['sf-ndrc', 'sf-edu', 'sf-econ', 'sf-legal', 'sf-reform', 'sf-finance'];
const CITY_UNITS = ['jia-reform', 'jia-ndrc'];

type UnitRow = { id: string; name: string; kind: string; kindLabel: string; region: { id: string; name: string; level: string; levelLabel: string; path: string }; area: string | null };
type HistoryRow = { seq: number; at: string; action: string; actionLabel: string; actor: { name: string | null; unitId: string | null; unitName: string | null } | null; details: string[]; letterId: string | null };

describe.each(DB_KINDS)('the units directory, and a problem’s history and evidence, over HTTP (%s)', (kind) => {
  let h: Harness;
  let api: HarnessApi;
  let url: string;

  beforeAll(async () => {
    api = await startHarnessApi(kind, {
      logins: ['sf-ndrc', 'sf-edu', 'sf-econ', 'sf-reform', 'sf-finance', 'jia-reform', 'jia-ndrc'],
      extraUnits: [
        ['sf', 'sf-finance', '示范省财政厅', 'department'],
        ['jia', 'jia-ndrc', '示范省甲市发展和改革委员会', 'department'],
      ],
    });
    ({ h, url } = api);
  });
  afterAll(async () => {
    await api?.close();
  });

  /** `reform …` as a user runs it, in its own process, over the harness's database and Temporal server. */
  const reform = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const db = h.db.options;
      execFile(
        process.execPath,
        [join(__dirname, '../../bin/reform.js'), ...args],
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
  const as = (user: string, method: string, path: string, body?: unknown) => call({ url }, method, path, { body, headers: { authorization: `Bearer ${api.tokens[user]}` } });
  const unitIds = async (user: string) => {
    const r = await as(user, 'GET', '/api/units');
    expect(r.status).toBe(200);
    return (r.json.rows as UnitRow[]).map((u) => u.id);
  };

  it('lists the units a caller’s scope shows: its own and those on its plans; a reform office its region and below', async () => {
    expect((await call({ url }, 'GET', '/api/units')).status).toBe(401);
    // No plan yet: a department knows the units of its own level (where it registers a plan: its
    // special group, the departments it may name as participants), not those of other levels.
    expect((await unitIds('sf-edu')).sort()).toEqual([...PROVINCE_UNITS].sort());
    expect((await unitIds('jia-ndrc')).sort()).toEqual([...CITY_UNITS].sort());

    // A plan of 发改委 with its special group, 教育厅 and the city's 发改委 taking part.
    const reg = await as('sf-ndrc', 'POST', '/api/plans', {
      procedure: 'reform_plan',
      title: '关于深化营商环境改革的实施方案',
      specialGroupId: 'sf-econ',
      participatingUnitIds: ['sf-edu', 'jia-ndrc'],
      responsibleLeader: '王副省长',
      responsiblePerson: '李明',
    });
    expect(reg.status).toBe(201);
    // The city's department now also reads the names of the province's units on that plan, no others.
    await eventually(async () => expect((await unitIds('jia-ndrc')).sort()).toEqual([...CITY_UNITS, 'sf-econ', 'sf-edu', 'sf-ndrc'].sort()));
    // A province department on none of these plans: its own level only (the city's units are not its).
    expect((await unitIds('sf-finance')).sort()).toEqual([...PROVINCE_UNITS].sort());
    // The province's reform office: every unit of the province and its city, the province's first.
    const office = await as('sf-reform', 'GET', '/api/units');
    const rows = office.json.rows as UnitRow[];
    expect(rows.map((u) => u.id).sort()).toEqual([...PROVINCE_UNITS, ...CITY_UNITS].sort());
    expect(rows.slice(0, PROVINCE_UNITS.length).map((u) => u.id).sort()).toEqual([...PROVINCE_UNITS].sort());
    // What a clerk reads: name, kind, level and region, a special group's area.
    expect(rows.find((u) => u.id === 'sf-econ')).toMatchObject({ name: '示范省经济体制改革专项小组', kind: 'special_group', kindLabel: '专项小组', area: '经济体制改革', region: { id: 'sf', name: '示范省', level: 'province' } });
    expect(rows.find((u) => u.id === 'jia-ndrc')).toMatchObject({ name: '示范省甲市发展和改革委员会', kind: 'department', area: null, region: { id: 'jia', level: 'city', path: '/sf/jia/' } });
    // The city's reform office: its city only.
    expect((await unitIds('jia-reform')).sort()).toEqual([...CITY_UNITS].sort());
  }, 120_000);

  it('tells a problem’s history (who did what when, its letter issued and signed for) and lists and serves its evidence to those who may read it', async () => {
    const today = await h.today();
    const reg = await as('sf-reform', 'POST', '/api/problems', { against: { type: 'unit', unitId: 'sf-edu' }, description: '高校毕业生就业见习补贴发放不及时' });
    expect(reg.status).toBe(201);
    const id = String(reg.json.id);
    const number = String(reg.json.number);

    const handed = await as('sf-reform', 'POST', `/api/problems/${id}/actions`, { action: 'hand_over' });
    expect(handed.status).toBe(200);
    const limit = plusMonths(today, LIMIT_MONTHS);
    expect(handed.json.limitDate).toBe(limit);

    // The 整改意见书 in the unit's inbox: the deadline it chases (整改期限, two months on) and its light (green: not near).
    const letter = await eventually(async () => {
      const rows = (await as('sf-edu', 'GET', '/api/inbox?kind=rectification')).json.rows as Array<{ letterId: string; number: string; planId: string; dueDate: string; deadline: { label: string; due: string; status: string } | null; light: string | null }>;
      const row = rows.find((r) => r.planId === `problem-${id}`);
      expect(row).toBeDefined();
      return row!;
    }, 60_000);
    expect(letter.dueDate).toBe(limit);
    expect(letter.deadline).toEqual({ label: RECTIFICATION_LABEL, due: limit, status: 'open' });
    expect(letter.light).toBe('green');

    expect((await as('sf-edu', 'POST', `/api/letters/${letter.letterId}/sign`)).status).toBe(200);
    const pdf = Buffer.from('%PDF-1.7\n就业见习补贴整改报告');
    const up = await fetch(`${url}/api/problems/${id}/evidence?filename=${encodeURIComponent('整改报告.pdf')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.tokens['sf-edu']}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(pdf),
    });
    expect(up.status).toBe(201);
    const evidenceId = String(((await up.json()) as { evidenceId: string }).evidenceId);
    expect((await as('sf-edu', 'POST', `/api/problems/${id}/actions`, { action: 'report_rectification', note: '补贴已全部发放到位' })).status).toBe(200);
    expect((await as('sf-reform', 'POST', `/api/problems/${id}/actions`, { action: 'verify', evidenceIds: [evidenceId] })).status).toBe(200);

    // The history, oldest first, as the unit reads it.
    const history = await as('sf-edu', 'GET', `/api/problems/${id}/history`);
    expect(history.status).toBe(200);
    const rows = history.json.rows as HistoryRow[];
    expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq)].sort((a, b) => a - b));
    const actions = rows.map((r) => r.action);
    expect([...actions].sort()).toEqual(['letter.issued', 'letter.signed', 'problem.evidence_added', 'problem.hand_over', 'problem.registered', 'problem.report_rectification', 'problem.verify'].sort());
    const at = (action: string) => rows.find((r) => r.action === action)!;
    // What happened in order where one act needs the one before.
    for (const [a, b] of [
      ['problem.registered', 'problem.hand_over'],
      ['letter.issued', 'letter.signed'],
      ['problem.evidence_added', 'problem.report_rectification'],
      ['problem.report_rectification', 'problem.verify'],
    ]) {
      expect(actions.indexOf(a)).toBeLessThan(actions.indexOf(b));
    }
    // Labels (libs/model/platform/src/audit.ts), who, and what changed, in Chinese.
    expect(rows.map((r) => [r.action, r.actionLabel])).toEqual(
      expect.arrayContaining([
        ['problem.registered', '问题挂号'],
        ['problem.hand_over', '问题移交整改'],
        ['letter.issued', '发出函件'],
        ['letter.signed', '签收函件'],
        ['problem.evidence_added', '上传问题整改佐证材料'],
        ['problem.report_rectification', '报送问题整改情况'],
        ['problem.verify', '问题验收销号'],
      ]),
    );
    expect(at('problem.registered').details).toEqual([`挂号号:${number}`]);
    expect(at('problem.hand_over').actor).toMatchObject({ unitId: 'sf-reform', unitName: '示范省改革办' });
    expect(at('problem.hand_over').details).toEqual(expect.arrayContaining(['状态:已挂号 → 整改中', `整改期限:${chineseDate(limit)}`]));
    expect(at('letter.issued').actor).toBeNull();
    expect(at('letter.issued').letterId).toBe(letter.letterId);
    expect(at('letter.issued').details.join('')).toContain(letter.number);
    expect(at('letter.signed').actor).toMatchObject({ unitId: 'sf-edu', unitName: '示范省教育厅' });
    expect(at('problem.evidence_added').details).toEqual(['文件:整改报告.pdf']);
    expect(at('problem.report_rectification').details).toEqual(expect.arrayContaining(['状态:整改中 → 待验收', '情况说明:补贴已全部发放到位']));
    expect(at('problem.verify').details).toEqual(expect.arrayContaining(['状态:待验收 → 已销号', '佐证材料 1 份']));
    expect(leaks(history.text)).toEqual([]);
    // `reform problem history` is the same use case through the same desk (once, on SQLite).
    if (kind === 'sqlite') {
      const cli = await reform(['problem', 'history', id, '--user', 'sf-edu', '--json']);
      expect([cli.code, cli.stderr]).toEqual([0, '']);
      expect((JSON.parse(cli.stdout) as HistoryRow[]).map((r) => [r.seq, r.action, r.details])).toEqual(rows.map((r) => [r.seq, r.action, r.details]));
      const text = await reform(['problem', 'history', id, '--user', 'sf-edu']);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('问题移交整改  示范省改革办');
      expect(text.stdout).toContain('  状态:已挂号 → 整改中');
    }
    // The office reads the same history.
    expect(((await as('sf-reform', 'GET', `/api/problems/${id}/history`)).json.rows as HistoryRow[]).map((r) => r.seq)).toEqual(rows.map((r) => r.seq));

    // The evidence: listed and downloaded as uploaded, by the unit and the office.
    for (const user of ['sf-edu', 'sf-reform']) {
      const list = await as(user, 'GET', `/api/problems/${id}/evidence`);
      expect(list.status).toBe(200);
      expect((list.json.rows as Array<{ evidenceId: string; filename: string; size: number }>).map((e) => [e.evidenceId, e.filename, e.size])).toEqual([[evidenceId, '整改报告.pdf', pdf.length]]);
      const file = await fetch(`${url}/api/problems/${id}/evidence/${evidenceId}`, { headers: { authorization: `Bearer ${api.tokens[user]}` } });
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toContain('application/pdf');
      expect(Buffer.from(await file.arrayBuffer()).equals(pdf)).toBe(true);
    }
    const unknown = await as('sf-edu', 'GET', `/api/problems/${id}/evidence/00000000-0000-4000-8000-000000000001`);
    expect(unknown.status).toBe(404);
    expect(unknown.json.error?.message).toContain(number);

    // Those who may not read the problem: 404 on all three, like the problem itself.
    for (const user of ['sf-finance', 'jia-reform']) {
      for (const path of [`/api/problems/${id}/history`, `/api/problems/${id}/evidence`, `/api/problems/${id}/evidence/${evidenceId}`]) {
        expect([user, path, (await as(user, 'GET', path)).status]).toEqual([user, path, 404]);
      }
    }
  }, 180_000);

  it('puts the one 整改意见书 of a batch hand-over in the history and the letters of every problem it lists', async () => {
    const ids: string[] = [];
    for (const description of ['中小学课后服务收费标准未公开', '校外培训机构资金监管账户未全覆盖']) {
      const r = await as('sf-reform', 'POST', '/api/problems', { against: { type: 'unit', unitId: 'sf-edu' }, description });
      expect(r.status).toBe(201);
      ids.push(String(r.json.id));
    }
    const handed = await as('sf-reform', 'POST', '/api/problems/hand-over', { problemIds: ids });
    expect(handed.status).toBe(200);
    const letters = await eventually(async () => {
      const all = [...(await h.letters.forWorkflow(`problem-${ids[0]}`)), ...(await h.letters.forWorkflow(`problem-${ids[1]}`))];
      expect(all.map((l) => l.kind)).toEqual(['rectification']);
      return all;
    }, 60_000);
    for (const id of ids) {
      const rows = (await as('sf-edu', 'GET', `/api/problems/${id}/history`)).json.rows as HistoryRow[];
      expect(rows.filter((r) => r.action === 'letter.issued').map((r) => r.letterId)).toEqual([letters[0].id]);
    }
    // Each problem's detail shows that letter among its letters (the first's own, the second listed in it).
    for (const id of ids) expect(((await as('sf-edu', 'GET', `/api/problems/${id}`)).json.letters as Array<{ letterId: string }>).map((l) => l.letterId)).toEqual([letters[0].id]);
    // The first carries the letter (hand_over), the second is listed in it (hand_over_listed).
    const second = (await as('sf-edu', 'GET', `/api/problems/${ids[1]}/history`)).json.rows as HistoryRow[];
    expect(second.filter((r) => r.action.startsWith('problem.hand_over')).map((r) => [r.action, r.actionLabel])).toEqual([['problem.hand_over_listed', '问题随整改意见书一并移交']]);
  }, 120_000);
});
