/**
 * Random valid rulesets, for the formatter's and the compiler's property tests: a shared file
 * (roles, attributes, events, a letter ladder) and one or two procedure files whose stages,
 * actions, conditions and deadlines pass every check. The layout is deliberately untidy (clauses
 * on one line or many, either quotes, either separator, comments here and there) so the
 * formatter has something to do. Deterministic for a seed.
 */
import type { RulesInput } from '../src/ruleset';

export type Random = () => number;

/** mulberry32: small, fast, good enough to pick test cases. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  constructor(private readonly r: Random) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(0, list.length - 1)];
  }
  /** Distinct elements, in random order. */
  some<T>(list: readonly T[], n: number): T[] {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, Math.min(n, copy.length));
  }
}

const LABEL_CHARS = ['改', '革', '方', '案', '备', '案', '审', '核', ' ', 'A', '1', '“', '”', '(', ')', '「', '-', '"', '\\', '#', '、'];
const SOURCES = ['A5', 'A9', 'S1', 'Y9', 'H3', 'W12', 'A13'];
const SEPARATORS = ['、', ',', ','];
const LETTERS = ['提醒函', '督办函', '整改意见书', '点名通报', '约谈'];
const UNITS = ['日', '天', '个工作日', '工作日', '个月', '年'];

function label(g: Gen): string {
  const n = g.int(1, 8);
  let s = '';
  for (let i = 0; i < n; i++) s += g.pick(LABEL_CHARS);
  if (!s.trim()) s = '名称';
  // 「…」 cannot hold 」; "…" escapes " and \.
  if (!/[」"\\]/.test(s) && g.chance(0.3)) return `「${s}」`;
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const sep = (g: Gen) => g.pick(SEPARATORS);
const list = (g: Gen, names: string[]) => names.join(sep(g));
const duration = (g: Gen) => `${g.int(1, 24)} ${g.pick(UNITS)}`;
/** Between clauses: a space, or a new indented line (with now and then a comment before it). */
const gap = (g: Gen) => (g.chance(0.5) ? ' ' : g.chance(0.1) ? `\n  # 说明 ${g.int(1, 99)}\n  ` : '\n  ');
const trailing = (g: Gen) => (g.chance(0.15) ? `  # 注 ${g.int(1, 9)}` : '');

/**
 * A condition over distinct attributes, each used once: such a formula is never constant, so
 * it is neither impossible nor always true.
 */
function condition(g: Gen, attrs: string[]): string {
  if (attrs.length === 1) return g.chance(0.3) ? `非 ${attrs[0]}` : attrs[0];
  const cut = g.int(1, attrs.length - 1);
  const word = g.chance(0.5) ? '且' : '或';
  const part = (xs: string[]) => {
    const c = condition(g, xs);
    return xs.length > 1 || g.chance(0.2) ? `(${c})` : c;
  };
  const text = `${part(attrs.slice(0, cut))} ${word} ${part(attrs.slice(cut))}`;
  return g.chance(0.2) ? `非 (${text})` : text;
}

/** Levels in an order the ladder checks accept: reminders by falling offset, one 到期后, then letters counted from the previous limit. */
function levels(g: Gen, roles: string[], indent: string): string[] {
  const out: string[] = [];
  let kind = 0;
  const next = () => (kind = g.int(kind, Math.min(kind + 1, LETTERS.length - 1)));
  const to = () => `致 ${list(g, g.some(roles, g.int(1, 2)))}${g.chance(0.4) ? ` 抄送 ${list(g, g.some(roles, 1))}` : ''}`;
  const src = () => `依据 ${g.pick(SOURCES)}`;
  let offset = g.int(8, 30);
  for (let i = g.int(0, 2); i > 0; i--) {
    offset = g.int(1, offset - 1);
    out.push(`${indent}${LETTERS[next()]} 到期前 ${offset} 个工作日 ${to()} ${src()}`);
    if (offset <= 1) break;
  }
  let limit = false;
  if (g.chance(0.8)) {
    limit = g.chance(0.7);
    out.push(`${indent}${LETTERS[next()]} 到期后 ${to()}${limit ? ` 限期 ${duration(g)}` : ''} ${src()}`);
  }
  while (limit && g.chance(0.5)) {
    limit = g.chance(0.6);
    out.push(`${indent}${LETTERS[next()]} 前函限期届满后 ${to()}${limit ? ` 限期 ${duration(g)}` : ''} ${src()}`);
  }
  if (!out.length) out.push(`${indent}${LETTERS[next()]} 到期后 ${to()} ${src()}`);
  return out;
}

interface Shared {
  roles: string[];
  attributes: string[];
  events: string[];
  ladders: { id: string; levels: number }[];
}

function sharedFile(g: Gen): { text: string; shared: Shared } {
  const roles = Array.from({ length: g.int(1, 3) }, (_, i) => `role_${i}`);
  const attributes = Array.from({ length: g.int(0, 4) }, (_, i) => `attr_${i}`);
  const events = Array.from({ length: g.int(1, 4) }, (_, i) => `event_${i}`);
  const lines = ['# 共用的声明', ''];
  roles.forEach((r) => lines.push(`角色 ${r} ${label(g)}${g.chance(0.5) ? ` 致函 ${g.pick(['本方案牵头单位', '本方案参与单位', '本方案专项小组', label(g)])}` : ''}${trailing(g)}`));
  attributes.forEach((a) => lines.push(`属性 ${a} ${label(g)}${g.chance(0.3) ? ` 依据 ${g.pick(SOURCES)}` : ''}`));
  events.forEach((e) => lines.push(`事件 ${e} ${label(g)}`));
  const ladders: Shared['ladders'] = [];
  if (g.chance(0.7)) {
    const ls = levels(g, roles, '  ');
    ladders.push({ id: 'ladder_0', levels: ls.length });
    lines.push('', `催办梯度 ladder_0 ${label(g)}`, ...ls);
  }
  return { text: `${lines.join('\n')}\n`, shared: { roles, attributes, events, ladders } };
}

function procedureFile(g: Gen, id: string, shared: Shared): string {
  const events = [...shared.events, ...Array.from({ length: g.int(0, 2) }, (_, i) => `${id}_event_${i}`)];
  const roles = [...shared.roles];
  const out: string[] = [];
  if (g.chance(0.3)) out.push('# 程序说明', '');
  const startEvents = g.chance(0.3) ? `${gap(g)}启动时登记 ${list(g, g.some(events, g.int(1, 2)))}` : '';
  out.push(`程序 ${id} ${label(g)}${g.chance(0.5) ? `${gap(g)}版本 ${g.int(1, 9)}` : ''}${gap(g)}依据 ${g.pick(SOURCES)}${startEvents}`, '');
  events.slice(shared.events.length).forEach((e) => out.push(`事件 ${e} ${label(g)}`));
  out.push('');

  const n = g.int(2, 6);
  const stages = Array.from({ length: n }, (_, i) => `${id}_stage_${i}`);
  let actionNo = 0;
  // Every shared role acts somewhere: hand them out first.
  const owed = [...roles];
  const actor = () => list(g, owed.length ? [owed.shift()!] : g.some(roles, g.int(1, 2)));
  stages.forEach((s, i) => {
    const final = i === n - 1;
    const clauses: string[] = [];
    clauses.push(`依据 ${g.pick(SOURCES)}`);
    if (!final && shared.attributes.length && g.chance(0.4)) {
      clauses.push(`适用 ${condition(g, g.some(shared.attributes, g.int(1, shared.attributes.length)))}`);
      if (g.chance(0.5)) clauses.push(`不适用时转入 ${stages[g.int(i + 1, n - 1)]}`);
    }
    if (i > 0 && g.chance(0.3)) clauses.push(`须先完成 ${list(g, g.some(stages.slice(0, i), g.int(1, i)))}`);
    if (final) clauses.push('终结');
    const actions: string[] = [];
    if (!final) {
      const extra = g.int(0, 2);
      const order = g.int(0, extra);
      for (let k = 0; k <= extra; k++) {
        const to = k === order ? stages[i + 1] : g.chance(0.5) ? stages[g.int(0, i)] : undefined;
        const parts = [`动作 ${id}_action_${actionNo++} ${label(g)}`, `由 ${actor()}`];
        if (to) parts.push(`转入 ${to}`);
        if (g.chance(0.4)) parts.push(`记录 ${list(g, g.some(events, g.int(1, 2)))}`);
        if (g.chance(0.2)) parts.push('须说明理由');
        if (g.chance(0.1)) parts.push('须事项全部完成');
        if (g.chance(0.2)) parts.push(`须已记录 ${list(g, g.some(events, 1))}`);
        if (g.chance(0.1)) parts.push('登记事项');
        if (g.chance(0.3)) parts.push(`依据 ${g.pick(SOURCES)}`);
        const head = parts.slice(0, 2);
        actions.push(`${g.chance(0.1) ? '  # 动作说明\n' : ''}  ${[...head, ...g.some(parts.slice(2), parts.length)].join(' ')}${trailing(g)}`);
      }
    }
    out.push(`阶段 ${s} ${label(g)}${trailing(g)}`, ...g.some(clauses, clauses.length).map((c) => `  ${c}`), ...actions, '');
  });

  for (let d = g.int(0, 3); d > 0; d--) {
    const clauses = [`依据 ${g.pick(SOURCES)}`, `起算 ${g.pick(events)}${g.chance(0.2) ? ` 满 ${duration(g)}` : ''}`, `完成 ${g.pick(events)}`];
    clauses.push(g.chance(0.7) ? `期限 ${duration(g)}` : `截至 ${g.int(1, 12)}月${g.int(1, 28)}日`);
    if (g.chance(0.2)) clauses.push(`重复 每 ${duration(g)}`);
    if (shared.attributes.length && g.chance(0.3)) clauses.push(`适用 ${condition(g, g.some(shared.attributes, g.int(1, shared.attributes.length)))}`);
    const ladder = shared.ladders.length && g.chance(0.5) ? shared.ladders[0] : undefined;
    if (ladder) clauses.push(`催办 ladder_0${g.chance(0.5) ? ` 前 ${g.int(1, ladder.levels)} 级` : ''}`);
    out.push(`时限 ${id}_deadline_${d} ${label(g)}`, ...g.some(clauses, clauses.length).map((c) => `  ${c}`));
    if (!ladder) out.push(...levels(g, roles, '  '));
    out.push('');
  }
  // Roles no action took yet receive a letter: give them one more action in the first stage.
  if (owed.length) {
    // At the end of the stage's block: a clause after an action would belong to the action.
    const at = out.findIndex((l) => l.startsWith(`阶段 ${stages[0]} `));
    out.splice(out.indexOf('', at), 0, `  动作 ${id}_action_${actionNo++} ${label(g)} 由 ${list(g, owed)} 转入 ${stages[1]}`);
  }
  return out.join('\n');
}

/** A valid ruleset: `common.rules` and one or two procedure files. */
export function randomRuleset(seed: number): RulesInput[] {
  const g = new Gen(seeded(seed));
  const { text, shared } = sharedFile(g);
  const files: RulesInput[] = [{ name: 'common.rules', text }];
  for (let p = g.int(1, 2); p > 0; p--) files.push({ name: `proc_${p}.rules`, text: procedureFile(g, `proc_${p}`, shared) });
  return files;
}
