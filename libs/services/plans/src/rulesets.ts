import { addMonths, endOfLocalDay, formatChineseDate, isLocalDate, LocalDate, localDateAt } from '@reform/calendar';
import { UserError } from '@reform/config';
import { LETTER_KIND_LABEL, LetterKind, ProcessDefinition } from '@reform/definitions';
import { citeRule } from '@reform/letters';
import { DeadlineChange, DeadlinePolicy, partiesFor, PlanSnapshot, PlanView, planMigration, recomputeDeadlines, simulateLetters, SimulatedLetter } from '@reform/machine';
import { DefinitionConflictError, DefinitionStore, sameMeaning } from '@reform/persistence';
import type { CompiledProcedures } from '@reform/procedures';
import { Change, describeChanges, diffDefinitions } from '@reform/rules';

/*
 * The rules use cases the CLI (`reform rules publish|diff|simulate|migrate|why`) and the API
 * (/api/rules, /api/procedures, /api/plans/{id}/why) share: each computes its answer as data;
 * the CLI prints it, the API returns it. Who may call them is the caller's business (the API's
 * RulesDesk checks the user's unit and scope).
 */

// ---------------------------------------------------------------- publish

/** What publishing did with one procedure of a ruleset. */
export interface PublishedProcedure {
  id: string;
  title: string;
  version: number;
  /** 'unchanged': the same meaning was published already under that version, nothing was written. */
  status: 'published' | 'unchanged';
  /** The version came from the file's 版本 line (rather than the latest plus one). */
  explicit: boolean;
}

/**
 * Stores each procedure of a compiled ruleset as a new immutable version (with the files it was
 * written in); new plans take it, running plans keep theirs. An explicit 版本 that is taken by a
 * different text refuses the whole publish, before any of it.
 */
export async function publishRuleset(store: DefinitionStore, compiled: CompiledProcedures, now: Date = new Date()): Promise<PublishedProcedure[]> {
  const conflicts: string[] = [];
  for (const def of compiled.definitions) {
    const version = compiled.explicitVersions.get(def.id);
    const taken = version !== undefined ? await store.get(def.id, version) : null;
    if (taken && !sameMeaning(taken, def)) conflicts.push(`${def.title}(${def.id})第${version}版已发布且内容不同`);
  }
  if (conflicts.length) throw new DefinitionConflictError(`${conflicts.join(';')}。已发布的版本不能修改:提高「版本」或删去它(自动取下一版),未发布任何内容`);
  const out: PublishedProcedure[] = [];
  for (const def of compiled.definitions) {
    const version = compiled.explicitVersions.get(def.id);
    const sources = compiled.sources(def.id);
    if (version !== undefined) {
      const status = await store.publish({ ...def, version }, now, sources);
      out.push({ id: def.id, title: def.title, version, status, explicit: true });
      continue;
    }
    const published = await store.publishNext(def, now, sources);
    out.push({ id: def.id, title: def.title, version: published.version, status: published.status, explicit: false });
  }
  return out;
}

// ---------------------------------------------------------------- diff

/** How one procedure differs between two sides (a published version, or rules text). */
export interface ProcedureDiff {
  id: string;
  title: string;
  /** The published version on the left, when the left side is one. */
  from?: number;
  /** The published version on the right, when the right side is one. */
  to?: number;
  changes: Change[];
  /** The procedure is on one side only. */
  only?: 'added' | 'removed';
}

/**
 * Compares procedures by id, left to right. `only` limits the comparison to those procedures (a
 * published version names one); `fromVersion`/`toVersion` say a side is a published version.
 */
