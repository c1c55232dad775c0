import { ILexingError, IRecognitionException, IToken, Lexer, tokenMatcher } from 'chevrotain';
import { Diagnostic, LineIndex, Result, sortDiagnostics } from '../diagnostics';
import { NameIndex } from '../util/closest';
import * as A from './ast';
import { Built, tokenRange, withLines } from './build-ast';
import { grammar } from './grammar';
import { describeToken } from './messages';
import * as T from './tokens';

/** Past this many diagnostics a file is reported as hopeless: binary junk would print forever. */
export const MAX_DIAGNOSTICS = 100;
/** Deeper parentheses than any rule needs; deeper would only exhaust the parser's stack. */
export const MAX_NESTING = 64;

let lexer: Lexer | undefined;
// Offsets only: lines and columns come from the text's line index, a token's end from its image.
const theLexer = () => (lexer ??= new Lexer(T.ALL_TOKENS, { positionTracking: 'onlyOffset', ensureOptimizations: false }));

let keywords: NameIndex | undefined;
/** The keywords indexed once for did-you-mean hints, not again for every unknown word. */
const keywordIndex = () => (keywords ??= new NameIndex(T.KEYWORD_TEXTS));

/** Where the parser starts again after an error it could not repair inside a declaration. */
const SYNC = [...T.DECLARATION_STARTS, T.Action, T.LetterKind, T.Indicator];
const isSync = (t: IToken) => SYNC.some((s) => tokenMatcher(t, s));

/**
 * Text to syntax tree. Never throws: every problem becomes a positioned diagnostic and the
 * parser goes on after it, so a file's errors are all reported in one run.
 */
export function parseRules(text: string): Result<A.RulesFile> {
  const index = new LineIndex(text);
  // The parser makes an exception object for every error it recovers from, and nobody reads
  // their stack traces: capturing them was most of the time a file of many errors took.
  const traces = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return withLines(index, () => parseWith(text, index));
  } finally {
    Error.stackTraceLimit = traces;
  }
}

function parseWith(text: string, index: LineIndex): Result<A.RulesFile> {
  const diagnostics: Diagnostic[] = [];
  const report = (d: Diagnostic) => diagnostics.length < MAX_DIAGNOSTICS && diagnostics.push(d);

  const lexed = theLexer().tokenize(text);
  for (const e of lexed.errors) report(lexError(text, index, e));
  const unreadable = T.Unreadable;
  // Copied only when something must go: the token list of a big file is big.
  const readable = lexed.tokens.some((t) => t.tokenType === unreadable)
    ? lexed.tokens.filter((t) => t.tokenType !== unreadable || (report(lexError(text, index, { offset: t.startOffset, length: t.image.length })), false))
    : lexed.tokens;
  const all = guardNesting(readable, report);

  const declarations: A.Declaration[] = [];
  let from = 0;
  while (from < all.length) {
    const g = grammar();
    const built: Built[] = [];
    g.fileFrom(all, from, (b) => built.push(b));
    let stoppedAt: IToken | undefined;
    for (const e of g.errors) {
      if (e.name === 'NotAllInputParsedException') stoppedAt = e.token;
      // Past the cap the diagnostic would be dropped: do not search keywords for its hint.
      if (diagnostics.length < MAX_DIAGNOSTICS) report(parseError(e, all[all.length - 1]));
    }
    collect(built, declarations, report, diagnostics);
    if (!stoppedAt) break;
    // Skip what cannot start anything and parse the rest as a new run.
    let next = Math.max(all.indexOf(stoppedAt, from), from) + 1;
    while (next < all.length && !isSync(all[next])) next++;
    from = next;
  }
  const file: A.RulesFile = { headerComments: [], declarations, trailingComments: [] };
  attachComments(file, lexed.groups['comments'] ?? [], index);
  const sorted = sortDiagnostics(diagnostics);
  // The notice comes last, where a reader stops.
  if (sorted.length >= MAX_DIAGNOSTICS) {
    sorted[MAX_DIAGNOSTICS - 1] = {
      severity: 'error',
      code: 'too-many-errors',
      message: `错误过多,仅列出前${MAX_DIAGNOSTICS - 1}个;这可能不是规则文件`,
      range: sorted[MAX_DIAGNOSTICS - 1].range,
    };
  }
  return { value: file, diagnostics: sorted };
}

