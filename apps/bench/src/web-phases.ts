import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Browser, Page, Response } from 'playwright-core';
import { distribution, Distribution } from './stats';

/**
 * The browser's side of bench:web: what the console's first load fetches (JS and CSS, raw and
 * gzipped), and how long the ledger page takes to show its rows, timed inside the page.
 */

/** How a fetched file reached the page: named by index.html (the entry and what it preloads) or loaded later (lazy). */
export type AssetKind = 'entry' | 'preloaded' | 'lazy';

export interface Asset {
  path: string;
  type: 'js' | 'css';
  kind: AssetKind;
  /** Bytes of the body as the page got it (decoded). */
  raw: number;
  /** The same body gzipped by the bench (node:zlib, level 9). */
  gzip: number;
  /** The Content-Encoding the API answered with (null: none, the body went uncompressed). */
  encoding: string | null;
}

export interface LoadStep {
  name: string;
  /** What the step did, in a few words. */
  what: string;
  assets: Asset[];
}

export interface FirstLoad {
  steps: LoadStep[];
  /** Whether any file came compressed from the API (gzip figures are then still the bench's own, for comparison). */
  servedCompressed: boolean;
}

export interface TimedRow {
  name: string;
  /** What was timed, from when to when. */
  what: string;
  /** The page: from the start to the rows in the table. */
  page: Distribution;
  /** The API's GET /api/plans of the same sample, as the browser's resource timing saw it (request start to response end). */
  api: Distribution;
  /** The same request's time to first byte (request sent to first byte of the answer: the server's own work and the network). */
  apiTtfb: Distribution;
  /** Per sample, page − API: what the page itself adds (rendering, the route, the other requests it waits for). */
  pageShare: Distribution;
  /** Per sample, from the start until the page sent GET /api/plans (the route, the page's first render, or the scripts of a page load). */
  beforeRequest: Distribution;
  /** Per sample, from the API's last byte until the rows were in the table (parsing the answer, rendering the rows). */
  afterResponse: Distribution;
  /** Rows the table showed (the API's page). */
  rows: number;
  /** Samples where the browser had no resource timing of the request (the API column leaves them out). */
  missingApi: number;
}

const LOGIN_TIMEOUT_MS = 60_000;
/** How long a page may take to show its rows before the sample counts as failed. */
export const ROWS_TIMEOUT_MS = 60_000;

/**
 * Installed in every page before its scripts (a string, so the bundler's helpers never reach the
 * browser): `__bench.waitRows(titles)` resolves when the ledger table shows exactly those titles
 * (and no loading mask), with the page's clock (performance.now()) at the DOM change that made it
 * so; `__bench.firstRows` is when the table first had rows since the document began (a page load's
 * own clock starts at its navigation); `__bench.apiTiming(path, query, since)` is the resource
 * timing of a request made since then.
 */
const IN_PAGE = `
(() => {
  const rowsOf = () => Array.from(document.querySelectorAll('.ant-table-wrapper tbody tr.ant-table-row')).map((tr) => ((tr.children[1] && tr.children[1].textContent) || '').trim());
  const busy = () => !!document.querySelector('.ant-table-wrapper .ant-spin-spinning');
  const bench = { firstRows: null };
  const watchFirst = () => {
    const first = new MutationObserver(() => {
      if (bench.firstRows === null && rowsOf().length && !busy()) {
        bench.firstRows = performance.now();
        first.disconnect();
      }
    });
    first.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
  };
  watchFirst();
  bench.rows = rowsOf;
  // Each answers the page's clock when it set things going, resource timings cleared just before.
  bench.go = (hash) => {
    performance.clearResourceTimings();
    const t = performance.now();
    window.location.hash = hash;
    return t;
  };
  bench.submit = () => {
    performance.clearResourceTimings();
    const t = performance.now();
    document.querySelector('form[aria-label="台账筛选"] button[type="submit"]').click();
    return t;
  };
  bench.waitRows = (titles, timeoutMs) =>
    new Promise((resolve) => {
      const done = () => {
        const rows = rowsOf();
        return !busy() && rows.length === titles.length && rows.every((t, i) => t === titles[i]);
      };
      if (done()) return resolve({ ok: true, at: performance.now() });
      const obs = new MutationObserver(() => {
        if (!done()) return;
        obs.disconnect();
        clearTimeout(timer);
        resolve({ ok: true, at: performance.now() });
      });
      obs.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
      const timer = setTimeout(() => {
        obs.disconnect();
        resolve({ ok: false, at: performance.now(), rows: rowsOf() });
      }, timeoutMs);
    });
  bench.apiTiming = (path, query, since) => {
    const want = new URLSearchParams(query);
    const same = (u) => {
      const got = new URL(u).searchParams;
      if ([...got.keys()].length !== [...want.keys()].length) return false;
      return [...want.keys()].every((k) => got.get(k) === want.get(k));
    };
    const hits = performance.getEntriesByType('resource').filter((e) => e.startTime >= since && new URL(e.name).pathname === path && same(e.name));
    const e = hits[hits.length - 1];
    return e ? { duration: e.responseEnd - e.startTime, ttfb: e.responseStart - e.requestStart, start: e.startTime } : null;
  };
  window.__bench = bench;
})();
`;

