import { AtLeastOneSepMethodOpts, ConsumeMethodOpts, EmbeddedActionsParser, IOrAlt, IToken, ITokenGrammarPath, TokenType } from 'chevrotain';
import * as A from './ast';
import * as B from './build-ast';
import type { Built, Frame, ItemRule } from './build-ast';
import { chineseMessages } from './messages';
import * as Tokens from './tokens';

// A plain copy of the token types: the rules read them on every step, and a module namespace
// may hand each one out through a getter.
const T = { ...Tokens };
// Likewise the builder's helpers, called for every token.
const { built, LETTERS, name, noComments, number, PARTIES, real, SINGLE, spanRange, text, tokenRange, UNITS, unquote } = B;

/** Recoveries nested inside one another before a repetition gives up (each takes a dozen stack frames). */
const MAX_NESTED_RECOVERIES = 100;

const ID: ConsumeMethodOpts = { LABEL: 'id' };
const LABEL: ConsumeMethodOpts = { LABEL: 'label' };
const MONTH: ConsumeMethodOpts = { LABEL: 'month' };
const DAY: ConsumeMethodOpts = { LABEL: 'day' };

/** Where nothing is being read: the parser's self-analysis runs every rule once on its own. */
const outside = (): Frame => ({ rule: 'procedure', node: { kind: 'procedure', startEvents: [], range: { offset: 0, length: 0, line: 1, column: 1 }, comments: noComments() }, seen: [], again: undefined, kids: undefined, from: 0 });

// The fields a clause writes, whichever item it belongs to.
type Fields = Partial<Omit<A.ProcedureDecl, 'kind'> & Omit<A.RoleDecl, 'kind'> & Omit<A.StageDecl, 'kind'> & Omit<A.ActionDecl, 'kind'> & Omit<A.LevelDecl, 'kind'> & Omit<A.DeadlineDecl, 'kind'> & Omit<A.TemplateDecl, 'kind'> & Omit<A.SchemeDecl, 'kind'> & Omit<A.IndicatorDecl, 'kind'>>;

/**
 * The grammar, and the syntax tree built as it reads (Chevrotain's embedded actions: no concrete
 * tree in between). Every declaration and clause starts with its own keyword, so nothing depends
 * on line breaks or indentation, and after an error the parser resynchronises on the next
 * keyword (Chevrotain's recovery) and goes on: one run reports every error of a file.
 *
 * A clause the recovery cuts short keeps what was read of it, as a concrete tree would: each
 * item is made when its rule begins and filled in as its tokens come, a clause's value is set in
 * a `finally` (so also when an error leaves the rule), and a range runs from the first to the
 * last real token read inside it. A once-only clause counts where first written; a name list
 * takes every real name of every such clause.
 */
export class RulesGrammar extends EmbeddedActionsParser {
  /**
   * The alternatives of each OR (and the options of each separated list), made on a rule's first
   * run and reused: made anew on every run, they were a good part of the parse time of a big file.
   */
  private readonly cached: { [rule: string]: IOrAlt<unknown>[] } = {};
  private readonly cachedLists: { [rule: string]: AtLeastOneSepMethodOpts<unknown> } = {};

  /** What may follow a place in the grammar, by place: recovery asks it at every error, and it walks the grammar. */
  private readonly follows = new Map<string, TokenType[]>();

  /** The real tokens read in this run, in order: ranges are spans of them. */
  private readonly read: IToken[] = [];
  private readonly root = outside();
  /** The innermost item being read: the clauses read write into it. */
  private frame: Frame = this.root;
  /** The item the current declaration turned out to be. */
  private declared: Frame | undefined;
  private sink: ((b: Built) => void) | undefined;

  // Where a sub-rule leaves what it read, for the rule that called it.
  private namesInto: A.Name[] = [];
  private durationOut: A.Duration | undefined;
  private conditionOut: A.Condition | undefined;
  private anyParts: A.Condition[] = [];
  private allParts: A.Condition[] = [];
  private atomOut: A.Condition | undefined;
  private triggerKeyword: IToken | undefined;
  private firstLevels: IToken | undefined;
  private lightPoints: IToken | undefined;

