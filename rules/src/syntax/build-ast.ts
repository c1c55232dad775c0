import { IToken } from 'chevrotain';
import type { Diagnostic, LineIndex, SourceRange } from '../diagnostics';
import * as A from './ast';
import { RULE_LABELS } from './messages';

/**
 * What the parser's actions (grammar.ts) build the syntax tree with. A recovering parser leaves
 * holes (tokens "inserted in recovery" with no text, clauses cut short); they become `undefined`,
 * never a made-up name.
 */
export const real = (t: IToken | undefined): t is IToken => !!t && !t.isInsertedInRecovery && Number.isFinite(t.startOffset);

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

export function at(offset: number, length: number): SourceRange {
  return lines ? lines.range(offset, length) : { offset, length, line: 1, column: offset + 1 };
}

export function tokenRange(t: IToken): SourceRange {
  return at(t.startOffset, t.image.length);
}

/** From the first to the last token read: a declaration's or a clause's range. */
export function spanRange(first: IToken | undefined, last: IToken | undefined): SourceRange {
  if (!first || !last || !Number.isFinite(first.startOffset)) return at(0, 0);
  return at(first.startOffset, last.startOffset + last.image.length - first.startOffset);
}

export const name = (t: IToken): A.Name => ({ text: t.image, range: tokenRange(t) });

/** The content of "…" (with \" and \\ escapes) or 「…」. */
export function unquote(image: string): string {
  if (image.startsWith('「')) return image.slice(1, -1);
  return image.slice(1, -1).replace(/\\(.)/g, '$1');
}

export const text = (t: IToken): A.Text => ({ value: unquote(t.image), range: tokenRange(t) });
export const number = (t: IToken): { value: number } & A.Node => ({ value: Number(t.image), range: tokenRange(t) });
export const noComments = (): A.Comments => ({ leading: [] });

export const UNITS: Record<string, A.Duration['unit']> = {
  WorkingDays: 'workingDays',
  WorkingDaysShort: 'workingDays',
  Months: 'months',
  Years: 'years',
  Days: 'days',
  DaysAlt: 'days',
};

export const PARTIES: Record<string, A.PartyKeyword> = { LeadUnit: 'leadUnit', ParticipatingUnits: 'participatingUnits', SpecialGroup: 'specialGroup' };

export const LETTERS: Record<string, A.LetterKindName> = {
  Reminder: 'reminder',
  Supervision: 'supervision',
  Rectification: 'rectification',
  PublicNaming: 'public_naming',
  Interview: 'interview',
};

/** Clauses that may appear once per declaration (by rule name, or token name for a bare keyword). */
export const SINGLE = new Set(['points', 'measure', 'subject', 'version', 'source', 'addressee', 'applies', 'skipTo', 'Final', 'goesTo', 'NeedsReason', 'NeedsAllItems', 'ItemUpsert', 'from', 'within', 'byDate', 'metBy', 'repeat', 'uses', 'trigger', 'limit', 'lightTrigger']);

/** The rules whose items are declarations, actions or letters: what the parser builds a frame for. */
export type ItemRule = 'procedure' | 'role' | 'attribute' | 'event' | 'stage' | 'action' | 'ladder' | 'level' | 'deadline' | 'template' | 'light' | 'scheme' | 'indicator';

/**
 * A declaration, action or letter being read. Its clauses are noted in the order first seen
 * (the once-only clauses and the nested items), with where a once-only clause came again.
 */
export interface Frame {
  rule: ItemRule;
  node: A.Declaration | A.ActionDecl | A.LevelDecl | A.IndicatorDecl;
  seen: string[];
  again: Map<string, IToken> | undefined;
  /** The actions of a stage, the letters of a deadline or ladder. */
  kids: Frame[] | undefined;
  /** The count of tokens read when it began: its first token is the next one read. */
  from: number;
}

export type Orphan = { kind: 'orphan-action'; action: A.ActionDecl } | { kind: 'orphan-level'; level: A.LevelDecl } | { kind: 'orphan-indicator'; indicator: A.IndicatorDecl };

/** A declaration as read (or an item the recovery left outside its container), with its repeated clauses. */
export interface Built {
  built: A.Declaration | Orphan | undefined;
  repeated: readonly Diagnostic[];
}

const NONE: readonly Diagnostic[] = [];

export function built(f: Frame): Built {
  const repeated: Diagnostic[] = [];
  repeatedClauses(f, repeated);
  const n = f.node;
  // An indicator read on its own (after an error in its scheme) goes back to the scheme before it.
  if (n.kind === 'indicator') return { built: { kind: 'orphan-indicator', indicator: n }, repeated: repeated.length ? repeated : NONE };
  const item = n.kind === 'action' ? { kind: 'orphan-action' as const, action: n } : n.kind === 'level' ? n.letter && { kind: 'orphan-level' as const, level: n } : n;
  return { built: item || undefined, repeated: repeated.length ? repeated : NONE };
}

/** A once-only clause written twice is reported at its second occurrence; items are walked where they first came. */
function repeatedClauses(f: Frame, out: Diagnostic[]) {
  for (const key of f.seen) {
    const again = f.again?.get(key);
    if (again) out.push({ severity: 'error', code: 'repeated-clause', message: `${RULE_LABELS[key] ?? again.image}在同一声明中只能写一次`, range: tokenRange(again) });
    if ((key === 'action' || key === 'level' || key === 'indicator') && f.kids) for (const k of f.kids) repeatedClauses(k, out);
  }
}
