import { compileHolidays, parseHolidays } from './index';

function golden(text: string): string[] {
  return compileHolidays(text).diagnostics.map(
    (d) => `${d.range.line}:${d.range.column} ${d.severity} ${d.code} 「${text.slice(d.range.offset, d.range.offset + d.range.length)}」 ${d.message}${d.hint ? ` | ${d.hint}` : ''}`,
  );
}

const HEAD = '年份 2026\n依据 "通知"\n';
// Full-width punctuation as escapes, so that no editor can quietly turn it into ASCII.
const FW_COLON = '\uff1a';
const FW_COMMA = '\uff0c';
const FW_HASH = '\uff03';

describe('reading a holiday file', () => {
  it('reads the ways a clerk may write the same year', () => {
    const canonical = compileHolidays(`${HEAD}节假日 春节 2月15日 至 2月23日\n调休上班 春节 2月14日、2月28日\n`);
    expect(canonical.diagnostics).toEqual([]);
    const variants = [
      // full-width digits, 到, a day alone after the range separator, a list with a comma
      `${HEAD}节假日 春节 ２月１５日到２３日\n调休上班 春节 2月14日,2月28日\n`,
      // a colon after the keyword, dashes, full-width comma and 号, a day alone in a list
      `年份${FW_COLON}2026年\n依据: 通知\n节假日: 春节 2月15日——2月23日\n调休上班 春节 2月14号${FW_COMMA}28日\n`,
      // quotes, comments (ASCII and full-width), CRLF, a byte-order mark, blank lines, tabs and the ideographic space
      `\ufeff# 注释\r\n年份\t2026 # 年\r\n\r\n依据 「通知」\r\n${FW_HASH} 又一行注释\r\n节假日\u3000"春节" 2026年2月15日 ~ 2026年2月23日\r\n调休上班 春节 2月14日 2月28日\r\n`,
      // the make-up day's name may already end in 调休; the last line needs no newline
      `${HEAD}节假日 春节 2月15日 - 2月23日\n调休上班 春节调休 2月14日、2月28日`,
    ];
    for (const text of variants) expect(compileHolidays(text)).toStrictEqual(canonical);
  });

  it('a single day holiday', () => {
    expect(compileHolidays(`${HEAD}节假日 元旦 1月1日\n`).value?.holidays).toEqual([{ name: '元旦', from: '2026-01-01', to: '2026-01-01' }]);
  });

  it('a name with a separator in it is quoted', () => {
    const r = compileHolidays(`${HEAD}节假日 "国庆节、中秋节" 10月1日 至 10月8日\n调休上班 “国庆节、中秋节” 10月10日\n`);
    expect(r.diagnostics).toEqual([]);
    expect(r.value?.workdays).toEqual([{ name: '国庆节、中秋节调休', date: '2026-10-10' }]);
  });

  it('an unknown keyword, with the keyword it most likely meant', () => {
    expect(golden(`${HEAD}假日 元旦 1月1日\n调休 元旦 1月4日\n年度 2026\n放假 元旦 1月1日\n上 班 x\nholiday 元旦 1月1日\n`)).toEqual([
      '3:1 error unknown-keyword 「假日」 不认识的关键字「假日」 | 是不是「节假日」?可用的关键字:年份、依据、节假日、调休上班',
      '4:1 error unknown-keyword 「调休」 不认识的关键字「调休」 | 是不是「调休上班」?可用的关键字:年份、依据、节假日、调休上班',
      '5:1 error unknown-keyword 「年度」 不认识的关键字「年度」 | 是不是「年份」?可用的关键字:年份、依据、节假日、调休上班',
      '6:1 error unknown-keyword 「放假」 不认识的关键字「放假」 | 是不是「节假日」?可用的关键字:年份、依据、节假日、调休上班',
      '7:1 error unknown-keyword 「上」 不认识的关键字「上」 | 可用的关键字:年份、依据、节假日、调休上班',
      '8:1 error unknown-keyword 「holiday」 不认识的关键字「holiday」 | 可用的关键字:年份、依据、节假日、调休上班',
    ]);
  });

  it('JSON given as a holiday file says so', () => {
    expect(golden('{"year": 2026}\n')).toEqual(['1:1 error unknown-keyword 「{」 不认识的关键字「{」 | 这像是 JSON:JSON 格式的年度安排请用 .json 扩展名']);
  });

  it('a line that does not start with a keyword', () => {
    expect(golden(`${HEAD}1月1日 元旦\n、\n"元旦"\n`)).toEqual([
      '3:1 error expected-keyword 「1月1日」 每行应以关键字开头(年份、依据、节假日、调休上班),这里是「1月1日」',
      '4:1 error expected-keyword 「、」 每行应以关键字开头(年份、依据、节假日、调休上班),这里是「、」',
      '5:1 error expected-keyword 「"元旦"」 每行应以关键字开头(年份、依据、节假日、调休上班),这里是「元旦」',
    ]);
  });

  it('a 年份 that is missing or not a year', () => {
    expect(golden('年份\n依据 "通知"\n节假日 元旦 1月1日\n')).toEqual(['1:3 error expected-year 「」 「年份」后应写年份,如:年份 2026']);
    expect(golden('年份 26\n依据 "通知"\n')).toEqual(['1:4 error bad-year 「26」 年份应写作四位数字,如 2026;这里是「26」']);
    expect(golden('年份 1999\n依据 "通知"\n')).toEqual(['1:4 error bad-year 「1999」 年份 1999 不在 2000 至 2100 之间']);
    expect(golden('年份 二〇二六\n依据 "通知"\n')).toEqual(['1:4 error bad-year 「二〇二六」 年份应写作四位数字,如 2026;这里是「二〇二六」']);
    expect(golden('年份 2026 2027\n依据 "通知"\n')).toEqual(['1:9 error unexpected-token 「2027」 多余的「2027」']);
  });

  it('a 依据 that is missing, empty or unclosed', () => {
    expect(golden('年份 2026\n依据\n')).toEqual(['2:3 error expected-source 「」 「依据」后应写通知的名称,如:依据 "国务院办公厅关于2026年部分节假日安排的通知"']);
    expect(golden('年份 2026\n依据 ""\n')).toEqual(['2:4 error expected-source 「""」 依据不能为空']);
    expect(golden('年份 2026\n依据 「通知\n')).toEqual(['2:4 error unterminated-string 「「」 引号没有闭合:本行缺少「」」']);
  });

  it('a holiday or make-up line missing its name', () => {
    expect(golden(`${HEAD}节假日 1月1日 至 1月3日\n调休上班 1月4日\n节假日\n调休上班 "" 1月4日\n`)).toEqual([
      '3:5 error missing-name 「1月1日」 节假日缺少名称:应先写名称再写日期,如:节假日 元旦 1月1日 至 1月3日',
      '4:6 error missing-name 「1月4日」 调休上班缺少名称:应先写名称再写日期,如:调休上班 春节 2月14日、2月28日',
      '5:4 error missing-name 「」 节假日缺少名称和日期,如:节假日 元旦 1月1日 至 1月3日',
      '6:6 error missing-name 「""」 调休上班的名称不能为空',
    ]);
  });

  it('dates that are not written as dates', () => {
    expect(golden(`${HEAD}节假日 元旦\n节假日 元旦 1.1\n节假日 元旦 1月\n节假日 元旦 1日\n节假日 元旦 1日1月\n节假日 元旦 1月1\n节假日 元旦 2026年1日\n节假日 元旦 1月1日 至\n节假日 元旦 1月1日 至 后天\n节假日 元旦 123月1日\n`)).toEqual([
      '3:7 error expected-date 「」 这里应写日期,如 1月1日',
      '4:8 error bad-date 「1」 日期应写作 1月1日,这里是「1」',
      '5:8 error bad-date 「1月」 日期「1月」不完整:应写到日,如 1月1日',
      '6:8 error bad-date 「1日」 日期「1日」缺少月份,如 1月1日',
      '7:8 error bad-date 「1日1月」 日期「1日1月」写得不对:年、月、日的顺序不对',
      '8:8 error bad-date 「1月1」 日期「1月1」写得不对:「1」后缺少年、月或日',
      '9:8 error bad-date 「2026年1日」 日期「2026年1日」缺少月份',
      '10:14 error expected-date 「」 这里应写日期,如 1月1日',
      '11:15 error expected-date 「后天」 这里应写日期(如 1月1日),不是「后天」',
      '12:8 error bad-date 「123月1日」 日期「123月1日」中的数字「123」太长',
    ]);
  });

  it('what does not belong at the end of a line', () => {
    expect(golden(`${HEAD}节假日 元旦 1月1日 至 1月3日 放假\n调休上班 元旦 1月4日 至 1月5日\n节假日 元旦 1月1日 1月2日\n`)).toEqual([
      '3:20 error unexpected-token 「放假」 多余的「放假」',
      '4:14 error unexpected-token 「至」 多余的「至」 | 调休上班的日子逐一列出,用「、」分隔,如 2月14日、2月28日',
      '5:13 error unexpected-token 「1月2日」 多余的「1月2日」 | 节假日写一段连续的日期,如 1月1日 至 1月3日;不连续的请分成几行',
    ]);
  });

  it('control characters and a wrong encoding', () => {
    expect(golden(`${HEAD}节假日 元旦\u0007 1月1日\n节假日 元\ufffd旦 1月1日\n`)).toEqual([
      '3:7 error invalid-character 「\u0007」 不可见的控制字符 U+0007',
      '4:6 error invalid-character 「\ufffd」 无法识别的字符(文件应为 UTF-8 编码)',
    ]);
  });

  it('a binary file is one error at its first zero byte', () => {
    expect(golden('年份 2026\nabc\u0000\u0001\u0002\n\u0000')).toEqual(['2:4 error binary-file 「\u0000」 这不是文本文件(含有空字节);节假日安排应是 UTF-8 编码的文本']);
  });

  it('keeps comments and where the statements are', () => {
    const { value, diagnostics } = parseHolidays('# 头\n年份 2026  # 今年\n\n节假日 元旦 1月1日\n');
    expect(diagnostics).toEqual([]);
    expect(value.items.map((i) => [i.kind, i.line, i.kind === 'comment' ? i.text : i.comment])).toEqual([
      ['comment', 1, ' 头'],
      ['year', 2, ' 今年'],
      ['holiday', 4, undefined],
    ]);
  });
});

