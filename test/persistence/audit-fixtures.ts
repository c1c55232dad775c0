import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** The prev_hash of the first row, as the store documents it: 64 zeros. */
export const ZEROS = '0'.repeat(64);

/** SHA-256 in hex of a canonical JSON text written out by hand in a test. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Runs SQL as someone with rights on the database would to rewrite history: the append-only
 * triggers are taken off first (SQLite: dropped, PostgreSQL: disabled) and put back afterwards,
 * as they were, so nothing in the schema shows what was done.
 */
export async function tamper(ds: DataSource, statements: string[]): Promise<void> {
  if (ds.options.type === 'postgres') {
    await ds.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
    for (const s of statements) await ds.query(s);
    await ds.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
    return;
  }
  const triggers: Array<{ name: string; sql: string }> = await ds.query(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'`);
  if (triggers.length !== 2) throw new Error(`expected the two append-only triggers, found ${triggers.map((t) => t.name).join(', ')}`);
  for (const t of triggers) await ds.query(`DROP TRIGGER ${t.name}`);
  for (const s of statements) await ds.query(s);
  for (const t of triggers) await ds.query(t.sql);
}

/** Swaps the places (seq) of two rows, leaving everything else as it was. */
export function swapSeq(a: number, b: number): string[] {
  return [`UPDATE audit_log SET seq = -1 WHERE seq = ${a}`, `UPDATE audit_log SET seq = ${a} WHERE seq = ${b}`, `UPDATE audit_log SET seq = ${b} WHERE seq = -1`];
}
