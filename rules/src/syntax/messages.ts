import { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';

/** What the parser was reading, in the words of the reference page. */
export const RULE_LABELS: Record<string, string> = {
  file: '规则文件',
  declaration: '声明',
  procedure: '程序声明',
  version: '版本',
  source: '依据',
  startEvents: '启动时登记',
  names: '名称列表',
  role: '角色声明',
  addressee: '致函对象',
  attribute: '属性声明',
  event: '事件声明',
  stage: '阶段声明',
  applies: '适用条件',
  requires: '须先完成',
  skipTo: '不适用时转入',
  action: '动作声明',
  by: '由(办理角色)',
  goesTo: '转入',
  records: '记录',
  needsEvents: '须已记录',
  ladder: '催办梯度声明',
  level: '催办函件',
  trigger: '发函时机',
  to: '致(收函角色)',
  cc: '抄送',
  limit: '限期',
  duration: '期间',
  deadline: '时限声明',
  template: '函件模板声明',
  subject: '标题',
  paragraph: '正文',
  from: '起算',
  within: '期限',
  byDate: '截至日期',
  metBy: '完成',
  repeat: '重复',
  uses: '催办',
  condition: '条件',
  conjunction: '条件',
  negation: '条件',
  atom: '条件',
  light: '亮灯声明',
  lightTrigger: '亮灯条件',
  // Assessment schemes.
  scheme: '考核声明',
  indicator: '考核指标',
  score: '分数',
  points: '分值',
  measure: '计分口径',
};

const label = (t: TokenType) => t.LABEL ?? t.name;

export function describeToken(token: IToken): string {
  if (token.tokenType.name === 'EOF') return '文件结尾';
  const image = token.image.length > 20 ? `${token.image.slice(0, 20)}…` : token.image;
  return `「${image}」`;
}

function alternatives(paths: TokenType[][][]): string {
  const firsts = new Set<string>();
  for (const alt of paths) for (const path of alt) if (path[0]) firsts.add(label(path[0]));
  return [...firsts].slice(0, 8).join('、');
}

const declarationExpected = (actual: IToken) => `此处应开始一项声明(程序、角色、属性、事件、阶段、催办梯度、时限、函件模板、亮灯),却是${describeToken(actual)}`;

export const chineseMessages: IParserErrorMessageProvider = {
  // Recovery between declarations reports "expected the end of the file": say what may start one.
  buildMismatchTokenMessage: ({ expected, actual, ruleName }) =>
    expected.name === 'EOF' ? declarationExpected(actual) : `${RULE_LABELS[ruleName] ?? ruleName}中此处应为${label(expected)},却是${describeToken(actual)}`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) => declarationExpected(firstRedundant),
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual, ruleName }) =>
    `${RULE_LABELS[ruleName] ?? ruleName}中此处应为${alternatives(expectedPathsPerAlt)}之一,却是${describeToken(actual[0])}`,
  buildEarlyExitMessage: ({ expectedIterationPaths, actual, ruleName }) =>
    `${RULE_LABELS[ruleName] ?? ruleName}中此处应为${alternatives([expectedIterationPaths])},却是${describeToken(actual[0])}`,
};
