import { Condition, LETTER_KINDS, ProcessDefinition, ProcessDefinitionInput } from '@reform/definitions';
import * as A from '../syntax/ast';
import { BUILT_IN_EVENTS, BUILT_IN_FILE } from '../check/built-in';
import { deadlineLevels } from '../check/ladder';
import { conditionNames, Symbols } from '../check/names';
import { Located, ProcedureScope } from '../check/scope';
import { lightsOf } from '../check/lights';



/**
 * Syntax tree to process definition: a pure function, run only on a ruleset the checks passed,
 * so every name it meets resolves and every required clause is there.
 */
export function compileProcedure(p: ProcedureScope, s: Symbols, sharedTemplates: Located<A.TemplateDecl>[] = [], sharedLights: Located<A.LightDecl>[] = []): ProcessDefinitionInput {
  const referencedAttributes = new Set<string>();
  const referencedEvents = new Set<string>(p.header.startEvents.map((e) => e.text));
  const condition = (c: A.Condition | undefined): Condition | undefined => {
    if (!c) return undefined;
    conditionNames(c).forEach((n) => referencedAttributes.add(n.text));
    return toCondition(c);
  };
  const event = (e: A.Name) => (referencedEvents.add(e.text), e.text);
  const events = (list: A.Name[]) => list.map(event);

  // Optional fields are set only when present, in the model's order of fields (the JSON is
  // compared byte for byte), without a spread object per field.
  const stages = p.stages.map((st) => {
    const stage: ProcessDefinitionInput['stages'][number] = { id: st.id!.text, label: st.label!.value };
    if (st.source) stage.source = st.source.text;
    if (st.when) stage.when = condition(st.when);
    stage.requires = st.requires.map((r) => r.text);
    if (st.skipTo) stage.skipTo = st.skipTo.text;
    stage.actions = st.actions.map((a) => {
      const action: NonNullable<typeof stage.actions>[number] = { id: a.id!.text, label: a.label!.value, roles: a.roles.map((r) => r.text) };
      if (a.to) action.to = a.to.text;
      action.records = events(a.records);
      action.needsReason = !!a.needsReason;
      if (a.itemUpsert) action.item = 'upsert';
      action.needsAllItemsCompleted = !!a.needsAllItemsCompleted;
      action.needsEvents = events(a.needsEvents);
      if (a.when) action.when = condition(a.when);
      if (a.source) action.source = a.source.text;
      return action;
    });
    stage.final = !!st.final;
    return stage;
  });

  const deadlines = p.deadlines.map((d) => {
    const from: Deadline['from'] = { event: event(d.from!) };
    if (d.fromAfter) from.after = duration(d.fromAfter);
    const deadline = { id: d.id!.text, label: d.label!.value, source: d.source!.text, from } as Deadline;
    if (d.within) deadline.within = duration(d.within);
    if (d.byDate) deadline.byDate = { month: d.byDate.month, day: d.byDate.day };
    deadline.metBy = { event: event(d.metBy!) };
    if (d.when) deadline.when = condition(d.when);
    if (d.repeat) deadline.repeat = { every: duration(d.repeat) };
    deadline.ladder = deadlineLevels(d, s).map(level);
    return deadline;
  });

  const own = <T extends { id?: A.Name }>(list: { decl: T }[]) => new Set(list.map((l) => l.decl.id?.text));
  const ownAttributes = own(p.attributes);
  const ownEvents = own(p.events);
  const lights = lightsOf(p.lights, sharedLights);
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
    ...(lights ? { lights } : {}),
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

function level(l: A.LevelDecl): Deadline['ladder'][number] {
  const t = l.trigger!;
  const out = {
    kind: l.letter,
    trigger: t.type === 'beforeDue' ? { type: 'beforeDue', offset: duration(t.offset!) } : { type: t.type },
    to: l.to.map((r) => r.text),
    cc: l.cc.map((r) => r.text),
  } as Deadline['ladder'][number];
  if (l.limit) out.limit = duration(l.limit);
  out.source = l.source!.text;
  return out;
}

type Deadline = ProcessDefinition['deadlines'][number];

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
