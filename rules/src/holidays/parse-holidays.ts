/**
 * The holiday calendar as a text a clerk writes, one file per year:
 *
 *   # 2026年部分节假日安排
 *   年份 2026
 *   依据 "国务院办公厅关于2026年部分节假日安排的通知"
 *   节假日 元旦 1月1日 至 1月3日
 *   调休上班 元旦 1月4日
 *   节假日 春节 2月15日 至 23日
 *   调休上班 春节 2月14日、2月28日
 *
 * One statement a line, each starting with its keyword (a colon, ASCII or full-width, may
 * follow it); `#` (ASCII or full-width) starts a comment. Dates are `1月1日` (the file's year),
 * `2026年1月1日`, or after a range separator or in a list just `23日` (the month of the date
 * before). Digits may be ASCII or full-width. Ranges: 至 到 - — ~ (and full-width forms); lists:
 * 、 and commas or semicolons, ASCII or full-width. A make-up line names the holiday it makes up
 * for; its days are called `春节调休` in the year's data. Names and the 依据 may be quoted
 * ("…", “…”, 「…」, 『…』), which a name needs if it holds a separator.
 *
 * A small hand-written scanner: it looks at each character a bounded number of times, so any
 * input, however long or strange, is read in linear time; nothing here throws.
 */
import { editDistance } from '../util/closest';
import { Diagnostic, SourceRange } from '../diagnostics';

export const HOLIDAY_KEYWORDS = { year: '年份', source: '依据', holiday: '节假日', makeup: '调休上班' } as const;

/** A date as written, month and year already filled in from the date before when left out. */
export interface DateLiteral {
  /** Written, or carried over from the start of a range / the previous date of a list; absent: the file's year. */
  year?: number;
  month: number;
  day: number;
  range: SourceRange;
}

interface StatementBase {
  /** The keyword. */
  keyword: SourceRange;
  /** From the keyword to the last token of the statement. */
  range: SourceRange;
  /** A comment at the end of the line, without its `#`. */
  comment?: string;
}

export interface YearStatement extends StatementBase {
  kind: 'year';
  /** Undefined when the year was unreadable (already reported). */
  year?: number;
}

export interface SourceStatement extends StatementBase {
  kind: 'source';
  /** Undefined when unreadable or empty (already reported). */
  text?: string;
}

export interface HolidayStatement extends StatementBase {
  kind: 'holiday';
  name: string;
  nameRange: SourceRange;
  from: DateLiteral;
  /** Absent for a single day. */
  to?: DateLiteral;
}

export interface MakeupStatement extends StatementBase {
  kind: 'makeup';
  /** The holiday these working days make up for, as written (`春节`). */
  name: string;
  nameRange: SourceRange;
  dates: DateLiteral[];
}

export type HolidayStatementNode = YearStatement | SourceStatement | HolidayStatement | MakeupStatement;

/** A line of its own holding only a comment. */
export interface CommentLine {
  kind: 'comment';
  line: number;
  /** The comment without its `#`. */
  text: string;
}

export type HolidayFileItem = (HolidayStatementNode & { line: number }) | CommentLine;

export interface HolidayFile {
  /** Statements (those that parsed) and comment lines, in file order; blank lines are left out. */
  items: HolidayFileItem[];
  /** Whether some line could not be read; such a line leaves no statement behind. */
  syntaxErrors: boolean;
  /** Whether a 年份 / 依据 line was there, even one that could not be read (so it is not also "missing"). */
  seen: { year: boolean; source: boolean };
  /** The length of the text, for diagnostics about the file as a whole. */
  length: number;
}

/** At most this many diagnostics are kept; a wrong or binary file would otherwise give millions. */
export const MAX_DIAGNOSTICS = 100;
/** A year has at most 366 days; a longer list on one line is not a list of make-up days. */
const MAX_DATES_A_LINE = 366;

