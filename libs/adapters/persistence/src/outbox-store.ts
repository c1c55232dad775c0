import type { DataSource } from 'typeorm';
import { inWriteTurn } from './turns';

/** A delivery claimed by one deliverer under a lease, with what its notification says. */
export interface ClaimedDelivery {
  deliveryKey: string;
  letterId: string;
  unitId: string;
  unitName: string | null;
  attempts: number;
  number: string;
  kind: string;
  subject: string;
  issuedOn: string;
  limitDate: string | null;
  signBy: string | null;
  relation: string | null;
}

export interface OutboxCounts {
  pending: number;
  delivered: number;
  /** Pending rows that have failed at least once. */
  failing: number;
}

export interface OutboxRow {
  deliveryKey: string;
  letterId: string;
  unitId: string;
  state: string;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  deliveredAt: string | null;
}

interface OutboxRaw {
  delivery_key: string;
  letter_id: string;
  unit_id: string;
  state: string;
  attempts: number | string;
  next_attempt_at: string;
  last_error: string | null;
  delivered_at: string | null;
}

const outboxRow = (r: OutboxRaw): OutboxRow => ({
  deliveryKey: r.delivery_key,
  letterId: r.letter_id,
  unitId: r.unit_id,
  state: r.state,
  attempts: Number(r.attempts),
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  deliveredAt: r.delivered_at,
});

