import { useSyncExternalStore } from 'react';

/** The console's pages, by the URL's hash (#/, #/plans/<id>, #/workbench, #/calendar): the API serves one page for every path. */
export type Route = { page: 'todo' } | { page: 'plan'; planId: string } | { page: 'workbench' } | { page: 'calendar' };

export function parseRoute(hash: string): Route {
  const m = /^#\/plans\/([^/?#]+)/.exec(hash);
  if (m) return { page: 'plan', planId: decodeURIComponent(m[1]) };
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
