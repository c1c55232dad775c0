import { BUILT_IN_FILE } from './built-in';
import { NameIndex } from '../util/closest';
import * as A from '../syntax/ast';
import { error, Located, ProcedureScope, Report, Ruleset, warning } from './scope';

/** The names one procedure can refer to, by kind. */
export interface Symbols {
  roles: Map<string, Located<A.RoleDecl>>;
  attributes: Map<string, Located<A.AttributeDecl>>;
  events: Map<string, Located<A.EventDecl>>;
  ladders: Map<string, Located<A.LadderDecl>>;
  stages: Map<string, A.StageDecl>;
  actions: Map<string, A.ActionDecl>;
  deadlines: Map<string, A.DeadlineDecl>;
}

const KIND_LABEL = { roles: '角色', attributes: '属性', events: '事件', ladders: '催办梯度', stages: '阶段', actions: '动作', deadlines: '时限' } as const;
export type SymbolKind = keyof typeof KIND_LABEL;

const ID = /^[a-z][a-z0-9_]*$/;
const SOURCE_ID = /^[AHSWY][0-9]{1,2}$/;

/** Ids must be lower-case ASCII: they are keys in the database and the engine's history. */
const NOWHERE = { offset: 0, length: 0, line: 1, column: 1 };
const REGISTERED: Located<A.EventDecl> = {
  file: BUILT_IN_FILE,
  decl: { kind: 'event', id: { text: 'registered', range: NOWHERE }, label: { value: '任务登记', range: NOWHERE }, range: NOWHERE, comments: { leading: [] } },
};

export function checkId(file: string, id: A.Name | undefined, report: Report) {
  if (id && !ID.test(id.text)) {
    report(error(file, id, 'bad-id', `标识「${id.text}」应由小写字母、数字和下划线组成,以字母开头`, `改为「${id.text.toLowerCase().replace(/^[^a-z]+/, '')}」`));
  }
}

export function checkSource(file: string, source: A.Name | undefined, report: Report) {
  if (source && !SOURCE_ID.test(source.text)) {
    report(error(file, source, 'bad-source', `来源编号「${source.text}」应形如 A9、S1、Y9(文件代号加条目号)`));
  }
}

/** Adds one declaration to a table; a name declared twice is reported at the second, citing the first. */
function declare<T>(map: Map<string, T>, file: string, entry: T, kind: SymbolKind, report: Report, fileOf: (t: T) => string, idOf: (t: T) => A.Name | undefined) {
  const id = idOf(entry);
  if (!id) return;
  checkId(file, id, report);
  const first = map.get(id.text);
  if (first) {
    const at = idOf(first)?.range;
    report(error(file, id, 'duplicate', `${KIND_LABEL[kind]}「${id.text}」重复定义(首次定义于 ${fileOf(first)}:${at?.line}:${at?.column})`));
    return;
  }
  map.set(id.text, entry);
}

/** Adds declarations from files to a table, reporting a name declared twice at the second. */
function addLocated<T extends { id?: A.Name }>(map: Map<string, Located<T>>, list: Located<T>[], kind: SymbolKind, report: Report) {
  for (const l of list) declare(map, l.file, l, kind, report, (first) => first.file, (x) => x.decl.id);
}

function sharedTables(r: Ruleset, report: Report) {
  const roles = new Map<string, Located<A.RoleDecl>>();
  const attributes = new Map<string, Located<A.AttributeDecl>>();
  const events = new Map<string, Located<A.EventDecl>>();
  const ladders = new Map<string, Located<A.LadderDecl>>();
  const add = <T extends { id?: A.Name }>(map: Map<string, Located<T>>, list: Located<T>[], kind: SymbolKind) => addLocated(map, list, kind, report);
  add(roles, r.shared.roles, 'roles');
  add(attributes, r.shared.attributes, 'attributes');
  add(events, r.shared.events, 'events');
  add(ladders, r.shared.ladders, 'ladders');
  return { roles, attributes, events, ladders };
}

/** Builds every procedure's symbol table, reporting duplicates and malformed ids once each. */
export function buildSymbols(r: Ruleset, report: Report): Map<ProcedureScope, Symbols> {
  const shared = sharedTables(r, report);
  const out = new Map<ProcedureScope, Symbols>();
  const procedures = new Map<string, ProcedureScope>();
  for (const p of r.procedures) {
    checkId(p.file, p.header.id, report);
    const first = p.header.id && procedures.get(p.header.id.text);
    if (p.header.id && first) {
      const at = first.header.id?.range;
      report(error(p.file, p.header.id, 'duplicate', `程序「${p.header.id.text}」重复定义(首次定义于 ${first.file}:${at?.line}:${at?.column})`));
    } else if (p.header.id) procedures.set(p.header.id.text, p);
    const s: Symbols = {
      roles: new Map(shared.roles),
      attributes: new Map(shared.attributes),
      events: new Map(shared.events),
      ladders: new Map(shared.ladders),
      stages: new Map(),
      actions: new Map(),
      deadlines: new Map(),
    };
    const located = <T extends { id?: A.Name }>(map: Map<string, Located<T>>, list: Located<T>[], kind: SymbolKind) => addLocated(map, list, kind, report);
    located(s.roles, p.roles, 'roles');
    located(s.attributes, p.attributes, 'attributes');
    located(s.events, p.events, 'events');
    located(s.ladders, p.ladders, 'ladders');
    // The engine records 任务登记 when a task is registered: any procedure may count from it.
    if (!s.events.has(REGISTERED.decl.id!.text)) s.events.set(REGISTERED.decl.id!.text, REGISTERED);
    const here = () => p.file;
    for (const st of p.stages) {
      declare(s.stages, p.file, st, 'stages', report, here, (x) => x.id);
      for (const a of st.actions) declare(s.actions, p.file, a, 'actions', report, here, (x) => x.id);
    }
    for (const d of p.deadlines) declare(s.deadlines, p.file, d, 'deadlines', report, here, (x) => x.id);
    out.set(p, s);
  }
  return out;
}

