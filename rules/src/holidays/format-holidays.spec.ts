import { checkHolidayYear, HolidayYearSchema, SHIPPED_HOLIDAYS } from '@reform/calendar';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rangeAt } from '../diagnostics';
import { compileHolidays, formatHolidays, parseHolidays, printHolidayYear } from './index';

const SHIPPED = readFileSync(join(__dirname, '../../calendar/2026.holidays'), 'utf8');
// Full-width punctuation as escapes, so that no editor can quietly turn it into ASCII.
const FW = { colon: '\uff1a', comma: '\uff0c', hash: '\uff03', semicolon: '\uff1b' };

describe('formatting a holiday file', () => {
  it('lays a file out canonically, keeping comments and one blank line between groups', () => {
    const text = `\ufeff# 头\r\n\r\n\r\n年份${FW.colon}２０２６年   # 今年\r\n依据 通知\n\n\n节假日\t"春节" 2月15日到23日\n调休上班 春节调休 2月14号${FW.comma}28日\n节假日 "国庆节、中秋节" 2026年10月1日 — 8日\n\n`;
    expect(formatHolidays(text)).toEqual({
      value: [
        '# 头',
        '',
        '年份 2026  # 今年',
        '依据 "通知"',
        '',
        '节假日 春节 2月15日 至 2月23日',
        '调休上班 春节调休 2月14日、2月28日',
        '节假日 "国庆节、中秋节" 2026年10月1日 至 2026年10月8日',
        '',
      ].join('\n'),
      diagnostics: [],
    });
  });

  it('does not lay out a file it cannot read, and says why', () => {
    expect(formatHolidays('年份 2026\n节日 元旦 1月1日\n')).toMatchObject({ value: undefined, diagnostics: [{ code: 'unknown-keyword', range: { line: 2, column: 1 } }] });
  });

  it('lays out a file whose dates are wrong (that is for the check to say)', () => {
    expect(formatHolidays('年份 2026\n依据 x\n节假日 春节 2月30日\n').value).toBe('年份 2026\n依据 "x"\n节假日 春节 2月30日\n');
  });

  it('prints a year of data as a file that reads back to it', () => {
    for (const year of SHIPPED_HOLIDAYS.years) {
      const text = printHolidayYear(year);
      expect(compileHolidays(text)).toStrictEqual({ value: year, diagnostics: [] });
      expect(formatHolidays(text).value).toBe(text);
    }
    expect(printHolidayYear(SHIPPED_HOLIDAYS.years[0])).toBe(SHIPPED.replace(/^# 这是.*\n# .*\n/m, '').replace('\n\n', '\n'));
  });
});

// ---------------------------------------------------------------------------------------------
// Properties, over random text, mutations of the shipped year and generated files.

/** What must hold of any text: no throw, every diagnostic inside it at the right line and column, a value only when it is right. */
function wellBehaved(text: string): void {
  const { value, diagnostics } = compileHolidays(text);
  for (const d of diagnostics) {
    expect(d.range.offset).toBeGreaterThanOrEqual(0);
    expect(d.range.length).toBeGreaterThanOrEqual(0);
    expect(d.range.offset + d.range.length).toBeLessThanOrEqual(text.length);
    const at = rangeAt(text, d.range.offset);
    expect([d.range.line, d.range.column]).toEqual([at.line, at.column]);
    expect(d.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(d.message.length).toBeGreaterThan(0);
  }
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (value) {
    expect(errors).toEqual([]);
    expect(HolidayYearSchema.parse(value)).toEqual(value);
    expect(checkHolidayYear(value)).toEqual([]);
  } else {
    expect(errors.length).toBeGreaterThan(0);
  }
}

/** Formatting: idempotent, and the formatted file reads to the same year with the same kinds of problem. */
function formatsFaithfully(text: string): void {
  const formatted = formatHolidays(text).value;
  if (formatted === undefined) return;
  expect(formatHolidays(formatted)).toEqual({ value: formatted, diagnostics: [] });
  const before = compileHolidays(text);
  const after = compileHolidays(formatted);
  expect(after.value).toStrictEqual(before.value);
  expect(after.diagnostics.map((d) => d.code)).toEqual(before.diagnostics.map((d) => d.code));
  expect(parseHolidays(formatted).value.items.map((i) => i.kind)).toEqual(parseHolidays(text).value.items.map((i) => i.kind));
}

const PIECES = [
  '年份', '依据', '节假日', '调休上班', '假日', ' ', ' ', '\t', '\u3000', '\n', '\r\n', '\n', '2026', '2027年', '1月1日', '2月30日', '２月１４日', '3日', '12月',
  '年', '月', '日', '号', '至', '到', '-', '—', '~', '、', ',', FW.comma, FW.semicolon, ':', FW.colon, '#', FW.hash, '"', '“', '”', '「', '」', '元旦', '春节', '调休',
  '0', '9', '99999999', '\u0000', '\u0007', '\ufffd', '\ufeff', '\ud800', 'x',
];
const soup = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((a) => a.join(''));
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 100 }), soup);

