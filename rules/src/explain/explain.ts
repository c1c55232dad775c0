import { describeDuration } from '@reform/calendar';
import { Condition, LadderLevel, LETTER_KIND_LABEL, ProcessDefinition } from '@reform/definitions';

/**
 * What a procedure makes happen, in plain Chinese, from the compiled definition: the same data
 * the engine runs, so the explanation cannot drift from the behaviour. Works on a published
 * version as well as on a file being edited.
 */

export function explainProcedure(def: ProcessDefinition): string {
  const label = labeler(def);
  const lines = [`${def.title}(${def.id},第${def.version}版,依据 ${def.source})`, '', '办理阶段:'];
  def.stages.forEach((s, i) => {
    const parts: string[] = [];
    if (s.when) parts.push(`仅适用于${condition(s.when, label.attr)}的方案,否则${s.skipTo ? `转入「${label.stage(s.skipTo)}」` : '跳过'}`);
    if (s.requires.length) parts.push(`须先完成${s.requires.map((r) => `「${label.stage(r)}」`).join('、')}`);
    if (s.final) parts.push('到此办结');
    lines.push(`  ${i + 1}. ${s.label}${s.source ? `(${s.source})` : ''}${parts.length ? `:${parts.join(';')}` : ''}`);
    for (const a of s.actions) {
      const effects: string[] = [];
      if (a.to) effects.push(a.to === s.id ? '仍留在本阶段' : `转入「${label.stage(a.to)}」`);
      if (a.records.length) effects.push(`记录${a.records.map((e) => `「${label.event(e)}」`).join('、')}`);
      const needs: string[] = [];
      if (a.needsReason) needs.push('须说明理由');
      if (a.needsAllItemsCompleted) needs.push('须全部具体改革事项已完成');
      if (a.needsEvents.length) needs.push(`须已${a.needsEvents.map((e) => `「${label.event(e)}」`).join('、')}`);
      if (a.item && !a.label.includes('事项')) needs.push('登记或更新具体改革事项');
      if (a.when) needs.push(`仅适用于${condition(a.when, label.attr)}的方案`);
      const who = a.roles.map(label.role).join('或');
      lines.push(`     - ${who}可「${a.label}」${effects.length ? `,${effects.join(',')}` : ''}${needs.length ? `(${needs.join(';')})` : ''}${a.source ? `〔${a.source}〕` : ''}`);
    }
  });
  if (def.deadlines.length) {
    lines.push('', '时限与催办:');
    for (const d of def.deadlines) {
      const when = d.when ? `对${condition(d.when, label.attr)}的方案,` : '';
      const from = d.from.after ? `${label.event(d.from.event)}满${describeDuration(d.from.after)}` : `${label.event(d.from.event)}`;
      const due = d.within
        ? `${from}后${describeDuration(d.within)}内${label.event(d.metBy.event)}`
        : `${from}后,于下一个${d.byDate!.month}月${d.byDate!.day}日前${label.event(d.metBy.event)}`;
      const repeat = d.repeat ? `;此后每${describeDuration(d.repeat.every)}一次` : '';
      const ladder = d.ladder.length ? `;${d.ladder.map((l, i) => level(l, i, label.role)).join(';')}` : ';逾期不发函件';
      lines.push(`  - ${d.label}(${d.source}):${when}${due}${repeat}${ladder}。`);
    }
  }
  if (def.letterTemplates?.length) {
    lines.push('', '函件用语:');
    for (const t of def.letterTemplates) lines.push(`  - ${LETTER_KIND_LABEL[t.kind]}按本规则的模板撰写${t.source ? `(${t.source})` : ''}:${t.subject ? `标题「${t.subject}」;` : ''}正文${t.paragraphs.length}段`);
  }
  // ---- Lights (issue 9 §4).
  const yellow = [
    def.lights?.dueSoon && `到期前${describeDuration(def.lights.dueSoon.within)}内(${def.lights.dueSoon.source})`,
    def.lights?.behind && `用时进度超过完成进度${def.lights.behind.points}个百分点以上(${def.lights.behind.source})`,
  ].filter(Boolean);
  lines.push('', '台账亮灯:', `  - 逾期亮红灯;${yellow.length ? `${yellow.join('或')}亮黄灯;` : ''}其余亮绿灯。`);
  return lines.join('\n');
}

function level(l: LadderLevel, i: number, role: (id: string) => string): string {
  const when =
    l.trigger.type === 'beforeDue' ? `到期前${describeDuration(l.trigger.offset)}` : l.trigger.type === 'dueEnded' ? '逾期后' : `${i > 0 ? '前函' : ''}限期届满仍未办结的,`;
  const cc = l.cc.length ? `,抄送${l.cc.map(role).join('、')}` : '';
  const limit = l.limit ? `,限期${describeDuration(l.limit)}` : '';
  return `${when}向${l.to.map(role).join('、')}发${LETTER_KIND_LABEL[l.kind]}${cc}${limit}(${l.source})`;
}

/** 'A 或 B', '非(A 或 B)', 'A 且 非 B': parentheses only where needed. */
function condition(c: Condition, attr: (id: string) => string, parent = 0): string {
  if ('attr' in c) return attr(c.attr);
  if ('not' in c) return `非${'attr' in c.not ? condition(c.not, attr, 3) : `(${condition(c.not, attr)})`}`;
  const [list, word, own] = 'all' in c ? [c.all, ' 且 ', 2] : [c.any, ' 或 ', 1];
  const text = list.map((x) => condition(x, attr, own)).join(word);
  return own < parent ? `(${text})` : text;
}

function labeler(def: ProcessDefinition) {
  const map = <T extends { id: string; label: string }>(list: T[]) => new Map(list.map((x) => [x.id, x.label]));
  const stages = map(def.stages);
  const roles = map(def.roles);
  const events = map(def.events);
  const attributes = map(def.attributes);
  return {
    stage: (id: string) => stages.get(id) ?? id,
    role: (id: string) => roles.get(id) ?? id,
    event: (id: string) => events.get(id) ?? id,
    attr: (id: string) => attributes.get(id) ?? id,
  };
}
