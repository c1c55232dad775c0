import { describeDuration } from '@reform/calendar';
import { Action, Condition, Deadline, describeCondition, equivalentConditions, LadderLevel, LETTER_KIND_LABEL, ProcessDefinition, Stage } from '@reform/definitions';

/**
 * What changed in meaning between two versions of a procedure: stages, actions, deadlines and
 * letters, each said in a line a clerk can read. Text-only edits (comments, layout, order of
 * unrelated declarations) change nothing here.
 */
export interface Change {
  kind: 'added' | 'removed' | 'changed';
  /** What it is about, e.g. 时限「方案备案」. */
  subject: string;
  /** For 'changed': which aspect, before and after, in words. */
  aspect?: string;
  before?: string;
  after?: string;
}


export function diffDefinitions(a: ProcessDefinition, b: ProcessDefinition): Change[] {
  const out: Change[] = [];
  const labels = new Map([...a.attributes, ...b.attributes].map((x) => [x.id, x.label]));
  const condition = (c: Condition | undefined) => (c ? describeCondition(c, (id) => labels.get(id) ?? id) : '总是适用');
  // Conditions are compared by what they decide, so rewriting one the same way is no change.
  const conditionChanged = (subject: string, x: Condition | undefined, y: Condition | undefined) => {
    if (!equivalentConditions(x, y)) out.push({ kind: 'changed', subject, aspect: '适用条件', before: condition(x), after: condition(y) });
  };
  const changed = (subject: string, aspect: string, before: string, after: string) => before !== after && out.push({ kind: 'changed', subject, aspect, before, after });
  changed('程序', '名称', a.title, b.title);
  changed('程序', '依据', a.source, b.source);
  changed('程序', '启动时可登记的事件', list(a.startEvents), list(b.startEvents));

  byId(a.roles, b.roles, (r) => `角色「${r.label}」`, out, (x, y, s) => {
    changed(s, '名称', x.label, y.label);
    changed(s, '致函对象', JSON.stringify(x.addressee ?? null), JSON.stringify(y.addressee ?? null));
  });
  byId(a.attributes, b.attributes, (x) => `属性「${x.label}」`, out, (x, y, s) => changed(s, '名称', x.label, y.label));
  byId(a.events, b.events, (x) => `事件「${x.label}」`, out, (x, y, s) => changed(s, '名称', x.label, y.label));

  const order = (d: ProcessDefinition) => d.stages.map((s) => s.id).join('>');
  if (order(a) !== order(b) && sameSet(a.stages, b.stages)) out.push({ kind: 'changed', subject: '阶段顺序', before: a.stages.map((s) => s.label).join(' → '), after: b.stages.map((s) => s.label).join(' → ') });
  byId(a.stages, b.stages, (s) => `阶段「${s.label}」`, out, (x, y, s) => {
    conditionChanged(s, x.when, y.when);
    stageChanges(x, y, s, changed, out, conditionChanged);
  });
  byId(a.deadlines, b.deadlines, (d) => `时限「${d.label}」`, out, (x, y, s) => {
    conditionChanged(s, x.when, y.when);
    deadlineChanges(x, y, s, changed);
  });
  const templates = (d: ProcessDefinition) => (d.letterTemplates ?? []).map((t) => ({ ...t, id: t.kind }));
  byId(templates(a), templates(b), (t) => `${LETTER_KIND_LABEL[t.kind]}模板`, out, (x, y, s) => {
    changed(s, '标题', x.subject ?? '(标准标题)', y.subject ?? '(标准标题)');
    changed(s, '正文', x.paragraphs.join('/'), y.paragraphs.join('/'));
    changed(s, '依据', x.source ?? '', y.source ?? '');
  });
  // ---- Lights (issue 9 §4): the thresholds in words.
  const dueSoon = (d: ProcessDefinition) => (d.lights?.dueSoon ? `到期前${describeDuration(d.lights.dueSoon.within)}(${d.lights.dueSoon.source})` : '不亮');
  const behind = (d: ProcessDefinition) => (d.lights?.behind ? `进度落后 ${d.lights.behind.points} 个百分点(${d.lights.behind.source})` : '不亮');
  changed('亮灯', '黄灯(临近到期)', dueSoon(a), dueSoon(b));
  changed('亮灯', '黄灯(进度落后)', behind(a), behind(b));
  return out;
}

type Changed = (subject: string, aspect: string, before: string, after: string) => void;

type ConditionChanged = (subject: string, x: Condition | undefined, y: Condition | undefined) => void;

