import type { PlanProjection } from '@reform/machine';
import { ItemChangeEntity, LetterEntity, LetterRow, LedgerStore, ProblemEntity, ProblemRow } from '@reform/persistence';
import { UnitDirectory, UserAccounts } from '@reform/identity';
import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DB_KINDS, DbKind } from '../support/db';
import { call, HarnessApi, startHarnessApi, TEST_PASSWORD } from './support';

/**
 * The year-end assessment over HTTP (issue 9 §5; S4, A14, A15, Y12–Y15): a generated province's
 * ledger, letters and problem library written through the stores, third-party scores and the red
 * list entered over HTTP, the standard scheme (rules/standard/assessment.rules) computed by the
 * province's reform office. Every expected score below is worked out by hand from the set-up and
 * the standard scheme's points: 按期完成率 30, 事项完成率 30, 督办函 10 (2 per letter), 点名通报 5
 * (2.5 per letter), 约谈 5 (5 per letter), 问题按期整改率 10, 第三方评估 10, 红榜 5 (bonus).
 * The year assessed is the server's last year, so every record of it has passed.
 */

interface Indicator {
  id: string;
  score: number;
  formula: string;
  records: Array<{ type: string; id: string; date: string | null; outcome: string; counts: boolean }>;
}
interface SubjectScore {
  subject: { type: string; id: string; name: string };
  total: number;
  fullMarks: number;
  indicators: Indicator[];
}
interface Assessment {
  id: string;
  year: number;
  asOf: string;
  units: SubjectScore[];
  areas: SubjectScore[];
  named: Array<{ subject: { type: string; id: string; name: string }; ruleId: string; reasons: Array<{ ruleId: string; reason: string; records: Array<{ id: string; outcome: string }> }> }>;
}