/** Collects diagnostics, keeping the first {@link MAX_DIAGNOSTICS} and counting the rest. */
export class DiagnosticSink {
  readonly list: Diagnostic[] = [];
  dropped = 0;
  errors = 0;
  private firstDropped?: SourceRange;

  /** Whether further diagnostics are only counted (so costly hints need not be worked out). */
  get full(): boolean {
    return this.list.length >= MAX_DIAGNOSTICS;
  }

  add(d: Diagnostic): void {
    if (d.severity === 'error') this.errors++;
    if (this.list.length < MAX_DIAGNOSTICS) this.list.push(d);
    else {
      this.dropped++;
      this.firstDropped ??= d.range;
    }
  }

  error(code: string, message: string, range: SourceRange, hint?: string): void {
    this.add(hint === undefined ? { severity: 'error', code, message, range } : { severity: 'error', code, message, range, hint });
  }

  warning(code: string, message: string, range: SourceRange, hint?: string): void {
    this.add(hint === undefined ? { severity: 'warning', code, message, range } : { severity: 'warning', code, message, range, hint });
  }

  /** The kept diagnostics, and one more saying how many were left out. */
  all(): Diagnostic[] {
    if (!this.dropped || !this.firstDropped) return [...this.list];
    return [
      ...this.list,
      { severity: 'error', code: 'too-many-errors', message: `问题太多,只列出前 ${MAX_DIAGNOSTICS} 个,另有 ${this.dropped} 个未列出`, range: this.firstDropped },
    ];
  }
}

// ---------------------------------------------------------------------------------------------
// Scanner

type TokenKind = 'word' | 'string' | 'date' | 'number' | 'list' | 'range' | 'colon' | 'invalid';

interface DatePart {
  digits: string;
  value: number;
}

interface Token {
  kind: TokenKind;
  offset: number;
  length: number;
  /** word: the word; string: its content; invalid: the character. */
  text: string;
  /** number: the digits. */
  number?: DatePart;
  /** date: what was written; `problem` when the parts are out of order or incomplete. */
  date?: { year?: DatePart; month?: DatePart; day?: DatePart; problem?: string };
  /** string: whether it was closed on its line. */
  closed?: boolean;
}

const WHITESPACE = new Set([' ', '\t', '\r', '\u3000', '\ufeff', '\u00a0']);
// Full-width forms are written as escapes so that no editor can fold them into ASCII.
const LIST_SEPARATORS = new Set(['、', ',', '\uff0c', ';', '\uff1b']);
const RANGE_SEPARATORS = new Set(['至', '到', '~', '～', '〜']);
const DASHES = new Set(['-', '－', '—', '–', '―', '‐']);
const QUOTES: Record<string, string> = { '"': '"', '“': '”', '「': '」', '『': '』' };
const COMMENT = new Set(['#', '\uff03']);
const COLONS = new Set([':', '\uff1a']);
const UNITS: Record<string, 'year' | 'month' | 'day'> = { 年: 'year', 月: 'month', 日: 'day', 号: 'day' };
const UNIT_ORDER = { year: 0, month: 1, day: 2 } as const;

const isDigitCode = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0xff10 && c <= 0xff19);
const digitValue = (c: number) => (c >= 0xff10 ? c - 0xff10 : c - 0x30);
/** Control characters (tab and line ends aside), and the replacement character a wrong encoding leaves. */
const isInvalid = (ch: string) => /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/.test(ch);

function endsWord(ch: string, code: number): boolean {
  // Most of a name is CJK ideographs: answer those at once (至 and 到 separate ranges).
  if (code >= 0x4e00 && code <= 0x9fff) return ch === '至' || ch === '到';
  return (
    WHITESPACE.has(ch) || LIST_SEPARATORS.has(ch) || RANGE_SEPARATORS.has(ch) || DASHES.has(ch) || ch in QUOTES || COMMENT.has(ch) || COLONS.has(ch) || isDigitCode(code) || isInvalid(ch)
  );
}

