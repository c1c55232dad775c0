import { formatChineseDate, type LocalDate } from '@reform/calendar';
import { LetterParts, readLetterText } from './render';

/**
 * A letter laid out as an official document in the letter format (信函格式) of GB/T 9704-2012:
 * the parts (document model) that both writers use, and the page grid the PDF writer draws
 * (Word lays out its own paragraphs on the .docx's document grid). Pure.
 *
 * GB/T 9704-2012 5.2.2: the type area is 156 × 225 mm; body text in 3号仿宋, usually 22 lines of
 * 28 characters per page. 10.1: the office name (发文机关标志) centred at the top, the red double
 * rules below it; 发文字号 flush right under the rule; the title centred; 主送 flush left ending
 * with a full-width colon (7.3.2); 成文日期 in Arabic numerals (7.3.5.1/7.3.5.2); 抄送 at the end,
 * names separated by commas and closed with a full stop (7.4.2); no page number on the first page.
 */
export const GRID = {
  /** Characters per line of body text (三号, 16 pt). */
  charsPerLine: 28,
  /** Lines per page. */
  linesPerPage: 22,
} as const;

/** The title is set in 2号 (22 pt) on the same 156 mm line: 20 characters (156 mm = 442.2 pt, 442.2 / 22 = 20.1). */
export const TITLE_CHARS_PER_LINE = 20;

/** A letter as stored (the columns the documents read). */
export interface StoredLetter {
  number: string;
  subject: string;
  /** The addressees as stored: [{ role, name }]. */
  addressees: unknown;
  copyTo: unknown;
  /** The letter's text as issued (letterText). */
  body: string;
  issuedOn: string;
}

export interface LetterDocument {
  /** 发文机关标志, printed in red. */
  officeMark: string;
  /** 发文字号: 改办函〔2026〕12号. */
  number: string;
  title: string;
  /** 主送, ending with a full-width colon. */
  addressees: string;
  /** The body's paragraphs, in Chinese punctuation (each set with a two-character first-line indent). */
  paragraphs: string[];
  /** 发文机关署名 (as the letter was issued). */
  signature: string;
  /** 成文日期 in Arabic numerals: 2026年11月30日. */
  date: string;
  /** 抄送：甲，乙。 — null when the letter is copied to none. */
  copyTo: string | null;
  /** The file name without extension: "<number> <subject>". */
  filename: string;
}

/** ASCII punctuation in Chinese text and its full-width form (GB/T 15834); between digits (1,000 / 10:30) it stays. */
const FULL_WIDTH: Record<string, string> = { ',': '，', ':': '：', ';': '；', '(': '（', ')': '）', '!': '！', '?': '？' };

/** Chinese text in Chinese punctuation: the stored wording uses ASCII , : ; ( ) ! ? which a printed letter must not. */
export function fullWidthPunctuation(text: string): string {
  return text.replace(/[,:;()!?]/g, (ch, at: number) => {
    if ((ch === ',' || ch === ':') && /\d/.test(text[at - 1] ?? '') && /\d/.test(text[at + 1] ?? '')) return ch;
    return FULL_WIDTH[ch];
  });
}

const partyNames = (value: unknown): string[] | null =>
  Array.isArray(value) && value.every((p) => p && typeof p === 'object' && typeof (p as { name?: unknown }).name === 'string') ? value.map((p) => (p as { name: string }).name) : null;

/** Characters a file name may not hold on the systems the offices use. */
const safeName = (text: string) => text.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_');

/** The document of a stored letter: its parts from the text as issued, the office name from the configuration. */
export function letterDocument(letter: StoredLetter, office: { name: string }): LetterDocument {
  const parts: LetterParts = readLetterText(letter.body) ?? {
    heading: '',
    number: letter.number,
    addressees: '',
    paragraphs: letter.body.split('\n').filter((l) => l.trim() !== ''),
    copyTo: null,
    office: office.name,
    date: '',
  };
  const to = partyNames(letter.addressees) ?? (parts.addressees ? parts.addressees.split('、') : []);
  const cc = partyNames(letter.copyTo) ?? (parts.copyTo ? parts.copyTo.split('、') : []);
  return {
    officeMark: office.name,
    number: letter.number,
    title: fullWidthPunctuation(letter.subject),
    addressees: `${to.join('、')}：`,
    paragraphs: parts.paragraphs.map((p) => fullWidthPunctuation(p.trim())),
    signature: parts.office || office.name,
    date: formatChineseDate(letter.issuedOn as LocalDate),
    copyTo: cc.length ? `抄送：${cc.join('，')}。` : null,
    filename: safeName(`${letter.number} ${letter.subject}`),
  };
}

/** Width in half character cells: a Chinese character or full-width sign takes two, an ASCII one one. */
function cells(text: string): number {
  let n = 0;
  for (const ch of text) n += ch.charCodeAt(0) < 0x80 ? 1 : 2;
  return n;
}

/** Width in characters (an ASCII character counts half). */
export const textWidth = (text: string): number => cells(text) / 2;

/** Signs no line may start with (行首禁则). */
export const NO_LINE_START = '，。、：；！？）》」』”’〕】〉…%‰·,.;:!?)]}';
/** Signs no line may end with (行尾禁则). */
export const NO_LINE_END = '（《「『“‘〔【〈([{';

/**
 * The text cut into breakable pieces: one character each, except a date (2026年10月30日) and a
 * run of ASCII letters and digits (2027, A13), each kept whole when it fits a line.
 */