export function diffProcedures(left: ProcessDefinition[], right: ProcessDefinition[], opts: { only?: string[]; leftPublished?: boolean; rightPublished?: boolean } = {}): ProcedureDiff[] {
  const only = opts.only ?? [];
  const ids = [...new Set([...left, ...right].map((d) => d.id))].filter((id) => !only.length || only.includes(id));
  return ids.map((id) => {
    const x = left.find((d) => d.id === id);
    const y = right.find((d) => d.id === id);
    return {
      id,
      title: (y ?? x)!.title,
      from: opts.leftPublished ? x?.version : undefined,
      to: opts.rightPublished ? y?.version : undefined,
      changes: x && y ? diffDefinitions(x, y) : [],
      only: !x ? 'added' : !y ? 'removed' : undefined,
    };
  });
}

/** A diff as people read it: the lines `reform rules diff` prints. */
export function diffLines(p: ProcedureDiff): string[] {
  if (p.only === 'added') return [`+ 新增程序 ${p.title}(${p.id})`];
  if (p.only === 'removed') return [`- 删除程序 ${p.title}(${p.id})`];
  if (!p.changes.length) return [`${p.title}(${p.id}):含义没有变化`];
  return [`${p.title}(${p.id}):${p.changes.length} 处变化`, ...describeChanges(p.changes).map((l) => `  ${l}`)];
}

// ---------------------------------------------------------------- letters compared

/** One letter of a schedule compared with another: moved (same deadline, level and kind, another day), no longer sent, or new. */
export interface LetterChange {
  change: 'moved' | 'dropped' | 'added';
  /** The letter under the current rules (moved, dropped). */
  before?: SimulatedLetter;
  /** The letter under the proposed rules (moved, added). */
  after?: SimulatedLetter;
  /** Who the letter goes to, by name. */
  to: string[];
}

const sig = (l: SimulatedLetter) => `${l.deadlineKey}|${l.level}|${l.kind}|${l.issuedOn}`;
const slot = (l: SimulatedLetter) => `${l.deadlineKey}|${l.level}|${l.kind}`;

/** Compares two schedules: a letter that only moves is one change with both dates. */
export function compareLetters(current: SimulatedLetter[], proposed: SimulatedLetter[], to: (roles: string[]) => string[]): LetterChange[] {
  const before = new Set(current.map(sig));
  const after = new Set(proposed.map(sig));
  const gone = current.filter((l) => !after.has(sig(l)));
  const added = proposed.filter((l) => !before.has(sig(l)));
  const out: LetterChange[] = [];
  for (const l of gone) {
    const moved = added.find((x) => slot(x) === slot(l));
    if (moved) {
      out.push({ change: 'moved', before: l, after: moved, to: to(l.to) });
      added.splice(added.indexOf(moved), 1);
    } else out.push({ change: 'dropped', before: l, to: to(l.to) });
  }
  for (const l of added) out.push({ change: 'added', after: l, to: to(l.to) });
  return out;
}

const day = formatChineseDate;

/** A compared letter as people read it. */
export function letterChangeLine(c: LetterChange): string {
  const l = (c.before ?? c.after)!;
  const line = `${LETTER_KIND_LABEL[l.kind]}(${l.deadlineLabel},截止${day(l.due)},依据 ${l.source})致${c.to.join('、')}`;
  if (c.change === 'moved') return `~ 改期:${day(c.before!.issuedOn)} → ${day(c.after!.issuedOn)} ${line}${c.after!.due !== c.before!.due ? `(截止日改为${day(c.after!.due)})` : ''}`;
  if (c.change === 'dropped') return `- 不再发:${day(l.issuedOn)} ${line}`;
  return `+ 新增:${day(l.issuedOn)} ${line}`;
}

const recipients = (def: ProcessDefinition, view: PlanView) => (roles: string[]) => partiesFor(def, view.plan, roles).map((p) => p.name);

// ---------------------------------------------------------------- simulate

/** The horizon the live commands look ahead to by default: a year on (29 February → 28 February). */
export const aYearAfter = (today: LocalDate): LocalDate => addMonths(today, 12).date;