/** Whether `name` reads back as one word, so it needs no quotes. */
export function isPlainWord(name: string): boolean {
  if (!name) return false;
  for (let i = 0; i < name.length; i++) if (endsWord(name[i], name.charCodeAt(i))) return false;
  return true;
}

/** Reads the tokens of one line, [start, end) of the text; a comment ends the line. */
class LineScanner {
  pos: number;
  comment?: string;

  constructor(
    private readonly text: string,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
  }

  next(): Token | undefined {
    const { text, end } = this;
    while (this.pos < end && WHITESPACE.has(text[this.pos])) this.pos++;
    if (this.pos >= end) return undefined;
    const start = this.pos;
    const ch = text[start];
    const code = text.charCodeAt(start);
    if (COMMENT.has(ch)) {
      this.comment = text.slice(start + 1, end).replace(/[\s\ufeff]+$/, '');
      this.pos = end;
      return undefined;
    }
    if (isDigitCode(code)) return this.dateOrNumber();
    this.pos++;
    if (ch in QUOTES) {
      const close = text.indexOf(QUOTES[ch], this.pos);
      const closed = close !== -1 && close < end;
      const stop = closed ? close : end;
      const content = text.slice(this.pos, stop).replace(/\r$/, '');
      this.pos = closed ? stop + 1 : end;
      return { kind: 'string', offset: start, length: this.pos - start, text: content, closed };
    }
    if (LIST_SEPARATORS.has(ch)) return { kind: 'list', offset: start, length: 1, text: ch };
    if (COLONS.has(ch)) return { kind: 'colon', offset: start, length: 1, text: ch };
    if (RANGE_SEPARATORS.has(ch)) return { kind: 'range', offset: start, length: 1, text: ch };
    if (DASHES.has(ch)) {
      while (this.pos < end && DASHES.has(text[this.pos])) this.pos++;
      return { kind: 'range', offset: start, length: this.pos - start, text: text.slice(start, this.pos) };
    }
    if (isInvalid(ch)) return { kind: 'invalid', offset: start, length: 1, text: ch };
    while (this.pos < end && !endsWord(text[this.pos], text.charCodeAt(this.pos))) this.pos++;
    return { kind: 'word', offset: start, length: this.pos - start, text: text.slice(start, this.pos) };
  }

  /** The offset just past the last token before a comment or the line's end (trailing blanks left out). */
  contentEnd(): number {
    let e = this.pos;
    while (e > 0 && WHITESPACE.has(this.text[e - 1])) e--;
    return e;
  }

  /** Skips to the end of the line, still picking up its comment. */
  skipLine(): void {
    const hash = indexOfAny(this.text, COMMENT, this.pos, this.end);
    if (hash !== -1) this.comment = this.text.slice(hash + 1, this.end).replace(/[\s\ufeff]+$/, '');
    this.pos = this.end;
  }

  private number(): DatePart {
    const { text, end } = this;
    const start = this.pos;
    let value = 0;
    while (this.pos < end && isDigitCode(text.charCodeAt(this.pos))) {
      value = value * 10 + digitValue(text.charCodeAt(this.pos));
      this.pos++;
    }
    // Digits beyond what a date can hold make the number unusable rather than imprecise.
    const digits = text.slice(start, this.pos);
    return { digits, value: digits.length > 6 ? Number.POSITIVE_INFINITY : value };
  }

  private dateOrNumber(): Token {
    const { text, end } = this;
    const start = this.pos;
    const first = this.number();
    const unitOf = () => (this.pos < end ? UNITS[text[this.pos]] : undefined);
    if (!unitOf()) return { kind: 'number', offset: start, length: this.pos - start, text: first.digits, number: first };
    const date: NonNullable<Token['date']> = {};
    let part: DatePart | undefined = first;
    let last = -1;
    for (;;) {
      const unit = unitOf();
      if (!part) break;
      if (!unit) {
        date.problem ??= `「${clip(part.digits)}」后缺少年、月或日`;
        break;
      }
      this.pos++;
      if (UNIT_ORDER[unit] <= last) date.problem ??= '年、月、日的顺序不对';
      else date[unit] = part;
      last = UNIT_ORDER[unit];
      part = this.pos < end && isDigitCode(text.charCodeAt(this.pos)) ? this.number() : undefined;
    }
    return { kind: 'date', offset: start, length: this.pos - start, text: text.slice(start, this.pos), date };
  }
}