function lexError(text: string, index: LineIndex, e: Pick<ILexingError, 'offset' | 'length'>): Diagnostic {
  const bad = text.slice(e.offset, e.offset + Math.min(e.length, 10));
  return {
    severity: 'error',
    code: 'unknown-character',
    message: `无法识别的字符「${[...bad].map(visible).join('')}」`,
    range: index.range(e.offset, e.length),
    hint: /["“”]/.test(bad) ? '名称用英文双引号 "…" 或「…」括起,且不跨行' : undefined,
  };
}

const visible = (ch: string) => (/[\u0000-\u001f\u007f-\u009f\ufffd]/.test(ch) ? `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}` : ch);

/** An error at the end of the file points at its last token: that is where something is missing. */
function parseError(e: IRecognitionException, last: IToken | undefined): Diagnostic {
  const t = e.token;
  const at = t.tokenType.name === 'EOF' || !Number.isFinite(t.startOffset) ? last : t;
  const range = at ? tokenRange(at) : { offset: 0, length: 0, line: 1, column: 1 };
  if (t.tokenType === T.UnknownWord) {
    const guess = keywordIndex().closest(t.image);
    return {
      severity: 'error',
      code: 'unknown-word',
      message: `未知的词${describeToken(t)}`,
      range,
      hint: guess ? `是否想写「${guess}」?` : '关键词见 docs/rules-language.md',
    };
  }
  return { severity: 'error', code: 'syntax', message: e.message, range };
}

const CONDITION = [T.LParen, T.RParen, T.Not, T.And, T.Or, T.Identifier];

/** Parentheses nested deeper than MAX_NESTING: report once and drop that condition's tokens. */
function guardNesting(tokens: IToken[], report: (d: Diagnostic) => void): IToken[] {
  // Parentheses have no categories: the token type says it.
  const open = T.LParen;
  const close = T.RParen;
  let depth = 0;
  let deepest = 0;
  for (const t of tokens) {
    if (t.tokenType === open) deepest = Math.max(deepest, ++depth);
    else if (t.tokenType === close) depth = Math.max(0, depth - 1);
  }
  if (deepest <= MAX_NESTING) return tokens;
  depth = 0;
  const out: IToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.tokenType === open) depth++;
    else if (t.tokenType === close) depth = Math.max(0, depth - 1);
    if (depth > MAX_NESTING) {
      report({ severity: 'error', code: 'nesting-too-deep', message: `括号嵌套超过${MAX_NESTING}层`, range: tokenRange(t), hint: '请拆分条件' });
      // Drop the whole 适用 clause, back to its keyword and on to its end: a half would be a second error.
      while (out.length && CONDITION.some((c) => tokenMatcher(out[out.length - 1], c))) out.pop();
      if (out.length && tokenMatcher(out[out.length - 1], T.AppliesWhen)) out.pop();
      while (i + 1 < tokens.length && CONDITION.some((c) => tokenMatcher(tokens[i + 1], c))) i++;
      depth = 0;
      continue;
    }
    out.push(t);
  }
  return out;
}

/** The declarations of a run, after its syntax errors: what each reports, then where an orphan goes. */
function collect(list: Built[], into: A.Declaration[], report: (d: Diagnostic) => void, reported: readonly Diagnostic[]) {
  // An item after a declaration the parser could not read (阶级 for 阶段) is an orphan only as an echo of that error.
  const echo = (owner: A.Declaration | undefined, at: number) => reported.some((x) => x.range.offset >= (owner?.range.offset ?? 0) && x.range.offset < at);
  for (const { built, repeated } of list) {
    repeated.forEach(report);
    if (!built) continue;
    if (built.kind === 'orphan-action') {
      const owner = into[into.length - 1];
      if (owner?.kind === 'stage') owner.actions.push(built.action);
      else if (!echo(owner, built.action.range.offset)) report({ severity: 'error', code: 'orphan', message: '动作须写在阶段之内', range: built.action.range });
    } else if (built.kind === 'orphan-level') {
      const owner = into[into.length - 1];
      if (owner?.kind === 'deadline' || owner?.kind === 'ladder') owner.levels.push(built.level);
      else if (!echo(owner, built.level.range.offset)) report({ severity: 'error', code: 'orphan', message: '催办函件须写在时限或催办梯度之内', range: built.level.range });
    } else if (built.kind === 'orphan-indicator') {
      const owner = into[into.length - 1];
      if (owner?.kind === 'scheme') owner.indicators.push(built.indicator);
      else if (!echo(owner, built.indicator.range.offset)) report({ severity: 'error', code: 'orphan', message: '考核指标须写在考核声明之内', range: built.indicator.range });
    } else into.push(built);
  }
}

