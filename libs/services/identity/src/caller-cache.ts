import type { UserProfile } from '@reform/platform';

/** What a request needs to know of its caller beyond the access token: the session is live, and the user's profile (unit, roles). */
export interface CachedCaller {
  userId: string;
  /** Null when the session has ended (logged out, its refresh token reused) or the account is gone. */
  profile: UserProfile | null;
}

interface Entry extends CachedCaller {
  expires: number;
}

/**
 * The callers of this process, by login session (the refresh-token family an access token names),
 * kept for a few seconds so that a request does not read the session and the user's profile again
 * (three to four small queries) when the same session called a moment ago. What this process
 * changes it forgets at once (logout, refresh-token reuse, lockout, a user's roles or unit);
 * another process's changes reach it when the entry expires, so `ttlMs` is the staleness bound
 * across processes. `ttlMs` 0 keeps nothing.
 */
export class CallerCache {
  private readonly entries = new Map<string, Entry>();
  /** Entries kept at most; the oldest go first beyond it. */
  private readonly maxEntries: number;
  private forgets = 0;

  constructor(
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    maxEntries = 10_000,
  ) {
    this.maxEntries = maxEntries;
  }

  get(sessionId: string): CachedCaller | undefined {
    const e = this.entries.get(sessionId);
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return e;
  }

  /**
   * Counts what was forgotten: read it before reading a caller from the database and pass it to
   * `set`, so that a read which raced with a logout (or a role change) is not kept afterwards.
   */
  get version(): number {
    return this.forgets;
  }

  set(sessionId: string, caller: CachedCaller, readAtVersion: number = this.forgets): void {
    if (this.ttlMs <= 0 || readAtVersion !== this.forgets) return;
    this.entries.delete(sessionId);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(sessionId, { ...caller, expires: this.now() + this.ttlMs });
  }

  /** A session ended here (logout, refresh-token reuse). */
  forgetSession(sessionId: string): void {
    this.forgets++;
    this.entries.delete(sessionId);
  }

  /** Every session of a user whose account changed here (roles, unit, lockout). */
  forgetUser(userId: string): void {
    this.forgets++;
    for (const [id, e] of this.entries) if (e.userId === userId) this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
