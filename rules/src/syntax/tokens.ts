import { createToken, Lexer, TokenType } from 'chevrotain';

/**
 * The words of the rules language. Keywords are Chinese, so a clerk reads a rule as a sentence;
 * names (stage, role, event ids) are lower-case ASCII, so they stay stable in databases, letters'
 * keys and the engine's history whatever the labels become. Each token's LABEL is what an
 * error message calls it.
 */
const keywords: TokenType[] = [];
function keyword(name: string, text: string, category?: TokenType): TokenType {
  const t = createToken({ name, pattern: text, label: `「${text}」`, categories: category ? [category] : [] });
  keywords.push(t);
  return t;
}

// Categories let the grammar say "a unit" or "a letter kind" once.
export const Unit = createToken({ name: 'Unit', pattern: Lexer.NA, label: '时间单位(日、个工作日、个月、年)' });
export const LetterKind = createToken({ name: 'LetterKind', pattern: Lexer.NA, label: '函件种类(提醒函、督办函、整改意见书、点名通报、约谈)' });
export const Party = createToken({ name: 'Party', pattern: Lexer.NA, label: '方案中的单位(本方案牵头单位、本方案参与单位、本方案专项小组)' });

// Declarations.
export const Procedure = keyword('Procedure', '程序');
export const Role = keyword('Role', '角色');
export const Attribute = keyword('Attribute', '属性');
export const Event = keyword('Event', '事件');
export const Stage = keyword('Stage', '阶段');
export const Action = keyword('Action', '动作');
export const LadderDecl = keyword('LadderDecl', '催办梯度');
export const Deadline = keyword('Deadline', '时限');
export const Template = keyword('Template', '函件模板');

// ---- Lights (issue 9 §4): `亮灯 黄 到期前 5 个工作日 依据 Y9`, `亮灯 黄 进度落后 30 个百分点 依据 S4`.
export const Lights = keyword('Lights', '亮灯');
export const Yellow = keyword('Yellow', '黄');
export const Behind = keyword('Behind', '进度落后');
export const PercentPoints = keyword('PercentPoints', '个百分点');
// ---- end of lights.

// Clauses. Longer words first where one begins another (催办梯度 before 催办).
export const Version = keyword('Version', '版本');
export const Source = keyword('Source', '依据');
export const StartEvents = keyword('StartEvents', '启动时登记');
export const AddressedTo = keyword('AddressedTo', '致函');
export const AppliesWhen = keyword('AppliesWhen', '适用');
export const Requires = keyword('Requires', '须先完成');
export const SkipTo = keyword('SkipTo', '不适用时转入');
export const Final = keyword('Final', '终结');
export const By = keyword('By', '由');
export const GoesTo = keyword('GoesTo', '转入');
export const Records = keyword('Records', '记录');
export const NeedsReason = keyword('NeedsReason', '须说明理由');
export const NeedsAllItems = keyword('NeedsAllItems', '须事项全部完成');
export const NeedsEvents = keyword('NeedsEvents', '须已记录');
export const ItemUpsert = keyword('ItemUpsert', '登记事项');
export const From = keyword('From', '起算');
export const After = keyword('After', '满');
export const Within = keyword('Within', '期限');
export const ByDate = keyword('ByDate', '截至');
export const MetBy = keyword('MetBy', '完成');
export const Repeat = keyword('Repeat', '重复');
export const Every = keyword('Every', '每');
export const UsesLadder = keyword('UsesLadder', '催办');
export const FirstLevels = keyword('FirstLevels', '前');
export const Levels = keyword('Levels', '级');
export const BeforeDue = keyword('BeforeDue', '到期前');
export const DueEnded = keyword('DueEnded', '到期后');
export const PreviousLimitEnded = keyword('PreviousLimitEnded', '前函限期届满后');
export const To = keyword('To', '致');
export const Cc = keyword('Cc', '抄送');
export const Limit = keyword('Limit', '限期');
export const Or = keyword('Or', '或');
export const And = keyword('And', '且');
export const Not = keyword('Not', '非');
export const Subject = keyword('Subject', '标题');
export const Paragraph = keyword('Paragraph', '正文');

export const LeadUnit = keyword('LeadUnit', '本方案牵头单位', Party);
export const ParticipatingUnits = keyword('ParticipatingUnits', '本方案参与单位', Party);
export const SpecialGroup = keyword('SpecialGroup', '本方案专项小组', Party);

export const Reminder = keyword('Reminder', '提醒函', LetterKind);
export const Supervision = keyword('Supervision', '督办函', LetterKind);
export const Rectification = keyword('Rectification', '整改意见书', LetterKind);
export const PublicNaming = keyword('PublicNaming', '点名通报', LetterKind);
export const Interview = keyword('Interview', '约谈', LetterKind);

export const WorkingDays = keyword('WorkingDays', '个工作日', Unit);
export const WorkingDaysShort = keyword('WorkingDaysShort', '工作日', Unit);
export const Months = keyword('Months', '个月', Unit);
export const Years = keyword('Years', '年', Unit);
export const Days = keyword('Days', '日', Unit);
export const DaysAlt = keyword('DaysAlt', '天', Unit);
export const Month = keyword('Month', '月');