/** Something a comment can belong to; a clause line's comments are made when one is attached. */
type Commentable = { range: A.Node['range']; comments: A.Comments } | { range: A.Node['range']; clauseOf: A.Declaration; key: string };

const trailingOf = (item: Commentable): string | undefined => ('comments' in item ? item.comments : item.clauseOf.clauseComments?.[item.key])?.trailing;

function commentsOf(item: Commentable): A.Comments {
  if ('comments' in item) return item.comments;
  const all = (item.clauseOf.clauseComments ??= {});
  return (all[item.key] ??= { leading: [] });
}

/** The clause lines of a declaration the formatter prints one a line, keyed as clauseComments is. */
export function clauseNodes(d: A.Declaration): Array<[string, A.Node | undefined]> {
  switch (d.kind) {
    case 'procedure':
      return [['version', d.version], ['source', d.source], ['startEvents', d.startEvents[0]]];
    case 'stage':
      return [['source', d.source], ['when', d.when], ['requires', d.requires[0]], ['skipTo', d.skipTo], ['final', d.final]];
    case 'deadline':
      return [['source', d.source], ['when', d.when], ['from', d.from], ['within', d.within], ['byDate', d.byDate], ['metBy', d.metBy], ['repeat', d.repeat], ['uses', d.uses]];
    case 'scheme':
      return [['source', d.source]];
    case 'template':
      return [['source', d.source], ['subject', d.subject], ...d.paragraphs.map((p, i): [string, A.Node] => [`paragraph:${i}`, p])];
    default:
      return [];
  }
}

/**
 * Items a comment can belong to in one declaration, in file order: the declaration, its actions
 * or letters and its clause lines. They all lie before the next declaration.
 */
function itemsOf(d: A.Declaration): Commentable[] {
  const out: Commentable[] = [d];
  if (d.kind === 'stage') out.push(...d.actions);
  if (d.kind === 'ladder' || d.kind === 'deadline') out.push(...d.levels);
  if (d.kind === 'scheme') out.push(...d.indicators);
  for (const [key, node] of clauseNodes(d)) if (node) out.push({ range: node.range, clauseOf: d, key });
  return out.sort((a, b) => a.range.offset - b.range.offset);
}

/**
 * A comment at the end of an item's first line stays there; any other comment belongs to the
 * item after it (the formatter prints it on the line before), or to the end of the file.
 */
function attachComments(file: A.RulesFile, comments: IToken[], index: LineIndex) {
  if (!comments.length) return;
  const lineOf = (c: IToken) => index.range(c.startOffset, 0).line;
  const decls = file.declarations;
  // A declaration's items are listed only where a comment falls: a big file has few comments.
  const groups = new Map<number, Commentable[]>();
  const itemsAt = (k: number) => {
    let g = groups.get(k);
    if (!g) groups.set(k, (g = itemsOf(decls[k])));
    return g;
  };
  // The file's header: the comments before the first item, up to the last blank line among them.
  const firstLine = decls[0]?.range.line ?? Infinity;
  const before = comments.filter((c) => lineOf(c) < firstLine);
  let header = 0;
  before.forEach((c, k) => {
    const nextLine = k + 1 < before.length ? lineOf(before[k + 1]) : firstLine;
    if (nextLine > lineOf(c) + 1) header = k + 1;
  });
  if (decls.length === 0) header = 0;
  file.headerComments = before.slice(0, header).map((c) => c.image.slice(1).trim());
  let d = 0;
  for (const c of comments.slice(header)) {
    // The last item before the comment is in the last declaration that starts before it; the
    // first item after it is there too, or else the next declaration.
    while (d < decls.length && decls[d].range.offset < c.startOffset) d++;
    let before: Commentable | undefined;
    let after: Commentable | undefined = decls[d];
    if (d > 0) {
      const g = itemsAt(d - 1);
      let j = 0;
      while (j < g.length && g[j].range.offset < c.startOffset) j++;
      before = g[j - 1];
      if (j < g.length) after = g[j];
    }
    const body = c.image.slice(1).trim();
    if (before && before.range.line === lineOf(c) && trailingOf(before) === undefined) commentsOf(before).trailing = body;
    else if (after) commentsOf(after).leading.push(body);
    else file.trailingComments.push(body);
  }
}