  constructor() {
    super(T.ALL_TOKENS, { recoveryEnabled: true, maxLookahead: 2, errorMessageProvider: chineseMessages });
    // Chevrotain recovers inside a repetition by calling the repetition again from within itself,
    // after scanning ahead for a token that may follow the rule. Between declarations (the top
    // rule) only the end of the file may follow: each recovery scanned to the end, and a file of
    // thousands of stray words between declarations nested that deep and overflowed the stack.
    // There the repetition stops instead and parseRules starts a new run at the next declaration;
    // deeper down, past MAX_NESTED_RECOVERIES, likewise.
    const self = this as unknown as {
      attemptInRepetitionRecovery: (...args: unknown[]) => void;
      consumeInternal: (tokType: TokenType, idx: number, options: unknown) => IToken;
      RULE_STACK: unknown[];
    };
    const attempt = self.attemptInRepetitionRecovery;
    let depth = 0;
    self.attemptInRepetitionRecovery = function (this: unknown, ...args: unknown[]) {
      if (depth >= MAX_NESTED_RECOVERIES || self.RULE_STACK.length <= 1) return;
      depth++;
      try {
        attempt.apply(this, args);
      } finally {
        depth--;
      }
    };
    // Every token read goes through here (a token inserted by the recovery is not real).
    const consume = self.consumeInternal;
    const read = () => this.read;
    self.consumeInternal = function (this: unknown, tokType: TokenType, idx: number, options: unknown) {
      const t = consume.call(this, tokType, idx, options);
      if (real(t)) read().push(t);
      return t;
    };
    this.performSelfAnalysis();
  }

  /**
   * The file from token `from` on: a new run after a part the parser could not read, without
   * copying the tokens. Each declaration goes to `each` as soon as it is read (also one the
   * recovery cut short).
   */
  fileFrom(tokens: IToken[], from: number, each: (b: Built) => void): void {
    this.input = tokens;
    (this as unknown as { importLexerState(index: number): void }).importLexerState(from - 1);
    this.read.length = 0;
    this.frame = this.root;
    this.sink = each;
    try {
      this.file();
    } finally {
      this.sink = undefined;
      this.read.length = 0;
    }
  }

  protected override getNextPossibleTokenTypes(path: ITokenGrammarPath): TokenType[] {
    const key = `${path.ruleStack.join('/')}|${path.occurrenceStack.join('/')}|${path.lastTok.name}|${path.lastTokOccurrence}`;
    let found = this.follows.get(key);
    if (!found) this.follows.set(key, (found = super.getNextPossibleTokenTypes(path)));
    return found;
  }

  // ---- Building.

  /** An item begins: inside a stage (an action) or a deadline or ladder (a letter), or as the declaration. */
  private enter(rule: ItemRule, node: Frame['node']): Frame {
    const parent = this.frame;
    const f: Frame = { rule, node, seen: [], again: undefined, kids: undefined, from: this.read.length };
    if (parent === this.root) this.declared = f;
    else {
      if (!parent.seen.includes(rule)) parent.seen.push(rule);
      (parent.kids ??= []).push(f);
    }
    this.frame = f;
    return f;
  }

  private leave(f: Frame, parent: Frame) {
    f.node.range = this.span(f.from);
    this.frame = parent;
  }

  /** From the first real token read since `from` to the last. */
  private span(from: number) {
    const read = this.read;
    return read.length > from ? spanRange(read[from], read[read.length - 1]) : spanRange(undefined, undefined);
  }

  /** Notes a clause of the current item by its keyword; true where it is the item's first such clause. */
  private clause(key: string, keyword: IToken): boolean {
    const f = this.frame;
    if (!f.seen.includes(key)) {
      f.seen.push(key);
      return true;
    }
    if (SINGLE.has(key) && real(keyword) && !f.again?.has(key)) (f.again ??= new Map()).set(key, keyword);
    return false;
  }

  private get fields(): Fields {
    return this.frame.node as Fields;
  }

  // ---- The grammar.

  file = this.RULE('file', () => {
    this.MANY(() => this.SUBRULE(this.declaration));
  });

  declaration = this.RULE('declaration', () => {
    this.declared = undefined;
    try {
      this.OR((this.cached.declarationAlternatives ??= [
        { ALT: () => this.SUBRULE(this.procedure) },
        { ALT: () => this.SUBRULE(this.role) },
        { ALT: () => this.SUBRULE(this.attribute) },
        { ALT: () => this.SUBRULE(this.event) },
        { ALT: () => this.SUBRULE(this.stage) },
        { ALT: () => this.SUBRULE(this.ladder) },
        { ALT: () => this.SUBRULE(this.deadline) },
        { ALT: () => this.SUBRULE(this.template) },
        { ALT: () => this.SUBRULE(this.light) },
        { ALT: () => this.SUBRULE(this.scheme) },
        // Only after an error: the builder gives an action back to the stage before it (a level
        // to its deadline or ladder), so one bad clause does not lose the rest of a stage.
        { ALT: () => this.SUBRULE(this.action) },
        { ALT: () => this.SUBRULE(this.level) },
        { ALT: () => this.SUBRULE(this.indicator) },
      ]));
    } finally {
      const d = this.declared;
      this.declared = undefined;
      if (d && this.sink) this.sink(built(d));
    }
  });

