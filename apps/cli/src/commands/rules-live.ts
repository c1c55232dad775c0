import { addMonths, endOfLocalDay, formatChineseDate, isLocalDate, LocalDate, localDateAt } from '@reform/calendar';
import { UserError } from '@reform/config';
import { LETTER_KIND_LABEL, LetterKind, ProcessDefinition } from '@reform/definitions';
import { citeRule } from '@reform/letters';
import { DeadlineChange, DeadlinePolicy, partiesFor, planMigration, recomputeDeadlines, simulateLetters, SimulatedLetter } from '@reform/machine';
import { DefinitionStore, sameMeaning } from '@reform/persistence';
import { describeChanges, diffDefinitions } from '@reform/rules';
import { withDatabase, withPlans } from '../context';
import { compileOrFail } from './rules-files';

/** Stores each procedure as a new immutable version; new plans take it, running plans keep theirs. */
export async function rulesPublish(paths: string[]): Promise<number> {
  // Any error, anywhere in the ruleset, stops here: nothing is published.
  const { result, definitions } = compileOrFail(paths, '规则有错误,未发布任何内容');
  const explicit = new Map(result.ruleset.procedures.map((p) => [p.header.id?.text, p.header.version?.value]));
  await withDatabase(async (db) => {
    const store = new DefinitionStore(db);
    // An explicit 版本 that is taken by a different text refuses the whole publish, before any of it.
    const conflicts: string[] = [];
    for (const def of definitions) {
      const version = explicit.get(def.id);
      const taken = version !== undefined ? await store.get(def.id, version) : null;
      if (taken && !sameMeaning(taken, def)) conflicts.push(`${def.title}(${def.id})第${version}版已发布且内容不同`);
    }
    if (conflicts.length) throw new UserError(`${conflicts.join(';')}。已发布的版本不能修改:提高「版本」或删去它(自动取下一版),未发布任何内容`);
    for (const def of definitions) {
      const version = explicit.get(def.id);
      if (version !== undefined) {
        const status = await store.publish({ ...def, version });
        console.log(status === 'published' ? `已发布 ${def.title}(${def.id})第${version}版。` : `${def.title}(${def.id})第${version}版已发布过,内容相同,未改动。`);
        continue;
      }
      const published = await store.publishNext(def);
      console.log(
        published.status === 'published'
          ? `已发布 ${def.title}(${def.id})第${published.version}版:新登记的方案按此版本办理,运行中的方案仍按原版本。`
          : `${def.title}(${def.id})与已发布的第${published.version}版含义相同,未发布新版本。`,
      );
    }
  });
  return 0;
}

const PUBLISHED = /^([a-z][a-z0-9_]*)@(\d+|latest)$/;

/** One side of a diff: rules files, or a published version (`reform_plan@2`, `reform_plan@latest`). */
async function side(spec: string): Promise<ProcessDefinition[]> {
  const m = PUBLISHED.exec(spec);
  if (!m) return compileOrFail([spec], '规则有错误,无法比较').definitions;
  return withDatabase(async (db) => {
    const store = new DefinitionStore(db);
    const def = m[2] === 'latest' ? await store.latest(m[1]) : await store.get(m[1], Number(m[2]));
    if (!def) throw new UserError(`没有已发布的 ${spec}`);
    return [def];
  });
}

export async function rulesDiff(a: string, b: string, opts: { json?: boolean }): Promise<number> {
  const [left, right] = [await side(a), await side(b)];
  // A published version names one procedure: compare just that one.
  const only = [a, b].filter((s) => PUBLISHED.test(s)).map((s) => PUBLISHED.exec(s)![1]);
  const ids = [...new Set([...left, ...right].map((d) => d.id))].filter((id) => !only.length || only.includes(id));
  const out = ids.map((id) => {
    const x = left.find((d) => d.id === id);
    const y = right.find((d) => d.id === id);
    return { id, title: (y ?? x)!.title, from: PUBLISHED.test(a) ? x?.version : undefined, to: PUBLISHED.test(b) ? y?.version : undefined, changes: x && y ? diffDefinitions(x, y) : [] , only: !x ? 'added' : !y ? 'removed' : undefined };
  });
  if (opts.json) {
    console.log(JSON.stringify(out, null, 2));
    return 0;
  }
  for (const p of out) {
    if (p.only === 'added') console.log(`+ 新增程序 ${p.title}(${p.id})`);
    else if (p.only === 'removed') console.log(`- 删除程序 ${p.title}(${p.id})`);
    else if (!p.changes.length) console.log(`${p.title}(${p.id}):含义没有变化`);
    else console.log([`${p.title}(${p.id}):${p.changes.length} 处变化`, ...describeChanges(p.changes).map((l) => `  ${l}`)].join('\n'));
  }
  return 0;
}

