import { AtLeastOneSepMethodOpts, CstNode, CstParser, IOrAlt, IToken, ITokenGrammarPath, TokenType } from 'chevrotain';
import { chineseMessages } from './messages';
import * as Tokens from './tokens';

// A plain copy of the token types: the rules read them on every step, and a module namespace
// may hand each one out through a getter.
const T = { ...Tokens };

/**
 * The grammar. Every declaration and clause starts with its own keyword, so nothing depends on
 * line breaks or indentation, and after an error the parser resynchronises on the next keyword
 * (Chevrotain's recovery) and goes on: one run reports every error of a file.
 */
/** Recoveries nested inside one another before a repetition gives up (each takes a dozen stack frames). */
const MAX_NESTED_RECOVERIES = 100;

export class RulesGrammar extends CstParser {
  /**
   * The alternatives of each OR (and the options of each separated list), made on a rule's first
   * run and reused: made anew on every run, they were a good part of the parse time of a big file.
   */
  private readonly cached: { [rule: string]: IOrAlt<unknown>[] } = {};
  private readonly cachedLists: { [rule: string]: AtLeastOneSepMethodOpts<unknown> } = {};

  /** What may follow a place in the grammar, by place: recovery asks it at every error, and it walks the grammar. */
  private readonly follows = new Map<string, TokenType[]>();

  constructor() {
    super(T.ALL_TOKENS, { recoveryEnabled: true, maxLookahead: 2, nodeLocationTracking: 'onlyOffset', errorMessageProvider: chineseMessages });
    // Chevrotain recovers inside a repetition by calling the repetition again from within itself,
    // after scanning ahead for a token that may follow the rule. Between declarations (the top
    // rule) only the end of the file may follow: each recovery scanned to the end, and a file of
    // thousands of stray words between declarations nested that deep and overflowed the stack.
    // There the repetition stops instead and parseRules starts a new run at the next declaration;
    // deeper down, past MAX_NESTED_RECOVERIES, likewise.
    const self = this as unknown as { attemptInRepetitionRecovery: (...args: unknown[]) => void; RULE_STACK: unknown[] };
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
    this.performSelfAnalysis();
  }

  /** The file from token `from` on: a new run after a part the parser could not read, without copying the tokens. */
  fileFrom(tokens: IToken[], from: number): CstNode {
    this.input = tokens;
    (this as unknown as { importLexerState(index: number): void }).importLexerState(from - 1);
    return this.file();
  }

  protected override getNextPossibleTokenTypes(path: ITokenGrammarPath): TokenType[] {
    const key = `${path.ruleStack.join('/')}|${path.occurrenceStack.join('/')}|${path.lastTok.name}|${path.lastTokOccurrence}`;
    let found = this.follows.get(key);
    if (!found) this.follows.set(key, (found = super.getNextPossibleTokenTypes(path)));
    return found;
  }

  file = this.RULE('file', () => {
    this.MANY(() => this.SUBRULE(this.declaration));
  });

  declaration = this.RULE('declaration', () => {
    this.OR((this.cached.declarationAlternatives ??= [
      { ALT: () => this.SUBRULE(this.procedure) },
      { ALT: () => this.SUBRULE(this.role) },
      { ALT: () => this.SUBRULE(this.attribute) },
      { ALT: () => this.SUBRULE(this.event) },
      { ALT: () => this.SUBRULE(this.stage) },
      { ALT: () => this.SUBRULE(this.ladder) },
      { ALT: () => this.SUBRULE(this.deadline) },
      { ALT: () => this.SUBRULE(this.template) },
      // Only after an error: the builder gives an action back to the stage before it (a level
      // to its deadline or ladder), so one bad clause does not lose the rest of a stage.
      { ALT: () => this.SUBRULE(this.action) },
      { ALT: () => this.SUBRULE(this.level) },
    ]));
  });

  private header(keyword: TokenType) {
    this.CONSUME(keyword);
    this.CONSUME(T.Identifier, { LABEL: 'id' });
    this.CONSUME(T.StringLiteral, { LABEL: 'label' });
  }

  procedure = this.RULE('procedure', () => {
    this.header(T.Procedure);
    this.MANY(() =>
      this.OR((this.cached.procedureAlternatives ??= [
        { ALT: () => this.SUBRULE(this.version) },
        { ALT: () => this.SUBRULE(this.source) },
        { ALT: () => this.SUBRULE(this.startEvents) },
      ])),
    );
  });