/** The day a simulation runs to: `until` if given (today or later), else a year from today; with the moment it ends. */
export function simulationHorizon(now: number, until: string | undefined, name = '--until'): { today: LocalDate; until: LocalDate; end: number } {
  const today = localDateAt(now);
  const day = until ?? aYearAfter(today);
  if (!isLocalDate(day) || day < today) throw new UserError(`${name} 应为今天(${today})之后的日期,形如 ${aYearAfter(today)}`);
  return { today, until: day, end: endOfLocalDay(day) };
}

export interface SimulatedPlan {
  workflowId: string;
  title: string;
  /** The version the plan runs under, as `reform_plan@1`. */
  procedure: string;
  /** The proposed rules define the plan's procedure. */
  affected: boolean;
  current: SimulatedLetter[];
  proposed: SimulatedLetter[];
  onlyCurrent: SimulatedLetter[];
  onlyProposed: SimulatedLetter[];
  /** The letters that move, are no longer sent or are new, with their old and new dates. */
  changes: LetterChange[];
}

/**
 * The letters a running plan would be sent from `now` to `end` under the rules in force and
 * under the proposed rules: the engine's own ladder code run on a virtual clock. Changes nothing.
 */
export function simulatePlan(proposedRules: ProcessDefinition[], snap: PlanSnapshot, view: PlanView, now: number, end: number): SimulatedPlan {
  const proposed = proposedRules.find((d) => d.id === snap.definition.id);
  const current = simulateLetters(snap.definition, snap.calendar, snap.deadlines, now, end);
  const next = proposed ? simulateLetters(proposed, snap.calendar, recomputeDeadlines(proposed, snap.calendar, snap), now, end) : current;
  const before = new Set(current.map(sig));
  const after = new Set(next.map(sig));
  return {
    workflowId: snap.workflowId,
    title: view.plan.title,
    procedure: `${snap.definition.id}@${snap.definition.version}`,
    affected: !!proposed,
    current,
    proposed: next,
    onlyCurrent: current.filter((l) => !after.has(sig(l))),
    onlyProposed: next.filter((l) => !before.has(sig(l))),
    changes: compareLetters(current, next, recipients(snap.definition, view)),
  };
}

// ---------------------------------------------------------------- migrate

export const DEADLINE_CHANGE_LABEL: Record<DeadlineChange['change'], string> = { kept: '保留', unchanged: '不变', moved: '改期', added: '新增', withdrawn: '撤销' };

/** The policy a migration must state; refused with a sentence saying what to write. */
export function migrationPolicy(policy: string | undefined, how = '须用 --policy 写明截止日期如何处理:keep(保留原截止日期)或 recompute(按新规则从业务日期重算)'): DeadlinePolicy {
  if (policy !== 'keep' && policy !== 'recompute') throw new UserError(how);
  return policy;
}

export interface MigrationPreview {
  workflowId: string;
  title: string;
  fromVersion: number;
  toVersion: number;
  /** Why the plan cannot be moved; empty when it can. */
  problems: string[];
  /** What happens to each deadline (unchanged and kept ones included). */
  deadlines: DeadlineChange[];
  /** The letters of the coming year that move, stop or start. */
  letters: LetterChange[];
}

/** What moving one plan to `target` would do, computed by the same function the workflow applies. Changes nothing. */
export function previewMigration(snap: PlanSnapshot, view: PlanView, target: ProcessDefinition, policy: DeadlinePolicy, now: number): MigrationPreview {
  const move = planMigration(snap, target, policy, snap.calendar);
  const base = { workflowId: snap.workflowId, title: view.plan.title, fromVersion: snap.definition.version, toVersion: target.version, problems: move.problems };
  if (move.problems.length) return { ...base, deadlines: [], letters: [] };
  const until = endOfLocalDay(aYearAfter(localDateAt(now)));
  const letters = compareLetters(simulateLetters(snap.definition, snap.calendar, snap.deadlines, now, until), simulateLetters(target, snap.calendar, move.deadlines, now, until), recipients(target, view));
  return { ...base, deadlines: move.changes, letters };
}

