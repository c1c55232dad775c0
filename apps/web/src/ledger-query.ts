import type { paths } from './api/schema';
/**
 * The ledger page's address (`#/ledger?<query>`): the query is exactly that of `GET /api/plans`,
 * so a link from elsewhere (the leaders' board drilling down) opens the ledger filtered, and the
 * page writes its filters back into the address. Pure: no React, no DOM.
 */

/** The parameters of `GET /api/plans` the page knows, in the order it writes them. */
export const LEDGER_PARAMS = [
  'text',
  'unit',
  'leadUnit',
  'area',
  'level',
  'region',
  'procedure',
  'stage',
  'status',
  'light',
  'overdue',
  'dueWithinDays',
  'ruleId',
  'lateSigning',
  'actionable',
  'sort',
  'direction',
  'limit',
  'cursor',
] as const;
export type LedgerParam = (typeof LEDGER_PARAMS)[number];
type ApiLedgerParam = keyof NonNullable<paths['/api/plans']['get']['parameters']['query']>;
type NoneLeft<T extends never> = T;
/**
 * Every parameter GET /api/plans takes is one the page knows: a new one that is not does not
 * compile (the parameters left over must be none). A type only: nothing of it runs.
 */
export type EveryApiParamKnown = NoneLeft<Exclude<ApiLedgerParam, LedgerParam>>;

/** The filters as the address carries them: each a non-empty string. */
export type LedgerFilters = Partial<Record<LedgerParam, string>>;

/** What a saved view keeps and the export sends: the filters without the page (limit, cursor). */
export const PAGE_PARAMS: readonly LedgerParam[] = ['limit', 'cursor'];

const known = new Set<string>(LEDGER_PARAMS);

/** The filters of a query string (with or without its `?`); unknown and empty parameters are left out. */
export function parseLedgerQuery(search: string): LedgerFilters {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const out: LedgerFilters = {};
  for (const [key, raw] of params) {
    const value = raw.trim();
    if (known.has(key) && value !== '') out[key as LedgerParam] = value;
  }
  return out;
}

/** The query string of the filters (no `?`), parameters in LEDGER_PARAMS order, empty ones left out. */
export function ledgerQueryString(filters: LedgerFilters): string {
  const params = new URLSearchParams();
  for (const key of LEDGER_PARAMS) {
    const value = filters[key]?.trim();
    if (value) params.set(key, value);
  }
  return params.toString();
}

/** The ledger page's address for these filters. */
export function ledgerHref(filters: LedgerFilters = {}): string {
  const q = ledgerQueryString(filters);
  return q ? `#/ledger?${q}` : '#/ledger';
}

/** The filters without the page: what a view keeps and what the export sends. */
export function withoutPage(filters: LedgerFilters): LedgerFilters {
  const out: LedgerFilters = { ...filters };
  for (const key of PAGE_PARAMS) delete out[key];
  return out;
}

/**
 * The filters after the form changed some of them: a changed filter starts again from the first
 * page (a cursor belongs to one query), empty values are removed.
 */
export function applyFilters(current: LedgerFilters, changed: LedgerFilters): LedgerFilters {
  const next: LedgerFilters = withoutPage(current);
  if (current.limit) next.limit = current.limit;
  for (const key of LEDGER_PARAMS) {
    if (!(key in changed) || PAGE_PARAMS.includes(key)) continue;
    const value = changed[key]?.trim();
    if (value) next[key] = value;
    else delete next[key];
  }
  return next;
}

/** The next page: the same filters with the page's `nextCursor`. */
export function nextPage(current: LedgerFilters, cursor: string): LedgerFilters {
  return { ...current, cursor };
}

/** The filters as the API's query object (the typed client takes strings for every field). */
export function asApiQuery(filters: LedgerFilters): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v !== '')) as Record<string, string>;
}
