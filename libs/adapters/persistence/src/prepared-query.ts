import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

interface PgPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

export interface PreparedQueryOptions {
  /**
   * The values decide the good plan (a narrow date window against a wide one): the statement is
   * sent unnamed, so PostgreSQL plans it with this call's values every time and never falls back
   * to a generic plan that starts from the wrong index.
   */
  planWithValues?: boolean;
}

/**
 * A read whose statement is long to plan and run often (the ledger's list with its lights): on
 * PostgreSQL prepared by name on each connection, so the server parses it once per connection and
 * may keep its plan (plan_cache_mode auto: a generic plan once it costs no more than the custom
 * ones), where an unnamed statement is parsed and planned on every call; the name is a hash of the
 * text, so each distinct statement is prepared once per connection. SQLite's driver keeps its
 * prepared statements by text already: there it is ds.query. The rows come as ds.query gives them.
 */
export async function preparedQuery<T>(ds: DataSource, text: string, values: unknown[], options: PreparedQueryOptions = {}): Promise<T[]> {
  if (ds.options.type !== 'postgres' || options.planWithValues) return ds.query(text, values);
  const pool = (ds.driver as unknown as { master: PgPool }).master;
  const name = `q_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
  return (await pool.query({ name, text, values })).rows as T[];
}
