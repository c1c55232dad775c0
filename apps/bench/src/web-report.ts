import type { BenchDb } from './api-options';
import { f, int, table } from './text-table';
import type { Asset, FirstLoad, TimedRow } from './web-phases';
import type { WebBenchOptions } from './web-options';

export interface WebDbResult {
  db: BenchDb;
  seed: { plans: number; items: number; ms: number; how: string };
  ledger: TimedRow[];
  problems: string[];
}

export interface WebBenchResults {
  bench: 'web';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  options: WebBenchOptions;
  environment: Record<string, unknown>;
  /** How the console was built before the run ('built' or 'current', as ensureWebConsole says). */
  build?: string;
  firstLoad?: FirstLoad;
  databases: WebDbResult[];
  problems: string[];
}

const kib = (bytes: number) => f(bytes / 1024, 1);
const sum = (assets: Asset[], pick: (a: Asset) => boolean, key: 'raw' | 'gzip') => assets.filter(pick).reduce((s, a) => s + a[key], 0);

function firstLoadSummary(load: FirstLoad): string {
  const out: string[] = [];
  out.push('## First load (a fresh browser context: empty cache), JS and CSS the page fetched, KiB');
  out.push(
    load.servedCompressed
      ? 'Some files came compressed from the API (Content-Encoding); "gzip" is still the bench\'s own (node:zlib, level 9) of the decoded body.'
      : 'The API serves the files uncompressed (no Content-Encoding): "raw" is what went over the wire, "gzip" what gzip (node:zlib, level 9, done by the bench) would send.',
  );
  const rows: string[][] = [];
  let total: Asset[] = [];
  for (const s of load.steps) {
    total = total.concat(s.assets);
    const js = (a: Asset) => a.type === 'js';
    const css = (a: Asset) => a.type === 'css';
    rows.push([
      s.name,
      String(s.assets.length),
      kib(sum(s.assets, js, 'raw')),
      kib(sum(s.assets, js, 'gzip')),
      kib(sum(s.assets, css, 'raw')),
      kib(sum(s.assets, css, 'gzip')),
      kib(sum(total, () => true, 'raw')),
      kib(sum(total, () => true, 'gzip')),
    ]);
  }
  out.push(table(['step (what it added)', 'files', 'JS raw', 'JS gzip', 'CSS raw', 'CSS gzip', 'so far raw', 'so far gzip'], rows));
  out.push(load.steps.map((s) => `  ${s.name}: ${s.what}`).join('\n'));
  out.push('');
  const first = load.steps.filter((s) => s.name === 'login' || s.name === 'todo').flatMap((s) => s.assets);
  const byKind = (k: Asset['kind']) => first.filter((a) => a.kind === k);
  out.push(
    table(
      ['first load (login + 我的待办)', 'files', 'raw', 'gzip'],
      (['entry', 'preloaded', 'lazy'] as const).map((k) => [k === 'entry' ? 'entry chunk (index.html <script>)' : k === 'preloaded' ? 'its static imports (index.html modulepreload)' : 'loaded lazily (neither)', String(byKind(k).length), kib(sum(byKind(k), () => true, 'raw')), kib(sum(byKind(k), () => true, 'gzip'))]),
    ),
  );
  out.push('');
  out.push(table(['step', 'file', 'kind', 'raw', 'gzip'], load.steps.flatMap((s) => s.assets.map((a) => [s.name, a.path.replace(/^\/assets\//, ''), a.kind, kib(a.raw), kib(a.gzip)]))));
  const empty = load.steps.filter((s) => s.name !== 'login' && !s.assets.length).map((s) => s.name);
  if (empty.length) out.push(`No JS or CSS of its own (everything it needs came with an earlier step): ${empty.join(', ')}.`);
  return out.join('\n');
}

function ledgerSummary(d: WebDbResult): string {
  const out: string[] = [];
  out.push(`## Ledger page, ${d.db}: ${int(d.seed.plans)} plans (${int(d.seed.items)} items) seeded in ${f(d.seed.ms / 1000, 1)} s`);
  out.push(`ms; page = in Chromium, from the start to the DOM change that put the expected rows in the table; API = the same sample's GET /api/plans from the browser's resource timing (request start → response end; TTFB: request sent → first byte); page − API per sample, split into "to request" (start → the page sent the request) and "after answer" (the API's last byte → rows in the table).`);
  out.push(
    table(
      ['timing', 'n', 'page p50', 'page p95', 'API p50', 'API p95', 'API TTFB p50', 'page − API p50', 'page − API p95', 'to request p50', 'after answer p50', 'rows'],
      d.ledger.map((r) => [
        r.name,
        String(r.page.count),
        f(r.page.p50),
        f(r.page.p95),
        f(r.api.p50),
        f(r.api.p95),
        f(r.apiTtfb.p50),
        f(r.pageShare.p50),
        f(r.pageShare.p95),
        f(r.beforeRequest.p50),
        f(r.afterResponse.p50),
        String(r.rows),
      ]),
    ),
  );
  out.push(d.ledger.map((r) => `  ${r.name}: ${r.what}`).join('\n'));
  if (d.problems.length) out.push(`Problems:\n${d.problems.map((p) => `  - ${p}`).join('\n')}`);
  return out.join('\n');
}

export function webSummary(r: WebBenchResults): string {
  const env = r.environment;
  const out: string[] = [];
  out.push(`# bench:web ${r.startedAt} (${f(r.durationMs / 1000, 0)} s)`);
  out.push(
    `git ${String(env.gitHead ?? '?')}, ${String(env.cpus)} × ${String(env.cpuModel)}, node ${String(env.node)}, ${String(env.chromium ?? 'Chromium ?')}; load average at start ${String(env.loadAverage)}, at the end ${String(env.loadAverageEnd ?? '?')}; console ${r.build ?? '?'} (ensureWebConsole); samples ${r.options.samples} (+${r.options.warmup} warm-up)`,
  );
  out.push('');
  if (r.firstLoad) out.push(firstLoadSummary(r.firstLoad), '');
  for (const d of r.databases) out.push(ledgerSummary(d), '');
  if (r.problems.length) out.push(`Problems:\n${r.problems.map((p) => `  - ${p}`).join('\n')}`);
  return out.join('\n').trimEnd();
}
