import { addDays } from '@reform/calendar';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { ensureWebConsole, webConsolePaths } from '../../apps/cli/src/web-console';
import { call, HarnessApi, startHarnessApi, TEST_PASSWORD } from '../api/support';
import { eventually } from '../api/world';

/**
 * The leaders' board, the assessment and the audit pages in Debian's Chromium (playwright-core,
 * headless), served by the real API over the Temporal time-skipping server and SQLite.
 *
 * Set-up over HTTP: 发改委 (sf-ndrc) leads two plans. A central-plan integration whose central plan
 * came out 215 days ago: S1's half year has passed, so it is overdue (red). A major reform plan
 * walked through drafting, research, the special group's, the legal office's and the reform
 * office's reviews to the leading group's meeting (rules/standard/reform-plan.rules: major plans
 * go to 改革领导小组会议, where the leading group records the decision): the leading group's to act on.
 * Screenshots: .data/web-screenshots/board-*.png.
 */
const ROOT = join(__dirname, '../..');
const SHOTS = join(ROOT, '.data/web-screenshots');
const CENTRAL = '关于对接中央国资国企改革方案的实施方案';
const MAJOR = '关于深化营商环境改革的实施方案';
// English ids the pages must show by their Chinese labels (units, levels, procedures, stages, lights, actions).
const IDS = /sf-ndrc|sf-econ|sf-leading|\bprovince\b|\bcity\b|reform_plan|central_integration|leading_group|approve_leading_group_meeting|\bred\b|\byellow\b|\bgreen\b/;