/** Whether a migration run over many plans looks at this one: plans of the procedure not on the target version already (one named plan always). */
export const migrationConcerns = (snap: PlanSnapshot, target: ProcessDefinition, named: boolean): boolean =>
  snap.definition.id === target.id && (named || snap.definition.version !== target.version);

// ---------------------------------------------------------------- why

/** Why one deadline of a plan falls due when it does. */
export interface DeadlineWhy {
  key: string;
  id: string;
  label: string;
  due: LocalDate;
  status: 'open' | 'met' | 'cancelled';
  /** 未到期 / 已逾期 / 已于…完成 / 已撤销. */
  statusLabel: string;
  metOn?: string;
  late: boolean;
  procedure: { id: string; version: number; title: string };
  /** The rule id (A9 …) and how documents cite it. */
  rule: { id: string; citation: string };
  /** The business event it counts from, and that event's date. */
  from: { event: string; label: string; date: string };
  /** How the days were counted, step by step (the engine's own computation). */
  explanation: string[];
  /** The event that meets it. */
  metBy: { event: string; label: string };
  /** The next letter the engine will send for it, if any. */
  next?: { kind: string; label: string; at: string };
}

/**
 * For each deadline of a plan (or the one named by id or key): where it counts from, the rule,
 * and how the days were counted. A plan with no deadline yet (one still in drafting) has none
 * to explain: an empty list, not an error; only a named deadline the plan lacks is refused.
 */
export function explainDeadlines(view: PlanView, snap: PlanSnapshot, deadline?: string): DeadlineWhy[] {
  const shown = view.deadlines.filter((d) => !deadline || d.id === deadline || d.key === deadline);
  if (deadline && !shown.length) {
    throw new UserError(`方案 ${view.workflowId} 没有时限「${deadline}」;有:${view.deadlines.map((d) => d.key).join('、') || '无'}`);
  }
  const def = snap.definition;
  const events = new Map(def.events.map((e) => [e.id, e.label]));
  return shown.map((d) => {
    const rule = def.deadlines.find((x) => x.id === d.id)!;
    const status = d.status as DeadlineWhy['status'];
    return {
      key: d.key,
      id: d.id,
      label: d.label,
      due: d.due,
      status,
      statusLabel: d.status === 'met' ? `已于${formatChineseDate(d.metOn!)}完成` : d.status === 'cancelled' ? '已撤销' : d.late ? '已逾期' : '未到期',
      ...(d.metOn ? { metOn: d.metOn } : {}),
      late: d.late,
      procedure: { id: def.id, version: def.version, title: def.title },
      rule: { id: d.source, citation: citeRule(d.source) },
      from: { event: rule.from.event, label: events.get(rule.from.event) ?? rule.from.event, date: d.anchor },
      explanation: d.explanation,
      metBy: { event: rule.metBy.event, label: events.get(rule.metBy.event) ?? rule.metBy.event },
      ...(d.next ? { next: { kind: d.next.kind, label: LETTER_KIND_LABEL[d.next.kind as LetterKind] ?? d.next.kind, at: d.next.at } } : {}),
    };
  });
}

/** A deadline's why as people read it: the lines `reform rules why` prints. */
export function whyLines(w: DeadlineWhy): string[] {
  return [
    `${w.label}(${w.key}):截止${formatChineseDate(w.due)},${w.statusLabel}`,
    `  规则:${w.procedure.title}第${w.procedure.version}版,依据${w.rule.citation}`,
    `  起算:${w.from.label},业务日期${formatChineseDate(w.from.date)}`,
    ...w.explanation.map((line) => `  ${line}`),
    `  完成:记录「${w.metBy.label}」即为完成`,
    ...(w.next ? [`  下一封函件:${w.next.label},${formatChineseDate(w.next.at.slice(0, 10))}${w.next.at.slice(10)}`] : []),
  ];
}