/** The console's index.html: which scripts and styles it names (the entry, and what it preloads). */
function entryFiles(indexHtml: string): Map<string, AssetKind> {
  const kinds = new Map<string, AssetKind>();
  for (const m of indexHtml.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) kinds.set(m[1], 'entry');
  for (const m of indexHtml.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)) kinds.set(m[1], 'entry');
  for (const m of indexHtml.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) if (!kinds.has(m[1])) kinds.set(m[1], 'preloaded');
  return kinds;
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  await context.addInitScript(IN_PAGE);
  const page = await context.newPage();
  page.setDefaultTimeout(LOGIN_TIMEOUT_MS);
  return page;
}

export async function signIn(page: Page, user: string, password: string): Promise<void> {
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(password);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: '退出登录' }).waitFor();
}

/** Waits for a page of the console to settle: no 正在加载… fallback, its heading, no request in flight. */
async function settle(page: Page, heading: string) {
  await page.getByRole('heading', { name: heading }).waitFor();
  await page.getByText('正在加载…').waitFor({ state: 'hidden' });
  await page.waitForLoadState('networkidle');
}

/**
 * The first load in a fresh browser context (empty cache): the login page, then 我的待办 after
 * signing in, then the ledger, the board and the workbench opened from the console in turn.
 * Each step lists the JS and CSS responses it fetched: a chunk two pages share is counted under
 * the first that loaded it.
 */
export async function measureFirstLoad(browser: Browser, url: string, distDir: string, user: string, password: string): Promise<FirstLoad> {
  const kinds = entryFiles(readFileSync(`${distDir}/index.html`, 'utf8'));
  const page = await newPage(browser);
  const steps: LoadStep[] = [];
  let current: LoadStep | undefined;
  const pending: Array<Promise<void>> = [];
  let servedCompressed = false;
  const onResponse = (r: Response) => {
    const type = r.request().resourceType();
    if (type !== 'script' && type !== 'stylesheet') return;
    const step = current;
    pending.push(
      (async () => {
        const body = await r.body();
        const path = new URL(r.url()).pathname;
        const encoding = (await r.allHeaders())['content-encoding'] ?? null;
        if (encoding) servedCompressed = true;
        step?.assets.push({ path, type: type === 'script' ? 'js' : 'css', kind: kinds.get(path) ?? 'lazy', raw: body.length, gzip: gzipSync(body, { level: 9 }).length, encoding });
      })(),
    );
  };
  page.on('response', onResponse);
  const step = async (name: string, what: string, go: () => Promise<void>) => {
    current = { name, what, assets: [] };
    await go();
    await Promise.all(pending.splice(0));
    current.assets.sort((a, b) => a.path.localeCompare(b.path));
    steps.push(current);
  };
  try {
    await step('login', 'the login page (/)', async () => {
      await page.goto(`${url}/`);
      await page.getByLabel('用户名').waitFor();
      await page.waitForLoadState('networkidle');
    });
    await step('todo', '我的待办 after signing in (#/)', async () => {
      await signIn(page, user, password);
      await settle(page, '我的待办');
    });
    for (const [name, hash, heading] of [
      ['ledger', '#/ledger', '方案台账'],
      ['board', '#/board', '领导看板'],
      ['workbench', '#/workbench', '规则工作台'],
    ] as const) {
      await step(name, `${heading} opened from the console (${hash})`, async () => {
        await page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
        await settle(page, heading);
      });
    }
  } finally {
    page.off('response', onResponse);
    await page.context().close();
  }
  return { steps, servedCompressed };
}