/** For each deadline of a plan: the business date it counts from, the rule, and how the days were counted. */
export async function rulesWhy(workflowId: string, deadline: string | undefined): Promise<number> {
  return withPlans(async (plans) => {
    const [view, snap] = await Promise.all([plans.view(workflowId), plans.snapshot(workflowId)]);
    const shown = view.deadlines.filter((d) => !deadline || d.id === deadline || d.key === deadline);
    if (!shown.length) {
      throw new UserError(deadline ? `方案 ${workflowId} 没有时限「${deadline}」;有:${view.deadlines.map((d) => d.key).join('、') || '无'}` : `方案 ${workflowId} 还没有任何时限`);
    }
    const events = new Map(snap.definition.events.map((e) => [e.id, e.label]));
    for (const d of shown) {
      const rule = snap.definition.deadlines.find((x) => x.id === d.id)!;
      const status = d.status === 'met' ? `已于${formatChineseDate(d.metOn!)}完成` : d.status === 'cancelled' ? '已撤销' : d.late ? '已逾期' : '未到期';
      console.log(`${d.label}(${d.key}):截止${formatChineseDate(d.due)},${status}`);
      console.log(`  规则:${snap.definition.title}第${snap.definition.version}版,依据${citeRule(d.source)}`);
      console.log(`  起算:${events.get(rule.from.event) ?? rule.from.event},业务日期${formatChineseDate(d.anchor)}`);
      for (const line of d.explanation) console.log(`  ${line}`);
      console.log(`  完成:记录「${events.get(rule.metBy.event) ?? rule.metBy.event}」即为完成`);
      if (d.next) console.log(`  下一封函件:${LETTER_KIND_LABEL[d.next.kind as LetterKind] ?? d.next.kind},${day(d.next.at.slice(0, 10))}${d.next.at.slice(10)}`);
      console.log('');
    }
    return 0;
  });
}

const day = formatChineseDate;
const sig = (l: SimulatedLetter) => `${l.deadlineKey}|${l.level}|${l.kind}|${l.issuedOn}`;
const slot = (l: SimulatedLetter) => `${l.deadlineKey}|${l.level}|${l.kind}`;

/** Lines comparing two schedules: a letter that only moves is one line with both dates. */
function compareLines(current: SimulatedLetter[], proposed: SimulatedLetter[], to: (roles: string[]) => string): string[] {
  const line = (l: SimulatedLetter) => `${LETTER_KIND_LABEL[l.kind]}(${l.deadlineLabel},截止${day(l.due)},依据 ${l.source})致${to(l.to)}`;
  const before = new Set(current.map(sig));
  const after = new Set(proposed.map(sig));
  const gone = current.filter((l) => !after.has(sig(l)));
  const added = proposed.filter((l) => !before.has(sig(l)));
  const out: string[] = [];
  for (const l of gone) {
    const moved = added.find((x) => slot(x) === slot(l));
    if (moved) {
      out.push(`~ 改期:${day(l.issuedOn)} → ${day(moved.issuedOn)} ${line(l)}${moved.due !== l.due ? `(截止日改为${day(moved.due)})` : ''}`);
      added.splice(added.indexOf(moved), 1);
    } else out.push(`- 不再发:${day(l.issuedOn)} ${line(l)}`);
  }
  for (const l of added) out.push(`+ 新增:${day(l.issuedOn)} ${line(l)}`);
  return out;
}

/** The horizon the live commands look ahead to by default: a year on (29 February → 28 February). */
const aYearAfter = (today: LocalDate): LocalDate => addMonths(today, 12).date;

/**
 * For every running plan, the letters it would be sent until `--until` under the rules now in
 * force and under the proposed rules: the engine's own ladder code run on a virtual clock.
 * Changes nothing anywhere.
 */