// ---- Assessment schemes (考核细则, S4, Y13): a 考核 declaration and its 指标 (own block).
/** What an indicator is computed from: one of a closed set of ledger measures, or a kind of letter received. */
export const Measure = createToken({ name: 'Measure', pattern: Lexer.NA, label: '计分口径(按期完成率、事项完成率、问题按期整改率、第三方评估、红榜或函件种类)' });
export const SchemeDecl = keyword('SchemeDecl', '考核');
export const Indicator = keyword('Indicator', '指标');
export const Points = keyword('Points', '分值');
export const MeasuredBy = keyword('MeasuredBy', '计分');
export const PerLetter = keyword('PerLetter', '每件扣');
export const PointUnit = keyword('PointUnit', '分');
export const OnScheduleRate = keyword('OnScheduleRate', '按期完成率', Measure);
export const CompletionRate = keyword('CompletionRate', '事项完成率', Measure);
export const ProblemsOnTime = keyword('ProblemsOnTime', '问题按期整改率', Measure);
export const ThirdParty = keyword('ThirdParty', '第三方评估', Measure);
export const RedList = keyword('RedList', '红榜', Measure);
/** Points may have decimals (扣 0.5 分); read before NumberLiteral, which would take the whole part. */
export const DecimalLiteral = createToken({ name: 'DecimalLiteral', pattern: /[0-9]+\.[0-9]+/, label: '数字' });
// ---- End of assessment schemes.

/**
 * A quoted name, scanned in one pass. A regular expression with a loop
 * around an alternation keeps one backtrack entry per character, and V8 runs out of regexp stack
 * on a name of a few million characters (RangeError): this scan needs no stack at all.
 */
function matchQuoted(text: string, offset: number): [string] | null {
  const open = text.charCodeAt(offset);
  const quoted = open === 0x22;
  if (!quoted && open !== 0x300c) return null;
  for (let i = offset + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) return null;
    if (quoted) {
      if (c === 0x22) return [text.slice(offset, i + 1)];
      // A backslash takes the next character with it, except a line break ("." never matched one).
      if (c === 0x5c) {
        const next = text.charCodeAt(i + 1);
        if (Number.isNaN(next) || next === 0x0a || next === 0x0d || next === 0x2028 || next === 0x2029) return null;
        i++;
      }
    } else if (c === 0x300d) return [text.slice(offset, i + 1)];
  }
  return null;
}

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: '标识' });
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /[0-9]+/, label: '数字' });
/** "…" with \" and \\ escapes, or 「…」; neither spans lines, so one missing quote stays one error. */
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: { exec: matchQuoted },
  line_breaks: false,
  start_chars_hint: ['"', '「'],
  label: '带引号的名称',
});
export const Separator = createToken({ name: 'Separator', pattern: /[、,\uff0c]/, label: '「、」' });
export const LParen = createToken({ name: 'LParen', pattern: /[(\uff08]/, label: '「(」' });
export const RParen = createToken({ name: 'RParen', pattern: /[)\uff09]/, label: '「)」' });
/** Chinese text that is no keyword: a typo the parser reports with a did-you-mean. */
export const UnknownWord = createToken({ name: 'UnknownWord', pattern: /[\u3400-\u9fff\uf900-\ufaff]+/, label: '未知的词' });
/**
 * A run of characters no token can start with, taken in one step and reported as
 * unknown-character: the lexer's own recovery retries every pattern at every character, which
 * takes many seconds on megabytes of binary junk. The class spells out the complement of the
 * other tokens' first characters: a negated class would cost the lexer its first-character
 * optimisation.
 */
export const Unreadable = createToken({ name: 'Unreadable', pattern: /[\u0000-\u0008\u000b\u000c\u000e-\u001f!$-'*+\-./:-@[-^`{-\u2fff\u3002-\u300b\u300d-\u33ff\ua000-\uf8ff\ufb00-\ufefe\uff00-\uff07\uff0a\uff0b\uff0d-\uffff]+/, label: '无法识别的字符' });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n\r]*/, group: 'comments' });
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\u3000\ufeff]+/, group: Lexer.SKIPPED });

// Keywords that begin with another keyword's text come first: the lexer takes the first match.
const ordered = [...keywords].sort((a, b) => String(b.PATTERN).length - String(a.PATTERN).length);

export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  Comment,
  StringLiteral,
  ...ordered,
  Unit,
  LetterKind,
  Party,
  Measure,
  UnknownWord,
  Identifier,
  DecimalLiteral,
  NumberLiteral,
  Separator,
  LParen,
  RParen,
  Unreadable,
];

/** Every keyword's text, for did-you-mean hints. */
export const KEYWORD_TEXTS: string[] = keywords.map((k) => String(k.PATTERN));

export const DECLARATION_STARTS = [Procedure, Role, Attribute, Event, Stage, LadderDecl, Deadline, Template, Lights, SchemeDecl];
