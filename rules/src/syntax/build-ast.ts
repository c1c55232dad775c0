import { CstElement, CstNode, IToken } from 'chevrotain';
import type { LineIndex, SourceRange } from '../diagnostics';
import * as A from './ast';

/**
 * From Chevrotain's concrete tree to the syntax tree. A recovering parser leaves holes (tokens
 * "inserted in recovery" with no text, missing children); they become `undefined` here, never
 * a made-up name.
 */
type Children = Record<string, CstElement[] | undefined>;

const isToken = (e: CstElement): e is IToken => 'image' in e;
const real = (t: IToken | undefined): t is IToken => !!t && !t.isInsertedInRecovery && Number.isFinite(t.startOffset);

// These run for every clause of every declaration: the single ones scan without making arrays.
function tokens(c: Children, key: string): IToken[] {
  return (c[key] ?? []).filter((e): e is IToken => isToken(e) && real(e));
}
function token(c: Children, key: string): IToken | undefined {
  const list = c[key];
  if (list) for (const e of list) if (isToken(e) && real(e)) return e;
  return undefined;
}
function nodes(c: Children, key: string): CstNode[] {
  return (c[key] ?? []).filter((e): e is CstNode => !isToken(e));
}
function node(c: Children, key: string): CstNode | undefined {
  const list = c[key];
  if (list) for (const e of list) if (!isToken(e)) return e;
  return undefined;
}

// Chevrotain's own line and column drift after a character the lexer could not read, so
// positions come from offsets through the text's line index, set for the file being built.
let lines: LineIndex | undefined;
export function withLines<R>(index: LineIndex, work: () => R): R {
  const saved = lines;
  lines = index;
  try {
    return work();
  } finally {
    lines = saved;
  }
}

function at(offset: number, length: number): SourceRange {
  return lines ? lines.range(offset, length) : { offset, length, line: 1, column: offset + 1 };
}

export function tokenRange(t: IToken): SourceRange {
  return at(t.startOffset, t.image.length);
}

function nodeRange(n: CstNode): SourceRange {
  const l = n.location;
  if (!l || !Number.isFinite(l.startOffset)) return at(0, 0);
  const end = Number.isFinite(l.endOffset) ? (l.endOffset as number) : l.startOffset;
  return at(l.startOffset, end - l.startOffset + 1);
}

const name = (t: IToken | undefined): A.Name | undefined => (t ? { text: t.image, range: tokenRange(t) } : undefined);

/** The content of "…" (with \" and \\ escapes) or 「…」. */
export function unquote(image: string): string {
  if (image.startsWith('「')) return image.slice(1, -1);
  return image.slice(1, -1).replace(/\\(.)/g, '$1');
}

const text = (t: IToken | undefined): A.Text | undefined => (t ? { value: unquote(t.image), range: tokenRange(t) } : undefined);
const noComments = (): A.Comments => ({ leading: [] });

function names(c: Children, key: string): A.Name[] {
  return nodes(c, key).flatMap((n) => tokens(n.children, 'Identifier').map((t) => name(t) as A.Name));
}

function clauseName(c: Children, rule: string): A.Name | undefined {
  const n = node(c, rule);
  return n && name(token(n.children, 'Identifier'));
}

function header(c: Children) {
  return { id: name(token(c, 'id')), label: text(token(c, 'label')) };
}

const UNITS: Record<string, A.Duration['unit']> = {
  WorkingDays: 'workingDays',
  WorkingDaysShort: 'workingDays',
  Months: 'months',
  Years: 'years',
  Days: 'days',
  DaysAlt: 'days',
};

function duration(n: CstNode | undefined): A.Duration | undefined {
  if (!n) return undefined;
  const amount = token(n.children, 'NumberLiteral');
  const unit = token(n.children, 'Unit');
  if (!amount || !unit) return undefined;
  return { amount: Number(amount.image), unit: UNITS[unit.tokenType.name], range: nodeRange(n) };
}

function number(t: IToken | undefined): ({ value: number } & A.Node) | undefined {
  return t ? { value: Number(t.image), range: tokenRange(t) } : undefined;
}

function condition(n: CstNode | undefined): A.Condition | undefined {
  if (!n) return undefined;
  const parts = nodes(n.children, 'conjunction').map(conjunction).filter((x): x is A.Condition => !!x);
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { kind: 'any', operands: parts, range: nodeRange(n) };
}

