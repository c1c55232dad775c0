import type { HolidayYear } from '@reform/calendar';
import { UserError } from '@reform/config';
import { CalendarError, parseHolidayYear } from '@reform/persistence';
import { compileHolidays, Diagnostic } from '@reform/rules';

/** Parses JSON; a syntax error names its line and column. */
function parseJson(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message);
    if (!at) throw new UserError(`${name}: JSON 格式错误:${(e as Error).message}`);
    const before = text.slice(0, Number(at[1])).split('\n');
    throw new UserError(`${name}:${before.length}:${before[before.length - 1].length + 1}: JSON 格式错误`);
  }
}

/** Whether a file holds the older JSON format rather than the `.holidays` text: by its name, or by its first character. */
export const isHolidayJson = (name: string, text: string): boolean => /\.json$/i.test(name) || (!/\.holidays$/i.test(name) && /^\ufeff?\s*[{[]/.test(text));

/**
 * A year's holiday arrangements checked, as `reform calendar check|load` and the API's calendar
 * routes read them: a `.holidays` text file (rules/calendar/2026.holidays) gives positioned
 * diagnostics and the year when there is no error; the older JSON format is refused with a
 * UserError naming the line and column or the field.
 */
export function checkHolidayFile(name: string, text: string): { year?: HolidayYear; diagnostics: Diagnostic[] } {
  if (isHolidayJson(name, text)) {
    try {
      return { year: parseHolidayYear(parseJson(name, text)), diagnostics: [] };
    } catch (e) {
      if (e instanceof CalendarError) throw new UserError(e.issues.map((i) => `${name}: ${i.path}: ${i.message}`).join('\n'));
      throw e;
    }
  }
  const { value, diagnostics } = compileHolidays(text);
  return { year: value, diagnostics: diagnostics.map((d) => ({ ...d, file: name })) };
}