function stageChanges(x: Stage, y: Stage, s: string, changed: Changed, out: Change[], conditionChanged: ConditionChanged) {
  changed(s, '名称', x.label, y.label);
  changed(s, '依据', x.source ?? '', y.source ?? '');
  changed(s, '须先完成', list(x.requires), list(y.requires));
  changed(s, '不适用时转入', x.skipTo ?? '(下一阶段)', y.skipTo ?? '(下一阶段)');
  changed(s, '终结', x.final ? '是' : '否', y.final ? '是' : '否');
  byId(x.actions, y.actions, (a) => `${s}的动作「${a.label}」`, out, (p, q, t) => {
    conditionChanged(t, p.when, q.when);
    actionChanges(p, q, t, changed);
  });
}

function actionChanges(x: Action, y: Action, s: string, changed: Changed) {
  changed(s, '名称', x.label, y.label);
  changed(s, '办理角色', list(x.roles), list(y.roles));
  changed(s, '转入', x.to ?? '(不转阶段)', y.to ?? '(不转阶段)');
  changed(s, '记录事件', list(x.records), list(y.records));
  changed(s, '须说明理由', yes(x.needsReason), yes(y.needsReason));
  changed(s, '须事项全部完成', yes(x.needsAllItemsCompleted), yes(y.needsAllItemsCompleted));
  changed(s, '须已记录', list(x.needsEvents), list(y.needsEvents));
  changed(s, '登记事项', yes(!!x.item), yes(!!y.item));
  changed(s, '依据', x.source ?? '', y.source ?? '');
}

function deadlineChanges(x: Deadline, y: Deadline, s: string, changed: Changed) {
  changed(s, '名称', x.label, y.label);
  changed(s, '依据', x.source, y.source);
  changed(s, '起算', from(x), from(y));
  changed(s, '期限', due(x), due(y));
  changed(s, '完成事件', x.metBy.event, y.metBy.event);
  changed(s, '重复', x.repeat ? `每${describeDuration(x.repeat.every)}` : '不重复', y.repeat ? `每${describeDuration(y.repeat.every)}` : '不重复');
  const n = Math.max(x.ladder.length, y.ladder.length);
  for (let i = 0; i < n; i++) changed(s, `第${i + 1}级催办`, level(x.ladder[i]), level(y.ladder[i]));
}

function byId<T extends { id: string }>(a: T[], b: T[], name: (t: T) => string, out: Change[], compare: (x: T, y: T, subject: string) => void) {
  const before = new Map(a.map((x) => [x.id, x]));
  const after = new Map(b.map((x) => [x.id, x]));
  for (const x of a) if (!after.has(x.id)) out.push({ kind: 'removed', subject: `${name(x)}(${x.id})` });
  for (const y of b) {
    const x = before.get(y.id);
    if (!x) out.push({ kind: 'added', subject: `${name(y)}(${y.id})` });
    else compare(x, y, name(y));
  }
}

const sameSet = (a: { id: string }[], b: { id: string }[]) => a.length === b.length && a.every((x) => b.some((y) => y.id === x.id));
const list = (xs: string[]) => (xs.length ? xs.join('、') : '无');
const yes = (b: boolean) => (b ? '是' : '否');
const from = (d: Deadline) => `${d.from.event}${d.from.after ? ` 满${describeDuration(d.from.after)}` : ''}`;
const due = (d: Deadline) => (d.within ? describeDuration(d.within) : `截至${d.byDate!.month}月${d.byDate!.day}日`);

function level(l: LadderLevel | undefined): string {
  if (!l) return '无';
  const t = l.trigger.type === 'beforeDue' ? `到期前${describeDuration(l.trigger.offset)}` : l.trigger.type === 'dueEnded' ? '到期后' : '前函限期届满后';
  const cc = l.cc.length ? ` 抄送${l.cc.join('、')}` : '';
  const limit = l.limit ? ` 限期${describeDuration(l.limit)}` : '';
  return `${t} ${LETTER_KIND_LABEL[l.kind]} 致${l.to.join('、')}${cc}${limit}(${l.source})`;
}

/** Lines for a terminal: '~ 时限「方案备案」期限:1个月 → 20个工作日'. */
export function describeChanges(changes: Change[]): string[] {
  return changes.map((c) =>
    c.kind === 'added' ? `+ 新增${c.subject}` : c.kind === 'removed' ? `- 删除${c.subject}` : `~ ${c.subject}${c.aspect ? `${c.aspect}` : ''}:${c.before} → ${c.after}`,
  );
}
