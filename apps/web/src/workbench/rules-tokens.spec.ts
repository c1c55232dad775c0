import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lexer } from 'chevrotain';
import { HOLIDAY_KEYWORDS as HOLIDAY_WORDS } from '../../../../rules/src/holidays/parse-holidays';
import { ALL_TOKENS, KEYWORD_TEXTS } from '../../../../rules/src/syntax/tokens';
import { byLength, HOLIDAY_KEYWORDS, nextToken, RULES_KEYWORDS, tokenizeLine, TokenType } from './rules-tokens';

const ROOT = join(__dirname, '../../../..');
const STANDARD = join(ROOT, 'rules/standard');
const keywords = byLength(RULES_KEYWORDS);

/** The highlighter's token at an offset of a text, by lines as CodeMirror feeds them. */
function tokenAt(text: string, offset: number): { type: TokenType | null; from: number; to: number } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const line = text.slice(lineStart, text.indexOf('\n', offset) < 0 ? text.length : text.indexOf('\n', offset));
  for (let pos = 0; pos < line.length; ) {
    const t = nextToken(line, pos, keywords);
    if (offset - lineStart < t.end) return { type: t.type, from: lineStart + pos, to: lineStart + t.end };
    pos = t.end;
  }
  return { type: null, from: offset, to: offset };
}

describe('the rules highlighter', () => {
  it('knows exactly the keywords of the language and of the holiday files', () => {
    expect([...RULES_KEYWORDS].sort()).toEqual([...KEYWORD_TEXTS].sort());
    expect(HOLIDAY_KEYWORDS).toEqual(expect.arrayContaining(Object.values(HOLIDAY_WORDS)));
  });

  it('colours every token of the standard rules as the language lexer reads it', () => {
    const lexer = new Lexer(ALL_TOKENS, { positionTracking: 'onlyOffset' });
    const expected: Record<string, TokenType[]> = { Comment: ['comment'], StringLiteral: ['string'], Identifier: ['name', 'ruleId'], NumberLiteral: ['number', 'date'], DecimalLiteral: ['number'], UnknownWord: ['unknown'], Separator: ['punctuation'], LParen: ['punctuation'], RParen: ['punctuation'] };
    let checked = 0;
    for (const file of readdirSync(STANDARD).filter((f) => f.endsWith('.rules'))) {
      const text = readFileSync(join(STANDARD, file), 'utf8');
      const lexed = lexer.tokenize(text);
      expect(lexed.errors).toEqual([]);
      for (const t of [...lexed.tokens, ...(lexed.groups.comments ?? [])]) {
        const name = t.tokenType.name;
        const mine = tokenAt(text, t.startOffset);
        const allowed = expected[name] ?? (KEYWORD_TEXTS.includes(t.image) ? ['keyword', 'date'] : []);
        expect([file, t.image, mine.type && allowed.includes(mine.type)]).toEqual([file, t.image, true]);
        // The same extent, except that a date takes its number, month and day together.
        if (mine.type !== 'date') expect([file, text.slice(mine.from, mine.to)]).toEqual([file, t.image]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('tells rule ids from names, dates from numbers, and marks words that are no keyword', () => {
    expect(tokenizeLine('时限 midyear_supervision "年中集中督察自查报告"', keywords)).toEqual([
      { text: '时限', type: 'keyword' },
      { text: 'midyear_supervision', type: 'name' },
      { text: '"年中集中督察自查报告"', type: 'string' },
    ]);
    expect(tokenizeLine('  截至 6月30日  # 年中', keywords).map((t) => t.type)).toEqual(['keyword', 'date', 'comment']);
    expect(tokenizeLine('  督办函 到期后 致 lead_unit 限期 10 个工作日 依据 Y9', keywords).map((t) => `${t.text}:${t.type}`)).toEqual([
      '督办函:keyword', '到期后:keyword', '致:keyword', 'lead_unit:name', '限期:keyword', '10:number', '个工作日:keyword', '依据:keyword', 'Y9:ruleId',
    ]);
    // A typo: 个越 is no unit; the lexer reads it as an unknown word, as the highlighter does.
    expect(tokenizeLine('  期限 2 个越', keywords).map((t) => t.type)).toEqual(['keyword', 'number', 'unknown']);
    // An unclosed name runs to the end of its line, as in the lexer (no name spans lines).
    expect(tokenizeLine('阶段 summary 「总结报告', keywords).map((t) => t.type)).toEqual(['keyword', 'name', 'string']);
  });

  it('reads the holiday files with their own keywords', () => {
    const text = readFileSync(join(ROOT, 'rules/calendar/2026.holidays'), 'utf8');
    const line = text.split('\n').find((l) => l.startsWith('节假日 春节'))!;
    expect(tokenizeLine(line, byLength(HOLIDAY_KEYWORDS)).map((t) => t.type)).toEqual(['keyword', 'unknown', 'date', 'keyword', 'date']);
  });
});