function pieces(text: string, capacity: number): string[] {
  const out: string[] = [];
  const re = /\d{4}年\d{1,2}月\d{1,2}日|[A-Za-z0-9]+|[\s\S]/gu;
  for (const m of text.matchAll(re)) {
    if (m[0].length > 1 && cells(m[0]) > capacity) out.push(...m[0]);
    else out.push(m[0]);
  }
  return out;
}

/**
 * Breaks a paragraph into lines of at most `chars` characters, the first `indent` characters
 * shorter, with the basic 禁则: a line never starts with a closing sign (the last character of
 * the line before comes down with it) and never ends with an opening one.
 */
export function breakLines(text: string, chars: number = GRID.charsPerLine, indent = 0): string[] {
  const capacity = chars * 2;
  const lines: string[][] = [];
  let line: string[] = [];
  let used = indent * 2;
  for (const piece of pieces(text, capacity - indent * 2)) {
    const w = cells(piece);
    if (used + w > capacity && line.length) {
      const carry: string[] = [];
      if (NO_LINE_START.includes(piece[0])) {
        while (line.length > 1 && NO_LINE_START.includes(line[line.length - 1][0])) carry.unshift(line.pop() as string);
        if (line.length > 1) carry.unshift(line.pop() as string);
      }
      while (line.length > 1 && NO_LINE_END.includes(line[line.length - 1].slice(-1))) carry.unshift(line.pop() as string);
      lines.push(line);
      line = carry;
      used = cells(carry.join(''));
    }
    line.push(piece);
    used += w;
  }
  if (line.length) lines.push(line);
  return lines.map((l) => l.join(''));
}

export type LineStyle = 'number' | 'title' | 'addressees' | 'body' | 'signature' | 'date' | 'copyTo';

/** A line on the page grid: row 0–21 of its page, starting `col` characters from the type area's left edge (a title line is centred instead). */
export interface PlacedLine {
  page: number;
  row: number;
  col: number;
  text: string;
  style: LineStyle;
}

export interface PageLayout {
  pages: number;
  lines: PlacedLine[];
  /** Where the seal goes: centred on this point (character column, grid row of its page). */
  seal?: { page: number; col: number; row: number };
}

/**
 * The letter on the page grid (22 rows of 28 characters). Page 1, row 0 holds the office name
 * and the red rules; the number is flush right on row 1; the title, centred, one row below; 主送
 * one row below the title; the body paragraphs with a two-character first-line indent. The
 * signature follows one row below the body, two characters from the right, and the date under
 * it two characters right of the signature's first (GB/T 9704 7.3.5.2, no seal); with a seal the
 * date stands four characters from the right, the signature centred over it, three rows left for
 * the seal (7.3.5.1). 抄送 takes the last rows of the last page, one character in from each side,
 * continuation lines aligned after the colon (7.4.2); the letter format's 版记 has no 分隔线 (10.1).
 */
export function layoutLetter(doc: LetterDocument, opts: { seal?: boolean } = {}): PageLayout {
  const { charsPerLine: W, linesPerPage: H } = GRID;
  const lines: PlacedLine[] = [];
  let page = 1;
  let row = 1;
  const place = (text: string, col: number, style: LineStyle) => {
    if (row >= H) {
      page += 1;
      row = 0;
    }
    lines.push({ page, row, col, text, style });
    row += 1;
  };
  place(doc.number, W - textWidth(doc.number), 'number');
  row += 1;
  for (const t of breakLines(doc.title, TITLE_CHARS_PER_LINE)) place(t, 0, 'title');
  row += 1;
  for (const t of breakLines(doc.addressees, W)) place(t, 0, 'addressees');
  for (const p of doc.paragraphs) breakLines(p, W, 2).forEach((t, i) => place(t, i === 0 ? 2 : 0, 'body'));

  // Signature and date, kept together on one page.
  const sig = textWidth(doc.signature);
  const date = textWidth(doc.date);
  let sigCol: number;
  let dateCol: number;
  if (opts.seal) {
    dateCol = W - 4 - date;
    sigCol = Math.min(W - sig, dateCol + date / 2 - sig / 2);
  } else {
    sigCol = W - 2 - sig;
    dateCol = sigCol + 2;
    if (dateCol + date > W - 2) {
      dateCol = W - 2 - date;
      sigCol = dateCol - 2;
    }
  }
  row += opts.seal ? 3 : 1;
  if (row + 2 > H) {
    page += 1;
    row = 0;
  }
  const sigRow = row;
  place(doc.signature, Math.max(0, sigCol), 'signature');
  place(doc.date, dateCol, 'date');
  const seal = opts.seal ? { page, col: dateCol + date / 2, row: sigRow + 0.5 } : undefined;

  if (doc.copyTo) {
    const head = textWidth('抄送：');
    const first = breakLines(doc.copyTo, W - 2)[0];
    const rest = breakLines(doc.copyTo.slice(first.length), W - 2 - head);
    const cc = [first, ...rest.filter((t) => t !== '')];
    if (row + 1 + cc.length > H) {
      page += 1;
    }
    row = H - cc.length;
    cc.forEach((t, i) => place(t, i === 0 ? 1 : 1 + head, 'copyTo'));
  }
  return { pages: page, lines, seal };
}

/** The page number of a page after the first (the letter format prints none on the first): — 2 —. */
export const pageNumber = (page: number): string | null => (page > 1 ? `— ${page} —` : null);