  private header(keyword: TokenType, n: { id?: A.Name; label?: A.Text }) {
    this.CONSUME(keyword);
    const id = this.CONSUME(T.Identifier, ID);
    if (real(id)) n.id = name(id);
    const label = this.CONSUME(T.StringLiteral, LABEL);
    if (real(label)) n.label = text(label);
  }

  procedure = this.RULE('procedure', () => {
    const n: A.ProcedureDecl = { kind: 'procedure', id: undefined, label: undefined, version: undefined, source: undefined, startEvents: [], range: NO_RANGE, comments: noComments() };
    const parent = this.frame;
    const f = this.enter('procedure', n);
    try {
      this.header(T.Procedure, n);
      this.MANY(() =>
        this.OR((this.cached.procedureAlternatives ??= [
          { ALT: () => this.SUBRULE(this.version) },
          { ALT: () => this.SUBRULE(this.source) },
          { ALT: () => this.SUBRULE(this.startEvents) },
        ])),
      );
    } finally {
      this.leave(f, parent);
    }
  });

  version = this.RULE('version', () => {
    const first = this.clause('version', this.CONSUME(T.Version));
    const v = this.CONSUME(T.NumberLiteral);
    if (first && real(v)) this.fields.version = number(v);
  });

  source = this.RULE('source', () => {
    const first = this.clause('source', this.CONSUME(T.Source));
    const id = this.CONSUME(T.Identifier);
    if (first && real(id)) this.fields.source = name(id);
  });

  startEvents = this.RULE('startEvents', () => {
    this.CONSUME(T.StartEvents);
    this.namesInto = this.fields.startEvents ?? [];
    this.SUBRULE(this.names);
  });

  names = this.RULE('names', () => {
    this.AT_LEAST_ONE_SEP((this.cachedLists.names ??= {
      SEP: T.Separator,
      DEF: () => {
        const id = this.CONSUME(T.Identifier);
        if (real(id)) this.namesInto.push(name(id));
      },
    }));
  });

  role = this.RULE('role', () => {
    const n: A.RoleDecl = { kind: 'role', id: undefined, label: undefined, source: undefined, addressee: undefined, range: NO_RANGE, comments: noComments() };
    const parent = this.frame;
    const f = this.enter('role', n);
    try {
      this.header(T.Role, n);
      this.MANY(() =>
        this.OR((this.cached.roleAlternatives ??= [
          { ALT: () => this.SUBRULE(this.source) },
          { ALT: () => this.SUBRULE(this.addressee) },
        ])),
      );
    } finally {
      this.leave(f, parent);
    }
  });

  addressee = this.RULE('addressee', () => {
    const from = this.read.length;
    const first = this.clause('addressee', this.CONSUME(T.AddressedTo));
    const to = this.OR((this.cached.addresseeAlternatives ??= [{ ALT: () => this.CONSUME(T.StringLiteral) }, { ALT: () => this.CONSUME(T.Party) }])) as IToken | undefined;
    if (first && real(to)) {
      this.fields.addressee = to.tokenType === T.StringLiteral ? { name: unquote(to.image), range: this.span(from) } : { plan: PARTIES[to.tokenType.name], range: this.span(from) };
    }
  });

  attribute = this.RULE('attribute', () => {
    const n: A.AttributeDecl = { kind: 'attribute', id: undefined, label: undefined, source: undefined, range: NO_RANGE, comments: noComments() };
    const parent = this.frame;
    const f = this.enter('attribute', n);
    try {
      this.header(T.Attribute, n);
      this.OPTION(() => this.SUBRULE(this.source));
    } finally {
      this.leave(f, parent);
    }
  });

  event = this.RULE('event', () => {
    const n: A.EventDecl = { kind: 'event', id: undefined, label: undefined, source: undefined, range: NO_RANGE, comments: noComments() };
    const parent = this.frame;
    const f = this.enter('event', n);
    try {
      this.header(T.Event, n);
      this.OPTION(() => this.SUBRULE(this.source));
    } finally {
      this.leave(f, parent);
    }
  });

