import { EntitySchema } from 'typeorm';

const codeOf = (e: unknown): string | undefined => {
  const err = e as { code?: string; driverError?: { code?: string } };
  return err?.driverError?.code ?? err?.code;
};

/** A unique or primary-key constraint refused the write (PostgreSQL 23505, SQLite's constraint codes). */
export function isUniqueViolation(e: unknown): boolean {
  const code = codeOf(e);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** A write the store refuses whatever the attempt: retrying cannot help. The message says what, in Chinese. */
export class PermanentWriteError extends Error {
  override readonly name = 'PermanentWriteError';
}

/**
 * Whether a failed write can never succeed as it is: refused by the store's own checks, or by
 * the database for its data (PostgreSQL classes 22 data exception and 23 integrity constraint,
 * e.g. 22001 value too long; SQLite constraint and too-big codes). Connection and lock errors
 * are not: they pass, and a retry may succeed.
 */
export function isPermanentWriteError(e: unknown): boolean {
  if (e instanceof PermanentWriteError) return true;
  const code = codeOf(e);
  if (!code) return false;
  return /^2[23][0-9A-Z]{3}$/.test(code) || code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_TOOBIG' || code === 'SQLITE_MISMATCH';
}

/** A permanent failure as an operator reads it: the store's own message, or the database's with its code. */
export function describeWriteError(e: unknown): string {
  if (e instanceof PermanentWriteError) return e.message;
  const message = e instanceof Error ? e.message : String(e);
  return `数据库拒绝写入(${codeOf(e) ?? '未知错误码'}):${message}`;
}

/**
 * Checks a row against the lengths of the entity's columns before it is written, so a value too
 * long is refused the same way on SQLite (which does not enforce lengths) as on PostgreSQL, and
 * the message names the field.
 */
export function checkColumnLengths<T extends object>(entity: EntitySchema<T>, row: T, what: string): void {
  for (const [key, column] of Object.entries(entity.options.columns) as Array<[string, { name?: string; length?: number | string }]>) {
    const value = (row as Record<string, unknown>)[key];
    const limit = column?.length === undefined ? undefined : Number(column.length);
    if (limit === undefined || typeof value !== 'string' || value.length <= limit) continue;
    throw new PermanentWriteError(`${what}的字段 ${key}(${column.name ?? key})长 ${value.length} 个字符,超过数据库上限 ${limit}:${value.slice(0, 40)}…`);
  }
}
