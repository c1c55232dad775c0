/**
 * The shipped holiday years have one source: `rules/calendar/<year>.holidays`, the text a
 * clerk reads and corrects. `libs/model/calendar/src/data/cn-<year>.json` is the artifact generated
 * from it (the workflow bundle imports JSON and does not parse text): this spec fails the
 * moment the two differ, and prints the JSON the text stands for, to be pasted over the old.
 */
import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileHolidays, formatHolidays } from './index';

const ROOT = join(__dirname, '../../..');
const SOURCES = join(ROOT, 'rules/calendar');
const files = readdirSync(SOURCES).filter((f) => f.endsWith('.holidays')).sort();

describe('the shipped holiday years', () => {
  it('are one text file a year, and every shipped year has one', () => {
    expect(files).toContain('2026.holidays');
    expect(files.map((f) => Number(f.replace('.holidays', '')))).toEqual(SHIPPED_HOLIDAYS.years.map((y) => y.year));
  });

  it.each(files)('%s reads without a diagnostic, is laid out canonically, and is exactly its JSON', (file) => {
    const text = readFileSync(join(SOURCES, file), 'utf8');
    const { value, diagnostics } = compileHolidays(text);
    expect(diagnostics).toEqual([]);
    expect(formatHolidays(text).value).toBe(text);

    const year = Number(file.replace('.holidays', ''));
    const json = JSON.parse(readFileSync(join(ROOT, `libs/model/calendar/src/data/cn-${year}.json`), 'utf8'));
    // On failure: the expected value below is the JSON to write into cn-<year>.json.
    expect(json).toStrictEqual(value);
    expect(SHIPPED_HOLIDAYS.years.find((y) => y.year === year)).toStrictEqual(value);
  });
});