function indexOfAny(text: string, chars: Set<string>, from: number, to: number): number {
  for (let i = from; i < to; i++) if (chars.has(text[i])) return i;
  return -1;
}

/** A long token shown in a message is cut short. */
export function clip(s: string, max = 20): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

// ---------------------------------------------------------------------------------------------
// Parser

const KEYWORD_HINTS: Record<string, string> = {
  年: HOLIDAY_KEYWORDS.year,
  年度: HOLIDAY_KEYWORDS.year,
  年份为: HOLIDAY_KEYWORDS.year,
  来源: HOLIDAY_KEYWORDS.source,
  通知: HOLIDAY_KEYWORDS.source,
  文件: HOLIDAY_KEYWORDS.source,
  出处: HOLIDAY_KEYWORDS.source,
  放假: HOLIDAY_KEYWORDS.holiday,
  假期: HOLIDAY_KEYWORDS.holiday,
  节日: HOLIDAY_KEYWORDS.holiday,
  假日: HOLIDAY_KEYWORDS.holiday,
  休假: HOLIDAY_KEYWORDS.holiday,
  上班: HOLIDAY_KEYWORDS.makeup,
  调休: HOLIDAY_KEYWORDS.makeup,
  补班: HOLIDAY_KEYWORDS.makeup,
  调休日: HOLIDAY_KEYWORDS.makeup,
  工作日: HOLIDAY_KEYWORDS.makeup,
};

const ALL_KEYWORDS = Object.values(HOLIDAY_KEYWORDS);
const KEYWORD_LIST = ALL_KEYWORDS.join('、');

