import type { DataSource } from 'typeorm';

/**
 * SQLite gives a process one connection, and a transaction cannot begin inside another: every
 * store on the same data source takes turns (the letters and the ledger alike).
 */
const turns = new WeakMap<DataSource, Promise<unknown>>();

/** Runs `work` after every earlier turn on this SQLite data source; on PostgreSQL at once. */
export function inTurn<T>(ds: DataSource, work: () => Promise<T>): Promise<T> {
  if (ds.options.type === 'postgres') return work();
  const result = (turns.get(ds) ?? Promise.resolve()).then(work, work);
  turns.set(ds, result.catch(() => undefined));
  return result;
}