/** The shipped file with a few random edits: characters deleted, pieces inserted. */
const mutated = fc
  .array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 6 }), insert: fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 3 })) }), { minLength: 1, maxLength: 6 })
  .map((edits) => edits.reduce((t, e) => ((i) => t.slice(0, i) + e.insert + t.slice(i + e.remove))(e.at % (t.length + 1)), SHIPPED));

/** Files written the many ways the syntax allows. */
const digits = (n: number, fullWidth: boolean) => (fullWidth ? String(n).replace(/\d/g, (c) => String.fromCharCode(0xff10 + Number(c))) : String(n));
const blank = fc.constantFrom(' ', '  ', '\t', '\u3000');
const date = fc
  .record({ year: fc.option(fc.constantFrom(2026, 2027), { nil: undefined }), month: fc.integer({ min: 1, max: 13 }), day: fc.integer({ min: 0, max: 32 }), fw: fc.boolean(), dayWord: fc.constantFrom('日', '号') })
  .map((d) => `${d.year ? `${digits(d.year, d.fw)}年` : ''}${digits(d.month, d.fw)}月${digits(d.day, d.fw)}${d.dayWord}`);
const shortDay = fc.integer({ min: 1, max: 31 }).map((n) => `${n}日`);
const name = fc.constantFrom('元旦', '春节', '清明节', '国庆节', '春节调休', '"国庆节、中秋节"', '「端午节」', '“中秋”');
const keyword = (k: string) => fc.constantFrom(k, `${k}:`, `${k}${FW.colon}`);
const comment = fc.option(fc.constantFrom('# 注释', `${FW.hash}说明`, '#', '#  x  '), { nil: '' });
const statement = fc.oneof(
  fc.tuple(keyword('年份'), blank, fc.constantFrom('2026', '2026年', '２０２６')).map((p) => p.join('')),
  fc.tuple(keyword('依据'), blank, fc.constantFrom('"国务院办公厅的通知"', '通知 第 1 号', '「通知」', '“通知”')).map((p) => p.join('')),
  fc
    .tuple(keyword('节假日'), blank, name, blank, date, fc.option(fc.tuple(blank, fc.constantFrom('至', '到', '-', '——', '~', '～'), blank, fc.oneof(date, shortDay)), { nil: undefined }))
    .map(([k, b1, n, b2, d, rest]) => `${k}${b1}${n}${b2}${d}${rest ? rest.join('') : ''}`),
  fc
    .tuple(keyword('调休上班'), blank, name, blank, date, fc.array(fc.tuple(fc.constantFrom('、', ',', FW.comma, ' '), fc.oneof(date, shortDay)), { maxLength: 3 }))
    .map(([k, b1, n, b2, d, rest]) => `${k}${b1}${n}${b2}${d}${rest.map((r) => r.join('')).join('')}`),
);
const generated = fc
  .array(fc.tuple(fc.oneof(statement, fc.constant(''), comment), comment, fc.constantFrom('\n', '\r\n', '\n\n')), { maxLength: 12 })
  .map((lines) => lines.map(([s, c, nl]) => `${s}${s && c ? ' ' : ''}${c}${nl}`).join(''));

describe('any text', () => {
  it('random text never throws and every diagnostic is positioned inside it', () => {
    fc.assert(fc.property(anyText, (text) => wellBehaved(text)), { numRuns: 1000 });
  });

  it('the shipped year with random edits never throws and every diagnostic is positioned inside it', () => {
    fc.assert(fc.property(mutated, (text) => wellBehaved(text)), { numRuns: 1000 });
  });

  it('generated files behave, and format idempotently to a file that reads the same', () => {
    fc.assert(
      fc.property(generated, (text) => {
        wellBehaved(text);
        formatsFaithfully(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('random text and edited files format faithfully whenever they format', () => {
    fc.assert(fc.property(fc.oneof(anyText, mutated), (text) => formatsFaithfully(text)), { numRuns: 1000 });
  });

  it('the generated files do read, often enough for the properties to mean something', () => {
    const samples = fc.sample(generated, { numRuns: 300, seed: 1 });
    const formatted = samples.filter((t) => formatHolidays(t).value !== undefined && t.trim());
    const loaded = samples.filter((t) => compileHolidays(t).value);
    expect(formatted.length).toBeGreaterThan(100);
    expect(loaded.length).toBeGreaterThan(0);
  });
});