/** A ledger query: the query string of GET /api/plans (the ledger page's address after #/ledger?). */
export interface LedgerCase {
  name: string;
  query: Record<string, string>;
  /** Sets the form to this query (untimed), for the filter cases. */
  fill?: (page: Page) => Promise<void>;
}

interface Sample {
  page: number;
  /** The request's resource timing, its start on the sample's clock (0 = the sample's start). */
  api?: { duration: number; ttfb: number; start: number };
}

export interface LedgerTimingArgs {
  browser: Browser;
  url: string;
  user: string;
  password: string;
  samples: number;
  warmup: number;
  /** The titles of the API's answer to a query, in order (the rows the table must show). */
  expected: (query: Record<string, string>) => Promise<string[]>;
  log: (line: string) => void;
}

export interface LedgerTiming {
  rows: TimedRow[];
  problems: string[];
}

const search = (query: Record<string, string>) => new URLSearchParams(query).toString();

/**
 * The filters changed through the form, each from the unfiltered ledger (sorted by due date, so its
 * first page is overdue plans: 未逾期 is the overdue filter that changes the rows).
 */
export const FILTER_CASES: LedgerCase[] = [
  {
    name: 'filter level=city (层级 市级)',
    query: { level: 'city' },
    fill: async (page) => {
      await page.getByLabel('层级').click();
      await page.getByTitle('市级', { exact: true }).click();
    },
  },
  {
    name: 'filter overdue=false (是否逾期 未逾期)',
    query: { overdue: 'false' },
    fill: async (page) => {
      await page.getByLabel('是否逾期').click();
      await page.getByTitle('未逾期', { exact: true }).click();
    },
  },
];

/**
 * Times the ledger page in one signed-in browser context (its HTTP cache warm after the first
 * round, as a user's would be), each sample starting from a freshly loaded page so nothing the
 * console cached answers it:
 * - navigation: from 我的待办, the address set to #/ledger (what the menu's link does) until the
 *   table shows the API's first page;
 * - page load: #/ledger opened by its address (a new document: the scripts from the browser's
 *   cache, parsed and run again, signed in from the tab's session) until the rows show, on the
 *   page's own clock (from the navigation's start);
 * - each filter: on the unfiltered ledger, the form set (untimed), then from the click on 查询
 *   until the table shows the API's answer to the filtered query.
 * Beside each, the request GET /api/plans of that sample from the browser's resource timing.
 */
