import { decideCondition } from '@reform/definitions';
import { toCondition } from '../compile/compile';
import * as A from '../syntax/ast';
import { Symbols } from './names';
import { error, ProcedureScope, Report, warning } from './scope';

/**
 * The holes a procedure can have even when every name resolves: stages nobody reaches, stages
 * nobody leaves, loops that never end, and conditions that can never (or always) hold.
 */
export function checkStages(p: ProcedureScope, report: Report) {
  const f = p.file;
  const stages = p.stages.filter((s) => s.id);
  if (!stages.length) {
    report(error(f, p.header.id ?? p.header, 'no-stages', '程序没有任何阶段'));
    return;
  }
  const index = new Map(stages.map((s, i) => [s.id!.text, i]));
  // With a stage defined twice (reported as duplicate) the graph below would be about the wrong stage.
  if (index.size < stages.length) return;
  if (!stages.some((s) => s.final)) report(error(f, p.header.id ?? p.header, 'no-final-stage', '程序没有终结阶段,任何事项都无法办结', '给最后一个阶段加上「终结」'));

  // Edges: every action's 转入, and the skip when a stage's 适用 does not hold.
  const edges = stages.map(() => new Set<number>());
  stages.forEach((s, i) => {
    const at = s.id!;
    for (const a of s.actions) {
      const to = a.to ? index.get(a.to.text) : undefined;
      if (to !== undefined) edges[i].add(to);
    }
    if (s.final && s.actions.length) report(error(f, s.actions[0].id ?? s.actions[0], 'final-with-actions', `终结阶段「${at.text}」不能再有动作`));
    s.requires.forEach((r) => {
      const ri = index.get(r.text);
      if (ri !== undefined && ri >= i) report(error(f, r, 'requires-order', `须先完成的阶段「${r.text}」不在本阶段之前,本阶段永远无法进入`, '须先完成的阶段应写在本阶段之前'));
    });
    if (s.skipTo) {
      const si = index.get(s.skipTo.text);
      if (si !== undefined && si <= i) report(error(f, s.skipTo, 'skip-backwards', `不适用时转入的阶段「${s.skipTo.text}」须在本阶段之后,否则会无限循环`));
      if (si !== undefined) edges[i].add(si);
      if (!s.when) report(warning(f, s.skipTo, 'skip-without-condition', '本阶段没有「适用」条件,总会进入,「不适用时转入」不起作用'));
    } else if (s.when) {
      if (i + 1 < stages.length) edges[i].add(i + 1);
      else report(error(f, s.when, 'skip-nowhere', '最后一个阶段不适用时无处可去', '加上「不适用时转入」或去掉「适用」'));
    }
  });

  const reached = walk([0], edges);
  stages.forEach((s, i) => {
    if (!reached.has(i)) report(error(f, s.id!, 'unreachable', `阶段「${s.id!.text}」没有任何路径可以到达`, '检查前面阶段的「转入」'));
  });

  const reverse = stages.map(() => new Set<number>());
  edges.forEach((out, i) => out.forEach((j) => reverse[j].add(i)));
  const canFinish = walk(stages.flatMap((s, i) => (s.final ? [i] : [])), reverse);

  const stuck: number[] = [];
  stages.forEach((s, i) => {
    if (s.final || !reached.has(i)) return;
    if (edges[i].size === 0) report(error(f, s.id!, 'no-way-out', `阶段「${s.id!.text}」没有出路:没有动作转入其他阶段`, '加上带「转入」的动作,或标为「终结」'));
    else if (!canFinish.has(i) && stages.some((x) => x.final)) stuck.push(i);
  });
  // Stages that go on forever between themselves: one report per loop, at its first stage.
  const seen = new Set<number>();
  // A stuck stage outside any loop only leads into a dead end or a loop, reported where it is.
  const inLoop = (i: number) => walk([...edges[i]], edges).has(i);
  for (const i of stuck) {
    if (seen.has(i) || !inLoop(i)) continue;
    const fromHere = walk([i], edges);
    const loop = stuck.filter((j) => j === i || (fromHere.has(j) && walk([j], edges).has(i)));
    loop.forEach((j) => seen.add(j));
    const names = loop.map((j) => stages[j].id!.text).join('、');
    report(error(f, stages[i].id!, 'no-exit-cycle', `阶段「${names}」之间循环往复,永远到不了终结阶段`, '给其中一个阶段加上通往后续阶段的动作'));
  }
}

/** The stages reachable from `from` (themselves included) along `edges`. */
function walk(from: number[], edges: Set<number>[]): Set<number> {
  const seen = new Set(from);
  const todo = [...from];
  while (todo.length) {
    for (const j of edges[todo.pop()!]) {
      if (!seen.has(j)) {
        seen.add(j);
        todo.push(j);
      }
    }
  }
  return seen;
}

export function checkConditions(p: ProcedureScope, report: Report) {
  const check = (c: A.Condition | undefined, what: string) => {
    if (!c) return;
    const verdict = decideCondition(toCondition(c));
    if (verdict === 'never') report(error(p.file, c, 'impossible-condition', `${what}的适用条件永远不成立`, '检查「且」「非」是否写反'));
    if (verdict === 'always') report(warning(p.file, c, 'condition-always-holds', `${what}的适用条件总是成立`, '可以删去「适用」'));
  };
  p.stages.forEach((s) => check(s.when, `阶段「${s.id?.text ?? ''}」`));
  p.stages.forEach((s) => s.actions.forEach((a) => check(a.when, `动作「${a.id?.text ?? ''}」`)));
  p.deadlines.forEach((d) => check(d.when, `时限「${d.id?.text ?? ''}」`));
}

/** A role nobody can be: it takes no action and is sent no letter anywhere in the ruleset. */
export function roleUses(p: ProcedureScope, s: Symbols): Set<string> {
  const used = new Set<string>();
  p.stages.forEach((st) => st.actions.forEach((a) => a.roles.forEach((r) => used.add(r.text))));
  const levels = [...p.deadlines.flatMap((d) => d.levels), ...[...s.ladders.values()].flatMap((l) => l.decl.levels)];
  levels.forEach((l) => [...l.to, ...l.cc].forEach((r) => used.add(r.text)));
  return used;
}