function conjunction(n: CstNode): A.Condition | undefined {
  const parts = nodes(n.children, 'negation').map(negation).filter((x): x is A.Condition => !!x);
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { kind: 'all', operands: parts, range: nodeRange(n) };
}

function negation(n: CstNode): A.Condition | undefined {
  const atomNode = node(n.children, 'atom');
  let result = atomNode && atom(atomNode);
  if (!result) return undefined;
  // 非 非 a is a: a chain of 非 folds to at most one, so that nothing downstream (checks,
  // formatter, compiler, the definition's schema) recurses ten thousand levels deep.
  const nots = tokens(n.children, 'Not');
  if (nots.length % 2) {
    const end: number = result.range.offset + result.range.length;
    result = { kind: 'not', operand: result, range: { ...tokenRange(nots[0]), length: end - nots[0].startOffset } };
  }
  return result;
}

function atom(n: CstNode): A.Condition | undefined {
  const id = token(n.children, 'Identifier');
  if (id) return { kind: 'attr', name: name(id) as A.Name, range: tokenRange(id) };
  return condition(node(n.children, 'condition'));
}

function present(c: Children, key: string): A.Node | undefined {
  const t = token(c, key);
  return t ? { range: tokenRange(t) } : undefined;
}

function procedure(n: CstNode): A.ProcedureDecl {
  const c = n.children;
  const v = node(c, 'version');
  return {
    kind: 'procedure',
    ...header(c),
    version: v && number(token(v.children, 'NumberLiteral')),
    source: clauseName(c, 'source'),
    startEvents: nodes(c, 'startEvents').flatMap((s) => names(s.children, 'names')),
    range: nodeRange(n),
    comments: noComments(),
  };
}

const PARTIES: Record<string, A.PartyKeyword> = { LeadUnit: 'leadUnit', ParticipatingUnits: 'participatingUnits', SpecialGroup: 'specialGroup' };

function role(n: CstNode): A.RoleDecl {
  const c = n.children;
  const a = node(c, 'addressee');
  let addressee: A.RoleDecl['addressee'];
  if (a) {
    const str = token(a.children, 'StringLiteral');
    const party = token(a.children, 'Party');
    if (str) addressee = { name: unquote(str.image), range: nodeRange(a) };
    else if (party) addressee = { plan: PARTIES[party.tokenType.name], range: nodeRange(a) };
  }
  return { kind: 'role', ...header(c), source: clauseName(c, 'source'), addressee, range: nodeRange(n), comments: noComments() };
}

function simple<K extends 'attribute' | 'event'>(kind: K, n: CstNode) {
  return { kind, ...header(n.children), source: clauseName(n.children, 'source'), range: nodeRange(n), comments: noComments() };
}

function action(n: CstNode): A.ActionDecl {
  const c = n.children;
  const list = (rule: string) => nodes(c, rule).flatMap((r) => names(r.children, 'names'));
  return {
    kind: 'action',
    ...header(c),
    roles: list('by'),
    to: clauseName(c, 'goesTo'),
    records: list('records'),
    needsReason: present(c, 'NeedsReason'),
    needsAllItemsCompleted: present(c, 'NeedsAllItems'),
    needsEvents: list('needsEvents'),
    itemUpsert: present(c, 'ItemUpsert'),
    when: condition(nodes(c, 'applies').map((a) => node(a.children, 'condition'))[0]),
    source: clauseName(c, 'source'),
    range: nodeRange(n),
    comments: noComments(),
  };
}

function stage(n: CstNode): A.StageDecl {
  const c = n.children;
  return {
    kind: 'stage',
    ...header(c),
    source: clauseName(c, 'source'),
    when: condition(nodes(c, 'applies').map((a) => node(a.children, 'condition'))[0]),
    requires: nodes(c, 'requires').flatMap((r) => names(r.children, 'names')),
    skipTo: clauseName(c, 'skipTo'),
    final: present(c, 'Final'),
    actions: nodes(c, 'action').map(action),
    range: nodeRange(n),
    comments: noComments(),
  };
}

const LETTERS: Record<string, A.LetterKindName> = {
  Reminder: 'reminder',
  Supervision: 'supervision',
  Rectification: 'rectification',
  PublicNaming: 'public_naming',
  Interview: 'interview',
};

