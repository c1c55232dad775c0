import { localDateAt } from '@reform/calendar';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { ensureWebConsole, webConsolePaths } from '../../apps/cli/src/web-console';
import { call, HarnessApi, startHarnessApi, TEST_PASSWORD } from '../api/support';
import { chineseDate } from '../support/dates';
import { DB_KINDS, DbKind } from '../support/db';

/**
 * The web console in Debian's Chromium (playwright-core, headless), served by the real API over
 * the Temporal time-skipping server and each database (SQLite, PostgreSQL: this story is the
 * console's one that runs on both; the other browser files run on SQLite): a lead unit signs in by keyboard, finds its plan in
 * 我的待办, follows the plan's path, takes an action, is refused (409) when it tries to issue the
 * plan before the reviews and reads why with the rule id, and, its session ended elsewhere, signs
 * in again to find its half-filled form as it left it. Labels and rule ids are those of
 * rules/standard/reform-plan.rules and common.rules. Screenshots: .data/web-screenshots/.
 */
const ROOT = join(__dirname, '../..');
const SHOTS = join(ROOT, '.data/web-screenshots');
const TITLE = '关于深化营商环境改革的实施方案';
// The English ids of the procedure the pages must show by their Chinese labels.
const IDS = /reform_plan|lead_unit|special_group|drafting|submit_draft|complete_research|legality_review|\bissue\b/;

describe.each(DB_KINDS)('the web console in a real browser (%s)', (kind: DbKind) => {
  let api: HarnessApi;
  let browser: Browser;
  let page: Page;
  let planId: string;

  beforeAll(async () => {
    // Built once (nothing to do when apps/web/dist is newer than its sources), as `reform start` does, while the API starts.
    [, api] = await Promise.all([ensureWebConsole(ROOT), startHarnessApi(kind, { logins: ['sf-ndrc'], apiOptions: { webDir: webConsolePaths(ROOT).dist } })]);
    const reg = await call(api, 'POST', '/api/plans', {
      headers: { authorization: `Bearer ${api.tokens['sf-ndrc']}` },
      body: { procedure: 'reform_plan', title: TITLE, specialGroupId: 'sf-econ', participatingUnitIds: [], responsibleLeader: '王副省长', responsiblePerson: '李明' },
    });
    expect(reg.status).toBe(201);
    planId = String(reg.json.planId);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })).newPage();
    // Each wait may take a while on a loaded machine (an act is a workflow Update); the test as a whole stays within jest's limit.
    page.setDefaultTimeout(45_000);
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  // SQLite's screenshots keep their names; PostgreSQL's are prefixed.
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${kind === 'sqlite' ? '' : `${kind}-`}${name}.png`), fullPage: true });
  const form = (label: string) => page.locator(`form[aria-label="${label}"]`);
  const noEnglishIds = async () => expect((await page.locator('body').innerText()).match(IDS)).toBeNull();

  async function signIn() {
    await page.getByLabel('用户名').fill('sf-ndrc');
    await page.getByLabel('用户名').press('Tab');
    await page.keyboard.type(TEST_PASSWORD);
    await page.keyboard.press('Enter');
  }

  it('a lead unit signs in, acts, is refused with the reason and rule id, and keeps its form through an ended session', async () => {
    try {
      await walk();
    } catch (e) {
      // The page as it was when the test failed, beside the others.
      await shot('failed').catch(() => undefined);
      throw e;
    }
  });

  async function walk() {
    // The console at / (served by the API), the login page; signing in by keyboard.
    await page.goto(`${api.url}/`);
    await page.getByRole('heading', { name: '改革落实闭环' }).waitFor();
    await shot('01-login');
    await signIn();

    // 我的待办: the new plan, its light, what can be done now.
    await page.getByRole('heading', { name: '我的待办' }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(TITLE) });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/绿灯[\s\S]*方案起草[\s\S]*提交方案稿/);
    await noEnglishIds();
    await shot('02-todo');

    // The plan as a guided procedure: the path, with the stages this plan skips greyed with why.
    await row.getByRole('link', { name: TITLE }).click();
    await page.getByRole('heading', { name: TITLE }).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/plans/${planId}`);
    await page.getByText('当前阶段:方案起草', { exact: true }).waitFor();
    await page.getByText('本方案不适用:仅适用于涉及多个部门的方案').waitFor();
    expect(await page.locator('.ant-steps-item', { hasText: '改革办审核' }).innerText()).toContain('本方案不适用:仅适用于(重大改革方案 或 对接中央改革方案 或 省级以上改革试点 或 以党委文件印发)的方案');
    await noEnglishIds();
    await shot('03-plan');

    // An action: the draft goes to research.
    await form('提交方案稿').getByRole('button', { name: '提交方案稿' }).click();
    await page.getByText('当前阶段:调查研究', { exact: true }).waitFor();

    // Issuing now, from the path, skips the reviews: the engine refuses (409) and the page says why, with the rule.
    await page.getByRole('button', { name: '印发方案' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: '印发方案' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    const why = await refusal.innerText();
    expect(why).toContain('流程不允许此操作');
    expect(why).toMatch(/「印发方案」属于「印发出台」阶段,当前处于「调查研究」阶段;须先完成:.*合法合规性审查\(A8\)/);
    expect(why).toContain('依据 A8');
    await noEnglishIds();
    await shot('04-refused');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // An access token the API no longer takes (expired): the console refreshes it and carries on, signed in.
    // (Run in the page: the test's own types know no DOM.)
    type Stored = { tokens?: { accessToken: string; refreshToken: string } };
    const stored = async () => JSON.parse((await page.evaluate<string | null>("sessionStorage.getItem('reform.session')")) ?? '{}') as Stored;
    await page.evaluate(`(() => {
      const s = JSON.parse(sessionStorage.getItem('reform.session') ?? '{}');
      sessionStorage.setItem('reform.session', JSON.stringify({ ...s, tokens: { ...s.tokens, accessToken: 'expired.access.token' } }));
    })()`);
    await page.reload();
    await page.getByText('当前阶段:调查研究', { exact: true }).waitFor();
    expect((await stored()).tokens?.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect((await stored()).tokens?.accessToken).not.toBe('expired.access.token');

    // A half-filled form: the business date (the server's today) typed into 完成调查研究.
    const today = chineseDate(localDateAt(await api.h.env.currentTimeMs()));
    const date = form('完成调查研究').getByPlaceholder('今天');
    await date.fill(today);
    await date.press('Tab');
    expect(await date.inputValue()).toBe(today);

    // The session ends elsewhere (logged out: its refresh token is dead too): the next request cannot be refreshed.
    expect((await call(api, 'POST', '/api/auth/logout', { body: { refreshToken: (await stored()).tokens?.refreshToken } })).status).toBe(204);
    await form('完成调查研究').getByRole('button', { name: '完成调查研究' }).click();
    await page.getByText('登录已过期,请重新登录;未提交的内容已保留。').waitFor();
    await shot('05-session-ended');

    // Signed in again: the same plan, the form as it was left; it goes through now.
    await signIn();
    await page.getByText('当前阶段:调查研究', { exact: true }).waitFor();
    expect(await form('完成调查研究').getByPlaceholder('今天').inputValue()).toBe(today);
    await form('完成调查研究').getByRole('button', { name: '完成调查研究' }).click();
    // Not cross-department, public, technical or risky: the plan goes straight to the special group's review (A7 stages skipped).
    await page.getByText('当前阶段:专项小组审核', { exact: true }).waitFor();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await noEnglishIds();
    await shot('06-plan-1920');
  }
});
