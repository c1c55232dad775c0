import * as A from '../syntax/ast';

/**
 * One canonical layout: a declaration's header on its line, each clause of a stage, deadline or
 * procedure on its own indented line, an action or letter on one line. Formatting a formatted
 * file changes nothing, and parsing the result gives back the same tree (tested).
 */
const INDENT = '  ';

const UNIT_TEXT: Record<A.Duration['unit'], string> = { days: '日', workingDays: '个工作日', months: '个月', years: '年' };
/** The keyword of each kind of letter. */
export const LETTER_TEXT: Record<A.LetterKindName, string> = {
  reminder: '提醒函',
  supervision: '督办函',
  rectification: '整改意见书',
  public_naming: '点名通报',
  interview: '约谈',
};
const PARTY_TEXT: Record<A.PartyKeyword, string> = { leadUnit: '本方案牵头单位', participatingUnits: '本方案参与单位', specialGroup: '本方案专项小组' };

export function formatRules(file: A.RulesFile): string {
  const out: string[] = file.headerComments.map(comment);
  if (out.length) out.push('');
  let previous: A.Declaration | undefined;
  for (const d of file.declarations) {
    const lines = declaration(d);
    const compact = previous && lines.length === 1 && previous.kind === d.kind && !d.comments.leading.length && declaration(previous).length === 1;
    if (previous && !compact) out.push('');
    out.push(...d.comments.leading.map(comment), ...lines);
    previous = d;
  }
  if (file.trailingComments.length) {
    if (out.length) out.push('');
    out.push(...file.trailingComments.map(comment));
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

const comment = (body: string) => (body ? `# ${body}` : '#');
const withTrailing = (line: string, item: { comments: A.Comments }) => (item.comments.trailing !== undefined ? `${line}  ${comment(item.comments.trailing)}` : line);

export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const names = (list: A.Name[]) => list.map((n) => n.text).join('、');
export const durationText = (d: A.Duration) => `${d.amount} ${UNIT_TEXT[d.unit]}`;

function head(keyword: string, d: { id?: A.Name; label?: A.Text }): string {
  return [keyword, d.id?.text, d.label && quote(d.label.value)].filter(Boolean).join(' ');
}

/** A declaration's clause lines, in the order given, each with the comments it carries. */
function clauseLines(d: A.Declaration, clauses: Record<string, string | false | undefined>): string[] {
  return Object.entries(clauses).flatMap(([key, text]) => (text ? nested({ comments: d.clauseComments?.[key] ?? { leading: [] } }, text) : []));
}

/** A nested item's lines: its leading comments, then the item, indented. */
function nested(item: { comments: A.Comments }, line: string, depth = 1): string[] {
  const pad = INDENT.repeat(depth);
  return [...item.comments.leading.map((c) => pad + comment(c)), pad + withTrailing(line, item)];
}

function declaration(d: A.Declaration): string[] {
  switch (d.kind) {
    case 'procedure': {
      return [
        withTrailing(head('程序', d), d),
        ...clauseLines(d, {
          version: d.version && `版本 ${d.version.value}`,
          source: d.source && `依据 ${d.source.text}`,
          startEvents: d.startEvents.length ? `启动时登记 ${names(d.startEvents)}` : undefined,
        }),
      ];
    }
    case 'role': {
      const parts = [head('角色', d), d.source && `依据 ${d.source.text}`];
      if (d.addressee) parts.push(`致函 ${'plan' in d.addressee ? PARTY_TEXT[d.addressee.plan] : quote(d.addressee.name)}`);
      return [withTrailing(parts.filter(Boolean).join(' '), d)];
    }
    case 'attribute':
    case 'event':
      return [withTrailing([head(d.kind === 'attribute' ? '属性' : '事件', d), d.source && `依据 ${d.source.text}`].filter(Boolean).join(' '), d)];
    case 'stage': {
      return [
        withTrailing(head('阶段', d), d),
        ...clauseLines(d, {
          source: d.source && `依据 ${d.source.text}`,
          when: d.when && `适用 ${condition(d.when)}`,
          requires: d.requires.length ? `须先完成 ${names(d.requires)}` : undefined,
          skipTo: d.skipTo && `不适用时转入 ${d.skipTo.text}`,
          final: d.final && '终结',
        }),
        ...d.actions.flatMap((a) => nested(a, action(a))),
      ];
    }
    case 'ladder':
      return [withTrailing(head('催办梯度', d), d), ...d.levels.flatMap((l) => nested(l, level(l)))];
    case 'deadline': {
      return [
        withTrailing(head('时限', d), d),
        ...clauseLines(d, {
          source: d.source && `依据 ${d.source.text}`,
          when: d.when && `适用 ${condition(d.when)}`,
          from: d.from && `起算 ${d.from.text}${d.fromAfter ? ` 满 ${durationText(d.fromAfter)}` : ''}`,
          within: d.within && `期限 ${durationText(d.within)}`,
          byDate: d.byDate && `截至 ${d.byDate.month}月${d.byDate.day}日`,
          metBy: d.metBy && `完成 ${d.metBy.text}`,
          repeat: d.repeat && `重复 每 ${durationText(d.repeat)}`,
          uses: d.uses && `催办 ${d.uses.ladder.text}${d.uses.first ? ` 前 ${d.uses.first.value} 级` : ''}`,
        }),
        ...d.levels.flatMap((l) => nested(l, level(l))),
      ];
    }
    case 'light': {
      const t = d.trigger;
      const when = t?.type === 'beforeDue' ? `到期前${t.offset ? ` ${durationText(t.offset)}` : ''}` : t?.type === 'behind' ? `进度落后${t.points ? ` ${t.points.value} 个百分点` : ''}` : undefined;
      return [withTrailing(['亮灯 黄', when, d.source && `依据 ${d.source.text}`].filter(Boolean).join(' '), d)];
    }
    case 'template': {
      return [
        withTrailing(['函件模板', d.letter && LETTER_TEXT[d.letter]].filter(Boolean).join(' '), d),
        ...clauseLines(d, {
          source: d.source && `依据 ${d.source.text}`,
          subject: d.subject && `标题 ${quote(d.subject.value)}`,
          ...Object.fromEntries(d.paragraphs.map((p, i) => [`paragraph:${i}`, `正文 ${quote(p.value)}`])),
        }),
      ];
    }
    case 'scheme':
      return [withTrailing(head('考核', d), d), ...clauseLines(d, { source: d.source && `依据 ${d.source.text}` }), ...d.indicators.flatMap((i) => nested(i, indicator(i)))];
  }
}

// ---- Assessment schemes (own block).
const MEASURE_TEXT: Record<A.MeasureName, string> = { on_schedule_rate: '按期完成率', completion_rate: '事项完成率', problems_on_time: '问题按期整改率', third_party: '第三方评估', red_list: '红榜' };

function indicator(i: A.IndicatorDecl): string {
  const m = i.measure;
  return [
    head('指标', i),
    i.points && `分值 ${i.points.value} 分`,
    m && `计分 ${m.type === 'letters' ? LETTER_TEXT[m.letter] : MEASURE_TEXT[m.type]}${i.perLetter ? ` 每件扣 ${i.perLetter.value} 分` : ''}`,
    i.source && `依据 ${i.source.text}`,
  ]
    .filter(Boolean)
    .join(' ');
}
// ---- End of assessment schemes.

function action(a: A.ActionDecl): string {
  return [
    head('动作', a),
    a.roles.length ? `由 ${names(a.roles)}` : undefined,
    a.to && `转入 ${a.to.text}`,
    a.records.length ? `记录 ${names(a.records)}` : undefined,
    a.needsReason && '须说明理由',
    a.needsAllItemsCompleted && '须事项全部完成',
    a.needsEvents.length ? `须已记录 ${names(a.needsEvents)}` : undefined,
    a.itemUpsert && '登记事项',
    a.when && `适用 ${condition(a.when)}`,
    a.source && `依据 ${a.source.text}`,
  ]
    .filter(Boolean)
    .join(' ');
}

function level(l: A.LevelDecl): string {
  const t = l.trigger;
  const trigger = !t ? undefined : t.type === 'beforeDue' ? `到期前${t.offset ? ` ${durationText(t.offset)}` : ''}` : t.type === 'dueEnded' ? '到期后' : '前函限期届满后';
  return [
    LETTER_TEXT[l.letter],
    trigger,
    l.to.length ? `致 ${names(l.to)}` : undefined,
    l.cc.length ? `抄送 ${names(l.cc)}` : undefined,
    l.limit && `限期 ${durationText(l.limit)}`,
    l.source && `依据 ${l.source.text}`,
  ]
    .filter(Boolean)
    .join(' ');
}

const PRECEDENCE = { any: 1, all: 2, not: 3, attr: 4 } as const;

/**
 * Parentheses only where the tree needs them; a group of the same kind keeps its parentheses
 * (`a 或 (b 或 c)`), so that reading the text back gives the same tree.
 */
export function condition(c: A.Condition): string {
  switch (c.kind) {
    case 'attr':
      return c.name.text;
    case 'not':
      return `非 ${c.operand.kind === 'attr' || c.operand.kind === 'not' ? condition(c.operand) : `(${condition(c.operand)})`}`;
    case 'all':
    case 'any': {
      const word = c.kind === 'all' ? ' 且 ' : ' 或 ';
      return c.operands.map((o) => (PRECEDENCE[o.kind] <= PRECEDENCE[c.kind] ? `(${condition(o)})` : condition(o))).join(word);
    }
  }
}