  stage = this.RULE('stage', () => {
    const n: A.StageDecl = {
      kind: 'stage',
      id: undefined,
      label: undefined,
      source: undefined,
      when: undefined,
      requires: [],
      skipTo: undefined,
      final: undefined,
      actions: [],
      range: NO_RANGE,
      comments: noComments(),
    };
    const parent = this.frame;
    const f = this.enter('stage', n);
    try {
      this.header(T.Stage, n);
      this.MANY(() =>
        this.OR((this.cached.stageAlternatives ??= [
          { ALT: () => this.SUBRULE(this.source) },
          { ALT: () => this.SUBRULE(this.applies) },
          { ALT: () => this.SUBRULE(this.requires) },
          { ALT: () => this.SUBRULE(this.skipTo) },
          { ALT: () => this.flag('Final', this.CONSUME(T.Final)) },
          { ALT: () => this.SUBRULE(this.action) },
        ])),
      );
    } finally {
      if (f.kids) n.actions = f.kids.map((k) => k.node as A.ActionDecl);
      this.leave(f, parent);
    }
  });

  /** A once-only keyword with nothing after it (终结, 须说明理由…): present where first written. */
  private flag(key: 'Final' | 'NeedsReason' | 'NeedsAllItems' | 'ItemUpsert', t: IToken) {
    if (!this.clause(key, t) || !real(t)) return;
    const present = { range: tokenRange(t) };
    const n = this.fields;
    if (key === 'Final') n.final = present;
    else if (key === 'NeedsReason') n.needsReason = present;
    else if (key === 'NeedsAllItems') n.needsAllItemsCompleted = present;
    else n.itemUpsert = present;
  }

  applies = this.RULE('applies', () => {
    const n = this.fields;
    const first = this.clause('applies', this.CONSUME(T.AppliesWhen));
    this.conditionOut = undefined;
    try {
      this.SUBRULE(this.condition);
    } finally {
      if (first) n.when = this.conditionOut;
    }
  });

  requires = this.RULE('requires', () => {
    this.CONSUME(T.Requires);
    this.namesInto = this.fields.requires ?? [];
    this.SUBRULE(this.names);
  });

  skipTo = this.RULE('skipTo', () => {
    const first = this.clause('skipTo', this.CONSUME(T.SkipTo));
    const id = this.CONSUME(T.Identifier);
    if (first && real(id)) this.fields.skipTo = name(id);
  });

  action = this.RULE('action', () => {
    const n: A.ActionDecl = {
      kind: 'action',
      id: undefined,
      label: undefined,
      roles: [],
      to: undefined,
      records: [],
      needsReason: undefined,
      needsAllItemsCompleted: undefined,
      needsEvents: [],
      itemUpsert: undefined,
      when: undefined,
      source: undefined,
      range: NO_RANGE,
      comments: noComments(),
    };
    const parent = this.frame;
    const f = this.enter('action', n);
    try {
      this.header(T.Action, n);
      this.MANY(() =>
        this.OR((this.cached.actionAlternatives ??= [
          { ALT: () => this.SUBRULE(this.by) },
          { ALT: () => this.SUBRULE(this.goesTo) },
          { ALT: () => this.SUBRULE(this.records) },
          { ALT: () => this.flag('NeedsReason', this.CONSUME(T.NeedsReason)) },
          { ALT: () => this.flag('NeedsAllItems', this.CONSUME(T.NeedsAllItems)) },
          { ALT: () => this.SUBRULE(this.needsEvents) },
          { ALT: () => this.flag('ItemUpsert', this.CONSUME(T.ItemUpsert)) },
          { ALT: () => this.SUBRULE(this.applies) },
          { ALT: () => this.SUBRULE(this.source) },
        ])),
      );
    } finally {
      this.leave(f, parent);
    }
  });

  by = this.RULE('by', () => {
    this.CONSUME(T.By);
    this.namesInto = this.fields.roles ?? [];
    this.SUBRULE(this.names);
  });

  goesTo = this.RULE('goesTo', () => {
    const first = this.clause('goesTo', this.CONSUME(T.GoesTo));
    const id = this.CONSUME(T.Identifier);
    if (first && real(id)) (this.frame.node as A.ActionDecl).to = name(id);
  });

  records = this.RULE('records', () => {
    this.CONSUME(T.Records);
    this.namesInto = this.fields.records ?? [];
    this.SUBRULE(this.names);
  });

  needsEvents = this.RULE('needsEvents', () => {
    this.CONSUME(T.NeedsEvents);
    this.namesInto = this.fields.needsEvents ?? [];
    this.SUBRULE(this.names);
  });

