import { Condition, LETTER_KINDS, ProcessDefinition, ProcessDefinitionInput } from '@reform/definitions';
import * as A from '../syntax/ast';
import { BUILT_IN_EVENTS, BUILT_IN_FILE } from '../check/built-in';
import { deadlineLevels } from '../check/ladder';
import { conditionNames, Symbols } from '../check/names';
import { Located, ProcedureScope } from '../check/scope';



/**
 * Syntax tree to process definition: a pure function, run only on a ruleset the checks passed,
 * so every name it meets resolves and every required clause is there.
 */
export function compileProcedure(p: ProcedureScope, s: Symbols, sharedTemplates: Located<A.TemplateDecl>[] = []): ProcessDefinitionInput {
  const referencedAttributes = new Set<string>();
  const referencedEvents = new Set<string>(p.header.startEvents.map((e) => e.text));
  const condition = (c: A.Condition | undefined): Condition | undefined => {
    if (!c) return undefined;
    conditionNames(c).forEach((n) => referencedAttributes.add(n.text));
    return toCondition(c);
  };
  const events = (list: A.Name[]) => list.map((e) => (referencedEvents.add(e.text), e.text));

  const stages = p.stages.map((st) => ({
    id: st.id!.text,
    label: st.label!.value,
    ...(st.source ? { source: st.source.text } : {}),
    ...(st.when ? { when: condition(st.when) } : {}),
    requires: st.requires.map((r) => r.text),
    ...(st.skipTo ? { skipTo: st.skipTo.text } : {}),
    actions: st.actions.map((a) => ({
      id: a.id!.text,
      label: a.label!.value,
      roles: a.roles.map((r) => r.text),
      ...(a.to ? { to: a.to.text } : {}),
      records: events(a.records),
      needsReason: !!a.needsReason,
      ...(a.itemUpsert ? { item: 'upsert' as const } : {}),
      needsAllItemsCompleted: !!a.needsAllItemsCompleted,
      needsEvents: events(a.needsEvents),
      ...(a.when ? { when: condition(a.when) } : {}),
      ...(a.source ? { source: a.source.text } : {}),
    })),
    final: !!st.final,
  }));

  const deadlines = p.deadlines.map((d) => ({
    id: d.id!.text,
    label: d.label!.value,
    source: d.source!.text,
    from: { event: events([d.from!])[0], ...(d.fromAfter ? { after: duration(d.fromAfter) } : {}) },
    ...(d.within ? { within: duration(d.within) } : {}),
    ...(d.byDate ? { byDate: { month: d.byDate.month, day: d.byDate.day } } : {}),
    metBy: { event: events([d.metBy!])[0] },
    ...(d.when ? { when: condition(d.when) } : {}),
    ...(d.repeat ? { repeat: { every: duration(d.repeat) } } : {}),
    ladder: deadlineLevels(d, s).map(level),
  }));

  const own = <T extends { id?: A.Name }>(list: { decl: T }[]) => new Set(list.map((l) => l.decl.id?.text));
  const ownAttributes = own(p.attributes);
  const ownEvents = own(p.events);
  const declaredEvents = [...s.events.values()].filter((e) => e.file !== BUILT_IN_FILE && (ownEvents.has(e.decl.id!.text) || referencedEvents.has(e.decl.id!.text)));
  return {
    id: p.header.id!.text,
    version: p.header.version?.value ?? 1,
    title: p.header.label!.value,
    source: p.header.source!.text,
    roles: [...s.roles.values()].map(({ decl: r }) => ({
      id: r.id!.text,
      label: r.label!.value,
      ...(r.addressee ? { addressee: 'plan' in r.addressee ? { plan: r.addressee.plan } : { name: r.addressee.name } } : {}),
    })),
    attributes: [...s.attributes.values()]
      .filter((a) => ownAttributes.has(a.decl.id!.text) || referencedAttributes.has(a.decl.id!.text))
      .map(({ decl: a }) => ({ id: a.id!.text, label: a.label!.value })),
    events: [
      ...BUILT_IN_EVENTS.filter((b) => !declaredEvents.some((e) => e.decl.id!.text === b.id)),
      ...declaredEvents.map(({ decl: e }) => ({ id: e.id!.text, label: e.label!.value })),
    ],
    startEvents: p.header.startEvents.map((e) => e.text),
    stages,
    deadlines,
    ...letterTemplates(p.templates, sharedTemplates),
  };
}

/** A condition of the syntax tree as the model writes it. */
export function toCondition(c: A.Condition): Condition {
  switch (c.kind) {
    case 'attr':
      return { attr: c.name.text };
    case 'not':
      return { not: toCondition(c.operand) };
    case 'all':
      return { all: c.operands.map(toCondition) };
    case 'any':
      return { any: c.operands.map(toCondition) };
  }
}

const duration = (d: A.Duration) => ({ amount: d.amount, unit: d.unit });

function level(l: A.LevelDecl): ProcessDefinition['deadlines'][number]['ladder'][number] {
  const t = l.trigger!;
  return {
    kind: l.letter,
    trigger: t.type === 'beforeDue' ? { type: 'beforeDue', offset: duration(t.offset!) } : { type: t.type },
    to: l.to.map((r) => r.text),
    cc: l.cc.map((r) => r.text),
    ...(l.limit ? { limit: duration(l.limit) } : {}),
    source: l.source!.text,
  };
}

/** A procedure's own template for a kind of letter, else the shared one; none means the standard wording. */
function letterTemplates(own: Located<A.TemplateDecl>[], shared: Located<A.TemplateDecl>[]) {
  const chosen = LETTER_KINDS.map((kind) => (own.find((t) => t.decl.letter === kind) ?? shared.find((t) => t.decl.letter === kind))?.decl).filter(
    (t): t is A.TemplateDecl => !!t,
  );
  if (!chosen.length) return {};
  return {
    letterTemplates: chosen.map((t) => ({
      kind: t.letter!,
      ...(t.subject ? { subject: t.subject.value } : {}),
      paragraphs: t.paragraphs.map((x) => x.value),
      ...(t.source ? { source: t.source.text } : {}),
    })),
  };
}
