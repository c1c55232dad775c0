/**
 * The highlighter's token rules for the rules language (and the holiday files), as plain
 * functions: CodeMirror's StreamLanguage calls `nextToken` on each line (rules-language.ts), the
 * unit spec checks it against the language's own lexer (rules/src/syntax/tokens.ts). It follows
 * that lexer: comments, quoted names (「…」 or "…"), keywords (the longest first), dates (6月30日),
 * numbers, rule ids (A9, Y9, S4), names (lower-case ids), Chinese words that are no keyword (a
 * typo the checker reports), punctuation.
 */
export type TokenType = 'comment' | 'string' | 'keyword' | 'date' | 'number' | 'ruleId' | 'name' | 'unknown' | 'punctuation';

/** The keywords of the rules language: KEYWORD_TEXTS in rules/src/syntax/tokens.ts (the unit spec keeps them equal). */
export const RULES_KEYWORDS: readonly string[] = [
  '程序', '角色', '属性', '事件', '阶段', '动作', '催办梯度', '时限', '函件模板', '亮灯', '黄', '进度落后', '个百分点',
  '版本', '依据', '启动时登记', '致函', '适用', '须先完成', '不适用时转入', '终结', '由', '转入', '记录', '须说明理由',
  '须事项全部完成', '须已记录', '登记事项', '起算', '满', '期限', '截至', '完成', '重复', '每', '催办', '前', '级',
  '到期前', '到期后', '前函限期届满后', '致', '抄送', '限期', '或', '且', '非', '标题', '正文',
  '本方案牵头单位', '本方案参与单位', '本方案专项小组', '提醒函', '督办函', '整改意见书', '点名通报', '约谈',
  '个工作日', '工作日', '个月', '年', '日', '天', '月',
  '考核', '指标', '分值', '计分', '每件扣', '分', '按期完成率', '事项完成率', '问题按期整改率', '第三方评估', '红榜',
];

/** The keywords of a year's holiday file (HOLIDAY_KEYWORDS in rules/src/holidays/parse-holidays.ts, and 至 of a range). */
export const HOLIDAY_KEYWORDS: readonly string[] = ['年份', '依据', '节假日', '调休上班', '至'];

/** Keywords longest first: one that begins another's text must not win (催办梯度 before 催办). */
export const byLength = (keywords: readonly string[]): string[] => [...keywords].sort((a, b) => b.length - a.length);

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/y;
const SPACE = /[ \t\r\n\u3000\ufeff]+/y;
const DATE = /(?:[0-9]{4}年)?[0-9]{1,2}月[0-9]{1,2}日|[0-9]{4}-[0-9]{2}-[0-9]{2}/y;
const NUMBER = /[0-9]+(?:\.[0-9]+)?/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
/** Where a rule comes from (docs: A = Anhui, Y = Yinchuan, S = Sichuan, W = Wuhan, H = Hunan). */
const RULE_ID = /^[AYSWH][0-9]+$/;
const PUNCT = /[、,\uff0c(\uff08)\uff09]/y;

function sticky(re: RegExp, line: string, pos: number): number {
  re.lastIndex = pos;
  return re.test(line) ? re.lastIndex : -1;
}

/** A quoted name's end (after its closing quote), or the line's end when it is not closed. */
function quotedEnd(line: string, pos: number): number {
  const quote = line[pos] === '"' ? '"' : '」';
  for (let i = pos + 1; i < line.length; i++) {
    if (quote === '"' && line[i] === '\\') i++;
    else if (line[i] === quote) return i + 1;
  }
  return line.length;
}

/** The token at `pos` of a line (nothing spans lines): where it ends and its type (null for spaces and anything unreadable). */
export function nextToken(line: string, pos: number, keywords: readonly string[]): { end: number; type: TokenType | null } {
  const ch = line[pos];
  let end = sticky(SPACE, line, pos);
  if (end > pos) return { end, type: null };
  if (ch === '#') return { end: line.length, type: 'comment' };
  if (ch === '"' || ch === '「') return { end: quotedEnd(line, pos), type: 'string' };
  end = sticky(DATE, line, pos);
  if (end > pos) return { end, type: 'date' };
  for (const k of keywords) if (line.startsWith(k, pos)) return { end: pos + k.length, type: 'keyword' };
  if (CJK.test(ch)) return { end: sticky(CJK_RUN, line, pos), type: 'unknown' };
  end = sticky(IDENT, line, pos);
  if (end > pos) return { end, type: RULE_ID.test(line.slice(pos, end)) ? 'ruleId' : 'name' };
  end = sticky(NUMBER, line, pos);
  if (end > pos) return { end, type: 'number' };
  end = sticky(PUNCT, line, pos);
  if (end > pos) return { end, type: 'punctuation' };
  return { end: pos + 1, type: null };
}

/** A whole line as tokens (the spaces left out): what the highlighter colours. */
export function tokenizeLine(line: string, keywords: readonly string[]): Array<{ text: string; type: TokenType | null }> {
  const out: Array<{ text: string; type: TokenType | null }> = [];
  for (let pos = 0; pos < line.length; ) {
    const { end, type } = nextToken(line, pos, keywords);
    const text = line.slice(pos, end);
    if (text.trim()) out.push({ text, type });
    pos = end;
  }
  return out;
}
