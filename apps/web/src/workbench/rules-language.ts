import { HighlightStyle, StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { tags } from '@lezer/highlight';
import { byLength, HOLIDAY_KEYWORDS, nextToken, RULES_KEYWORDS, TokenType } from './rules-tokens';

/** The highlighter's token types as highlighting tags. */
const TOKEN_TAGS: Record<TokenType, Parameters<typeof HighlightStyle.define>[0][number]['tag']> = {
  comment: tags.lineComment,
  string: tags.string,
  keyword: tags.keyword,
  date: tags.special(tags.number),
  number: tags.number,
  ruleId: tags.labelName,
  name: tags.variableName,
  unknown: tags.invalid,
  punctuation: tags.punctuation,
};

/** In a holiday file, a Chinese word that is no keyword is a holiday's name (元旦), not a typo. */
const HOLIDAY_TAGS = { ...TOKEN_TAGS, unknown: tags.variableName };

/** A StreamLanguage over the token rules of rules-tokens.ts (no state: no token spans lines). */
function language(name: string, keywords: readonly string[], tokenTable: typeof TOKEN_TAGS) {
  const ordered = byLength(keywords);
  return StreamLanguage.define<null>({
    name,
    startState: () => null,
    token(stream) {
      const { end, type } = nextToken(stream.string, stream.pos, ordered);
      stream.pos = Math.max(end, stream.pos + 1);
      return type;
    },
    tokenTable,
    languageData: { commentTokens: { line: '#' } },
  });
}

const style = HighlightStyle.define([
  { tag: tags.lineComment, color: '#6a737d', fontStyle: 'italic' },
  { tag: tags.string, color: '#0a7d32' },
  { tag: tags.keyword, color: '#a31515', fontWeight: 'bold' },
  { tag: tags.special(tags.number), color: '#b35c00' },
  { tag: tags.number, color: '#1750eb' },
  { tag: tags.labelName, color: '#7b1fa2', fontWeight: 'bold' },
  { tag: tags.variableName, color: '#00558c' },
  { tag: tags.invalid, color: '#d32f2f', textDecoration: 'underline wavy' },
]);

/** Highlighting for the rules language (.rules) or a year's holiday file (.holidays). */
export function rulesHighlighting(kind: 'rules' | 'holidays'): Extension {
  return [kind === 'rules' ? language('rules', RULES_KEYWORDS, TOKEN_TAGS) : language('holidays', HOLIDAY_KEYWORDS, HOLIDAY_TAGS), syntaxHighlighting(style)];
}