export async function measureLedger(args: LedgerTimingArgs): Promise<LedgerTiming> {
  const page = await newPage(args.browser);
  const problems: string[] = [];
  const rows: TimedRow[] = [];
  const all = await args.expected({});
  if (!all.length) throw new Error('the ledger is empty: the seed wrote no plans the reform office sees');

  const load = async (hash: string) => {
    await page.goto('about:blank');
    await page.goto(`${args.url}/${hash}`);
  };
  const rowsOrThrow = async (titles: string[], what: string, startedAt?: number) => {
    const r = await page.evaluate<WaitResult>(`window.__bench.waitRows(${JSON.stringify(titles)}, ${ROWS_TIMEOUT_MS})`);
    if (!r.ok) throw new Error(`${what}: the table did not show the API's ${titles.length} rows within ${ROWS_TIMEOUT_MS / 1000} s (it showed ${r.rows?.length ?? 0})`);
    return startedAt === undefined ? r.at : r.at - startedAt;
  };
  const apiOf = async (query: Record<string, string>, since: number): Promise<Sample['api']> => {
    const t = await page.evaluate<Sample['api'] | null>(`window.__bench.apiTiming('/api/plans', ${JSON.stringify(search(query))}, ${since})`);
    return t ? { ...t, start: t.start - since } : undefined;
  };

  const run = async (name: string, what: string, count: number, one: () => Promise<Sample>) => {
    for (let i = 0; i < args.warmup; i++) await one();
    const samples: Sample[] = [];
    for (let i = 0; i < count; i++) samples.push(await one());
    const withApi = samples.filter((s) => s.api);
    rows.push({
      name,
      what,
      page: distribution(samples.map((s) => s.page)),
      api: distribution(withApi.map((s) => s.api!.duration)),
      apiTtfb: distribution(withApi.map((s) => s.api!.ttfb)),
      pageShare: distribution(withApi.map((s) => s.page - s.api!.duration)),
      beforeRequest: distribution(withApi.map((s) => s.api!.start)),
      afterResponse: distribution(withApi.map((s) => s.page - s.api!.start - s.api!.duration)),
      rows: name.startsWith('filter') ? 0 : all.length,
      missingApi: samples.length - withApi.length,
    });
    args.log(`  ${name}: page p50 ${distribution(samples.map((s) => s.page)).p50.toFixed(1)} ms`);
  };

  try {
    await page.goto(`${args.url}/`);
    await signIn(page, args.user, args.password);

    await run('navigation to #/ledger', 'from 我的待办, location.hash = #/ledger (as the menu link) → the first page of rows in the table', args.samples, async () => {
      await load('#/');
      await page.getByRole('heading', { name: '我的待办' }).waitFor();
      await page.waitForLoadState('networkidle');
      const t0 = await page.evaluate<number>(`window.__bench.go('#/ledger')`);
      const ms = await rowsOrThrow(all, 'navigation to #/ledger', t0);
      return { page: ms, api: await apiOf({}, t0) };
    });

    await run('#/ledger by its address (page load)', 'a new document at /#/ledger (scripts from the browser cache, signed in by the tab\'s session): navigation start → the first page of rows', args.samples, async () => {
      await load('#/ledger');
      await rowsOrThrow(all, '#/ledger by its address');
      const first = await page.evaluate<number | null>('window.__bench.firstRows');
      if (first === null) throw new Error('#/ledger by its address: no time recorded for the first rows');
      return { page: first, api: await apiOf({}, 0) };
    });

    for (const c of FILTER_CASES) {
      const titles = await args.expected(c.query);
      if (!titles.length) problems.push(`${c.name}: the API answers no rows for ${search(c.query)} (the seed has none)`);
      if (titles.join('\n') === all.join('\n')) problems.push(`${c.name}: the filtered page has the same rows as the unfiltered one, so the sample cannot tell them apart`);
      const before = rows.length;
      await run(c.name, `on the unfiltered ledger, the form set to ${search(c.query)} (untimed), then the click on 查询 → the table shows the API's rows for it`, args.samples, async () => {
        await load('#/ledger');
        await rowsOrThrow(all, `${c.name}: the unfiltered ledger`);
        await c.fill!(page);
        const t0 = await page.evaluate<number>('window.__bench.submit()');
        const ms = await rowsOrThrow(titles, c.name, t0);
        const hash = new URL(page.url()).hash;
        if (hash !== `#/ledger?${search(c.query)}`) throw new Error(`${c.name}: the address is ${hash}, not #/ledger?${search(c.query)}`);
        return { page: ms, api: await apiOf(c.query, t0) };
      });
      if (rows.length > before) rows[rows.length - 1].rows = titles.length;
    }
  } finally {
    await page.context().close();
  }
  for (const r of rows) if (r.missingApi) problems.push(`${r.name}: ${r.missingApi} samples without the browser's resource timing of GET /api/plans`);
  return { rows, problems };
}

interface WaitResult {
  ok: boolean;
  at: number;
  rows?: string[];
}
