import { compileHolidays } from './index';

/** Each diagnostic as one line: where, what, the exact text it points at, and its hint. */
function golden(text: string): string[] {
  return compileHolidays(text).diagnostics.map(
    (d) => `${d.range.line}:${d.range.column} ${d.severity} ${d.code} 「${text.slice(d.range.offset, d.range.offset + d.range.length)}」 ${d.message}${d.hint ? ` | ${d.hint}` : ''}`,
  );
}

const HEAD = '年份 2026\n依据 "国务院办公厅关于2026年部分节假日安排的通知"\n';

describe('checking a holiday file', () => {
  it('builds the year: holidays in order, each make-up day under its holiday name plus 调休', () => {
    const r = compileHolidays(`${HEAD}节假日 元旦 1月1日 至 1月3日\n调休上班 元旦 1月4日\n节假日 植树 3月12日\n调休上班 春节调休 2月14日、28日\n节假日 春节 2月15日 至 2月23日\n`);
    expect(r).toStrictEqual({
      value: {
        year: 2026,
        source: '国务院办公厅关于2026年部分节假日安排的通知',
        holidays: [
          { name: '元旦', from: '2026-01-01', to: '2026-01-03' },
          { name: '植树', from: '2026-03-12', to: '2026-03-12' },
          { name: '春节', from: '2026-02-15', to: '2026-02-23' },
        ],
        workdays: [
          { name: '元旦调休', date: '2026-01-04' },
          { name: '春节调休', date: '2026-02-14' },
          { name: '春节调休', date: '2026-02-28' },
        ],
      },
      diagnostics: [],
    });
  });

  it('a missing 年份 and 依据 are errors at the start of the file', () => {
    expect(golden('节假日 元旦 1月1日\n')).toEqual([
      '1:1 error missing-source 「」 缺少「依据」:如 依据 "国务院办公厅关于2026年部分节假日安排的通知"',
      '1:1 error missing-year 「」 缺少「年份」:如 年份 2026',
    ]);
    expect(compileHolidays('节假日 元旦 1月1日\n').value).toBeUndefined();
  });

  it('an empty file, or one of comments only, says what it needs', () => {
    for (const text of ['', '\n\n  \n', '# 2026年\n# 还没写\n']) {
      expect(golden(text)).toEqual(['1:1 error empty-file 「」 文件里没有节假日安排:至少应写「年份」「依据」和节假日']);
    }
  });

  it('年份 and 依据 once: the second points back at the first', () => {
    expect(golden(`${HEAD}节假日 元旦 1月1日\n年份 2027\n依据 "另一份"\n`)).toEqual([
      '4:1 error duplicate-year 「年份」 「年份」只能写一次:第 1 行已写过',
      '5:1 error duplicate-source 「依据」 「依据」只能写一次:第 2 行已写过',
    ]);
  });

  it('a date that does not exist, with its exact place', () => {
    expect(golden(`${HEAD}节假日 春节 2月30日\n节假日 甲 13月1日 至 13月2日\n节假日 乙 2月29日\n节假日 丙 4月31日\n节假日 丁 1月0日\n`)).toEqual([
      '3:8 error no-such-date 「2月30日」 2026年2月没有30日',
      '4:7 error no-such-date 「13月1日」 没有 13 月',
      '4:15 error no-such-date 「13月2日」 没有 13 月',
      '5:7 error no-such-date 「2月29日」 2026年2月没有29日',
      '6:7 error no-such-date 「4月31日」 2026年4月没有31日',
      '7:7 error no-such-date 「1月0日」 2026年1月没有0日',
    ]);
    // A leap year has 29 February.
    expect(compileHolidays('年份 2028\n依据 "x"\n节假日 闰日 2月29日\n').diagnostics).toEqual([]);
  });

  it('a full date outside the file year', () => {
    expect(golden(`${HEAD}节假日 元旦 2025年12月31日 至 2026年1月1日\n调休上班 元旦 2027年1月9日\n`)).toEqual([
      '3:8 error date-outside-year 「2025年12月31日」 2025年12月31日不在 2026 年内:本文件是 2026 年的安排',
      '4:9 error date-outside-year 「2027年1月9日」 2027年1月9日不在 2026 年内:本文件是 2026 年的安排',
    ]);
    // The file's own year written out is fine, and a day alone after it keeps it.
    expect(compileHolidays(`${HEAD}节假日 元旦 2026年1月1日 至 3日\n`).value?.holidays).toEqual([{ name: '元旦', from: '2026-01-01', to: '2026-01-03' }]);
  });

  it('a range that ends before it starts', () => {
    expect(golden(`${HEAD}节假日 清明节 4月6日 至 4月4日\n节假日 国庆节 10月7日-1日\n`)).toEqual([
      '3:9 error range-reversed 「4月6日 至 4月4日」 起始日 4月6日 晚于结束日 4月4日',
      '4:9 error range-reversed 「10月7日-1日」 起始日 10月7日 晚于结束日 10月1日',
    ]);
  });

  it('a date listed twice: at the second, naming the line of the first', () => {
    const text = `${HEAD}节假日 元旦 1月1日 至 1月3日\n调休上班 元旦 1月3日\n节假日 春节 2月15日 至 2月23日\n节假日 除夕 2月10日 至 2月16日\n调休上班 春节 2月28日、2月28日\n`;
    expect(golden(text)).toEqual([
      '4:9 error duplicate-date 「1月3日」 1月3日重复:第 3 行已列出这一天',
      '6:8 error duplicate-date 「2月10日 至 2月16日」 2月15日重复:第 5 行已列出这一天',
      '7:15 error duplicate-date 「2月28日」 2月28日重复:第 7 行已列出这一天',
    ]);
  });

  it('a make-up working day that is a weekday anyway, as checkHolidayYear says', () => {
    expect(golden(`${HEAD}节假日 元旦 1月1日 至 1月3日\n调休上班 元旦 1月4日、1月5日、1月9日\n`)).toEqual([
      '4:14 error makeup-on-weekday 「1月5日」 1月5日是星期一,本是工作日,无需调休上班',
      '4:19 error makeup-on-weekday 「1月9日」 1月9日是星期五,本是工作日,无需调休上班',
    ]);
  });

  it('a make-up day for a holiday the file does not have is a warning, with the closest name', () => {
    const r = compileHolidays(`${HEAD}节假日 国庆节 10月1日 至 10月7日\n调休上班 国庆 9月20日\n调休上班 元宵 10月10日\n`);
    expect(r.value?.workdays).toEqual([
      { name: '国庆调休', date: '2026-09-20' },
      { name: '元宵调休', date: '2026-10-10' },
    ]);
    expect(golden(`${HEAD}节假日 国庆节 10月1日 至 10月7日\n调休上班 国庆 9月20日\n调休上班 元宵 10月10日\n`)).toEqual([
      '4:6 warning unknown-holiday 「国庆」 没有名为「国庆」的节假日:调休上班应写它所调的节假日 | 是不是「国庆节」?',
      '5:6 warning unknown-holiday 「元宵」 没有名为「元宵」的节假日:调休上班应写它所调的节假日',
    ]);
  });

  it('reports every error of a file in one run, in file order', () => {
    const text = [
      '年份 2026',
      '依据 通知',
      '节日 元旦 1月1日', // unknown keyword
      '节假日 1月2日', // missing name
      '节假日 春节 2月30日', // no such date
      '节假日 清明 4月6日 至 4月4日', // reversed
      '调休上班 元旦 1月5日', // weekday
      '节假日 五一 5月1日、5月2日', // a list where a range belongs
      '年份 2026', // twice
    ].join('\n');
    expect(golden(text)).toEqual([
      '3:1 error unknown-keyword 「节日」 不认识的关键字「节日」 | 是不是「节假日」?可用的关键字:年份、依据、节假日、调休上班',
      '4:5 error missing-name 「1月2日」 节假日缺少名称:应先写名称再写日期,如:节假日 元旦 1月1日 至 1月3日',
      '5:8 error no-such-date 「2月30日」 2026年2月没有30日',
      '6:8 error range-reversed 「4月6日 至 4月4日」 起始日 4月6日 晚于结束日 4月4日',
      // The 元旦 line did not read, so its make-up day has no holiday to go with.
      '7:6 warning unknown-holiday 「元旦」 没有名为「元旦」的节假日:调休上班应写它所调的节假日',
      '7:9 error makeup-on-weekday 「1月5日」 1月5日是星期一,本是工作日,无需调休上班',
      '8:12 error unexpected-token 「、」 多余的「、」 | 节假日写一段连续的日期,如 1月1日 至 1月3日;不连续的请分成几行',
      '9:1 error duplicate-year 「年份」 「年份」只能写一次:第 1 行已写过',
    ]);
  });

  it('keeps the first hundred diagnostics of a wrong file and counts the rest', () => {
    const text = 'x\n'.repeat(250);
    const { diagnostics } = compileHolidays(text);
    expect(diagnostics).toHaveLength(101);
    expect(diagnostics[100]).toMatchObject({ code: 'too-many-errors', message: '问题太多,只列出前 100 个,另有 150 个未列出', range: { line: 101, column: 1 } });
  });
});