  version = this.RULE('version', () => {
    this.CONSUME(T.Version);
    this.CONSUME(T.NumberLiteral);
  });

  source = this.RULE('source', () => {
    this.CONSUME(T.Source);
    this.CONSUME(T.Identifier);
  });

  startEvents = this.RULE('startEvents', () => {
    this.CONSUME(T.StartEvents);
    this.SUBRULE(this.names);
  });

  names = this.RULE('names', () => {
    this.AT_LEAST_ONE_SEP((this.cachedLists.names ??= { SEP: T.Separator, DEF: () => this.CONSUME(T.Identifier) }));
  });

  role = this.RULE('role', () => {
    this.header(T.Role);
    this.MANY(() =>
      this.OR((this.cached.roleAlternatives ??= [
        { ALT: () => this.SUBRULE(this.source) },
        { ALT: () => this.SUBRULE(this.addressee) },
      ])),
    );
  });

  addressee = this.RULE('addressee', () => {
    this.CONSUME(T.AddressedTo);
    this.OR((this.cached.addresseeAlternatives ??= [{ ALT: () => this.CONSUME(T.StringLiteral) }, { ALT: () => this.CONSUME(T.Party) }]));
  });

  attribute = this.RULE('attribute', () => {
    this.header(T.Attribute);
    this.OPTION(() => this.SUBRULE(this.source));
  });

  event = this.RULE('event', () => {
    this.header(T.Event);
    this.OPTION(() => this.SUBRULE(this.source));
  });

  stage = this.RULE('stage', () => {
    this.header(T.Stage);
    this.MANY(() =>
      this.OR((this.cached.stageAlternatives ??= [
        { ALT: () => this.SUBRULE(this.source) },
        { ALT: () => this.SUBRULE(this.applies) },
        { ALT: () => this.SUBRULE(this.requires) },
        { ALT: () => this.SUBRULE(this.skipTo) },
        { ALT: () => this.CONSUME(T.Final) },
        { ALT: () => this.SUBRULE(this.action) },
      ])),
    );
  });

  applies = this.RULE('applies', () => {
    this.CONSUME(T.AppliesWhen);
    this.SUBRULE(this.condition);
  });

  requires = this.RULE('requires', () => {
    this.CONSUME(T.Requires);
    this.SUBRULE(this.names);
  });

  skipTo = this.RULE('skipTo', () => {
    this.CONSUME(T.SkipTo);
    this.CONSUME(T.Identifier);
  });

  action = this.RULE('action', () => {
    this.header(T.Action);
    this.MANY(() =>
      this.OR((this.cached.actionAlternatives ??= [
        { ALT: () => this.SUBRULE(this.by) },
        { ALT: () => this.SUBRULE(this.goesTo) },
        { ALT: () => this.SUBRULE(this.records) },
        { ALT: () => this.CONSUME(T.NeedsReason) },
        { ALT: () => this.CONSUME(T.NeedsAllItems) },
        { ALT: () => this.SUBRULE(this.needsEvents) },
        { ALT: () => this.CONSUME(T.ItemUpsert) },
        { ALT: () => this.SUBRULE(this.applies) },
        { ALT: () => this.SUBRULE(this.source) },
      ])),
    );
  });

  by = this.RULE('by', () => {
    this.CONSUME(T.By);
    this.SUBRULE(this.names);
  });

  goesTo = this.RULE('goesTo', () => {
    this.CONSUME(T.GoesTo);
    this.CONSUME(T.Identifier);
  });

  records = this.RULE('records', () => {
    this.CONSUME(T.Records);
    this.SUBRULE(this.names);
  });

  needsEvents = this.RULE('needsEvents', () => {
    this.CONSUME(T.NeedsEvents);
    this.SUBRULE(this.names);
  });

  ladder = this.RULE('ladder', () => {
    this.header(T.LadderDecl);
    this.MANY(() => this.SUBRULE(this.level));
  });

  level = this.RULE('level', () => {
    this.CONSUME(T.LetterKind);
    this.SUBRULE(this.trigger);
    this.MANY(() =>
      this.OR((this.cached.levelAlternatives ??= [
        { ALT: () => this.SUBRULE(this.to) },
        { ALT: () => this.SUBRULE(this.cc) },
        { ALT: () => this.SUBRULE(this.limit) },
        { ALT: () => this.SUBRULE(this.source) },
      ])),
    );
  });

