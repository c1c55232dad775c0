import type { paths } from '../api/schema';
import { ledgerHref as pageHref, type LedgerFilters as PageFilters } from '../ledger-query';

/**
 * Drill-down from the board to the ledger (`#/ledger?<query>`): `<query>` is exactly the query
 * string of `GET /api/plans`, so the ledger page asks the API what the board counted. The keys
 * are the API's own (the generated types): a filter the API does not know does not compile.
 */
export type LedgerFilters = NonNullable<paths['/api/plans']['get']['parameters']['query']>;

/**
 * The ledger page's link for these filters (`#/ledger?…`, `#/ledger` without any): written by the
 * ledger page's own ledgerHref, so the board links exactly as the page writes its address.
 */
export function ledgerHref(filters: LedgerFilters = {}): string {
  const page: PageFilters = {};
  for (const [key, value] of Object.entries(filters)) if (value !== undefined && value !== null && value !== '') page[key as keyof PageFilters] = String(value);
  return pageHref(page);
}

/** How the dashboard's progress groups plans (GET /api/dashboard/progress?by=). */
export type ProgressBy = 'unit' | 'area' | 'level';
export type Light = 'red' | 'yellow' | 'green';

/**
 * The ledger's filter for one row of progress (and one light of it): by unit the dashboard counts
 * the plans a unit leads (`leadUnit`, not `unit`, which also lists the plans it takes part in),
 * by area the special group's plans (`area`), by level the level's (`level`). A row without a key
 * (plans with no lead unit or group) has no filter the ledger takes: null.
 */
export function progressFilters(by: ProgressBy, key: string | null, light?: Light): LedgerFilters | null {
  if (key === null) return null;
  const base: LedgerFilters =
    by === 'unit' ? { leadUnit: key } : by === 'area' ? { area: key } : { level: key as NonNullable<LedgerFilters['level']> };
  return light ? { ...base, light } : base;
}

/** The ledger of the plans in one light (red: overdue; yellow: due soon or behind), as the board counts them. */
export const lightFilters = (light: Light): LedgerFilters => ({ light });
