import { addMonths, localDateAt, LocalDate } from '@reform/calendar';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { ensureWebConsole, webConsolePaths } from '../../apps/cli/src/web-console';
import { call, HarnessApi, standardRulesFiles, startHarnessApi, TEST_PASSWORD } from '../api/support';
import { chineseDate } from '../support/dates';

/**
 * The rules workbench in Debian's Chromium (playwright-core, headless) against the real API over
 * the Temporal time-skipping server and SQLite (issue 10): the province's reform office opens the
 * published pilot procedure (rules/standard/pilot.rules), changes its half-year evaluation from
 * 6 to 4 months, makes a typing mistake and sees the diagnostic at that line, fixes it, compares
 * with what is published, simulates (the letters of a running pilot move two months earlier),
 * publishes version 2 after confirming, and migrates the pilot to it with the wizard (dry run,
 * then apply); on the calendar page a year's file with a day that does not exist is pointed at,
 * fixed by typing and loaded. Screenshots: .data/web-screenshots/.
 */
const ROOT = join(__dirname, '../..');
const SHOTS = join(ROOT, '.data/web-screenshots');
const TITLE = '关于开展营商环境创新试点的方案';
// The pilot's deadline as rules/standard/pilot.rules writes it, and the edit.
const DEADLINE_LABEL = '试点半年阶段性评估';
const OLD_LINE = '  期限 6 个月';
const NEW_LINE = '  期限 4 个月';
// English ids of the procedure that must show as their Chinese labels (file names such as pilot.rules are fine; the rules text in the editor is code).
const IDS = /\bpilot\b(?!\.rules)|lead_unit|reform_office|special_group|phase_evaluation|pilot_summary|pilot_started|evaluation_submitted|\brunning\b|final_evaluation/;