// One index per symbol table, built the first time a hint is asked of it: by then the tables are
// complete (hints are worked out after every check has run).
const indexes = new WeakMap<Map<string, unknown>, NameIndex>();

function indexOf(table: Map<string, unknown>): NameIndex {
  let index = indexes.get(table);
  if (!index) indexes.set(table, (index = new NameIndex(table.keys())));
  return index;
}

/** Reports a name that is not declared, with the nearest declared one as a hint. */
export function resolve(file: string, s: Symbols, kind: SymbolKind, name: A.Name | undefined, report: Report): boolean {
  if (!name) return false;
  const table = s[kind] as Map<string, unknown>;
  if (table.has(name.text)) return true;
  report(error(file, name, 'unknown-name', `未定义的${KIND_LABEL[kind]}「${name.text}」`), () => {
    const guess = indexOf(table).closest(name.text);
    return guess ? `是否想写「${guess}」?` : undefined;
  });
  return false;
}

export function conditionNames(c: A.Condition | undefined): A.Name[] {
  if (!c) return [];
  if (c.kind === 'attr') return [c.name];
  if (c.kind === 'not') return conditionNames(c.operand);
  return c.operands.flatMap(conditionNames);
}

/** Every reference of a procedure resolves; a missing source id is a warning (the rule cannot be traced). */
export function checkReferences(p: ProcedureScope, s: Symbols, report: Report, parsedCleanly: boolean) {
  const f = p.file;
  // A clause the parser could not read is already reported; "missing" would only repeat it.
  const missing: Report = (d) => parsedCleanly && report(d);
  const names = (kind: SymbolKind, list: A.Name[]) => list.forEach((n) => resolve(f, s, kind, n, report));
  checkSource(f, p.header.source, report);
  // The engine requires a source on a procedure, a deadline and a letter (ProcessDefinitionSchema); on a stage it is advised.
  if (!p.header.source && p.header.id) missing(error(f, p.header.id, 'missing-source', `程序「${p.header.id.text}」未写依据(来源编号)`, '加上「依据 A5」之类的来源编号'));
  names('events', p.header.startEvents);
  for (const st of p.stages) {
    checkSource(f, st.source, report);
    if (!st.source && st.id) missing(warning(f, st.id, 'missing-source', `阶段「${st.id.text}」未写依据(来源编号)`, '加上「依据 A8」之类的来源编号'));
    names('attributes', conditionNames(st.when));
    names('stages', st.requires);
    if (st.skipTo) resolve(f, s, 'stages', st.skipTo, report);
    for (const a of st.actions) {
      checkSource(f, a.source, report);
      if (a.id && !a.roles.length) missing(error(f, a.id, 'missing-clause', `动作「${a.id.text}」未写由谁办理`, '加上「由 lead_unit」'));
      names('roles', a.roles);
      if (a.to) resolve(f, s, 'stages', a.to, report);
      names('events', a.records);
      names('events', a.needsEvents);
      names('attributes', conditionNames(a.when));
    }
  }
  for (const d of p.deadlines) {
    checkSource(f, d.source, report);
    if (!d.source && d.id) missing(error(f, d.id, 'missing-source', `时限「${d.id.text}」未写依据(来源编号)`, '加上「依据 A9」之类的来源编号'));
    names('attributes', conditionNames(d.when));
    const head = d.id ?? d;
    if (!d.from) missing(error(f, head, 'missing-clause', '时限未写起算事件', '加上「起算 issued」'));
    else resolve(f, s, 'events', d.from, report);
    if (!d.metBy) missing(error(f, head, 'missing-clause', '时限未写完成事件', '加上「完成 filed」'));
    else resolve(f, s, 'events', d.metBy, report);
    if (!d.within && !d.byDate) missing(error(f, head, 'missing-clause', '时限未写期限', '加上「期限 1 个月」或「截至 6月30日」'));
    if (d.within && d.byDate) report(error(f, d.byDate, 'conflicting-clauses', '「期限」与「截至」只能写一个'));
    if (d.uses) {
      resolve(f, s, 'ladders', d.uses.ladder, report);
      if (d.levels.length) report(error(f, d.levels[0], 'conflicting-clauses', '已写「催办」引用催办梯度,不能再逐级写函件'));
    }
    for (const l of d.levels) checkLevelNames(f, s, l, report);
  }
  // Shared ladders are checked in every procedure's scope; the ruleset drops the repeats.
  for (const { file, decl } of s.ladders.values()) for (const l of decl.levels) checkLevelNames(file, s, l, report);
}

export function checkLevelNames(file: string, s: Symbols, l: A.LevelDecl, report: Report) {
  checkSource(file, l.source, report);
  if (!l.source) report(error(file, l, 'missing-source', '催办函件未写依据(来源编号)', '加上「依据 Y9」之类的来源编号'));
  if (!l.to.length) report(error(file, l, 'missing-clause', '催办函件未写致送对象', '加上「致 lead_unit」'));
  l.to.forEach((n) => resolve(file, s, 'roles', n, report));
  l.cc.forEach((n) => resolve(file, s, 'roles', n, report));
}
