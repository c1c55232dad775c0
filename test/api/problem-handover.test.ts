import { addDays, formatChineseDate } from '@reform/calendar';
import type { ProblemLetter } from '@reform/desk';
import { execFile, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import JSZip from 'jszip';
import { DB_KINDS } from '../support/db';
import { Harness } from '../support/harness';
import { call, HarnessApi, leaks, startHarnessApi, TEST_PASSWORD } from './support';
import { eventually } from './world';
import { plusMonths } from '../support/dates';

/**
 * Several problems of one unit handed over at once (issue 9 §3; A13: the 整改意见书 with the
 * problem list and the limit), over HTTP with the real time-skipping Temporal server, on both
 * databases: one letter listing them all, with one number, in its .docx and .pdf; a retry with
 * the same X-Request-Id hands nothing over twice and writes no second letter; bad lists change
 * nothing.
 */

/** rules/standard/problem.rules: rectification_due and rectification_due_listed, 期限 2 个月 from the handover. */
const LIMIT_MONTHS = 2;
const OFFICE = '示范省委全面深化改革委员会办公室';

interface Problem {
  id: string;
  number: string;
  description: string;
  status: string;
  limitDate: string | null;
  workflowId: string;
  engine: { stage: { id: string }; deadlines: Array<{ id: string; due: string }>; actions: Array<{ action: string }> } | null;
  letters: ProblemLetter[];
}

describe.each(DB_KINDS)('handing several problems over in one rectification letter (%s)', (kind) => {
  let h: Harness;
  let api: HarnessApi;
  let url: string;
  let work: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'reform-handover-'));
    api = await startHarnessApi(kind, { logins: ['sf-ndrc', 'sf-edu', 'sf-reform', 'jia-reform'], documents: { office: { name: OFFICE } } });
    ({ h, url } = api);
    Object.assign(tokens, api.tokens);
  });
  afterAll(async () => {
    await api?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const as = (user: string, method: string, path: string, body?: unknown, requestId?: string) =>
    call({ url }, method, path, { body, headers: { authorization: `Bearer ${tokens[user]}`, ...(requestId ? { 'x-request-id': requestId } : {}) } });
  const register = async (against: Record<string, string>, description: string) => {
    const r = await as('sf-reform', 'POST', '/api/problems', { against, description });
    expect(r.status).toBe(201);
    return r.json as unknown as Problem;
  };
  const handOver = (user: string, problemIds: string[], requestId?: string) => as(user, 'POST', '/api/problems/hand-over', { problemIds }, requestId);
  const lettersOf = async (workflowIds: string[]) => (await Promise.all(workflowIds.map((w) => h.letters.forWorkflow(w)))).flat();
  const auditActions = async (id: string): Promise<string[]> => ((await h.db.ds.query(`SELECT action FROM audit_log WHERE target_id = '${id}' ORDER BY seq`)) as Array<{ action: string }>).map((r) => r.action);

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
            REFORM_EVIDENCE_DIR: join(work, 'evidence'),
            ...(db.url ? { DATABASE_URL: db.url } : { REFORM_DATA_DIR: dirname(db.sqlitePath), DATABASE_URL: '' }),
          },
          timeout: 120_000,
        },
        (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 2) : 0, stdout, stderr }),
      );
    });
  const json = <T>(r: { code: number; stdout: string; stderr: string }): T => {
    expect([r.code, r.stderr]).toEqual([0, '']);
    return JSON.parse(r.stdout) as T;
  };

  // The CLI runs the same ProblemDesk as the routes above; once (on SQLite), before the server's clock moves.
  const onSqlite = kind === 'sqlite' ? it : () => undefined;
  onSqlite('registers, lists, shows, hands over, acts and uploads evidence through the CLI (reform problem …)', async () => {
    const descriptions = ['高校科研经费“包干制”试点范围未按要求扩大', '职业教育产教融合项目清单未公开'];
    const registered: Problem[] = [];
    for (const d of descriptions) registered.push(json<Problem>(await reform(['problem', 'register', '--user', 'sf-reform', '--unit', 'sf-edu', '--description', d, '--json'])));
    expect(registered.map((p) => [p.description, p.status])).toEqual(descriptions.map((d) => [d, 'registered']));
    const ids = registered.map((p) => p.id);
    // The same use case's refusals, in Chinese, exit 1: a department does not register.
    const refused = await reform(['problem', 'register', '--user', 'sf-edu', '--unit', 'sf-edu', '--description', '自查发现的问题']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^错误:问题由改革办在本级问题库挂号/);
    expect(leaks(refused.stderr)).toEqual([]);

    const listed = json<{ rows: Problem[] }>(await reform(['problem', 'list', '--user', 'sf-edu', '--json']));
    expect(listed.rows.map((r) => r.id).sort()).toEqual([...ids].sort());

    // Handed over in one letter; the same --request-id again is the same handover, nothing twice.
    const key = `cli-${randomUUID()}`;
    const handed = json<{ id: string; problems: Problem[] }>(await reform(['problem', 'hand-over', ...ids, '--user', 'sf-reform', '--request-id', key, '--json']));
    expect(handed.problems.map((p) => p.status)).toEqual(['rectifying', 'rectifying']);
    const again = json<{ id: string }>(await reform(['problem', 'hand-over', ...ids, '--user', 'sf-reform', '--request-id', key, '--json']));
    expect(again.id).toBe(handed.id);
    const letters = await eventually(async () => {
      const all = await lettersOf(handed.problems.map((p) => p.workflowId));
      expect(all.map((l) => l.kind)).toEqual(['rectification']);
      return all;
    });
    for (const d of descriptions) expect(letters[0].body).toContain(d);
    const shown = await reform(['problem', 'show', ids[0], '--user', 'sf-edu']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(letters[0].number);
    expect(shown.stdout).toContain('整改中');

    // The unit reports; an action its role may not take is refused (exit 1, nothing changes).
    const notYours = await reform(['problem', 'act', ids[1], 'keep', '--user', 'sf-edu', '--note', '长期整改']);
    expect(notYours.code).toBe(1);
    expect(notYours.stderr).toMatch(/^错误:/);
    expect(json<Problem>(await reform(['problem', 'act', ids[1], 'report_rectification', '--user', 'sf-edu', '--json'])).status).toBe('verifying');
    // Evidence uploaded from a file, then the office cancels (销号) with it.
    const file = join(work, '整改报告.pdf');
    writeFileSync(file, Buffer.from('%PDF-1.7\n整改完成情况报告'));
    const evidence = json<{ evidenceId: string; filename: string }>(await reform(['problem', 'evidence', ids[1], file, '--user', 'sf-edu', '--json']));
    expect(evidence.filename).toBe('整改报告.pdf');
    const cancelled = json<Problem & { evidenceIds: string[] }>(await reform(['problem', 'act', ids[1], 'verify', '--evidence', evidence.evidenceId, '--user', 'sf-reform', '--json']));
    expect([cancelled.status, cancelled.evidenceIds]).toEqual(['cancelled', [evidence.evidenceId]]);
    expect(await auditActions(ids[1])).toEqual(['problem.registered', 'problem.hand_over_listed', 'problem.report_rectification', 'problem.evidence_added', 'problem.verify']);
  });

  it('hands three problems of one unit over in one letter that lists them all, once, whatever the retries', async () => {
    const today = await h.today();
    const plan = await as('sf-ndrc', 'POST', '/api/plans', { procedure: 'reform_plan', title: '关于深化投资审批制度改革的实施方案', specialGroupId: 'sf-econ', responsibleLeader: '王副省长', responsiblePerson: '李明' });
    expect(plan.status).toBe(201);
    const planId = String(plan.json.planId);
    const p1 = await register({ type: 'unit', unitId: 'sf-ndrc' }, '重大项目审批时限压缩目标未完成');
    const p2 = await register({ type: 'plan', planId }, '投资项目在线审批监管平台未与部门系统全面对接');
    const p3 = await register({ type: 'unit', unitId: 'sf-ndrc' }, '改革任务台账更新不及时,部分事项未按月报送进展');
    const other = await register({ type: 'unit', unitId: 'sf-edu' }, '课后服务经费保障政策未落实');
    const ids = [p1.id, p2.id, p3.id];

    // Bad lists are refused with the place named, and change nothing.
    expect((await handOver('sf-ndrc', ids)).status).toBe(403);
    const unseen = await handOver('jia-reform', ids);
    expect(unseen.status).toBe(400);
    expect(unseen.json.error?.issues?.[0].path).toBe('problemIds.0');
    const twice = await handOver('sf-reform', [p1.id, p1.id]);
    expect(twice.status).toBe(400);
    expect(twice.json.error?.issues?.[0].path).toBe('problemIds.1');
    const mixed = await handOver('sf-reform', [...ids, other.id]);
    expect(mixed.status).toBe(400);
    expect(mixed.json.error?.issues?.[0].path).toBe('problemIds.3');
    expect(mixed.json.error?.message).toContain('一份整改意见书只发给一个单位');
    expect(leaks(mixed.text)).toEqual([]);
    const empty = await handOver('sf-reform', []);
    expect(empty.status).toBe(400);
    expect(empty.json.error?.issues?.[0].path).toBe('problemIds');
    for (const id of [...ids, other.id]) expect((await as('sf-reform', 'GET', `/api/problems/${id}`)).json.status).toBe('registered');

    // Handed over together: each rectifying, with the one limit the rules give (A13).
    const key = `req-${randomUUID()}`;
    const first = await handOver('sf-reform', ids, key);
    expect(first.status).toBe(200);
    const limit = plusMonths(today, LIMIT_MONTHS);
    const handed = first.json as unknown as { id: string; unitId: string; problems: Problem[] };
    expect(handed.unitId).toBe('sf-ndrc');
    expect(handed.problems.map((p) => [p.id, p.status, p.limitDate])).toEqual(ids.map((id) => [id, 'rectifying', limit]));
    // The unit that rectifies sees each problem's limit; handing over in another's letter is never offered as an action.
    for (const p of handed.problems) expect(p.engine?.actions.map((a) => a.action)).not.toContain('hand_over_listed');

    // One letter: the first problem's 整改意见书, listing all three in order with their numbers and objects, the limit and the rule.
    const workflows = handed.problems.map((p) => p.workflowId);
    const letter = await eventually(async () => {
      const all = await lettersOf(workflows);
      expect(all.map((l) => [l.workflowId, l.kind])).toEqual([[workflows[0], 'rectification']]);
      return all[0];
    });
    expect(letter.subject).toBe('关于督察发现问题的整改意见书');
    expect(JSON.parse(letter.addressees).map((a: { name: string }) => a.name)).toEqual(['示范省发展和改革委员会']);
    expect([letter.ruleId, letter.dueDate, letter.issuedOn]).toEqual(['A13', limit, today]);
    const lines = letter.body.split('\n').map((l) => l.trim());
    const at = lines.findIndex((l) => l.endsWith('须挂账整改:'));
    expect(lines.slice(at + 1, at + 4)).toEqual([
      `1.${p1.description}(${p1.number};涉及单位:示范省发展和改革委员会)`,
      `2.${p2.description}(${p2.number};涉及方案《关于深化投资审批制度改革的实施方案》)`,
      `3.${p3.description}(${p3.number};涉及单位:示范省发展和改革委员会)`,
    ]);
    expect(letter.body).toContain(`于${formatChineseDate(limit)}前整改到位`);
    expect(letter.body).toContain('(A13)');
    // Each problem's detail shows its limit; the letter is the first problem's.
    const detail = async (id: string) => (await as('sf-ndrc', 'GET', `/api/problems/${id}`)).json as unknown as Problem;
    expect((await detail(p1.id)).letters.map((l) => l.number)).toEqual([letter.number]);
    expect((await detail(p3.id)).engine?.deadlines.map((d) => [d.id, d.due])).toEqual([['rectification_due_listed', limit]]);

    // Sent again with the same request id (the answer was lost): the same handover, nothing twice.
    const again = await handOver('sf-reform', ids, key);
    expect(again.status).toBe(200);
    expect((again.json as unknown as { id: string }).id).toBe(handed.id);
    await h.travelTo(addDays(today, 3));
    expect((await lettersOf(workflows)).map((l) => l.number)).toEqual([letter.number]);
    expect(await auditActions(p1.id)).toEqual(['problem.registered', 'problem.hand_over']);
    for (const p of [p2, p3]) expect(await auditActions(p.id)).toEqual(['problem.registered', 'problem.hand_over_listed']);
    // A new request cannot hand them over again: they are in a letter already.
    const newRequest = await handOver('sf-reform', [p2.id, p3.id]);
    expect(newRequest.status).toBe(400);
    expect(newRequest.json.error?.issues?.[0].path).toBe('problemIds.0');
    expect((await as('sf-reform', 'POST', `/api/problems/${p2.id}/actions`, { action: 'hand_over' })).status).toBe(409);
    expect((await lettersOf(workflows)).length).toBe(1);

    // The letter as documents: the .docx and the .pdf list all three problems.
    const download = async (ext: string) => {
      const res = await fetch(`${url}/api/letters/${letter.id}/document.${ext}`, { headers: { authorization: `Bearer ${tokens['sf-ndrc']}` } });
      expect(res.status).toBe(200);
      return Buffer.from(await res.arrayBuffer());
    };
    const xml = await (await JSZip.loadAsync(await download('docx'))).file('word/document.xml')!.async('string');
    const docxText = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    const pdfPath = join(work, `handover-${kind}.pdf`);
    writeFileSync(pdfPath, await download('pdf'));
    const pdfText = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const text of [docxText, pdfText]) {
      for (const p of [p1, p2, p3]) {
        expect(text).toContain(p.description.replace(/,/g, '，'));
        expect(text).toContain(p.number);
      }
      expect(text).toContain(letter.number);
      expect(text).toContain(formatChineseDate(limit));
    }
  });

  it('sends each listed problem its own ladder after the common limit', async () => {
    const today = await h.today();
    const a = await register({ type: 'unit', unitId: 'sf-edu' }, '义务教育阶段课后服务经费保障政策未落实');
    const b = await register({ type: 'unit', unitId: 'sf-edu' }, '教师减负清单未按期公布');
    const res = await handOver('sf-reform', [a.id, b.id], `req-${randomUUID()}`);
    expect(res.status).toBe(200);
    const [pa, pb] = (res.json as unknown as { problems: Problem[] }).problems;
    const limit = plusMonths(today, LIMIT_MONTHS);
    await eventually(async () => expect((await lettersOf([pa.workflowId, pb.workflowId])).map((l) => l.kind)).toEqual(['rectification']));
    // The second reports in time; the first does not: public naming (点名通报) for the first only (A13).
    expect((await as('sf-edu', 'POST', `/api/problems/${b.id}/actions`, { action: 'report_rectification' })).status).toBe(200);
    await h.travelTo(addDays(limit, 1), 60);
    await eventually(async () => {
      expect((await h.letters.forWorkflow(pa.workflowId)).map((l) => l.kind)).toEqual(['rectification', 'public_naming']);
    });
    expect(await h.letters.forWorkflow(pb.workflowId)).toEqual([]);
    const naming = (await h.letters.forWorkflow(pa.workflowId))[1];
    expect([naming.ruleId, naming.dueDate]).toEqual(['A13', limit]);
    expect(naming.body).toContain(a.description);
  });

  it('hands over alone, never with others, a problem whose procedure version has no listed handover', async () => {
    const standard = readFileSync(join(__dirname, '../../rules/standard/problem.rules'), 'utf8');
    const older = standard
      .split('\n')
      .filter((l) => !l.includes('动作 hand_over_listed'))
      .join('\n');
    expect(older).not.toEqual(standard);
    const publish = (text: string) => as('sf-reform', 'POST', '/api/rules/publish', { files: [{ name: 'problem.rules', text }] });
    expect((await publish(older)).status).toBe(201);
    const old = await register({ type: 'unit', unitId: 'sf-edu' }, '按旧版流程挂号的问题');
    expect((await publish(standard)).status).toBe(201);
    const current = await register({ type: 'unit', unitId: 'sf-edu' }, '按新版流程挂号的问题');
    const mixed = await handOver('sf-reform', [current.id, old.id]);
    expect(mixed.status).toBe(400);
    expect(mixed.json.error?.issues?.[0].path).toBe('problemIds.1');
    expect(mixed.json.error?.message).toContain('迁移到最新版');
    expect((await as('sf-reform', 'GET', `/api/problems/${current.id}`)).json.status).toBe('registered');
    // Alone it goes, with its own letter.
    expect((await as('sf-reform', 'POST', `/api/problems/${old.id}/actions`, { action: 'hand_over' })).status).toBe(200);
    await eventually(async () => expect((await lettersOf([old.workflowId])).map((l) => l.kind)).toEqual(['rectification']));
  });
});
