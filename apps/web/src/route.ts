import { useSyncExternalStore } from 'react';

/** The console's pages, by the URL's hash (#/, #/plans/<id>, #/ledger?…, #/workbench …): the API serves one page for every path. */
export type Route = { page: 'todo' } | { page: 'plan'; planId: string } | { page: 'ledger'; search: string } | { page: 'board' } | { page: 'assessments' } | { page: 'audit' } | { page: 'workbench' } | { page: 'calendar' };

export function parseRoute(hash: string): Route {
  const m = /^#\/plans\/([^/?#]+)/.exec(hash);
  if (m) return { page: 'plan', planId: decodeURIComponent(m[1]) };
  const ledger = /^#\/ledger(?:\?(.*))?$/.exec(hash);
  if (ledger) return { page: 'ledger', search: ledger[1] ?? '' };
  const named = /^#\/(board|assessments|audit)(?:[/?]|$)/.exec(hash);
  if (named) return { page: named[1] as 'board' | 'assessments' | 'audit' };
  if (/^#\/workbench\b/.test(hash)) return { page: 'workbench' };
  if (/^#\/calendar\b/.test(hash)) return { page: 'calendar' };
  return { page: 'todo' };
}

const subscribe = (l: () => void) => {
  window.addEventListener('hashchange', l);
  return () => window.removeEventListener('hashchange', l);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}

export const planHref = (planId: string) => `#/plans/${encodeURIComponent(planId)}`;
