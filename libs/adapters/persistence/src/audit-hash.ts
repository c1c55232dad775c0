import { createHash } from 'node:crypto';

/**
 * Canonical JSON, the one text the audit chain hashes: object keys sorted by UTF-16 code units
 * (JavaScript's default sort), no whitespace, strings and numbers written as JSON.stringify writes
 * them, array order kept, properties whose value is undefined left out (as JSON.stringify does).
 * For the values audit rows hold this is RFC 8785 (JSON Canonicalization Scheme): JCS also sorts
 * by UTF-16 code units and formats numbers as ECMAScript does. Non-finite numbers and bigints have
 * no JSON form and are refused rather than silently turned into null.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no form for the number ${value}`);
      return JSON.stringify(value);
    case 'object': {
      const withJson = value as { toJSON?: () => unknown };
      if (typeof withJson.toJSON === 'function') return canonicalJson(withJson.toJSON());
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined || typeof v === 'function' ? 'null' : canonicalJson(v))).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined && typeof v !== 'function')
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON has no form for a ${typeof value}`);
  }
}

/** The prev_hash of the first row: 64 zeros (no row before it). */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit row its hash covers: every stored column but the hash itself. */
export interface AuditHashedFields {
  seq: number;
  at: string;
  actorUserId: string | null;
  actorName: string | null;
  actorUnitId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  /** Canonical JSON text, as stored (hashed as that string, not re-parsed). */
  before: string | null;
  after: string | null;
  requestId: string | null;
  prevHash: string;
}

/**
 * hash = lower-case hex SHA-256 of the UTF-8 bytes of canonicalJson({ action, actorName,
 * actorUnitId, actorUserId, after, at, before, prevHash, requestId, seq, targetId, targetType }),
 * with absent values as null (never left out), so a row's hash covers its place (seq), its
 * content and the row before it (prevHash).
 */
export function auditHash(f: AuditHashedFields): string {
  const fields: AuditHashedFields = {
    seq: f.seq,
    at: f.at,
    actorUserId: f.actorUserId ?? null,
    actorName: f.actorName ?? null,
    actorUnitId: f.actorUnitId ?? null,
    action: f.action,
    targetType: f.targetType,
    targetId: f.targetId ?? null,
    before: f.before ?? null,
    after: f.after ?? null,
    requestId: f.requestId ?? null,
    prevHash: f.prevHash,
  };
  return createHash('sha256').update(canonicalJson(fields), 'utf8').digest('hex');
}