describe('the rules workbench in a real browser (sqlite)', () => {
  let api: HarnessApi;
  let browser: Browser;
  let page: Page;
  let planId: string;
  let started: LocalDate;

  beforeAll(async () => {
    [, api] = await Promise.all([ensureWebConsole(ROOT), startHarnessApi('sqlite', { logins: ['sf-ndrc', 'sf-reform'], apiOptions: { webDir: webConsolePaths(ROOT).dist } })]);
    // A pilot started today (the server's clock), registered by its lead unit through the API.
    started = localDateAt(await api.h.env.currentTimeMs());
    const reg = await call(api, 'POST', '/api/plans', {
      headers: { authorization: `Bearer ${api.tokens['sf-ndrc']}` },
      body: { procedure: 'pilot', title: TITLE, specialGroupId: 'sf-econ', participatingUnitIds: [], responsibleLeader: '王副省长', responsiblePerson: '李明', startEvents: { pilot_started: started } },
    });
    expect(reg.status).toBe(201);
    planId = String(reg.json.planId);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })).newPage();
    page.setDefaultTimeout(45_000);
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `workbench-${name}.png`), fullPage: true });
  /**
   * The text a user reads: the page without the editors' and merge view's contents (rules source
   * is code, ids and all) and without what takes no room on screen (antd's selects keep a listbox
   * of their values, 0×0, for screen readers, which read its options' labels).
   */
  const pageText = () =>
    page.evaluate<string>(`(() => {
      const hidden = [...document.body.querySelectorAll('[role="listbox"]')].filter((e) => e.getBoundingClientRect().width === 0);
      hidden.forEach((e) => e.setAttribute('data-unseen', ''));
      const b = document.body.cloneNode(true);
      hidden.forEach((e) => e.removeAttribute('data-unseen'));
      b.querySelectorAll('.cm-editor, .cm-mergeView, [data-unseen]').forEach((e) => e.remove());
      document.documentElement.appendChild(b);
      const t = b.innerText;
      b.remove();
      return t;
    })()`);
  const noEnglishIds = async () => {
    const text = await pageText();
    const m = IDS.exec(text);
    expect(m ? `${text.slice(Math.max(0, m.index - 60), m.index)}[[${m[0]}]]${text.slice(m.index + m[0].length, m.index + 40)}` : null).toBeNull();
  };
  const as = (user: string, method: string, path: string, body?: unknown) => call(api, method, path, { body, headers: { authorization: `Bearer ${api.tokens[user]}` } });
  const panel = () => page.getByRole('region', { name: '检查结果' });
  const line = (text: string) => page.locator('.cm-content[aria-label="规则文件 pilot.rules"] .cm-line', { hasText: new RegExp(`^\\s*${text.trim()}\\s*$`) });

  it('changes a deadline with a diagnostic on the way, simulates, publishes and migrates a plan', async () => {
    try {
      await walk();
    } catch (e) {
      await shot('failed').catch(() => undefined);
      throw e;
    }
  });

  async function walk() {
    const source = standardRulesFiles().find((f) => f.name === 'pilot.rules')!.text;
    const lineNo = source.split('\n').indexOf(OLD_LINE) + 1;
    expect(lineNo).toBeGreaterThan(0);

    await page.goto(`${api.url}/`);
    await page.getByLabel('用户名').fill('sf-reform');
    await page.getByLabel('密码').fill(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '我的待办' }).waitFor();

    // The reform office's menu leads to the workbench; the pilot procedure is chosen.
    await page.getByRole('link', { name: '规则工作台' }).click();
    await page.getByRole('heading', { name: '规则工作台' }).waitFor();
    await page.getByRole('combobox', { name: '流程' }).click();
    await page.locator('.ant-select-item-option', { hasText: '改革试点' }).click();
    const editor = page.locator('.cm-content[aria-label="规则文件 pilot.rules"]');
    await editor.getByText('程序 pilot "改革试点"').waitFor();
    // Checked as loaded (one procedure of the ruleset): nothing to report.
    const clean = '没有发现问题';
    await panel().getByText(clean).waitFor();
    await noEnglishIds();
    await shot('01-opened');

    // To the deadline's line by keyboard (CodeMirror draws only the lines in view).
    await editor.click();
    await page.keyboard.press('Control+Home');
    for (let i = 1; i < lineNo; i++) await page.keyboard.press('ArrowDown');
    await line(OLD_LINE).waitFor();
    // Typing: 6 个月 becomes 4 个越 (a slip), and the checker points at that very line.
    await page.keyboard.press('End');
    for (let i = 0; i < '6 个月'.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.insertText('4 个越');
    const where = `pilot.rules:${lineNo}:`;
    const row = panel().getByRole('row', { name: new RegExp(where) });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/错误[\s\S]*未知的词「个越」/);
    // The editor marks the mistake on that line (CodeMirror's lint range), and nowhere else.
    await line('  期限 4 个越').locator('.cm-lintRange-error').waitFor();
    expect(await page.locator('.cm-lintRange-error').count()).toBe(1);
    expect(await page.getByRole('button', { name: '发布…' }).isDisabled()).toBe(true);
    await noEnglishIds();
    await shot('02-mistake');

    // Fixed: 个越 → 个月; no diagnostic is left.
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.insertText('个月');
    await line(NEW_LINE).waitFor();
    await panel().getByText(clean).waitFor();
    expect(await page.locator('.cm-lintRange-error').count()).toBe(0);

    // Two spaces too many before the clause; 排版 lays the file out as rules/standard is kept (the canonical layout).
    await page.keyboard.press('Home');
    await page.keyboard.insertText('  ');
    expect(await line(NEW_LINE).textContent()).toBe(`  ${NEW_LINE}`);
    await page.getByRole('button', { name: '排版' }).click();
    await page.getByText('已排版 1 个文件').waitFor();
    expect(await line(NEW_LINE).textContent()).toBe(NEW_LINE);

    // The session ends elsewhere (logged out: its refresh token is dead too) while the edit is unpublished: the next
    // request (the comparison) cannot be refreshed, the login page says so, and signing in again brings the edit back.
    const refreshToken = (JSON.parse((await page.evaluate<string | null>("sessionStorage.getItem('reform.session')")) ?? '{}') as { tokens?: { refreshToken: string } }).tokens?.refreshToken;
    expect((await call(api, 'POST', '/api/auth/logout', { body: { refreshToken } })).status).toBe(204);
    await page.getByRole('button', { name: '与已发布版本比较' }).click();
    await page.getByText('登录已过期,请重新登录;未提交的内容已保留。').waitFor();
    await shot('03a-session-ended');
    await page.getByLabel('密码').fill(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByText('已恢复上次未发布的修改').waitFor();
    // The edited line, as it was typed (scrolled to: CodeMirror draws only the lines in view).
    await editor.click();
    await page.keyboard.press('Control+Home');
    for (let i = 1; i < lineNo; i++) await page.keyboard.press('ArrowDown');
    await line(NEW_LINE).waitFor();
    expect(await page.getByRole('combobox', { name: '流程' }).locator('xpath=ancestor::div[contains(@class,"ant-select")][1]').innerText()).toContain('改革试点');

    // A reload brings it back too, on the procedure that was open.
    await page.reload();
    await page.getByText('已恢复上次未发布的修改').waitFor();
    expect(await page.getByRole('combobox', { name: '流程' }).locator('xpath=ancestor::div[contains(@class,"ant-select")][1]').innerText()).toContain('改革试点');

    // The diff against what is published: the one change, as `reform rules diff` words it.
    await page.getByRole('button', { name: '与已发布版本比较' }).click();
    const diff = page.getByRole('region', { name: '与已发布版本的差异' });
    await diff.getByText(`时限「${DEADLINE_LABEL}」期限:6个月 → 4个月`).waitFor();
    // The merge view beside it, in Chinese too (CodeMirror's phrases).
    await page.locator('.cm-mergeView').getByText(/\d+ 行未改动/).first().waitFor();
    expect(await page.locator('.cm-mergeView').innerText()).not.toMatch(/unchanged/);
    await noEnglishIds();
    await shot('03-diff');

    // The explanation in Chinese names the deadline with its new limit.
    await page.getByRole('button', { name: '中文说明' }).click();
    await page.getByRole('region', { name: '中文说明' }).getByText(new RegExp(`${DEADLINE_LABEL}.*4个月内`)).waitFor();
    await noEnglishIds();

    // Simulation over the running plans: the pilot's letters for the deadline move from six to four months after its start.
    await page.getByRole('button', { name: '模拟运行中的方案' }).click();
    const sim = page.getByRole('region', { name: '模拟结果' });
    const reminder = sim.getByRole('row', { name: new RegExp(`${TITLE}.*${DEADLINE_LABEL}.*提醒函.*改期`) });
    await reminder.first().waitFor();
    const oldDue = chineseDate(addMonths(started, 6).date);
    const newDue = chineseDate(addMonths(started, 4).date);
    expect(await reminder.first().innerText()).toMatch(new RegExp(`${oldDue}[\\s\\S]*${newDue}`));
    await noEnglishIds();
    await shot('04-simulated');

    // Publish, after confirming what goes out.
    await page.getByRole('button', { name: '发布…' }).click();
    const confirm = page.getByRole('dialog', { name: '确认发布' });
    await confirm.getByText(`时限「${DEADLINE_LABEL}」期限:6个月 → 4个月`).waitFor();
    await shot('05-confirm-publish');
    await confirm.getByRole('button', { name: '确认发布' }).click();
    await page.getByText('「改革试点」第2版已发布').waitFor();
    const versions = await as('sf-reform', 'GET', '/api/procedures/pilot/versions');
    expect((versions.json.versions as Array<{ version: number }>).map((v) => v.version)).toEqual([1, 2]);

    // The migration wizard: the pilot, version 2, deadlines recomputed; a dry run, then apply.
    await page.getByRole('button', { name: '方案迁移向导…' }).click();
    const wizard = page.getByRole('dialog', { name: '方案迁移向导' });
    await wizard.getByRole('combobox', { name: '迁移哪些方案' }).click();
    await page.locator('.ant-select-item-option', { hasText: TITLE }).click();
    expect(await wizard.getByRole('combobox', { name: '迁移到的版本' }).locator('xpath=ancestor::div[contains(@class,"ant-select")][1]').innerText()).toContain('第2版');
    await wizard.getByRole('button', { name: '预演' }).click();
    const dry = wizard.getByRole('row', { name: new RegExp(TITLE) });
    await dry.waitFor();
    expect(await dry.innerText()).toMatch(new RegExp(`第1版 → 第2版[\\s\\S]*${DEADLINE_LABEL}:改期\\(${oldDue} → ${newDue}\\)[\\s\\S]*待迁移`));
    expect(await wizard.innerText()).toContain('未改动任何方案');
    // Nothing moved yet.
    const before = await as('sf-reform', 'GET', `/api/plans/${planId}`);
    expect((before.json.plan as { procedure: { version: number } }).procedure.version).toBe(1);
    await noEnglishIds();
    await shot('06-dry-run');
    await wizard.getByRole('button', { name: '执行迁移' }).click();
    await wizard.getByText('已迁移 1 个方案').waitFor();
    await wizard.getByText('已迁移', { exact: true }).waitFor();
    await shot('07-migrated');
    const why = await as('sf-reform', 'GET', `/api/plans/${planId}/why?deadline=phase_evaluation`);
    expect((why.json.deadlines as Array<{ due: string; procedure: { version: number } }>)[0]).toEqual(expect.objectContaining({ due: addMonths(started, 4).date, procedure: expect.objectContaining({ version: 2 }) }));
    await wizard.getByRole('button', { name: '完成' }).click();

    // The holiday calendar: the years in force; a file with a day that does not exist is pointed at, fixed by typing, and loaded.
    await page.getByRole('link', { name: '节假日安排' }).click();
    await page.getByRole('heading', { name: '节假日安排' }).waitFor();
    const inForce = page.getByRole('table').first();
    await inForce.getByRole('row', { name: /2026年.*随系统提供/ }).waitFor();
    const holidays = readFileSync(join(ROOT, 'rules/calendar/2026.holidays'), 'utf8');
    const holidaySource = '国务院办公厅关于2026年部分节假日安排的通知(改革办重新载入)';
    const broken = holidays.replace(/^依据 .*$/m, `依据 "${holidaySource}"`).replace('2月15日 至 2月23日', '2月15日 至 2月30日');
    const badLine = broken.split('\n').findIndex((l) => l.includes('2月30日')) + 1;
    await page.locator('input[type=file]').setInputFiles({ name: '2026.holidays', mimeType: 'text/plain', buffer: Buffer.from(broken) });
    const calendarPanel = page.getByRole('region', { name: '检查结果' });
    await calendarPanel.getByRole('row', { name: new RegExp(`2026\\.holidays:${badLine}:`) }).waitFor();
    const holidayLine = page.locator('.cm-content[aria-label="节假日安排文件"] .cm-line', { hasText: '2月30日' });
    await holidayLine.locator('.cm-lintRange-error').waitFor();
    expect(await page.getByRole('button', { name: '载入…' }).isDisabled()).toBe(true);
    await noEnglishIds();
    await shot('08-calendar-mistake');
    await holidayLine.click();
    await page.keyboard.press('End');
    for (let i = 0; i < '30日'.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.insertText('23日');
    const passed = page.getByRole('region', { name: '检查通过的安排' });
    await passed.getByText(`2026年:${holidays.split('\n').filter((l) => l.startsWith('节假日 ')).length} 个假期`).waitFor();
    await page.getByRole('button', { name: '载入…' }).click();
    await page.getByRole('dialog', { name: '确认载入' }).getByRole('button', { name: '确认载入' }).click();
    await page.getByText(/已载入 2026 年节假日安排;已通知运行中的方案/).waitFor();
    await page.getByRole('dialog', { name: '确认载入' }).waitFor({ state: 'hidden' });
    await inForce.getByRole('row', { name: new RegExp(`2026年.*${holidaySource.replace(/[()()]/g, '.')}.*载入`) }).waitFor();
    const years = (await as('sf-reform', 'GET', '/api/calendar')).json.years as Array<{ year: number; source: string; loadedAt: string | null }>;
    expect(years.find((y) => y.year === 2026)).toEqual(expect.objectContaining({ source: holidaySource, loadedAt: expect.any(String) }));
    await page.setViewportSize({ width: 1920, height: 1080 });
    await noEnglishIds();
    await shot('09-calendar-loaded');

    // A lead unit has neither page: no menu item, and the address says whose pages they are.
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByLabel('用户名').fill('sf-ndrc');
    await page.getByLabel('密码').fill(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByText('规则工作台和节假日安排供改革办使用').waitFor();
    expect(await page.getByRole('link', { name: '规则工作台' }).count()).toBe(0);
    await shot('10-not-for-lead-unit');
  }
});