  ladder = this.RULE('ladder', () => {
    const n: A.LadderDecl = { kind: 'ladder', id: undefined, label: undefined, levels: [], range: NO_RANGE, comments: noComments() };
    const parent = this.frame;
    const f = this.enter('ladder', n);
    try {
      this.header(T.LadderDecl, n);
      this.MANY(() => this.SUBRULE(this.level));
    } finally {
      n.levels = levelsOf(f);
      this.leave(f, parent);
    }
  });

  level = this.RULE('level', () => {
    // The letter is set from the first token: a level without one is dropped.
    const n = { kind: 'level', letter: undefined, trigger: undefined, to: [], cc: [], limit: undefined, source: undefined, range: NO_RANGE, comments: noComments() } as unknown as A.LevelDecl;
    const parent = this.frame;
    const f = this.enter('level', n);
    try {
      const kind = this.CONSUME(T.LetterKind);
      if (real(kind)) n.letter = LETTERS[kind.tokenType.name];
      this.SUBRULE(this.trigger);
      this.MANY(() =>
        this.OR((this.cached.levelAlternatives ??= [
          { ALT: () => this.SUBRULE(this.to) },
          { ALT: () => this.SUBRULE(this.cc) },
          { ALT: () => this.SUBRULE(this.limit) },
          { ALT: () => this.SUBRULE(this.source) },
        ])),
      );
    } finally {
      this.leave(f, parent);
    }
  });

  trigger = this.RULE('trigger', () => {
    const n = this.fields;
    const from = this.read.length;
    this.triggerKeyword = undefined;
    this.durationOut = undefined;
    try {
      this.OR((this.cached.triggerAlternatives ??= [
        {
          ALT: () => {
            this.triggerKeyword = this.CONSUME(T.BeforeDue);
            this.SUBRULE(this.duration);
          },
        },
        { ALT: () => (this.triggerKeyword = this.CONSUME(T.DueEnded)) },
        { ALT: () => (this.triggerKeyword = this.CONSUME(T.PreviousLimitEnded)) },
      ]));
    } finally {
      const k = this.triggerKeyword as IToken | undefined;
      if (real(k)) {
        if (k.tokenType === T.BeforeDue) n.trigger = { type: 'beforeDue', offset: this.durationOut, range: this.span(from) };
        else n.trigger = { type: k.tokenType === T.DueEnded ? 'dueEnded' : 'previousLimitEnded', range: this.span(from) };
      }
    }
  });

  to = this.RULE('to', () => {
    this.CONSUME(T.To);
    this.namesInto = this.fields.to ?? [];
    this.SUBRULE(this.names);
  });

  cc = this.RULE('cc', () => {
    this.CONSUME(T.Cc);
    this.namesInto = this.fields.cc ?? [];
    this.SUBRULE(this.names);
  });

  /** A once-only clause that is a keyword and a duration (限期, 期限, 重复 每…): its duration where first written. */
  private durationClause(key: 'limit' | 'within' | 'repeat', keyword: IToken, also?: TokenType) {
    const n = this.fields;
    const first = this.clause(key, keyword);
    this.durationOut = undefined;
    try {
      if (also) this.CONSUME(also);
      this.SUBRULE(this.duration);
    } finally {
      if (first) n[key] = this.durationOut;
    }
  }

  limit = this.RULE('limit', () => {
    this.durationClause('limit', this.CONSUME(T.Limit));
  });

  duration = this.RULE('duration', () => {
    this.durationOut = undefined;
    const amount = this.CONSUME(T.NumberLiteral);
    const unit = this.CONSUME(T.Unit);
    if (real(amount) && real(unit)) this.durationOut = { amount: Number(amount.image), unit: UNITS[unit.tokenType.name], range: spanRange(amount, unit) };
  });

  deadline = this.RULE('deadline', () => {
    const n: A.DeadlineDecl = {
      kind: 'deadline',
      id: undefined,
      label: undefined,
      source: undefined,
      when: undefined,
      from: undefined,
      fromAfter: undefined,
      within: undefined,
      byDate: undefined,
      metBy: undefined,
      repeat: undefined,
      uses: undefined,
      levels: [],
      range: NO_RANGE,
      comments: noComments(),
    };
    const parent = this.frame;
    const f = this.enter('deadline', n);
    try {
      this.header(T.Deadline, n);
      this.MANY(() =>
        this.OR((this.cached.deadlineAlternatives ??= [
          { ALT: () => this.SUBRULE(this.source) },
          { ALT: () => this.SUBRULE(this.applies) },
          { ALT: () => this.SUBRULE(this.from) },
          { ALT: () => this.SUBRULE(this.within) },
          { ALT: () => this.SUBRULE(this.byDate) },
          { ALT: () => this.SUBRULE(this.metBy) },
          { ALT: () => this.SUBRULE(this.repeat) },
          { ALT: () => this.SUBRULE(this.uses) },
          { ALT: () => this.SUBRULE(this.level) },
        ])),
      );
    } finally {
      n.levels = levelsOf(f);
      this.leave(f, parent);
    }
  });

