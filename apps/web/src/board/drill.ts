import type { paths } from '../api/schema';

/**
 * Drill-down from the board to the ledger (`#/ledger?<query>`): `<query>` is exactly the query
 * string of `GET /api/plans`, so the ledger page asks the API what the board counted. The keys
 * are the API's own (the generated types): a filter the API does not know does not compile.
 */
export type LedgerFilters = NonNullable<paths['/api/plans']['get']['parameters']['query']>;

/** The order keys are written in (the API's own order), so the same filters give the same link. */
const ORDER: Array<keyof LedgerFilters> = [
  'unit',
  'leadUnit',
  'area',
  'level',
  'region',
  'procedure',
  'stage',
  'status',
  'overdue',
  'dueWithinDays',
  'ruleId',
  'lateSigning',
  'light',
  'text',
  'sort',
  'direction',
  'limit',
  'cursor',
];

/** The query string of GET /api/plans for these filters (no leading `?`; empty values left out). */
export function ledgerQuery(filters: LedgerFilters): string {
  const q = new URLSearchParams();
  const keys = [...ORDER, ...(Object.keys(filters) as Array<keyof LedgerFilters>).filter((k) => !ORDER.includes(k)).sort()];
  for (const key of keys) {
    const value = filters[key];
    if (value === undefined || value === null || value === '') continue;
    q.append(key, String(value));
  }
  return q.toString();
}

/** The ledger page's link for these filters: `#/ledger?…` (`#/ledger` without any). */
export function ledgerHref(filters: LedgerFilters = {}): string {
  const query = ledgerQuery(filters);
  return query ? `#/ledger?${query}` : '#/ledger';
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
