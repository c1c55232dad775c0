import { useSyncExternalStore } from 'react';
import type { components } from './api/schema';

type TokenPair = components['schemas']['TokenPair'];

export interface SessionState {
  tokens: TokenPair | null;
  /** Who signed in last (drafts are kept per user). */
  username: string | null;
  /** Why the last session ended, for the login page. */
  notice: string | null;
}

const KEY = 'reform.session';

function load(): SessionState {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as SessionState | null;
    if (saved && typeof saved === 'object') return { tokens: saved.tokens ?? null, username: saved.username ?? null, notice: saved.notice ?? null };
  } catch {
    // A damaged entry: start signed out.
  }
  return { tokens: null, username: null, notice: null };
}

/** The signed-in session: tokens in sessionStorage (this tab only), listeners for React. */
function store() {
  let state = load();
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(next: Partial<SessionState>) {
      state = { ...state, ...next };
      sessionStorage.setItem(KEY, JSON.stringify(state));
      listeners.forEach((l) => l());
    },
    subscribe(l: () => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

export const session = store();

export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.get);
}

export function startSession(username: string, tokens: TokenPair): void {
  session.set({ username, tokens, notice: null });
}

/** Ends the session (the login page shows `notice`); the user's drafts stay. */
export function endSession(notice: string | null): void {
  session.set({ tokens: null, notice });
}

let refreshing: Promise<boolean> | null = null;

/** Exchanges the refresh token for new tokens, once however many requests ask at the same time. */
export function refreshTokens(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = session.get().tokens?.refreshToken;
    if (!refreshToken) return false;
    try {
      const res = await fetch('/api/auth/refresh', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshToken }) });
      if (!res.ok) return false;
      session.set({ tokens: (await res.json()) as TokenPair });
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}
