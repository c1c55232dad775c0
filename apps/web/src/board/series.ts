import type { Schemas } from '../api/client';
import { chineseMonth } from '../format';
import type { Light } from './drill';

/**
 * The board's charts from the dashboard's answers (GET /api/dashboard/*): pure, so the numbers a
 * chart draws are tested without a browser. Everything a user reads is Chinese: lights by their
 * names, months as 2026年3月 (format.ts), letter kinds by the API's labels.
 */

export const LIGHTS: Light[] = ['red', 'yellow', 'green'];
export const LIGHT_NAME: Record<Light, string> = { red: '红灯(逾期)', yellow: '黄灯(临近到期或进度落后)', green: '绿灯' };
export const LIGHT_COLOR: Record<Light, string> = { red: '#cf1322', yellow: '#faad14', green: '#389e0d' };

type ProgressRow = Schemas['DashboardProgress']['rows'][number];

/** Progress as stacked bars: one category per row (its label), one series per light, in the rows' order. */
export function progressSeries(rows: ProgressRow[]): { categories: string[]; keys: Array<string | null>; series: Array<{ light: Light; name: string; color: string; data: number[] }> } {
  return {
    categories: rows.map((r) => r.label),
    keys: rows.map((r) => r.key),
    series: LIGHTS.map((light) => ({ light, name: LIGHT_NAME[light], color: LIGHT_COLOR[light], data: rows.map((r) => r.lights[light]) })),
  };
}


type LetterRow = Schemas['DashboardLetters']['rows'][number];

/**
 * Letters of a year by month and kind: the twelve months of the year (months without letters
 * count 0), one series per kind that occurs, named by the API's Chinese label, in order of
 * first appearance.
 */
export function letterSeries(year: number, rows: LetterRow[]): { months: string[]; labels: string[]; series: Array<{ kind: string; name: string; data: number[] }>; total: number } {
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
  const kinds = new Map<string, { name: string; data: number[] }>();
  let total = 0;
  for (const r of rows) {
    const i = months.indexOf(r.month);
    if (i < 0) continue;
    let s = kinds.get(r.kind);
    if (!s) kinds.set(r.kind, (s = { name: r.kindLabel, data: months.map(() => 0) }));
    s.data[i] += r.count;
    total += r.count;
  }
  return { months, labels: months.map(chineseMonth), series: [...kinds].map(([kind, s]) => ({ kind, ...s })), total };
}

type TrendRow = Schemas['DashboardTrends']['rows'][number];

/** Trends by month: items completed, letters issued, problems found, as three lines. */
export function trendSeries(rows: TrendRow[]): { labels: string[]; series: Array<{ name: string; data: number[] }> } {
  return {
    labels: rows.map((r) => chineseMonth(r.month)),
    series: [
      { name: '完成事项', data: rows.map((r) => r.itemsCompleted) },
      { name: '发出函件', data: rows.map((r) => r.letters) },
      { name: '发现问题', data: rows.map((r) => r.problemsFound) },
    ],
  };
}

/** A rate in per cent as read: 62.5%; without anything counted (null) a dash. */
export function rateText(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${rate}%`;
}
