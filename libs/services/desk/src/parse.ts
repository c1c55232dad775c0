import { FieldError } from '@reform/config';
import { z } from 'zod';

/**
 * Parses input with the schema the API validated it with already; a caller that skipped that
 * (the CLI) gets the first bad field, by its path (`whole` names the input itself: 请求体, 查询).
 */
export function parse<S extends z.ZodType>(schema: S, value: unknown, whole = '请求体'): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  throw new FieldError(first.path.map(String).join('.') || whole, first.message);
}