describe('the leaders’ board, assessment and audit pages in a real browser (sqlite)', () => {
  let api: HarnessApi;
  let browser: Browser;
  let page: Page;
  let central: string;
  let major: string;

  const as = (user: string, method: string, path: string, body?: unknown) => call(api, method, path, { body, headers: { authorization: `Bearer ${api.tokens[user]}` } });

  beforeAll(async () => {
    [, api] = await Promise.all([
      ensureWebConsole(ROOT),
      startHarnessApi('sqlite', {
        logins: ['sf-ndrc', 'sf-econ', 'sf-legal', 'sf-reform', 'sf-leading'],
        extraUnits: [['sf', 'sf-leading', '示范省全面深化改革领导小组', 'leading_group']],
        apiOptions: { webDir: webConsolePaths(ROOT).dist },
      }),
    ]);
    const today = await api.h.today();
    const people = { specialGroupId: 'sf-econ', participatingUnitIds: [], responsibleLeader: '王副省长', responsiblePerson: '李明' };
    const c = await as('sf-ndrc', 'POST', '/api/plans', { procedure: 'central_integration', title: CENTRAL, ...people, startEvents: { central_plan_issued: addDays(today, -215) } });
    expect(c.status).toBe(201);
    central = String(c.json.planId);
    const m = await as('sf-ndrc', 'POST', '/api/plans', { procedure: 'reform_plan', title: MAJOR, ...people, attributes: { major: true } });
    expect(m.status).toBe(201);
    major = String(m.json.planId);
    for (const [user, action] of [
      ['sf-ndrc', 'submit_draft'],
      ['sf-ndrc', 'complete_research'],
      ['sf-econ', 'pass_special_group_review'],
      ['sf-legal', 'pass_legality_review'],
      ['sf-reform', 'pass_reform_office_review'],
    ]) {
      const r = await as(user, 'POST', `/api/plans/${major}/actions`, { action });
      expect([action, r.status]).toEqual([action, 200]);
    }
    // The central plan's overdue deadline is in the ledger once its workflow has projected it.
    await eventually(async () => {
      const red = await as('sf-leading', 'GET', '/api/plans?light=red');
      expect((red.json.rows as Array<{ planId: string }>).map((r) => r.planId)).toEqual([central]);
    });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    mkdirSync(SHOTS, { recursive: true });
  });
  // Each test in a browser context of its own (its own session storage: signed out).
  beforeEach(async () => {
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', acceptDownloads: true })).newPage();
    page.setDefaultTimeout(45_000);
  });
  afterEach(async () => {
    await page?.context().close();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `board-${name}.png`), fullPage: true });
  const noEnglishIds = async () => expect((await page.locator('body').innerText()).match(IDS)).toBeNull();
  const hash = () => decodeURIComponent(new URL(page.url()).hash);

  async function signIn(user: string) {
    await page.goto(`${api.url}/`);
    await page.getByLabel('用户名').fill(user);
    await page.getByLabel('密码').fill(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '我的待办' }).waitFor();
  }

  async function failing(name: string, walk: () => Promise<void>) {
    try {
      await walk();
    } catch (e) {
      await shot(`${name}-failed`).catch(() => undefined);
      throw e;
    }
  }

  it('a leader opens the board, reads the counts and drills down to the ledger of what was counted', () =>
    failing('leader', async () => {
      await signIn('sf-leading');
      await page.getByRole('menuitem', { name: '领导看板' }).click();
      await page.getByRole('heading', { name: '领导看板' }).waitFor();
      expect(hash()).toBe('#/board');

      // Progress by lead unit, with names: 发改委 leads both plans, one of them red (S1 passed).
      const row = page.getByRole('row', { name: /示范省发展和改革委员会/ });
      await row.waitFor();
      const red = row.getByRole('link', { name: '示范省发展和改革委员会的红灯方案:1 项,在台账中查看' });
      await red.waitFor();
      expect(await row.getByRole('link', { name: /示范省发展和改革委员会的方案:2 项/ }).count()).toBe(1);
      // The overdue count above the chart, and the charts themselves (ECharts, SVG).
      await page.getByRole('link', { name: '逾期方案:1 项,在台账中查看' }).waitFor();
      await page.getByRole('img', { name: /落实进度/ }).locator('svg').waitFor();
      // Approve what is theirs: the major plan waits for the leading group's meeting.
      const todo = page.getByRole('row', { name: new RegExp(MAJOR) });
      await todo.waitFor();
      expect(await todo.innerText()).toContain('记录改革领导小组会议审议通过');
      expect(await todo.getByRole('link', { name: MAJOR }).getAttribute('href')).toBe(`#/plans/${major}`);
      await noEnglishIds();
      await shot('01-board');
      await page.setViewportSize({ width: 1920, height: 1080 });
      await page.getByRole('img', { name: /落实进度/ }).locator('svg').waitFor();
      await shot('01-board-1920');
      await page.setViewportSize({ width: 1280, height: 800 });

      // Drill down: the red count of 发改委 opens the ledger filtered as GET /api/plans takes it.
      await red.click();
      await page.waitForURL(/#\/ledger\?/);
      expect(hash()).toBe('#/ledger?leadUnit=sf-ndrc&light=red');
      const listed = await as('sf-leading', 'GET', `/api/plans?${hash().slice('#/ledger?'.length)}`);
      expect((listed.json.rows as Array<{ planId: string }>).map((r) => r.planId)).toEqual([central]);
      // The filters the ledger's form has no field for are shown by name (the lead unit), and the light in its field.
      await page.getByLabel('其他筛选条件').getByText('牵头单位:示范省发展和改革委员会').waitFor();
      await page.getByRole('link', { name: CENTRAL }).waitFor();
      await noEnglishIds();
      await shot('02-drilled');

      // By level: the province's plans, both of them.
      await page.goBack();
      await page.getByRole('heading', { name: '领导看板' }).waitFor();
      await page.getByText('按层级').click();
      const province = page.getByRole('row', { name: /省级/ });
      await province.getByRole('link', { name: '省级的方案:2 项,在台账中查看' }).click();
      await page.waitForURL(/#\/ledger\?/);
      expect(hash()).toBe('#/ledger?level=province');
      const both = await as('sf-leading', 'GET', `/api/plans?${hash().slice('#/ledger?'.length)}`);
      expect((both.json.rows as Array<{ planId: string }>).map((r) => r.planId).sort()).toEqual([central, major].sort());
    }));

  it('the reform office computes the year’s assessment, reads a point’s trace and the naming list, and downloads the workbook', () =>
    failing('office', async () => {
      // The year in which the central plan's S1 deadline fell due (the server's clock decides, so any date works).
      const detail = await as('sf-ndrc', 'GET', `/api/plans/${central}`);
      const deadline = (detail.json.plan as { deadlines: Array<{ due: string; status: string }> }).deadlines.find((d) => d.status === 'overdue')!;
      const year = Number(deadline.due.slice(0, 4));

      await signIn('sf-reform');
      await page.getByRole('menuitem', { name: '年度考核' }).click();
      await page.getByRole('heading', { name: '年度考核' }).waitFor();
      expect(hash()).toBe('#/assessments');
      const yearBox = page.getByLabel('考核年度');
      await yearBox.fill(String(year));
      await yearBox.press('Tab');
      await page.getByRole('button', { name: `计算${year}年度考核` }).click();
      // rules/standard/assessment.rules: 考核 annual "年度改革落实考核".
      await page.getByText(`${year}年度 · 年度改革落实考核(示范省)`).waitFor();
      await noEnglishIds();
      await shot('03-assessment');

      // 发改委's 方案按期完成率 (S4, 30 points): its trace lists the central plan's deadline, not met.
      await page.getByRole('button', { name: /^示范省发展和改革委员会「方案按期完成率」.* 分:查看计分明细$/ }).click();
      const drawer = page.getByRole('dialog', { name: '示范省发展和改革委员会 · 方案按期完成率' });
      await drawer.waitFor();
      const record = drawer.getByRole('row', { name: new RegExp(CENTRAL) });
      await record.waitFor();
      const [y, m, d] = deadline.due.split('-').map(Number);
      expect(await record.innerText()).toMatch(new RegExp(`时限[\\s\\S]*${CENTRAL}[\\s\\S]*${y}年${m}月${d}日[\\s\\S]*逾期未完成[\\s\\S]*不计入`));
      // The score recomputed by hand from the trace: 30 × (records counted) / (records).
      const rows = await drawer.getByRole('table', { name: '计分明细' }).locator('tbody tr').allInnerTexts();
      const met = rows.filter((r) => r.includes('计入') && !r.includes('不计入')).length;
      expect(rows.length).toBeGreaterThan(0);
      const formula = await drawer.locator('tr', { hasText: '算式' }).innerText();
      expect(formula).toContain(`30 × ${met}/${rows.length} = ${Math.round((3000 * met) / rows.length) / 100}`);
      await noEnglishIds();
      await shot('04-trace');
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });

      // The naming list (H7): 发改委, for its deadline not met on schedule (S4).
      await page.getByRole('tab', { name: /通报名单/ }).click();
      const named = page.getByRole('table', { name: '通报名单' }).getByRole('row', { name: /示范省发展和改革委员会/ });
      expect(await named.innerText()).toMatch(/\d+ 个时限未按期完成\(S4\)[\s\S]*关于对接中央国资国企改革方案的实施方案/);
      await shot('05-named');

      // The workbook, as the API names it.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 Excel' }).click()]);
      expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
      const path = await download.path();
      expect(readFileSync(path).subarray(0, 2).toString()).toBe('PK');
    }));

  it('the reform office verifies the audit chain and reads its head hash and the trail', () =>
    failing('audit', async () => {
      await signIn('sf-reform');
      await page.getByRole('menuitem', { name: '审计' }).click();
      await page.getByRole('heading', { name: '审计', exact: true }).waitFor();
      expect(hash()).toBe('#/audit');
      await page.getByText(/^审计链完好:已核验 \d+ 条记录。$/).waitFor();
      const result = page.getByRole('region', { name: '核验结果' });
      const headSeq = Number(/第 (\d+) 条/.exec(await result.locator('tr', { hasText: '链头' }).first().innerText())![1]);
      const headHash = (await result.locator('tr', { hasText: '链头哈希' }).locator('code').innerText()).trim();
      expect(headHash).toMatch(/^[0-9a-f]{64}$/);
      // The head shown is the hash the trail holds for that row.
      const row = await as('sf-reform', 'GET', `/api/audit/entries?before=${headSeq + 1}&limit=1`);
      expect((row.json.rows as Array<{ seq: number; hash: string }>)[0]).toMatchObject({ seq: headSeq, hash: headHash });

      // The trail, newest first: the plans' registrations by 发改委, by title, linking to the plan.
      const entries = page.getByRole('table', { name: '审计记录' });
      const registered = entries.getByRole('row', { name: new RegExp(`登记方案.*${MAJOR}`) });
      await entries.getByRole('row', { name: /发出函件/ }).first().waitFor();
      // Twenty rows a page: further back, page by page, until the registration shows.
      for (let n = 2; n <= 10 && !(await registered.count()); n++) {
        await page.getByRole('button', { name: '下一页' }).click();
        await page.getByText(`第 ${n} 页`).waitFor();
        await page.waitForLoadState('networkidle');
      }
      expect(await registered.innerText()).toContain('示范省发展和改革委员会');
      expect(await registered.getByRole('link').getAttribute('href')).toBe(`#/plans/${major}`);
      await noEnglishIds();
      await shot('06-audit');
    }));
});
