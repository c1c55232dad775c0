import type { DataSource } from 'typeorm';

/**
 * SQLite gives a process one connection, and a transaction cannot begin inside another: every
 * store writing on the same data source takes turns. PostgreSQL gives each transaction its own
 * connection from the pool, so there the work runs at once.
 */
const turns = new WeakMap<DataSource, Promise<unknown>>();

/** Runs `work` (which opens its own transaction) once every earlier write on this SQLite data source has ended. */
export function inWriteTurn<T>(ds: DataSource, work: () => Promise<T>): Promise<T> {
  if (ds.options.type === 'postgres') return work();
  const result = (turns.get(ds) ?? Promise.resolve()).then(work, work);
  turns.set(
    ds,
    result.catch(() => undefined),
  );
  return result;
}