/** The keyword a mistyped word most likely meant, if any is close. */
export function suggestKeyword(word: string): string | undefined {
  if (KEYWORD_HINTS[word]) return KEYWORD_HINTS[word];
  if (word.length > 12) return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of ALL_KEYWORDS) {
    const d = editDistance(word, k);
    if (d < bestDistance && d <= Math.max(1, Math.floor(k.length / 2))) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

export { editDistance };

/** Thrown for a syntax error, once reported: the rest of the line is given up. */
class LineError {}
/** The same, returned rather than thrown where that is as easy (a file of nonsense has one a line). */
const FAILED = 'failed';

class Parser {
  private line = 0;
  private lineStart = 0;
  readonly sink: DiagnosticSink;
  private sc!: LineScanner;
  private readonly seen = { year: false, source: false };

  constructor(
    private readonly text: string,
    sink?: DiagnosticSink,
  ) {
    this.sink = sink ?? new DiagnosticSink();
  }

  range(offset: number, length: number): SourceRange {
    return { offset, length, line: this.line, column: offset - this.lineStart + 1 };
  }

  tokenRange(t: Token): SourceRange {
    return this.range(t.offset, t.length);
  }

  /** A zero-length range just after a token: where something is missing. */
  after(t: Token): SourceRange {
    return this.range(t.offset + t.length, 0);
  }

  fail(code: string, message: string, range: SourceRange, hint?: string): never {
    this.sink.error(code, message, range, hint);
    throw new LineError();
  }

  parse(): HolidayFile {
    const { text } = this;
    const items: HolidayFileItem[] = [];
    let syntaxErrors = false;
    const nul = text.indexOf('\u0000');
    if (nul !== -1) {
      this.lineAt(nul);
      this.sink.error('binary-file', '这不是文本文件(含有空字节);节假日安排应是 UTF-8 编码的文本', this.range(nul, 1));
      return { items, syntaxErrors: true, seen: this.seen, length: text.length };
    }
    for (let start = 0; start <= text.length; ) {
      const nl = text.indexOf('\n', start);
      const end = nl === -1 ? text.length : nl;
      this.line++;
      this.lineStart = start;
      this.sc = new LineScanner(text, start, end);
      let failed = false;
      try {
        const statement = this.statement();
        if (statement === FAILED) failed = true;
        else if (statement) items.push({ ...statement, line: this.line, ...(this.sc.comment !== undefined ? { comment: this.sc.comment } : {}) });
        else if (this.sc.comment !== undefined) items.push({ kind: 'comment', line: this.line, text: this.sc.comment });
      } catch (e) {
        if (!(e instanceof LineError)) throw e;
        failed = true;
      }
      if (failed) {
        syntaxErrors = true;
        this.sc.skipLine();
        if (this.sc.comment !== undefined) items.push({ kind: 'comment', line: this.line, text: this.sc.comment });
      }
      if (nl === -1) break;
      start = nl + 1;
    }
    return { items, syntaxErrors, seen: this.seen, length: text.length };
  }

  /** Sets line and lineStart for an offset (used once, for the binary-file error). */
  private lineAt(offset: number): void {
    this.line = 1;
    this.lineStart = 0;
    for (let i = this.text.indexOf('\n'); i !== -1 && i < offset; i = this.text.indexOf('\n', i + 1)) {
      this.line++;
      this.lineStart = i + 1;
    }
  }

  /** The next token; an invalid character is an error wherever it is. */
  private next(): Token | undefined {
    const t = this.sc.next();
    if (t?.kind === 'invalid') {
      const shown = t.text === '\ufffd' ? '无法识别的字符(文件应为 UTF-8 编码)' : `不可见的控制字符 U+${t.text.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      this.fail('invalid-character', shown, this.tokenRange(t));
    }
    return t;
  }

  private statement(): HolidayStatementNode | undefined | typeof FAILED {
    const first = this.next();
    if (!first) return undefined;
    if (first.kind !== 'word') {
      this.sink.error('expected-keyword', `每行应以关键字开头(${KEYWORD_LIST}),这里是「${clip(first.text)}」`, this.tokenRange(first));
      return FAILED;
    }
    const keyword = this.tokenRange(first);
    if (!(ALL_KEYWORDS as readonly string[]).includes(first.text)) {
      const suggestion = this.sink.full ? undefined : suggestKeyword(first.text);
      this.sink.error(
        'unknown-keyword',
        `不认识的关键字「${clip(first.text)}」`,
        keyword,
        /^[{[]/.test(first.text) && this.line === 1
          ? '这像是 JSON:JSON 格式的年度安排请用 .json 扩展名'
          : suggestion
            ? `是不是「${suggestion}」?可用的关键字:${KEYWORD_LIST}`
            : `可用的关键字:${KEYWORD_LIST}`,
      );
      return FAILED;
    }
    if (first.text === HOLIDAY_KEYWORDS.year) this.seen.year = true;
    if (first.text === HOLIDAY_KEYWORDS.source) this.seen.source = true;
    let t = this.next();
    if (t?.kind === 'colon') t = this.next();
    switch (first.text) {
      case HOLIDAY_KEYWORDS.year:
        return this.yearStatement(first, keyword, t);
      case HOLIDAY_KEYWORDS.source:
        return this.sourceStatement(first, keyword, t);
      case HOLIDAY_KEYWORDS.holiday:
        return this.holidayStatement(first, keyword, t);
      default:
        return this.makeupStatement(first, keyword, t);
    }
  }

  private statementRange(keyword: SourceRange, lastEnd: number): SourceRange {
    return this.range(keyword.offset, lastEnd - keyword.offset);
  }

  /** Nothing but a comment may follow a complete statement. */
  private expectEnd(hint?: string): void {
    const t = this.next();
    if (t) this.fail('unexpected-token', `多余的「${clip(t.text)}」`, this.tokenRange(t), hint);
  }

  private yearStatement(kw: Token, keyword: SourceRange, t: Token | undefined): YearStatement {
    if (!t) this.fail('expected-year', '「年份」后应写年份,如:年份 2026', this.after(kw));
    const part = t.kind === 'number' ? t.number : t.kind === 'date' && t.date?.year && !t.date.month && !t.date.day && !t.date.problem ? t.date.year : undefined;
    let year: number | undefined;
    if (!part || part.digits.length !== 4) {
      this.sink.error('bad-year', `年份应写作四位数字,如 2026;这里是「${clip(t.text)}」`, this.tokenRange(t));
    } else if (part.value < 2000 || part.value > 2100) {
      this.sink.error('bad-year', `年份 ${part.value} 不在 2000 至 2100 之间`, this.tokenRange(t));
    } else year = part.value;
    this.expectEnd();
    return { kind: 'year', keyword, range: this.statementRange(keyword, t.offset + t.length), ...(year !== undefined ? { year } : {}) };
  }

  private sourceStatement(kw: Token, keyword: SourceRange, t: Token | undefined): SourceStatement {
    if (!t) this.fail('expected-source', '「依据」后应写通知的名称,如:依据 "国务院办公厅关于2026年部分节假日安排的通知"', this.after(kw));
    if (t.kind === 'string') {
      if (!t.closed) this.fail('unterminated-string', `引号没有闭合:本行缺少「${QUOTES[this.text[t.offset]]}」`, this.range(t.offset, 1));
      const text = t.text.trim();
      if (!text) this.sink.error('expected-source', '依据不能为空', this.tokenRange(t));
      this.expectEnd();
      return { kind: 'source', keyword, range: this.statementRange(keyword, t.offset + t.length), ...(text ? { text } : {}) };
    }
    // Unquoted: the rest of the line, up to a comment.
    let last: Token = t;
    for (let u = this.next(); u; u = this.next()) {
      if (u.kind === 'string' && !u.closed) this.fail('unterminated-string', `引号没有闭合:本行缺少「${QUOTES[this.text[u.offset]]}」`, this.range(u.offset, 1));
      last = u;
    }
    const end = last.offset + last.length;
    return { kind: 'source', keyword, range: this.statementRange(keyword, end), text: this.text.slice(t.offset, end) };
  }

  private name(kw: Token, t: Token | undefined, what: string): { name: string; nameRange: SourceRange } {
    const example = kw.text === HOLIDAY_KEYWORDS.holiday ? '节假日 元旦 1月1日 至 1月3日' : '调休上班 春节 2月14日、2月28日';
    if (!t) this.fail('missing-name', `${what}缺少名称和日期,如:${example}`, this.after(kw));
    if (t.kind === 'string') {
      if (!t.closed) this.fail('unterminated-string', `引号没有闭合:本行缺少「${QUOTES[this.text[t.offset]]}」`, this.range(t.offset, 1));
      if (!t.text.trim()) this.fail('missing-name', `${what}的名称不能为空`, this.tokenRange(t));
      return { name: t.text.trim(), nameRange: this.tokenRange(t) };
    }
    if (t.kind !== 'word') this.fail('missing-name', `${what}缺少名称:应先写名称再写日期,如:${example}`, this.tokenRange(t));
    return { name: t.text, nameRange: this.tokenRange(t) };
  }

  private holidayStatement(kw: Token, keyword: SourceRange, t: Token | undefined): HolidayStatement {
    const { name, nameRange } = this.name(kw, t, '节假日');
    const fromToken = this.next();
    const from = this.date(fromToken, nameRange);
    let last = fromToken!;
    let to: DateLiteral | undefined;
    const sep = this.next();
    if (sep) {
      if (sep.kind !== 'range') {
        this.fail(
          'unexpected-token',
          `多余的「${clip(sep.text)}」`,
          this.tokenRange(sep),
          sep.kind === 'list' || sep.kind === 'date' ? '节假日写一段连续的日期,如 1月1日 至 1月3日;不连续的请分成几行' : '一段假期写作 1月1日 至 1月3日',
        );
      }
      const toToken = this.next();
      to = this.date(toToken, this.tokenRange(sep), from);
      last = toToken!;
      this.expectEnd();
    }
    return { kind: 'holiday', keyword, range: this.statementRange(keyword, last.offset + last.length), name, nameRange, from, ...(to ? { to } : {}) };
  }

  private makeupStatement(kw: Token, keyword: SourceRange, t: Token | undefined): MakeupStatement {
    const { name, nameRange } = this.name(kw, t, '调休上班');
    let token = this.next();
    const dates = [this.date(token, nameRange)];
    let last = token!;
    for (token = this.next(); token; token = this.next()) {
      if (token.kind === 'list') {
        const sep = token;
        token = this.next();
        dates.push(this.date(token, this.tokenRange(sep), dates[dates.length - 1]));
      } else if (token.kind === 'date') {
        dates.push(this.date(token, this.tokenRange(token), dates[dates.length - 1]));
      } else {
        this.fail('unexpected-token', `多余的「${clip(token.text)}」`, this.tokenRange(token), token.kind === 'range' ? '调休上班的日子逐一列出,用「、」分隔,如 2月14日、2月28日' : undefined);
      }
      last = token!;
      if (dates.length > MAX_DATES_A_LINE) this.fail('too-many-dates', `一行最多列出 ${MAX_DATES_A_LINE} 天`, this.tokenRange(token!));
    }
    return { kind: 'makeup', keyword, range: this.statementRange(keyword, last.offset + last.length), name, nameRange, dates };
  }

  /**
   * A date where one is expected. `before` is where a missing date is reported after; `carry`
   * the date whose month and year a day alone (`23日`) takes.
   */
  private date(t: Token | undefined, before: SourceRange, carry?: DateLiteral): DateLiteral {
    if (!t) this.fail('expected-date', '这里应写日期,如 1月1日', this.range(before.offset + before.length, 0));
    const range = this.tokenRange(t);
    if (t.kind === 'number') this.fail('bad-date', `日期应写作 1月1日,这里是「${clip(t.text)}」`, range);
    if (t.kind !== 'date' || !t.date) this.fail('expected-date', `这里应写日期(如 1月1日),不是「${clip(t.text)}」`, range);
    const { year, month, day, problem } = t.date;
    if (problem) this.fail('bad-date', `日期「${clip(t.text)}」写得不对:${problem}`, range);
    if (!day) this.fail('bad-date', `日期「${clip(t.text)}」不完整:应写到日,如 1月1日`, range);
    if (year && !month) this.fail('bad-date', `日期「${clip(t.text)}」缺少月份`, range);
    if (!month && !carry) this.fail('bad-date', `日期「${clip(t.text)}」缺少月份,如 1月1日`, range);
    const tooLong = [year, month, day].find((p) => p && p.digits.length > (p === year ? 4 : 2));
    if (tooLong) this.fail('bad-date', `日期「${clip(t.text)}」中的数字「${clip(tooLong.digits)}」太长`, range);
    const y = year ? year.value : month ? undefined : carry?.year;
    return { ...(y !== undefined ? { year: y } : {}), month: month ? month.value : carry!.month, day: day.value, range };
  }
}

/** Reads a holiday file into statements; every line that cannot be read is reported and left out. */
export function parseHolidays(text: string): { value: HolidayFile; diagnostics: Diagnostic[] } {
  const parser = new Parser(text);
  const value = parser.parse();
  return { value, diagnostics: parser.sink.all() };
}

/** The same, into a sink shared with the checks (so the limit counts both). */
export function parseHolidaysInto(text: string, sink: DiagnosticSink): HolidayFile {
  return new Parser(text, sink).parse();
}