export async function rulesSimulate(paths: string[], opts: { until?: string; plan?: string; json?: boolean }): Promise<number> {
  const { definitions } = compileOrFail(paths, '规则有错误,无法模拟');
  const now = Date.now();
  const today = localDateAt(now);
  const until = opts.until ?? aYearAfter(today);
  if (!isLocalDate(until) || until < today) throw new UserError(`--until 应为今天(${today})之后的日期,形如 ${aYearAfter(today)}`);
  const end = endOfLocalDay(until);
  return withPlans(async (plans) => {
    const ids = opts.plan ? [opts.plan] : await plans.running();
    const results = [];
    for (const id of ids) {
      const [snap, view] = await Promise.all([plans.snapshot(id), plans.view(id)]);
      const proposed = definitions.find((d) => d.id === snap.definition.id);
      const current = simulateLetters(snap.definition, snap.calendar, snap.deadlines, now, end);
      const next = proposed ? simulateLetters(proposed, snap.calendar, recomputeDeadlines(proposed, snap.calendar, snap), now, end) : current;
      const before = new Set(current.map(sig));
      const after = new Set(next.map(sig));
      results.push({
        workflowId: id,
        title: view.plan.title,
        to: (roles: string[]) => partiesFor(snap.definition, view.plan, roles).map((p) => p.name).join('、'),
        procedure: `${snap.definition.id}@${snap.definition.version}`,
        affected: !!proposed,
        current,
        proposed: next,
        onlyCurrent: current.filter((l) => !after.has(sig(l))),
        onlyProposed: next.filter((l) => !before.has(sig(l))),
      });
    }
    if (opts.json) {
      console.log(JSON.stringify({ today, until, plans: results.map(({ to: _to, ...r }) => r) }, null, 2));
      return 0;
    }
    console.log(`模拟至 ${until}(不改变任何方案、不发任何函件):${results.length} 个运行中的方案`);
    for (const r of results) {
      console.log(`\n${r.workflowId}《${r.title}》(${r.procedure})`);
      if (!r.affected) {
        console.log('  提议的规则不含该程序,不受影响');
        continue;
      }
      if (!r.onlyCurrent.length && !r.onlyProposed.length) {
        console.log(`  函件安排不变(${r.current.length} 封)`);
        continue;
      }
      for (const l of compareLines(r.current, r.proposed, r.to)) console.log(`  ${l}`);
    }
    return 0;
  });
}

const CHANGE: Record<DeadlineChange['change'], string> = { kept: '保留', unchanged: '不变', moved: '改期', added: '新增', withdrawn: '撤销' };

/**
 * Moves running plans to a published version. A dry run unless --apply: it prints, for each
 * plan, what happens to each deadline and to the letters to come, computed by the same
 * function the workflow applies.
 */
export async function rulesMigrate(target: string, opts: { plan?: string; policy?: string; apply?: boolean; actor?: string }): Promise<number> {
  const m = PUBLISHED.exec(target);
  if (!m) throw new UserError(`应写已发布的版本,如 reform_plan@2 或 reform_plan@latest,而不是「${target}」`);
  if (opts.policy !== 'keep' && opts.policy !== 'recompute') {
    throw new UserError('须用 --policy 写明截止日期如何处理:keep(保留原截止日期)或 recompute(按新规则从业务日期重算)');
  }
  const policy: DeadlinePolicy = opts.policy;
  const [definition] = await side(target);
  return withPlans(async (plans) => {
    const ids = opts.plan ? [opts.plan] : await plans.running();
    const now = Date.now();
    const until = endOfLocalDay(aYearAfter(localDateAt(now)));
    let moved = 0;
    let refused = 0;
    console.log(`${opts.apply ? '迁移' : '预演迁移(不改动任何方案)'}到 ${definition.title}第${definition.version}版,截止日期:${policy === 'keep' ? '保留原截止日期' : '按新规则重算'}`);
    for (const id of ids) {
      const snap = await plans.snapshot(id);
      if (snap.definition.id !== definition.id) continue;
      if (snap.definition.version === definition.version && !opts.plan) continue;
      const move = planMigration(snap, definition, policy, snap.calendar);
      console.log(`\n${id}(第${snap.definition.version}版)`);
      if (move.problems.length) {
        refused++;
        move.problems.forEach((p) => console.log(`  不能迁移:${p}`));
        continue;
      }
      for (const c of move.changes.filter((x) => x.change !== 'unchanged' && x.change !== 'kept')) {
        console.log(`  ${CHANGE[c.change]} ${c.label}(${c.key})${c.before ? ` ${day(c.before)}` : ''}${c.after && c.after !== c.before ? ` → ${day(c.after)}` : ''}`);
      }
      const view = await plans.view(id);
      const to = (roles: string[]) => partiesFor(definition, view.plan, roles).map((p) => p.name).join('、');
      const letters = compareLines(simulateLetters(snap.definition, snap.calendar, snap.deadlines, now, until), simulateLetters(definition, snap.calendar, move.deadlines, now, until), to);
      letters.forEach((l) => console.log(`  函件 ${l}`));
      if (!letters.length && move.changes.every((c) => c.change === 'unchanged' || c.change === 'kept')) console.log('  截止日期和今后一年的函件都不变');
      if (opts.apply) {
        await plans.migrate(id, definition, policy, opts.actor);
        console.log('  已迁移');
        moved++;
      }
    }
    console.log(opts.apply ? `\n已迁移 ${moved} 个方案;${refused} 个不能迁移。` : `\n这是预演。确认无误后加 --apply 执行。`);
    return refused && opts.apply ? 1 : 0;
  });
}
