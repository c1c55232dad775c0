import { useSyncExternalStore } from 'react';

/** The console's pages, by the URL's hash (#/, #/plans/<id>, #/ledger?…, #/problems …): the API serves one page for every path. */
export type Route =
  | { page: 'todo' }
  | { page: 'plan'; planId: string }
  | { page: 'ledger'; search: string }
  | { page: 'board' }
  | { page: 'assessments' }
  | { page: 'audit' }
  | { page: 'workbench' }
  | { page: 'calendar' }
  | OfficeRoute;

/** The problem library (its filters in the query), a problem, the supervision rounds, a round, the inbox. */
export type OfficeRoute = { page: 'problems'; query: string } | { page: 'problem'; problemId: string } | { page: 'rounds' } | { page: 'round'; roundId: string } | { page: 'inbox' };

function officeRoute(hash: string): OfficeRoute | null {
  const one = /^#\/(problems|rounds)\/([^/?#]+)/.exec(hash);
  if (one) return one[1] === 'problems' ? { page: 'problem', problemId: decodeURIComponent(one[2]) } : { page: 'round', roundId: decodeURIComponent(one[2]) };
  const list = /^#\/(problems|rounds|inbox)(?:\?([^#]*))?$/.exec(hash);
  if (!list) return null;
  return list[1] === 'problems' ? { page: 'problems', query: list[2] ?? '' } : { page: list[1] as 'rounds' | 'inbox' };
}

export function parseRoute(hash: string): Route {
  const m = /^#\/plans\/([^/?#]+)/.exec(hash);
  if (m) return { page: 'plan', planId: decodeURIComponent(m[1]) };
  const ledger = /^#\/ledger(?:\?(.*))?$/.exec(hash);
  if (ledger) return { page: 'ledger', search: ledger[1] ?? '' };
  const office = officeRoute(hash);
  if (office) return office;
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