  trigger = this.RULE('trigger', () => {
    this.OR((this.cached.triggerAlternatives ??= [
      {
        ALT: () => {
          this.CONSUME(T.BeforeDue);
          this.SUBRULE(this.duration);
        },
      },
      { ALT: () => this.CONSUME(T.DueEnded) },
      { ALT: () => this.CONSUME(T.PreviousLimitEnded) },
    ]));
  });

  to = this.RULE('to', () => {
    this.CONSUME(T.To);
    this.SUBRULE(this.names);
  });

  cc = this.RULE('cc', () => {
    this.CONSUME(T.Cc);
    this.SUBRULE(this.names);
  });

  limit = this.RULE('limit', () => {
    this.CONSUME(T.Limit);
    this.SUBRULE(this.duration);
  });

  duration = this.RULE('duration', () => {
    this.CONSUME(T.NumberLiteral);
    this.CONSUME(T.Unit);
  });

  deadline = this.RULE('deadline', () => {
    this.header(T.Deadline);
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
  });

  template = this.RULE('template', () => {
    this.CONSUME(T.Template);
    this.CONSUME(T.LetterKind);
    this.MANY(() =>
      this.OR((this.cached.templateAlternatives ??= [
        { ALT: () => this.SUBRULE(this.subject) },
        { ALT: () => this.SUBRULE(this.paragraph) },
        { ALT: () => this.SUBRULE(this.source) },
      ])),
    );
  });

  subject = this.RULE('subject', () => {
    this.CONSUME(T.Subject);
    this.CONSUME(T.StringLiteral);
  });

  paragraph = this.RULE('paragraph', () => {
    this.CONSUME(T.Paragraph);
    this.CONSUME(T.StringLiteral);
  });

  from = this.RULE('from', () => {
    this.CONSUME(T.From);
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.After);
      this.SUBRULE(this.duration);
    });
  });

  within = this.RULE('within', () => {
    this.CONSUME(T.Within);
    this.SUBRULE(this.duration);
  });

  byDate = this.RULE('byDate', () => {
    this.CONSUME(T.ByDate);
    this.CONSUME(T.NumberLiteral, { LABEL: 'month' });
    this.CONSUME(T.Month);
    this.CONSUME2(T.NumberLiteral, { LABEL: 'day' });
    this.CONSUME(T.Days);
  });

  metBy = this.RULE('metBy', () => {
    this.CONSUME(T.MetBy);
    this.CONSUME(T.Identifier);
  });

  repeat = this.RULE('repeat', () => {
    this.CONSUME(T.Repeat);
    this.CONSUME(T.Every);
    this.SUBRULE(this.duration);
  });

  uses = this.RULE('uses', () => {
    this.CONSUME(T.UsesLadder);
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.FirstLevels);
      this.CONSUME(T.NumberLiteral);
      this.CONSUME(T.Levels);
    });
  });

  // 或 binds loosest, then 且, then 非: `a 或 b 且 非 c` is `a 或 (b 且 (非 c))`.
  condition = this.RULE('condition', () => {
    this.AT_LEAST_ONE_SEP((this.cachedLists.condition ??= { SEP: T.Or, DEF: () => this.SUBRULE(this.conjunction) }));
  });

  conjunction = this.RULE('conjunction', () => {
    this.AT_LEAST_ONE_SEP((this.cachedLists.conjunction ??= { SEP: T.And, DEF: () => this.SUBRULE(this.negation) }));
  });

  // Repeated 非 is a loop, not recursion: a file of ten thousand 非 must not exhaust the stack.
  negation = this.RULE('negation', () => {
    this.MANY(() => this.CONSUME(T.Not));
    this.SUBRULE(this.atom);
  });

  atom = this.RULE('atom', () => {
    this.OR((this.cached.atomAlternatives ??= [
      { ALT: () => this.CONSUME(T.Identifier) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.condition);
          this.CONSUME(T.RParen);
        },
      },
    ]));
  });
}

/** One parser for the process: Chevrotain parsers are built once and reused by resetting input. */
let shared: RulesGrammar | undefined;
export function grammar(): RulesGrammar {
  return (shared ??= new RulesGrammar());
}

export type { CstNode, IToken };