  template = this.RULE('template', () => {
    const n: A.TemplateDecl = { kind: 'template', letter: undefined, letterNode: undefined, subject: undefined, paragraphs: [], source: undefined, range: NO_RANGE, comments: noComments() };
    const parent = this.frame;
    const f = this.enter('template', n);
    try {
      this.CONSUME(T.Template);
      const kind = this.CONSUME(T.LetterKind);
      if (real(kind)) {
        n.letter = LETTERS[kind.tokenType.name];
        n.letterNode = { range: tokenRange(kind) };
      }
      this.MANY(() =>
        this.OR((this.cached.templateAlternatives ??= [
          { ALT: () => this.SUBRULE(this.subject) },
          { ALT: () => this.SUBRULE(this.paragraph) },
          { ALT: () => this.SUBRULE(this.source) },
        ])),
      );
    } finally {
      this.leave(f, parent);
    }
  });

  // ---- Lights (issue 9 §4).
  light = this.RULE('light', () => {
    const n: A.LightDecl = { kind: 'light', trigger: undefined, source: undefined, range: NO_RANGE, comments: noComments() };
    const parent = this.frame;
    const f = this.enter('light', n);
    try {
      this.CONSUME(T.Lights);
      this.CONSUME(T.Yellow);
      this.SUBRULE(this.lightTrigger);
      this.OPTION(() => this.SUBRULE(this.source));
    } finally {
      this.leave(f, parent);
    }
  });

  lightTrigger = this.RULE('lightTrigger', () => {
    const n = this.frame.node as A.LightDecl;
    const from = this.read.length;
    // Instance fields, not locals: the cached alternatives are closures made on the first run.
    this.triggerKeyword = undefined;
    this.lightPoints = undefined;
    this.durationOut = undefined;
    try {
      this.OR((this.cached.lightTriggerAlternatives ??= [
        {
          ALT: () => {
            this.triggerKeyword = this.CONSUME(T.BeforeDue);
            this.SUBRULE(this.duration);
          },
        },
        {
          ALT: () => {
            this.triggerKeyword = this.CONSUME(T.Behind);
            this.lightPoints = this.CONSUME(T.NumberLiteral);
            this.CONSUME(T.PercentPoints);
          },
        },
      ]));
    } finally {
      const k = this.triggerKeyword as IToken | undefined;
      const p = this.lightPoints as IToken | undefined;
      if (real(k)) {
        if (k.tokenType === T.BeforeDue) n.trigger = { type: 'beforeDue', offset: this.durationOut, range: this.span(from) };
        else n.trigger = { type: 'behind', points: real(p) ? number(p) : undefined, range: this.span(from) };
      }
    }
  });
  // ---- end of lights.

  subject = this.RULE('subject', () => {
    const first = this.clause('subject', this.CONSUME(T.Subject));
    const s = this.CONSUME(T.StringLiteral);
    if (first && real(s)) this.fields.subject = text(s);
  });

  paragraph = this.RULE('paragraph', () => {
    this.CONSUME(T.Paragraph);
    const s = this.CONSUME(T.StringLiteral);
    if (real(s)) this.fields.paragraphs?.push(text(s));
  });

  from = this.RULE('from', () => {
    const n = this.fields;
    const first = this.clause('from', this.CONSUME(T.From));
    this.durationOut = undefined;
    try {
      const id = this.CONSUME(T.Identifier);
      if (first && real(id)) n.from = name(id);
      this.OPTION(() => {
        this.CONSUME(T.After);
        this.SUBRULE(this.duration);
      });
    } finally {
      if (first) n.fromAfter = this.durationOut;
    }
  });

  within = this.RULE('within', () => {
    this.durationClause('within', this.CONSUME(T.Within));
  });

  byDate = this.RULE('byDate', () => {
    const n = this.fields;
    const from = this.read.length;
    const first = this.clause('byDate', this.CONSUME(T.ByDate));
    let month: IToken | undefined;
    let day: IToken | undefined;
    try {
      month = this.CONSUME(T.NumberLiteral, MONTH);
      this.CONSUME(T.Month);
      day = this.CONSUME2(T.NumberLiteral, DAY);
      this.CONSUME(T.Days);
    } finally {
      if (first && real(month) && real(day)) n.byDate = { month: Number(month.image), day: Number(day.image), range: this.span(from) };
    }
  });