function trigger(n: CstNode | undefined): A.Trigger | undefined {
  if (!n) return undefined;
  const c = n.children;
  if (token(c, 'BeforeDue')) return { type: 'beforeDue', offset: duration(node(c, 'duration')), range: nodeRange(n) };
  if (token(c, 'DueEnded')) return { type: 'dueEnded', range: nodeRange(n) };
  if (token(c, 'PreviousLimitEnded')) return { type: 'previousLimitEnded', range: nodeRange(n) };
  return undefined;
}

function level(n: CstNode): A.LevelDecl | undefined {
  const c = n.children;
  const kind = token(c, 'LetterKind');
  if (!kind) return undefined;
  const list = (rule: string) => nodes(c, rule).flatMap((r) => names(r.children, 'names'));
  return {
    kind: 'level',
    letter: LETTERS[kind.tokenType.name],
    trigger: trigger(node(c, 'trigger')),
    to: list('to'),
    cc: list('cc'),
    limit: duration(nodes(c, 'limit').map((l) => node(l.children, 'duration'))[0]),
    source: clauseName(c, 'source'),
    range: nodeRange(n),
    comments: noComments(),
  };
}

function ladder(n: CstNode): A.LadderDecl {
  const c = n.children;
  return { kind: 'ladder', ...header(c), levels: levels(c), range: nodeRange(n), comments: noComments() };
}

function levels(c: Children): A.LevelDecl[] {
  return nodes(c, 'level').map(level).filter((l): l is A.LevelDecl => !!l);
}

function deadline(n: CstNode): A.DeadlineDecl {
  const c = n.children;
  const b = node(c, 'byDate');
  const u = node(c, 'uses');
  const month = b && token(b.children, 'month');
  const day = b && token(b.children, 'day');
  return {
    kind: 'deadline',
    ...header(c),
    source: clauseName(c, 'source'),
    when: condition(nodes(c, 'applies').map((a) => node(a.children, 'condition'))[0]),
    from: clauseName(c, 'from'),
    fromAfter: duration(nodes(c, 'from').map((f) => node(f.children, 'duration'))[0]),
    within: duration(nodes(c, 'within').map((w) => node(w.children, 'duration'))[0]),
    byDate: b && month && day ? { month: Number(month.image), day: Number(day.image), range: nodeRange(b) } : undefined,
    metBy: clauseName(c, 'metBy'),
    repeat: duration(nodes(c, 'repeat').map((r) => node(r.children, 'duration'))[0]),
    uses: u && real(token(u.children, 'Identifier'))
      ? { ladder: name(token(u.children, 'Identifier')) as A.Name, first: number(token(u.children, 'NumberLiteral')), range: nodeRange(u) }
      : undefined,
    levels: levels(c),
    range: nodeRange(n),
    comments: noComments(),
  };
}

function template(n: CstNode): A.TemplateDecl {
  const c = n.children;
  const kind = token(c, 'LetterKind');
  return {
    kind: 'template',
    letter: kind && LETTERS[kind.tokenType.name],
    letterNode: kind && { range: tokenRange(kind) },
    subject: nodes(c, 'subject').map((s) => text(token(s.children, 'StringLiteral')))[0],
    paragraphs: nodes(c, 'paragraph')
      .map((p) => text(token(p.children, 'StringLiteral')))
      .filter((t): t is A.Text => !!t),
    source: clauseName(c, 'source'),
    range: nodeRange(n),
    comments: noComments(),
  };
}

export type Orphan = { kind: 'orphan-action'; action: A.ActionDecl } | { kind: 'orphan-level'; level: A.LevelDecl };

/** One declaration, or an item the recovery left outside its container. */
export function buildDeclaration(n: CstNode): A.Declaration | Orphan | undefined {
  const [inner] = nodes(n.children, Object.keys(n.children)[0]);
  if (!inner) return undefined;
  switch (inner.name) {
    case 'procedure':
      return procedure(inner);
    case 'role':
      return role(inner);
    case 'attribute':
      return simple('attribute', inner);
    case 'event':
      return simple('event', inner);
    case 'stage':
      return stage(inner);
    case 'ladder':
      return ladder(inner);
    case 'deadline':
      return deadline(inner);
    case 'template':
      return template(inner);
    case 'action':
      return { kind: 'orphan-action', action: action(inner) };
    case 'level': {
      const l = level(inner);
      return l && { kind: 'orphan-level', level: l };
    }
    default:
      return undefined;
  }
}