describe.each(DB_KINDS)('the year-end assessment over HTTP (%s)', (kind: DbKind) => {
  let api: HarnessApi;
  let ds: DataSource;
  let Y: number;
  const tokens: Record<string, string> = {};
  const d = (md: string, year = Y) => `${year}-${md}`;

  const as = (user: string, method: string, path: string, body?: unknown) => call(api, method, path, { body, headers: { authorization: `Bearer ${tokens[user]}` } });

  /** A plan's projection as the workflow writes it to the ledger (only what the assessment reads matters). */
  function plan(id: string, lead: string, regionPath: string, deadlines: Array<[key: string, due: string, status: string]>, items: Array<[id: string, status: string]>, letters: Array<[number: string, kind: string, date: string, deadlineKey: string]> = [], procedure = 'reform_plan'): PlanProjection {
    return {
      planId: id,
      procedure: { id: procedure, version: 1, title: '改革方案' },
      title: `方案${id}`,
      attributes: {},
      stage: { id: 'implementation', label: '组织实施' },
      status: 'open',
      scope: { regionPath, leadUnitId: lead, participatingUnitIds: [] },
      units: { leadUnit: lead, specialGroup: '', participatingUnits: [] },
      people: { leader: '', person: '' },
      deadlines: deadlines.map(([key, due, status]) => ({ key, label: `时限${key}`, ruleId: 'A9', due, status: status as 'open', lettersSent: [] })),
      nextDue: null,
      overdue: false,
      items: items.map(([itemId, status]) => ({ id: itemId, title: `事项${itemId}`, status: status as 'completed' })),
      letters: letters.map(([number, k, date, deadlineKey]) => ({ number, kind: k, level: 1, date, deadlineKey })),
      changeCounter: 1,
      updatedAt: new Date().toISOString(),
      today: d('12-31'),
    };
  }

  async function itemHistory(planId: string, itemId: string, changes: Array<[status: string, date: string]>) {
    let seq = 0;
    let before: string | null = null;
    for (const [status, date] of changes) {
      await ds.getRepository(ItemChangeEntity).insert({ planId, itemId, seq: ++seq, title: `事项${itemId}`, statusBefore: before, statusAfter: status, businessDate: date, note: null, evidenceIds: '[]', actorUserId: 'x', actorName: 'x', unitId: 'x', at: new Date().toISOString(), requestId: null });
      before = status;
    }
  }

  let serial = 0;
  /** A letter as the engine's letter store writes it, with its recipients' rows (`to` / `cc`). */
  async function letter(letterKind: string, issuedOn: string, workflowId: string, recipients: Array<[unitId: string, relation: 'to' | 'cc']>): Promise<LetterRow> {
    serial++;
    const row: LetterRow = {
      id: randomUUID(),
      idempotencyKey: `assess-${serial}`,
      number: `改办函〔${issuedOn.slice(0, 4)}〕${serial}号`,
      numberPrefix: '改办函',
      year: Number(issuedOn.slice(0, 4)),
      serial,
      kind: letterKind,
      workflowId,
      procedureId: 'reform_plan',
      procedureVersion: 1,
      deadlineKey: 'x#1',
      deadlineId: 'x',
      level: 1,
      addressees: '[]',
      copyTo: '[]',
      subject: `关于${letterKind}的函`,
      body: '正文',
      dueDate: issuedOn,
      limitDate: null,
      ruleId: 'Y9',
      deadlineRuleId: 'A9',
      issuedOn,
      createdAt: new Date().toISOString(),
    };
    await ds.getRepository(LetterEntity).insert(row);
    const p = kind === 'postgres' ? ['$1', '$2', '$3', '$4'] : ['?', '?', '?', '?'];
    for (const [unitId, relation] of recipients) {
      await ds.query(`INSERT INTO letter_recipients (letter_id, unit_id, relation, sign_by) VALUES (${p[0]}, ${p[1]}, ${p[2]}, ${p[3]})`, [row.id, unitId, relation, issuedOn]);
    }
    return row;
  }

  async function problem(n: number, unitId: string, limitDate: string, status: string): Promise<ProblemRow> {
    const row: ProblemRow = {
      id: randomUUID(),
      number: `示范省问题〔${Y}〕${n}号`,
      year: Y,
      seq: n,
      originRegionPath: '/sf/',
      libraryRegionPath: '/sf/',
      ownerUnitId: 'sf-reform',
      escalatedFromRegionPath: null,
      againstType: 'unit',
      planId: null,
      itemId: null,
      unitId,
      description: `问题${n}`,
      foundOn: d('01-05'),
      limitDate,
      status,
      workflowId: `problem-${n}-${kind}`,
      evidenceIds: '[]',
      note: null,
      registeredBy: 'sf-reform',
      registeredAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    };
    await ds.getRepository(ProblemEntity).insert(row);
    return row;
  }

  beforeAll(async () => {
    // The real Temporal test server behind the API: the dashboard's plan desk needs it (S4's figures are compared below).
    api = await startHarnessApi(kind, { logins: [], extraUnits: [['jia', 'jia-fgw', '示范省甲市发展和改革委员会', 'department']] });
    ds = api.h.db.ds;
    // A second city, with nothing on its ledger.
    const dir = new UnitDirectory(ds);
    await dir.addRegion({ id: 'yi', name: '示范省乙市', level: 'city', parentId: 'sf' });
    await dir.addUnit({ id: 'yi-reform', name: '乙市改革办', kind: 'reform_office', regionId: 'yi', area: null });
    await new UserAccounts(ds).create({ username: 'yi-reform', displayName: '乙市改革办经办人', unitId: 'yi-reform', roles: ['staff'], password: TEST_PASSWORD });
    for (const user of ['sf-reform', 'sf-ndrc', 'sf-edu', 'sf-legal', 'jia-reform', 'jia-fgw', 'yi-reform']) {
      const r = await call(api, 'POST', '/api/auth/login', { body: { username: user, password: TEST_PASSWORD } });
      tokens[user] = String(r.json.accessToken);
    }
    // The server's clock: the year assessed is its last.
    Y = Number((await api.h.today()).slice(0, 4)) - 1;

    const ledger = new LedgerStore(ds);
    // 示范省发改委 leads P1 and P2. On schedule: d1, e1 met; d2 met after its due date (a 督办函 of
    // d2 dated after it); d3 overdue; d4 cancelled and d0 of last year not counted → 2 of 4.
    await ledger.upsert(
      plan(
        'p1',
        'sf-ndrc',
        '/sf/',
        [
          ['d0', d('12-01', Y - 1), 'done'],
          ['d1', d('03-10'), 'done'],
          ['d2', d('06-30'), 'done'],
          ['d3', d('09-30'), 'overdue'],
          ['d4', d('05-01'), 'cancelled'],
        ],
        [
          ['i1', 'completed'],
          ['i2', 'started'],
          ['i3', 'completed'],
        ],
        [
          ['改办函〔x〕1号', 'reminder', d('06-20'), 'd2'],
          ['改办函〔x〕2号', 'supervision', d('07-02'), 'd2'],
        ],
      ),
    );
    await ledger.upsert(plan('p2', 'sf-ndrc', '/sf/', [['e1', d('11-15'), 'done']], [['j1', 'completed']]));
    // Items: i1 and j1 completed in the year, i2 only started, i3 completed last year (not counted) → 2 of 3.
    await itemHistory('p1', 'i1', [['not_started', d('02-01')], ['completed', d('08-01')]]);
    await itemHistory('p1', 'i2', [['not_started', d('02-01')], ['started', d('04-01')]]);
    await itemHistory('p1', 'i3', [['not_started', d('05-01', Y - 1)], ['completed', d('11-01', Y - 1)]]);
    await itemHistory('p2', 'j1', [['started', d('03-01')], ['completed', d('12-20')]]);
    // A problem's own workflow on the ledger is no plan: its overdue limit counts under problems only.
    await ledger.upsert(plan('problem-wf', 'sf-ndrc', '/sf/', [['rectification_due#1', d('02-01'), 'overdue']], [], [], 'problem'));
    // 甲市: P3 of 甲市发改委, its one deadline overdue (0 of 1), its one item completed (1 of 1).
    await ledger.upsert(plan('p3', 'jia-fgw', '/sf/jia/', [['f1', d('05-20'), 'overdue']], [['k1', 'completed']]));
    await itemHistory('p3', 'k1', [['not_started', d('01-10')], ['completed', d('06-01')]]);

    // Letters to 发改委 (主送): two 督办函 and one 点名通报 in the year; a 督办函 only copied to it and
    // one of last year do not count.
    await letter('supervision', d('07-02'), 'p1', [['sf-ndrc', 'to']]);
    await letter('supervision', d('10-05'), 'p2', [['sf-ndrc', 'to']]);
    await letter('public_naming', d('10-20'), 'p1', [['sf-ndrc', 'to']]);
    await letter('supervision', d('08-08'), 'p1', [['sf-ndrc', 'cc']]);
    await letter('supervision', d('12-20', Y - 1), 'p1', [['sf-ndrc', 'to']]);
    // 甲市: one 督办函 to two of its units counts once for the city; one 约谈.
    await letter('supervision', d('06-01'), 'p3', [['jia-fgw', 'to'], ['jia-reform', 'to']]);
    await letter('interview', d('09-09'), 'p3', [['jia-fgw', 'to']]);

    // Problems of 发改委: #1 cancelled without a ladder (on time); #2 cancelled after a 点名通报 on
    // its workflow (late); #3 still rectifying past its limit; #4's limit is next year → 1 of 3.
    await problem(1, 'sf-ndrc', d('04-30'), 'cancelled');
    const late = await problem(2, 'sf-ndrc', d('06-30'), 'cancelled');
    await problem(3, 'sf-ndrc', d('08-31'), 'rectifying');
    await problem(4, 'sf-ndrc', d('01-31', Y + 1), 'rectifying');
    await letter('public_naming', d('07-05'), late.workflowId, []);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  const totals = (a: Assessment) => Object.fromEntries([...a.units, ...a.areas].map((s) => [s.subject.id, s.total]));
  const indicator = (s: SubjectScore, id: string) => s.indicators.find((i) => i.id === id)!;

  it('computes every unit and city of the province from the ledger, each point traced to its records', async () => {
    // Third-party scores (Y12) and the red list (Y14) are the office's to enter; units get 403.
    expect((await as('sf-ndrc', 'POST', '/api/assessments/evaluations', { year: Y, target: { type: 'unit', unitId: 'sf-ndrc' }, subject: 'x', evaluator: 'x', score: 100 })).status).toBe(403);
    const bad = await as('sf-reform', 'POST', '/api/assessments/evaluations', { year: Y, target: { type: 'unit', unitId: 'jia-fgw' }, subject: '放管服改革', evaluator: '某研究院', score: 90 });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.issues?.[0].path).toBe('target.unitId');
    const over = await as('sf-reform', 'POST', '/api/assessments/evaluations', { year: Y, target: { type: 'unit', unitId: 'sf-ndrc' }, subject: '放管服改革', evaluator: '某研究院', score: 100.5 });
    expect(over.json.error?.issues?.[0].path).toBe('score');
    // 教育厅's 55 fails the evaluation (below 60 of 100: 不合格, H7).
    for (const [target, score] of [[{ type: 'unit', unitId: 'sf-ndrc' }, 90], [{ type: 'unit', unitId: 'sf-ndrc' }, 85], [{ type: 'region', regionId: 'jia' }, 78.5], [{ type: 'unit', unitId: 'sf-edu' }, 55]] as const) {
      expect((await as('sf-reform', 'POST', '/api/assessments/evaluations', { year: Y, target, subject: '营商环境改革', evaluator: '第三方评估机构', score })).status).toBe(201);
    }
    const listed = await as('sf-reform', 'POST', '/api/assessments/red-list', { year: Y, target: { type: 'unit', unitId: 'sf-ndrc' }, reason: '改革试点成效突出' });
    expect(listed.status).toBe(201);
    const city = await as('sf-reform', 'POST', '/api/assessments/red-list', { year: Y, target: { type: 'region', regionId: 'jia' }, reason: '经验在全省推广' });
    const draft = await as('sf-reform', 'POST', '/api/assessments/red-list', { year: Y, target: { type: 'unit', unitId: 'sf-edu' }, reason: '尚未公布' });
    // Until published an entry is the office's alone, and counts for nothing.
    expect((await as('sf-edu', 'GET', `/api/assessments/red-list?year=${Y}`)).json).toEqual([]);
    for (const e of [listed, city]) expect((await as('sf-reform', 'POST', `/api/assessments/red-list/${String(e.json.id)}/publish`)).status).toBe(200);
    expect((await as('sf-reform', 'POST', `/api/assessments/red-list/${String(listed.json.id)}/publish`)).status).toBe(409);
    expect((await as('jia-reform', 'POST', `/api/assessments/red-list/${String(draft.json.id)}/publish`)).status).toBe(404);
    const published = (await as('sf-edu', 'GET', `/api/assessments/red-list?year=${Y}`)).json as unknown as Array<{ target: { name: string } }>;
    expect(published.map((e) => e.target.name).sort()).toEqual(['示范省发展和改革委员会', '示范省甲市'].sort());

    expect((await as('sf-ndrc', 'POST', '/api/assessments', { year: Y })).status).toBe(403);
    const r = await as('sf-reform', 'POST', '/api/assessments', { year: Y });
    expect(r.status).toBe(201);
    const a = r.json as unknown as Assessment;
    expect(a.asOf).toBe(d('12-31'));
    expect(a.units.map((s) => s.subject.id).sort()).toEqual(['sf-econ', 'sf-edu', 'sf-legal', 'sf-ndrc']);
    expect(a.areas.map((s) => s.subject.id)).toEqual(['jia', 'yi']);

    const ndrc = a.units.find((s) => s.subject.id === 'sf-ndrc')!;
    // 30×2/4 = 15; 30×2/3 = 20; 10−2×2 = 6; 5−2.5×1 = 2.5; 约谈 none 5; 10×1/3 = 3.33; 10×(90+85)/2/100 = 8.75; 红榜 5.
    expect(Object.fromEntries(ndrc.indicators.map((i) => [i.id, i.score]))).toEqual({
      on_schedule: 15,
      completion: 20,
      supervision_letters: 6,
      public_namings: 2.5,
      interviews: 5,
      problems: 3.33,
      third_party: 8.75,
      red_list: 5,
    });
    expect(ndrc.total).toBe(65.58);
    expect(ndrc.fullMarks).toBe(100);
    // The trace: which records, how each counted, and the sum.
    const onSchedule = indicator(ndrc, 'on_schedule');
    expect(onSchedule.records.map((x) => [x.id, x.date, x.counts])).toEqual([
      ['d1', d('03-10'), true],
      ['d2', d('06-30'), false],
      ['d3', d('09-30'), false],
      ['e1', d('11-15'), true],
    ]);
    expect(onSchedule.formula).toBe('30 × 2/4 = 15');
    expect(indicator(ndrc, 'completion').records.map((x) => [x.id, x.counts])).toEqual([['i1', true], ['i2', false], ['j1', true]]);
    expect(indicator(ndrc, 'completion').formula).toBe('30 × 2/3 = 20');
    expect(indicator(ndrc, 'supervision_letters').records.map((x) => x.date)).toEqual([d('07-02'), d('10-05')]);
    expect(indicator(ndrc, 'supervision_letters').formula).toBe('10 − 2 × 2 = 6');
    expect(indicator(ndrc, 'problems').records.map((x) => [x.date, x.counts])).toEqual([[d('04-30'), true], [d('06-30'), false], [d('08-31'), false]]);
    expect(indicator(ndrc, 'third_party').formula).toBe('10 × (90 + 85)/2/100 = 8.75');

    const jia = a.areas.find((s) => s.subject.id === 'jia')!;
    // 30×0/1 = 0; 30×1/1 = 30; 10−2×1 = 8 (one letter to two of its units); 点名通报 none 5; 5−5×1 = 0; problems none 10; 10×78.5/100 = 7.85; 红榜 5.
    expect(Object.fromEntries(jia.indicators.map((i) => [i.id, i.score]))).toEqual({ on_schedule: 0, completion: 30, supervision_letters: 8, public_namings: 5, interviews: 0, problems: 10, third_party: 7.85, red_list: 5 });
    // Nothing on the ledger: every rate and deduction at full points, no bonus (sf-edu's entry is
    // unpublished); 教育厅's evaluation 10×55/100 = 5.5 → 95.5.
    expect(totals(a)).toEqual({ 'sf-ndrc': 65.58, 'sf-edu': 95.5, 'sf-econ': 100, 'sf-legal': 100, jia: 65.85, yi: 100 });

    // Named (通报, H7: 考核不达标、评估不合格的单位给予通报问责): 发改委 for d2 (met after its due date,
    // 督办函 2号 of 07-02) and d3 (overdue) (S4); 教育厅 for its evaluation of 55 (Y12); 甲市 for f1
    // overdue (S4). 司法厅, the special group and 乙市 are not named. Units first, in the order assessed.
    const named = (x: Assessment) => Object.fromEntries(x.named.map((n) => [n.subject.id, n.reasons.map((r) => [r.ruleId, r.reason, r.records.map((rec) => [rec.id, rec.outcome])])]));
    const order = a.units.map((u) => u.subject.id);
    expect(a.named.map((n) => [n.subject.type, n.subject.id, n.ruleId])).toEqual([
      ...[['unit', 'sf-ndrc', 'H7'], ['unit', 'sf-edu', 'H7']].sort((x, y) => order.indexOf(x[1]) - order.indexOf(y[1])),
      ['region', 'jia', 'H7'],
    ]);
    expect(named(a)).toEqual({
      'sf-ndrc': [
        [
          'S4',
          '2 个时限未按期完成',
          [
            ['d2', `逾期后完成(改办函〔x〕2号)(到期 ${d('06-30')})`],
            ['d3', `逾期未完成(到期 ${d('09-30')})`],
          ],
        ],
      ],
      'sf-edu': [['Y12', '第三方评估不合格(低于 60 分):营商环境改革 55 分', [[expect.any(String), '55 分,不合格']]]],
      jia: [['S4', '1 个时限未按期完成', [['f1', `逾期未完成(到期 ${d('05-20')})`]]]],
    });

    // Each reads its own: the office everything, a unit its row, a city's office its city's; others 404.
    expect(totals((await as('sf-reform', 'GET', `/api/assessments/${a.id}`)).json as unknown as Assessment)).toEqual(totals(a));
    const own = (await as('sf-ndrc', 'GET', `/api/assessments/${a.id}`)).json as unknown as Assessment;
    expect(totals(own)).toEqual({ 'sf-ndrc': 65.58 });
    // A unit reads its own naming only, a city's office its city's; a unit not named reads none.
    expect(own.named.map((n) => n.subject.id)).toEqual(['sf-ndrc']);
    const jiaView = (await as('jia-reform', 'GET', `/api/assessments/${a.id}`)).json as unknown as Assessment;
    expect(totals(jiaView)).toEqual({ jia: 65.85 });
    expect(named(jiaView)).toEqual({ jia: named(a).jia });
    expect(((await as('sf-legal', 'GET', `/api/assessments/${a.id}`)).json as unknown as Assessment).named).toEqual([]);
    expect((await as('jia-fgw', 'GET', `/api/assessments/${a.id}`)).status).toBe(404);
    expect((await as('jia-fgw', 'GET', `/api/assessments/${a.id}/export.xlsx`)).status).toBe(404);
    expect(((await as('sf-reform', 'GET', `/api/assessments?year=${Y}`)).json as unknown as Array<{ id: string }>).map((x) => x.id)).toContain(a.id);

    // Audited: the scores, the entries, the publication.
    const actions = ((await ds.query('SELECT action FROM audit_log')) as Array<{ action: string }>).map((x) => x.action);
    for (const action of ['assessment.computed', 'assessment.evaluation_entered', 'assessment.red_list_added', 'assessment.red_list_published']) expect(actions).toContain(action);
    const [computed] = (await ds.query(`SELECT after FROM audit_log WHERE action = 'assessment.computed'`)) as Array<{ after: string | object }>;
    const after = (typeof computed.after === 'string' ? JSON.parse(computed.after) : computed.after) as { named: unknown[] };
    expect(after.named).toEqual(expect.arrayContaining([{ unit: 'sf-ndrc', rules: ['S4'] }, { unit: 'sf-edu', rules: ['Y12'] }, { region: 'jia', rules: ['S4'] }]));

    // The workbook, read back: the scores and the trace.
    const res = await fetch(`${api.url}/api/assessments/${a.id}/export.xlsx`, { headers: { authorization: `Bearer ${tokens['sf-reform']}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(`${Y}年度年度改革落实考核-示范省.xlsx`)}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const scores = wb.getWorksheet('得分')!;
    const header = (scores.getRow(1).values as ExcelJS.CellValue[]).slice(1);
    expect(header[2]).toBe('考核对象');
    expect(header[header.length - 2]).toBe('合计');
    const row = scores.getSheetValues().find((v) => Array.isArray(v) && v[3] === '示范省发展和改革委员会') as ExcelJS.CellValue[];
    expect(row.slice(4, 4 + 8)).toEqual([15, 20, 6, 2.5, 5, 3.33, 8.75, 5]);
    expect(row[12]).toBe(65.58);
    const trace = wb.getWorksheet('计分明细')!.getSheetValues().filter((v) => Array.isArray(v) && v[1] === '示范省发展和改革委员会') as ExcelJS.CellValue[][];
    expect(trace.map((v) => v[5])).toContain('30 × 2/4 = 15');
    expect(trace.filter((v) => v[2] === '方案按期完成率' && v[7]).map((v) => v[7])).toEqual(['d1', 'd2', 'd3', 'e1']);
    // The naming (H7): one line per reason with both rule ids, then the records behind it.
    const namedRows = (wb.getWorksheet('通报名单')!.getSheetValues().filter(Array.isArray) as ExcelJS.CellValue[][]).slice(1).map((v) => v.slice(1));
    expect(namedRows.filter((v) => v[3]).map((v) => [v[1], v[2], v[3], v[4]])).toEqual(
      a.named.flatMap((n) => n.reasons.map((r) => [n.subject.type === 'unit' ? '单位' : '地区', n.subject.name, `H7、${r.ruleId}`, r.reason])),
    );
    expect(namedRows.find((v) => v[2] === '示范省甲市' && v[3])?.[4]).toBe('1 个时限未按期完成');
    expect(namedRows.filter((v) => v[2] === '示范省发展和改革委员会' && v[5]).map((v) => [v[5], v[7], v[9]])).toEqual([
      ['d2', d('06-30'), `逾期后完成(改办函〔x〕2号)(到期 ${d('06-30')})`],
      ['d3', d('09-30'), `逾期未完成(到期 ${d('09-30')})`],
    ]);
  });

  it('shows on the dashboard the very S4 figures the assessment scores (one definition)', async () => {
    const r = await as('sf-reform', 'POST', '/api/assessments', { year: Y });
    expect(r.status).toBe(201);
    const a = r.json as unknown as Assessment;
    const board = async (user: string) => (await as(user, 'GET', `/api/dashboard/indicators?year=${Y}`)).json;
    // The assessment's measure of a subject, as the dashboard writes it.
    const measure = (s: SubjectScore) => {
      const [on, done] = [indicator(s, 'on_schedule').records, indicator(s, 'completion').records];
      return { deadlines: on.length, deadlinesOnSchedule: on.filter((x) => x.counts).length, items: done.length, itemsCompleted: done.filter((x) => x.counts).length };
    };
    const subset = (x: Record<string, unknown>) => ({ deadlines: x.deadlines, deadlinesOnSchedule: x.deadlinesOnSchedule, items: x.items, itemsCompleted: x.itemsCompleted });
    // 发改委 (the plans it leads, p1 and p2): deadlines d1 d2 d3 e1, on schedule d1 e1 (2 of 4, 50%);
    // items i1 i2 j1, completed i1 j1 (2 of 3, 66.7%).
    const ndrc = await board('sf-ndrc');
    expect(ndrc).toEqual({ year: Y, asOf: d('12-31'), deadlines: 4, deadlinesOnSchedule: 2, onScheduleRate: 50, items: 3, itemsCompleted: 2, completionRate: 66.7 });
    expect(measure(a.units.find((x) => x.subject.id === 'sf-ndrc')!)).toEqual(subset(ndrc));
    // 甲市's office (p3): f1 overdue (0 of 1); k1 completed (1 of 1).
    const jia = await board('jia-reform');
    expect(jia).toEqual({ year: Y, asOf: d('12-31'), deadlines: 1, deadlinesOnSchedule: 0, onScheduleRate: 0, items: 1, itemsCompleted: 1, completionRate: 100 });
    expect(measure(a.areas.find((x) => x.subject.id === 'jia')!)).toEqual(subset(jia));
    // 教育厅 leads nothing: nothing counted (the assessment scores full points, the dashboard shows no rate).
    const edu = await board('sf-edu');
    expect(edu).toEqual({ year: Y, asOf: d('12-31'), deadlines: 0, deadlinesOnSchedule: 0, onScheduleRate: null, items: 0, itemsCompleted: 0, completionRate: null });
    expect(measure(a.units.find((x) => x.subject.id === 'sf-edu')!)).toEqual(subset(edu));
    // The province's office: every plan (p1 p2 p3; the problem's workflow is no plan): 2 of 5 deadlines, 3 of 4 items.
    expect(await board('sf-reform')).toEqual({ year: Y, asOf: d('12-31'), deadlines: 5, deadlinesOnSchedule: 2, onScheduleRate: 40, items: 4, itemsCompleted: 3, completionRate: 75 });
    // The year before: nothing due in it but d0 (done on schedule); i3 completed in it.
    expect((await as('sf-ndrc', 'GET', `/api/dashboard/indicators?year=${Y - 1}`)).json).toEqual({
      year: Y - 1,
      asOf: d('12-31', Y - 1),
      deadlines: 1,
      deadlinesOnSchedule: 1,
      onScheduleRate: 100,
      items: 1,
      itemsCompleted: 1,
      completionRate: 100,
    });
    expect((await as('sf-ndrc', 'GET', '/api/dashboard/indicators?year=1999')).status).toBe(400);
  });

  it('refuses a scheme with an error: 422 with the file, line and column', async () => {
    const text = '考核 mine "我市考核细则" 依据 Y13\n  指标 a "按期完成率" 分值 30 分 计分 按期完成率 依据 S4\n  指标 b "督办函" 分值 10 分 计分 督办函 依据 Y9\n';
    const r = await as('sf-reform', 'POST', '/api/assessments', { year: Y, scheme: { name: '我市考核.rules', text } });
    expect(r.status).toBe(422);
    expect(r.json.error?.diagnostics).toEqual([expect.objectContaining({ file: '我市考核.rules', line: 3, column: 25, code: 'missing-deduction', message: '按函件计分的指标须写每件扣几分' })]);
    expect(r.json.error?.message).toContain('我市考核.rules:3:25');
    // Corrected, it computes with the office's own points: 发改委 30×2/4 = 15 and 10−1×2 = 8 → 23.
    const ok = await as('sf-reform', 'POST', '/api/assessments', { year: Y, scheme: { name: '我市考核.rules', text: text.replace('计分 督办函 依据', '计分 督办函 每件扣 1 分 依据') } });
    expect(ok.status).toBe(201);
    expect(totals(ok.json as unknown as Assessment)['sf-ndrc']).toBe(23);
  });
});