  metBy = this.RULE('metBy', () => {
    const first = this.clause('metBy', this.CONSUME(T.MetBy));
    const id = this.CONSUME(T.Identifier);
    if (first && real(id)) this.fields.metBy = name(id);
  });

  repeat = this.RULE('repeat', () => {
    this.durationClause('repeat', this.CONSUME(T.Repeat), T.Every);
  });

  uses = this.RULE('uses', () => {
    const n = this.fields;
    const from = this.read.length;
    const first = this.clause('uses', this.CONSUME(T.UsesLadder));
    let ladder: IToken | undefined;
    this.firstLevels = undefined;
    try {
      ladder = this.CONSUME(T.Identifier);
      this.OPTION(() => {
        this.CONSUME(T.FirstLevels);
        this.firstLevels = this.CONSUME(T.NumberLiteral);
        this.CONSUME(T.Levels);
      });
    } finally {
      const count = this.firstLevels as IToken | undefined;
      if (first && real(ladder)) n.uses = { ladder: name(ladder), first: real(count) ? number(count) : undefined, range: this.span(from) };
    }
  });

  // 或 binds loosest, then 且, then 非: `a 或 b 且 非 c` is `a 或 (b 且 (非 c))`.
  // Each part is handed up in a `finally`, so a condition cut short keeps the parts it has.
  condition = this.RULE('condition', () => {
    const from = this.read.length;
    const saved = this.anyParts;
    const parts: A.Condition[] = (this.anyParts = []);
    try {
      this.AT_LEAST_ONE_SEP((this.cachedLists.condition ??= { SEP: T.Or, DEF: () => this.SUBRULE(this.conjunction) }));
    } finally {
      this.anyParts = saved;
      this.conditionOut = parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { kind: 'any', operands: parts, range: this.span(from) };
    }
  });

  conjunction = this.RULE('conjunction', () => {
    const from = this.read.length;
    const saved = this.allParts;
    const parts: A.Condition[] = (this.allParts = []);
    try {
      this.AT_LEAST_ONE_SEP((this.cachedLists.conjunction ??= { SEP: T.And, DEF: () => this.SUBRULE(this.negation) }));
    } finally {
      this.allParts = saved;
      const c: A.Condition | undefined = parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { kind: 'all', operands: parts, range: this.span(from) };
      if (c) this.anyParts.push(c);
    }
  });

  // Repeated 非 is a loop, not recursion: a file of ten thousand 非 must not exhaust the stack.
  negation = this.RULE('negation', () => {
    let firstNot: IToken | undefined;
    let nots = 0;
    this.atomOut = undefined;
    try {
      this.MANY(() => {
        const t = this.CONSUME(T.Not);
        if (real(t)) {
          firstNot ??= t;
          nots++;
        }
      });
      this.SUBRULE(this.atom);
    } finally {
      let result = this.atomOut as A.Condition | undefined;
      this.atomOut = undefined;
      // 非 非 a is a: a chain of 非 folds to at most one, so that nothing downstream (checks,
      // formatter, compiler, the definition's schema) recurses ten thousand levels deep.
      if (result && firstNot && nots % 2) {
        const end: number = result.range.offset + result.range.length;
        result = { kind: 'not', operand: result, range: { ...tokenRange(firstNot), length: end - firstNot.startOffset } };
      }
      if (result) this.allParts.push(result);
    }
  });

