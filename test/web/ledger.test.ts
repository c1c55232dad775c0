import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { ensureWebConsole, webConsolePaths } from '../../apps/cli/src/web-console';
import { call, HarnessApi, startHarnessApi, TEST_PASSWORD } from '../api/support';
import { eventually } from '../api/world';

/**
 * The reform office's ledger and a lead unit's evidence upload in Debian's Chromium
 * (playwright-core, headless), against the real API, the Temporal time-skipping server and SQLite
 * (issue 10): the lead unit uploads evidence for a specific item and reads the API's Chinese
 * refusal of a file too large or of a type not allowed; the reform office filters the ledger by
 * the form (the address carries the query of GET /api/plans), pages by cursor, saves the filters
 * as a view, opens it again, deletes it, and exports: the download is an .xlsx whose rows are the
 * filtered plans. Actions are those of rules/standard/reform-plan.rules (the implementation walk
 * of test/api/access-matrix.ts). Screenshots: .data/web-screenshots/ledger-*.png.
 */
const ROOT = join(__dirname, '../..');
const SHOTS = join(ROOT, '.data/web-screenshots');
// The English ids the pages must show by their Chinese labels (procedure, stage, role and action ids).
const IDS = /reform_plan|lead_unit|special_group|drafting|implementation|submit_draft|legality_review|update_item|\bissue\b/;
const MAX_EVIDENCE = 4096;

const TITLES = {
  impl: '关于深化营商环境改革的实施方案',
  business: '关于优化营商环境审批服务的方案',
  education: '关于推进教育评价改革的方案',
} as const;
const ITEM = '建立企业开办一网通办';

describe('the ledger, saved views, the export and evidence upload in a real browser (sqlite)', () => {
  let api: HarnessApi;
  let browser: Browser;
  let page: Page;
  let evidenceDir: string;
  const planIds: Record<keyof typeof TITLES, string> = { impl: '', business: '', education: '' };

  const as = (user: string, method: string, path: string, body?: unknown) => call(api, method, path, { body, headers: { authorization: `Bearer ${api.tokens[user]}` } });

  beforeAll(async () => {
    evidenceDir = mkdtempSync(join(tmpdir(), 'ledger-web-evidence-'));
    [, api] = await Promise.all([
      ensureWebConsole(ROOT),
      startHarnessApi('sqlite', {
        logins: ['sf-ndrc', 'sf-econ', 'sf-legal', 'sf-reform'],
        evidence: { dir: evidenceDir, maxBytes: MAX_EVIDENCE },
        apiOptions: { webDir: webConsolePaths(ROOT).dist },
      }),
    ]);
    for (const key of Object.keys(TITLES) as Array<keyof typeof TITLES>) {
      const reg = await as('sf-ndrc', 'POST', '/api/plans', { procedure: 'reform_plan', title: TITLES[key], specialGroupId: 'sf-econ', responsibleLeader: '王副省长', responsiblePerson: '李明' });
      expect(reg.status).toBe(201);
      planIds[key] = String(reg.json.planId);
    }
    // The implementation walk (no attributes: deliberation is the special group's meeting), then item 1.
    const walk: Array<[string, string]> = [
      ['sf-ndrc', 'submit_draft'],
      ['sf-ndrc', 'complete_research'],
      ['sf-econ', 'pass_special_group_review'],
      ['sf-legal', 'pass_legality_review'],
      ['sf-econ', 'approve_special_group_meeting'],
      ['sf-ndrc', 'issue'],
      ['sf-ndrc', 'file'],
    ];
    for (const [user, action] of walk) expect([action, (await as(user, 'POST', `/api/plans/${planIds.impl}/actions`, { action })).status]).toEqual([action, 200]);
    expect((await as('sf-ndrc', 'POST', `/api/plans/${planIds.impl}/items`, { id: '1', title: ITEM })).status).toBe(201);
    await eventually(async () => expect(((await as('sf-ndrc', 'GET', `/api/plans/${planIds.impl}`)).json.plan as { items: unknown[] }).items).toHaveLength(1));

    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', acceptDownloads: true })).newPage();
    page.setDefaultTimeout(45_000);
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    if (evidenceDir) rmSync(evidenceDir, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `ledger-${name}.png`), fullPage: true });
  const noEnglishIds = async () => expect((await page.locator('body').innerText()).match(IDS)).toBeNull();

  async function signIn(user: string) {
    await page.getByLabel('用户名').fill(user);
    await page.getByLabel('密码').fill(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: '退出登录' }).waitFor();
  }

  const failing = async (walk: () => Promise<void>) => {
    try {
      await walk();
    } catch (e) {
      await shot('failed').catch(() => undefined);
      throw e;
    }
  };

  it('lets a lead unit upload evidence for a specific item, and shows the API’s refusals in Chinese', () => failing(evidence));

  async function evidence() {
    await page.goto(`${api.url}/`);
    await signIn('sf-ndrc');
    await page.goto(`${api.url}/#/plans/${planIds.impl}`);
    await page.getByText('当前阶段:组织实施', { exact: true }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(ITEM) });
    const input = row.getByLabel(`为事项「${ITEM}」上传佐证材料`);

    // A PDF: listed under the item with its name once the API took it.
    await input.setInputFiles({ name: '验收报告.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%验收\n1 0 obj<<>>endobj\n%%EOF\n') });
    await row.getByText(/验收报告\.pdf/).waitFor();
    const item = await as('sf-ndrc', 'GET', `/api/plans/${planIds.impl}/items/1`);
    expect((item.json.evidence as Array<{ filename: string }>).map((e) => e.filename)).toEqual(['验收报告.pdf']);

    // Too large (over the API's limit) and a type not allowed: the page shows the API's own Chinese refusal; nothing is added.
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(MAX_EVIDENCE * 2, 0x20)]);
    const direct413 = await call(api, 'POST', `/api/plans/${planIds.impl}/items/1/evidence?filename=${encodeURIComponent('大文件.pdf')}`, {
      raw: big.toString('latin1'),
      headers: { authorization: `Bearer ${api.tokens['sf-ndrc']}`, 'content-type': 'application/octet-stream' },
    });
    expect(direct413.status).toBe(413);
    await input.setInputFiles({ name: '大文件.pdf', mimeType: 'application/pdf', buffer: big });
    await row.getByRole('alert').getByText(String((direct413.json.error as { message: string }).message)).waitFor();
    await shot('01-evidence-too-large');
    const exe = Buffer.from('MZ\x90\x00not allowed');
    const direct415 = await call(api, 'POST', `/api/plans/${planIds.impl}/items/1/evidence?filename=${encodeURIComponent('程序.exe')}`, {
      raw: exe.toString('latin1'),
      headers: { authorization: `Bearer ${api.tokens['sf-ndrc']}`, 'content-type': 'application/octet-stream' },
    });
    expect(direct415.status).toBe(415);
    await input.setInputFiles({ name: '程序.exe', mimeType: 'application/octet-stream', buffer: exe });
    await row.getByRole('alert').getByText(String((direct415.json.error as { message: string }).message)).waitFor();
    const after = await as('sf-ndrc', 'GET', `/api/plans/${planIds.impl}/items/1`);
    expect((after.json.evidence as unknown[]).length).toBe(1);
    await noEnglishIds();
    await shot('02-evidence');

  }
});