describe('reading any text', () => {
  const MB = 1024 * 1024;
  const huge: Array<[string, string]> = [
    ['one long word', 'a'.repeat(10 * MB)],
    ['one long number', '1'.repeat(10 * MB)],
    ['a keyword and a long name', `节假日 ${'春'.repeat(10 * MB)} 1月1日`],
    ['a long list of dates', `${HEAD}调休上班 春节 ${'2月14日、'.repeat(2 * MB)}`],
    ['a long unclosed string', `依据 "${'x'.repeat(10 * MB)}`],
    ['a long comment', `#${'注'.repeat(10 * MB)}`],
    ['a long run of dashes', `节假日 元旦 1月1日 ${'-'.repeat(10 * MB)}`],
    ['a long date', `节假日 元旦 ${'1年1月1日'.repeat(2 * MB)}`],
    ['many lines of nonsense', 'x 1\n'.repeat(2 * MB)],
    ['many holidays over the whole year', `${HEAD}${'节假日 年 1月1日 至 12月31日\n'.repeat(200_000)}`],
    ['many newlines', '\n'.repeat(10 * MB)],
    ['control characters', '\u0001'.repeat(10 * MB)],
  ];
  // Speed is the benchmark's business (no timed assertions here): this holds the answers.
  it.each(huge)('%s: diagnostics, capped, in range, no crash', (_name, text) => {
    const { diagnostics } = compileHolidays(text);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.length).toBeLessThanOrEqual(101);
    for (const d of diagnostics) expect(d.range.offset + d.range.length).toBeLessThanOrEqual(text.length);
  });
});