/** The rows an UPDATE … RETURNING answered: PostgreSQL's driver gives [rows, count], SQLite's the rows. */
export function returnedRows<T>(raw: unknown[]): T[] {
  return (raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number' ? raw[0] : raw) as T[];
}

/** The back-off before attempt n+1 after n failures: 2^(n-1) × base, at most `max`. */
export function backoffMs(failures: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
}

/**
 * The letters' outbox (letter_outbox): rows the letter store writes with each letter, claimed by
 * deliverers under a lease. A claim is one UPDATE whose WHERE requires the lease to have expired
 * (or never been taken), so of two deliverers racing for a row one gets it: on PostgreSQL the
 * second waits for the first's row lock and then finds the lease taken; SQLite runs one writer at
 * a time. A deliverer that dies holding a lease loses it when it expires; the row is claimed again
 * (the receiver deduplicates by the delivery key).
 */
export class OutboxStore {
  constructor(private readonly ds: DataSource) {}

  private get postgres(): boolean {
    return this.ds.options.type === 'postgres';
  }

  private ph(i: number): string {
    return this.postgres ? `$${i}` : '?';
  }

  /** Claims up to `limit` pending rows due by `now` whose lease has expired, for `leaseMs`. */
  claim(owner: string, now: Date, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
    const at = now.toISOString();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    return inWriteTurn(this.ds, async () => {
      const free = `state = 'pending' AND next_attempt_at <= ${this.ph(3)} AND (lease_until IS NULL OR lease_until < ${this.ph(4)})`;
      const raw: unknown[] = await this.ds.query(
        `UPDATE letter_outbox SET lease_owner = ${this.ph(1)}, lease_until = ${this.ph(2)}
         WHERE delivery_key IN (SELECT delivery_key FROM letter_outbox WHERE ${free} ORDER BY next_attempt_at LIMIT ${this.ph(5)})
           AND ${free}
         RETURNING delivery_key`,
        this.postgres ? [owner, until, at, at, limit] : [owner, until, at, at, limit, at, at],
      );
      const claimed = returnedRows<{ delivery_key: string }>(raw);
      if (!claimed.length) return [];
      return this.describe(claimed.map((c) => c.delivery_key));
    });
  }

  private async describe(keys: string[]): Promise<ClaimedDelivery[]> {
    const rows: Array<{
      delivery_key: string;
      letter_id: string;
      unit_id: string;
      unit_name: string | null;
      attempts: number | string;
      number: string;
      kind: string;
      subject: string;
      issued_on: string;
      limit_date: string | null;
      sign_by: string | null;
      relation: string | null;
    }> = await this.ds.query(
      `SELECT o.delivery_key, o.letter_id, o.unit_id, u.name AS unit_name, o.attempts, l.number, l.kind, l.subject, l.issued_on, l.limit_date, r.sign_by, r.relation
       FROM letter_outbox o JOIN letters l ON l.id = o.letter_id
       LEFT JOIN units u ON u.id = o.unit_id
       LEFT JOIN letter_recipients r ON r.letter_id = o.letter_id AND r.unit_id = o.unit_id
       WHERE o.delivery_key IN (${keys.map((_, i) => this.ph(i + 1)).join(', ')})
       ORDER BY o.delivery_key`,
      keys,
    );
    return rows.map((r) => ({
      deliveryKey: r.delivery_key,
      letterId: r.letter_id,
      unitId: r.unit_id,
      unitName: r.unit_name,
      attempts: Number(r.attempts),
      number: r.number,
      kind: r.kind,
      subject: r.subject,
      issuedOn: r.issued_on,
      limitDate: r.limit_date,
      signBy: r.sign_by,
      relation: r.relation,
    }));
  }

  /** The receiver accepted the delivery: done (only by the lease's holder); the last error, if any, stays to be seen. */
  delivered(key: string, owner: string, now: Date): Promise<void> {
    return inWriteTurn(this.ds, async () => {
      await this.ds.query(
        `UPDATE letter_outbox SET state = 'delivered', attempts = attempts + 1, delivered_at = ${this.ph(1)}, lease_owner = NULL, lease_until = NULL
         WHERE delivery_key = ${this.ph(2)} AND lease_owner = ${this.ph(3)}`,
        [now.toISOString(), key, owner],
      );
    });
  }

  /** The attempt failed: counted, the error kept, the next attempt at `next`, the lease given up. */
  failed(key: string, owner: string, error: string, next: Date): Promise<void> {
    return inWriteTurn(this.ds, async () => {
      await this.ds.query(
        `UPDATE letter_outbox SET attempts = attempts + 1, last_error = ${this.ph(1)}, next_attempt_at = ${this.ph(2)}, lease_owner = NULL, lease_until = NULL
         WHERE delivery_key = ${this.ph(3)} AND lease_owner = ${this.ph(4)} AND state = 'pending'`,
        [error.slice(0, 2000), next.toISOString(), key, owner],
      );
    });
  }

  async counts(): Promise<OutboxCounts> {
    const rows: Array<{ state: string; failing: number | string; n: number | string }> = await this.ds.query(
      `SELECT state, CASE WHEN attempts > 0 THEN 1 ELSE 0 END AS failing, COUNT(*) AS n FROM letter_outbox GROUP BY state, CASE WHEN attempts > 0 THEN 1 ELSE 0 END`,
    );
    const out: OutboxCounts = { pending: 0, delivered: 0, failing: 0 };
    for (const r of rows) {
      if (r.state === 'delivered') out.delivered += Number(r.n);
      else {
        out.pending += Number(r.n);
        if (Number(r.failing) === 1) out.failing += Number(r.n);
      }
    }
    return out;
  }

  /** Undelivered rows, the longest waiting first (for the operator). */
  async undelivered(limit: number): Promise<OutboxRow[]> {
    const rows: OutboxRaw[] = await this.ds.query(
      `SELECT delivery_key, letter_id, unit_id, state, attempts, next_attempt_at, last_error, delivered_at FROM letter_outbox
       WHERE state = 'pending' ORDER BY created_at, delivery_key LIMIT ${this.ph(1)}`,
      [limit],
    );
    return rows.map(outboxRow);
  }

  /** Every row (tests and the operator's look at one letter). */
  async forLetter(letterId: string): Promise<OutboxRow[]> {
    const rows: OutboxRaw[] = await this.ds.query(
      `SELECT delivery_key, letter_id, unit_id, state, attempts, next_attempt_at, last_error, delivered_at FROM letter_outbox WHERE letter_id = ${this.ph(1)} ORDER BY unit_id`,
      [letterId],
    );
    return rows.map(outboxRow);
  }
}
