import { formatChineseDate } from '@reform/calendar';
import { UserError } from '@reform/config';
import { ProcessDefinition } from '@reform/definitions';
import { DefinitionStore } from '@reform/persistence';
import {
  DEADLINE_CHANGE_LABEL,
  diffLines,
  diffProcedures,
  explainDeadlines,
  letterChangeLine,
  migrationConcerns,
  migrationPolicy,
  previewMigration,
  publishRuleset,
  simulatePlan,
  simulationHorizon,
  whyLines,
} from '@reform/plans';
import { withDatabase, withPlans } from '../context';
import { compileOrFail } from './rules-files';

/** Stores each procedure as a new immutable version; new plans take it, running plans keep theirs. */
export async function rulesPublish(paths: string[]): Promise<number> {
  // Any error, anywhere in the ruleset, stops here: nothing is published.
  const { compiled } = compileOrFail(paths, '规则有错误,未发布任何内容');
  await withDatabase(async (db) => {
    for (const p of await publishRuleset(new DefinitionStore(db), compiled)) {
      if (p.explicit) console.log(p.status === 'published' ? `已发布 ${p.title}(${p.id})第${p.version}版。` : `${p.title}(${p.id})第${p.version}版已发布过,内容相同,未改动。`);
      else
        console.log(
          p.status === 'published'
            ? `已发布 ${p.title}(${p.id})第${p.version}版:新登记的方案按此版本办理,运行中的方案仍按原版本。`
            : `${p.title}(${p.id})与已发布的第${p.version}版含义相同,未发布新版本。`,
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
  const out = diffProcedures(left, right, { only, leftPublished: PUBLISHED.test(a), rightPublished: PUBLISHED.test(b) });
  if (opts.json) {
    console.log(JSON.stringify(out, null, 2));
    return 0;
  }
  for (const p of out) console.log(diffLines(p).join('\n'));
  return 0;
}

/** For each deadline of a plan: the business date it counts from, the rule, and how the days were counted. */
export async function rulesWhy(workflowId: string, deadline: string | undefined): Promise<number> {
  return withPlans(async (plans) => {
    const [view, snap] = await Promise.all([plans.view(workflowId), plans.snapshot(workflowId)]);
    const why = explainDeadlines(view, snap, deadline);
    if (!why.length) console.log(`方案 ${workflowId} 还没有任何时限`);
    for (const w of why) {
      for (const line of whyLines(w)) console.log(line);
      console.log('');
    }
    return 0;
  });
}

/**
 * For every running plan, the letters it would be sent until `--until` under the rules now in
 * force and under the proposed rules: the engine's own ladder code run on a virtual clock.
 * Changes nothing anywhere.
 */
export async function rulesSimulate(paths: string[], opts: { until?: string; plan?: string; json?: boolean }): Promise<number> {
  const { definitions } = compileOrFail(paths, '规则有错误,无法模拟');
  const now = Date.now();
  const { today, until, end } = simulationHorizon(now, opts.until);
  return withPlans(async (plans) => {
    const ids = opts.plan ? [opts.plan] : await plans.running();
    const results = [];
    for (const id of ids) {
      const [snap, view] = await Promise.all([plans.snapshot(id), plans.view(id)]);
      results.push(simulatePlan(definitions, snap, view, now, end));
    }
    if (opts.json) {
      console.log(JSON.stringify({ today, until, plans: results.map(({ changes: _changes, ...r }) => r) }, null, 2));
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
      for (const c of r.changes) console.log(`  ${letterChangeLine(c)}`);
    }
    return 0;
  });
}

/**
 * Moves running plans to a published version. A dry run unless --apply: it prints, for each
 * plan, what happens to each deadline and to the letters to come, computed by the same
 * function the workflow applies.
 */
export async function rulesMigrate(target: string, opts: { plan?: string; policy?: string; apply?: boolean; actor?: string }): Promise<number> {
  const m = PUBLISHED.exec(target);
  if (!m) throw new UserError(`应写已发布的版本,如 reform_plan@2 或 reform_plan@latest,而不是「${target}」`);
  const policy = migrationPolicy(opts.policy);
  const [definition] = await side(target);
  return withPlans(async (plans) => {
    const ids = opts.plan ? [opts.plan] : await plans.running();
    const now = Date.now();
    let moved = 0;
    let refused = 0;
    console.log(`${opts.apply ? '迁移' : '预演迁移(不改动任何方案)'}到 ${definition.title}第${definition.version}版,截止日期:${policy === 'keep' ? '保留原截止日期' : '按新规则重算'}`);
    for (const id of ids) {
      const snap = await plans.snapshot(id);
      if (!migrationConcerns(snap, definition, !!opts.plan)) continue;
      const preview = previewMigration(snap, await plans.view(id), definition, policy, now);
      console.log(`\n${id}(第${preview.fromVersion}版)`);
      if (preview.problems.length) {
        refused++;
        preview.problems.forEach((p) => console.log(`  不能迁移:${p}`));
        continue;
      }
      for (const c of preview.deadlines.filter((x) => x.change !== 'unchanged' && x.change !== 'kept')) {
        console.log(`  ${DEADLINE_CHANGE_LABEL[c.change]} ${c.label}(${c.key})${c.before ? ` ${day(c.before)}` : ''}${c.after && c.after !== c.before ? ` → ${day(c.after)}` : ''}`);
      }
      preview.letters.forEach((l) => console.log(`  函件 ${letterChangeLine(l)}`));
      if (!preview.letters.length && preview.deadlines.every((c) => c.change === 'unchanged' || c.change === 'kept')) console.log('  截止日期和今后一年的函件都不变');
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

const day = formatChineseDate;
