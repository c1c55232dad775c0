import type { AuditService } from '@reform/audit';
import type { AuthEvent } from '@reform/identity';

/**
 * Writes a login event to the audit trail: who and what, never a password or a token. The API
 * and the CLI both sign users in through AuthService and hand its events here; the login awaits
 * the write before it answers (so the trail shows it at once), and `onError` hears of one that failed.
 */
export function auditAuthEvent(audit: AuditService, e: AuthEvent, onError: (action: string, error: string) => void): Promise<void> {
  const userId = 'userId' in e ? e.userId : undefined;
  // The user's unit, as every other audit row carries the actor's.
  const actor = userId ? { userId, name: 'username' in e ? e.username : userId, unitId: ('unitId' in e ? e.unitId : undefined) ?? null } : null;
  const after: Record<string, unknown> =
    e.type === 'login_failed' ? { username: e.username, knownUser: e.knownUser } : e.type === 'account_locked' ? { lockedUntil: e.lockedUntil.toISOString() } : {};
  const requestId = 'meta' in e ? e.meta.requestId : undefined;
  return audit
    .record({ action: `auth.${e.type}`, actor, target: { type: 'user', id: userId ?? null }, after, requestId, at: e.at })
    .then(
      () => undefined,
      (err: unknown) => onError(`auth.${e.type}`, err instanceof Error ? err.message : String(err)),
    );
}
