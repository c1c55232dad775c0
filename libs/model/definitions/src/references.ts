import { attributesIn } from './condition';
import type { ProcessDefinition } from './definition';

export interface DefinitionIssue {
  /** Where, as a field path: 'stages[3].actions[0].to'. */
  path: string;
  message: string;
}

export interface Checked<T> {
  value?: T;
  diagnostics: DefinitionIssue[];
}

/** The checks beyond shape, for a definition already parsed (the workflow parses its input once). */
export function checkReferences(def: ProcessDefinition): Checked<ProcessDefinition> {
  const issues: DefinitionIssue[] = [];
  const unique = (kind: string, ids: string[], path: string) => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) issues.push({ path: `${path}[${i}].id`, message: `${kind}「${id}」重复定义` });
      seen.add(id);
    });
    return seen;
  };
  const roles = unique('角色', def.roles.map((r) => r.id), 'roles');
  const attributes = unique('属性', def.attributes.map((a) => a.id), 'attributes');
  const events = unique('事件', def.events.map((e) => e.id), 'events');
  const stages = unique('阶段', def.stages.map((s) => s.id), 'stages');
  unique('时限', def.deadlines.map((d) => d.id), 'deadlines');

  // Called only for a name that is not declared: the path is written out only then (a big
  // definition has tens of thousands of names).
  const unknown = (kind: string, id: string, path: string) => {
    issues.push({ path, message: `未定义的${kind}「${id}」` });
  };
  const condition = (c: Parameters<typeof attributesIn>[0] | undefined, path: string) =>
    c && attributesIn(c).forEach((a) => attributes.has(a) || unknown('属性', a, path));

  def.startEvents.forEach((e, i) => events.has(e) || unknown('事件', e, `startEvents[${i}]`));
  const index = new Map(def.stages.map((s, i) => [s.id, i]));
  const actionOwner = new Map<string, string>();
  def.stages.forEach((s, si) => {
    const at = `stages[${si}]`;
    condition(s.when, `${at}.when`);
    s.requires.forEach((r, i) => {
      if (!stages.has(r)) unknown('阶段', r, `${at}.requires[${i}]`);
      if ((index.get(r) ?? -1) >= si) issues.push({ path: `${at}.requires[${i}]`, message: `须先完成的阶段「${r}」不在本阶段之前,本阶段永远无法进入` });
    });
    if (s.skipTo) {
      if (!stages.has(s.skipTo)) unknown('阶段', s.skipTo, `${at}.skipTo`);
      if ((index.get(s.skipTo) ?? Infinity) <= si) issues.push({ path: `${at}.skipTo`, message: `不适用时跳往的阶段「${s.skipTo}」须在本阶段之后,否则会无限循环` });
    }
    if (s.when && !s.skipTo && si === def.stages.length - 1) {
      issues.push({ path: `${at}.when`, message: '最后一个阶段不适用时无处可去' });
    }
    if (s.final && s.actions.length) issues.push({ path: `${at}.actions`, message: '终结阶段不能再有操作' });
    s.actions.forEach((a, ai) => {
      const ap = `${at}.actions[${ai}]`;
      const owner = actionOwner.get(a.id);
      if (owner) issues.push({ path: `${ap}.id`, message: `操作「${a.id}」已在阶段「${owner}」定义;操作标识须在整个流程中唯一` });
      else actionOwner.set(a.id, s.id);
      a.roles.forEach((r, i) => roles.has(r) || unknown('角色', r, `${ap}.roles[${i}]`));
      if (a.to && !stages.has(a.to)) unknown('阶段', a.to, `${ap}.to`);
      a.records.forEach((e, i) => events.has(e) || unknown('事件', e, `${ap}.records[${i}]`));
      a.needsEvents.forEach((e, i) => events.has(e) || unknown('事件', e, `${ap}.needsEvents[${i}]`));
      condition(a.when, `${ap}.when`);
    });
  });
  if (!def.stages.some((s) => s.final)) issues.push({ path: 'stages', message: '没有终结阶段' });
  def.deadlines.forEach((d, di) => {
    const at = `deadlines[${di}]`;
    if (!events.has(d.from.event)) unknown('事件', d.from.event, `${at}.from.event`);
    if (!events.has(d.metBy.event)) unknown('事件', d.metBy.event, `${at}.metBy.event`);
    condition(d.when, `${at}.when`);
    d.ladder.forEach((l, li) => {
      l.to.forEach((r, i) => roles.has(r) || unknown('角色', r, `${at}.ladder[${li}].to[${i}]`));
      l.cc.forEach((r, i) => roles.has(r) || unknown('角色', r, `${at}.ladder[${li}].cc[${i}]`));
      if (l.trigger.type === 'previousLimitEnded' && !d.ladder[li - 1]?.limit) {
        issues.push({ path: `${at}.ladder[${li}].trigger`, message: '上一级函件未设办理时限,本级无从起算' });
      }
    });
  });
  return issues.length ? { diagnostics: issues } : { value: def, diagnostics: [] };
}