  atom = this.RULE('atom', () => {
    this.conditionOut = undefined;
    let id: IToken | undefined;
    try {
      id = this.OR((this.cached.atomAlternatives ??= [
        { ALT: () => this.CONSUME(T.Identifier) },
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            this.SUBRULE(this.condition);
            this.CONSUME(T.RParen);
            return undefined;
          },
        },
      ])) as IToken | undefined;
    } finally {
      this.atomOut = real(id) ? { kind: 'attr', name: name(id), range: tokenRange(id) } : this.conditionOut;
      this.conditionOut = undefined;
    }
  });
  // ---- Assessment schemes (考核细则, S4, Y13): own block.
  // 考核 annual "年度改革落实考核" 依据 Y13
  //   指标 on_schedule "按期完成率" 分值 30 分 计分 按期完成率 依据 S4
  //   指标 supervision "督办函扣分" 分值 10 分 计分 督办函 每件扣 2 分 依据 A13

  private scoreOut: IToken | undefined;

  scheme = this.RULE('scheme', () => {
    const n: A.SchemeDecl = { kind: 'scheme', id: undefined, label: undefined, source: undefined, indicators: [], range: NO_RANGE, comments: noComments() };
    const parent = this.frame;
    const f = this.enter('scheme', n);
    try {
      this.header(T.SchemeDecl, n);
      this.MANY(() =>
        this.OR((this.cached.schemeAlternatives ??= [
          { ALT: () => this.SUBRULE(this.source) },
          { ALT: () => this.SUBRULE(this.indicator) },
        ])),
      );
    } finally {
      n.indicators = (f.kids ?? []).filter((k) => k.rule === 'indicator').map((k) => k.node as A.IndicatorDecl);
      this.leave(f, parent);
    }
  });

  indicator = this.RULE('indicator', () => {
    const n: A.IndicatorDecl = { kind: 'indicator', id: undefined, label: undefined, points: undefined, measure: undefined, perLetter: undefined, source: undefined, range: NO_RANGE, comments: noComments() };
    const parent = this.frame;
    const f = this.enter('indicator', n);
    try {
      this.header(T.Indicator, n);
      this.MANY(() =>
        this.OR((this.cached.indicatorAlternatives ??= [
          { ALT: () => this.SUBRULE(this.points) },
          { ALT: () => this.SUBRULE(this.measure) },
          { ALT: () => this.SUBRULE(this.source) },
        ])),
      );
    } finally {
      this.leave(f, parent);
    }
  });

  /** A number of points: whole or with decimals. */
  score = this.RULE('score', () => {
    this.scoreOut = undefined;
    this.scoreOut = this.OR((this.cached.scoreAlternatives ??= [{ ALT: () => this.CONSUME(T.NumberLiteral) }, { ALT: () => this.CONSUME(T.DecimalLiteral) }])) as IToken | undefined;
  });

  /** `分值 30` or `分值 30 分`. */
  points = this.RULE('points', () => {
    const n = this.fields;
    const first = this.clause('points', this.CONSUME(T.Points));
    this.scoreOut = undefined;
    try {
      this.SUBRULE(this.score);
      this.OPTION(() => this.CONSUME(T.PointUnit));
    } finally {
      const v = this.scoreOut as IToken | undefined;
      if (first && real(v)) n.points = number(v);
    }
  });

  /** `计分 按期完成率`, or `计分 督办函 每件扣 2 分`. */
  measure = this.RULE('measure', () => {
    const n = this.fields;
    const first = this.clause('measure', this.CONSUME(T.MeasuredBy));
    let kind: IToken | undefined;
    let per: IToken | undefined;
    try {
      kind = this.OR((this.cached.measureAlternatives ??= [{ ALT: () => this.CONSUME(T.Measure) }, { ALT: () => this.CONSUME(T.LetterKind) }])) as IToken | undefined;
      this.OPTION(() => {
        this.CONSUME(T.PerLetter);
        this.scoreOut = undefined;
        this.SUBRULE(this.score);
        per = this.scoreOut;
        this.CONSUME(T.PointUnit);
      });
    } finally {
      if (first && real(kind)) {
        const range = spanRange(kind, kind);
        n.measure = kind.tokenType.name in LETTERS ? { type: 'letters', letter: LETTERS[kind.tokenType.name], range } : { type: MEASURES[kind.tokenType.name], range };
        const perToken = per as IToken | undefined;
        if (real(perToken)) n.perLetter = number(perToken);
      }
    }
  });
  // ---- End of assessment schemes.
}

const NO_RANGE = { offset: 0, length: 0, line: 1, column: 1 };

/** The measure keywords, by token name (assessment schemes). */
const MEASURES: Record<string, A.MeasureName> = { OnScheduleRate: 'on_schedule_rate', CompletionRate: 'completion_rate', ProblemsOnTime: 'problems_on_time', ThirdParty: 'third_party', RedList: 'red_list' };

/** The letters of a deadline or ladder, in order; one without its kind is dropped. */
function levelsOf(f: Frame): A.LevelDecl[] {
  const out: A.LevelDecl[] = [];
  if (f.kids) for (const k of f.kids) if ((k.node as A.LevelDecl).letter) out.push(k.node as A.LevelDecl);
  return out;
}

/** One parser for the process: Chevrotain parsers are built once and reused by resetting input. */
let shared: RulesGrammar | undefined;
export function grammar(): RulesGrammar {
  return (shared ??= new RulesGrammar());
}

export type { IToken };
