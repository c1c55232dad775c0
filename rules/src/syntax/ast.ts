import type { SourceRange } from '../diagnostics';

/**
 * The syntax tree of one rules file. Every node keeps its range, so a check reports against a
 * node and the position comes for free. Parts a broken file lacks are `undefined`: the parser
 * recovers and the checks skip what is missing instead of inventing it.
 */
export interface Node {
  range: SourceRange;
}

export interface Name extends Node {
  text: string;
}

export interface Text extends Node {
  /** The string's content, quotes and escapes removed. */
  value: string;
}

export interface Duration extends Node {
  amount: number;
  unit: 'days' | 'workingDays' | 'months' | 'years';
}

export type Condition =
  | ({ kind: 'attr'; name: Name } & Node)
  | ({ kind: 'not'; operand: Condition } & Node)
  | ({ kind: 'all' | 'any'; operands: Condition[] } & Node);

/** A comment on the line before an item (leading) or at the end of its line (trailing). */
export interface Comments {
  leading: string[];
  trailing?: string;
}

interface Item extends Node {
  comments: Comments;
  /**
   * Comments of the clause lines of a procedure, stage, deadline or template, by clause
   * (`source`, `when`, `paragraph:0`…); only clauses that have some.
   */
  clauseComments?: Record<string, Comments>;
}

export interface ProcedureDecl extends Item {
  kind: 'procedure';
  id?: Name;
  label?: Text;
  version?: { value: number } & Node;
  source?: Name;
  startEvents: Name[];
}

export type PartyKeyword = 'leadUnit' | 'participatingUnits' | 'specialGroup';

export interface RoleDecl extends Item {
  kind: 'role';
  id?: Name;
  label?: Text;
  source?: Name;
  addressee?: ({ plan: PartyKeyword } | { name: string }) & Node;
}

export interface AttributeDecl extends Item {
  kind: 'attribute';
  id?: Name;
  label?: Text;
  source?: Name;
}

export interface EventDecl extends Item {
  kind: 'event';
  id?: Name;
  label?: Text;
  source?: Name;
}

export interface ActionDecl extends Item {
  kind: 'action';
  id?: Name;
  label?: Text;
  roles: Name[];
  to?: Name;
  records: Name[];
  needsReason?: Node;
  needsAllItemsCompleted?: Node;
  needsEvents: Name[];
  itemUpsert?: Node;
  /** `适用 <条件>`: offered only to plans for which it holds. */
  when?: Condition;
  source?: Name;
}

export interface StageDecl extends Item {
  kind: 'stage';
  id?: Name;
  label?: Text;
  source?: Name;
  when?: Condition;
  requires: Name[];
  skipTo?: Name;
  final?: Node;
  actions: ActionDecl[];
}

export type LetterKindName = 'reminder' | 'supervision' | 'rectification' | 'public_naming' | 'interview';

export type Trigger = ({ type: 'beforeDue'; offset?: Duration } | { type: 'dueEnded' } | { type: 'previousLimitEnded' }) & Node;

export interface LevelDecl extends Item {
  kind: 'level';
  letter: LetterKindName;
  trigger?: Trigger;
  to: Name[];
  cc: Name[];
  limit?: Duration;
  source?: Name;
}

export interface LadderDecl extends Item {
  kind: 'ladder';
  id?: Name;
  label?: Text;
  levels: LevelDecl[];
}

export interface DeadlineDecl extends Item {
  kind: 'deadline';
  id?: Name;
  label?: Text;
  source?: Name;
  when?: Condition;
  from?: Name;
  /** `起算 issued 满 6 个月`: counting starts that long after the event. */
  fromAfter?: Duration;
  within?: Duration;
  byDate?: { month: number; day: number } & Node;
  metBy?: Name;
  repeat?: Duration;
  /** `催办 standard` or `催办 standard 前 2 级`. */
  uses?: { ladder: Name; first?: { value: number } & Node } & Node;
  levels: LevelDecl[];
}

/** `函件模板 提醒函` with 标题 and 正文 lines: the office's wording, {placeholders} filled in per letter. */
export interface TemplateDecl extends Item {
  kind: 'template';
  letter?: LetterKindName;
  /** The keyword naming the kind, for positions. */
  letterNode?: Node;
  subject?: Text;
  paragraphs: Text[];
  source?: Name;
}

// ---- Lights (issue 9 §4).
/**
 * `亮灯 黄 到期前 5 个工作日 依据 Y9` or `亮灯 黄 进度落后 30 个百分点 依据 S4`: when the ledger shows a
 * plan or item yellow. Red (overdue) is not configurable. Shared (no 程序 line) or a procedure's own.
 */
export interface LightDecl extends Item {
  kind: 'light';
  trigger?: ({ type: 'beforeDue'; offset?: Duration } | { type: 'behind'; points?: { value: number } & Node }) & Node;
  source?: Name;
}
// ---- end of lights.

// ---- Assessment schemes (考核细则, S4, Y13): own block.

/** The ledger measures an indicator may be computed from (a closed set: docs/rules-language.md). */
export type MeasureName = 'on_schedule_rate' | 'completion_rate' | 'problems_on_time' | 'third_party' | 'red_list';

/** `计分 按期完成率`, or `计分 督办函 每件扣 2 分` (a deduction per letter of that kind received). */
export type Measure = ({ type: MeasureName } | { type: 'letters'; letter: LetterKindName }) & Node;

/** `指标 id "名称" 分值 30 计分 … 依据 S4`: one line of an assessment scheme. */
export interface IndicatorDecl extends Item {
  kind: 'indicator';
  id?: Name;
  label?: Text;
  points?: { value: number } & Node;
  measure?: Measure;
  /** `每件扣 N 分`: the deduction per letter (letter measures only). */
  perLetter?: { value: number } & Node;
  source?: Name;
}

/** `考核 id "名称"`: the office's assessment scheme, its indicators nested under it. */
export interface SchemeDecl extends Item {
  kind: 'scheme';
  id?: Name;
  label?: Text;
  source?: Name;
  indicators: IndicatorDecl[];
}
// ---- End of assessment schemes.

export type Declaration = ProcedureDecl | RoleDecl | AttributeDecl | EventDecl | StageDecl | LadderDecl | DeadlineDecl | TemplateDecl | LightDecl | SchemeDecl;

export interface RulesFile {
  /** Comments at the top of the file, set apart from the first declaration by a blank line. */
  headerComments: string[];
  declarations: Declaration[];
  /** Comments after the last item. */
  trailingComments: string[];
}
