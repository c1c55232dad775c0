import { createHash, randomUUID } from 'node:crypto';
import type { Caller } from './plan-desk';

/**
 * Retried requests (issue 9: nothing is sent twice). The client's key is its request id
 * (`X-Request-Id`; the CLI gives each command its own): a request repeated with the same id by
 * the same user does what the first did, once.
 *
 * - What a request creates gets an id derived from (kind, user, request id, parts): a repeat
 *   finds it (a problem, a round, a round's task workflow, a meeting, an evidence file) instead
 *   of creating another. Without a request id, a fresh random id.
 * - What a request changes leaves an audit row with its request id, written in the change's own
 *   transaction (by the desk, or by the ledger write of the engine's act): that row is the
 *   request's receipt (AuditService.byRequest), and a repeat that finds it answers the state as
 *   it is, changing nothing.
 * - An engine act repeated before its ledger write landed is answered by the workflow itself
 *   (its latest answers by request id) and changes nothing there either.
 */
export function requestKeyedId(kind: string, caller: Caller, ...parts: string[]): string {
  return caller.requestId ? derivedUuid(kind, caller.principal.userId, caller.requestId, ...parts) : randomUUID();
}

/** A UUID (version 8: custom) derived from the parts: the same parts, the same id. */
export function derivedUuid(...parts: string[]): string {
  const h = createHash('sha256').update(JSON.stringify(parts)).digest('hex').split('');
  h[12] = '8';
  h[16] = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  const x = h.join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
