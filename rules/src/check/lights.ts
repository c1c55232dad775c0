import * as A from '../syntax/ast';
import { checkSource } from './names';
import { error, Located, Report, Ruleset } from './scope';

/** Largest amount a duration may have (the definition model's own bound). */
const MAX_AMOUNT = 100_000;

const KIND_TEXT = { beforeDue: '亮灯 黄 到期前', behind: '亮灯 黄 进度落后' } as const;

/**
 * The 亮灯 declarations (issue 9 §4): each carries its rule id, its value is in range, and a
 * scope (the shared files, or one procedure's file) writes each kind once.
 */
export function checkLights(r: Ruleset, report: Report) {
  checkScope(r.shared.lights, report);
  for (const p of r.procedures) checkScope(p.lights, report);
}

function checkScope(lights: Located<A.LightDecl>[], report: Report) {
  const seen = new Map<string, Located<A.LightDecl>>();
  for (const l of lights) {
    const { file, decl } = l;
    checkSource(file, decl.source, report);
    if (!decl.source) report(error(file, decl, 'missing-source', '亮灯条件未写依据(来源编号)', '加上「依据 Y9」之类的来源编号'));
    const t = decl.trigger;
    if (!t) continue;
    if (t.type === 'beforeDue' && t.offset && (t.offset.amount < 1 || t.offset.amount > MAX_AMOUNT)) {
      report(error(file, t.offset, 'bad-amount', `到期前的期间应在 1 到 ${MAX_AMOUNT} 之间`));
    }
    if (t.type === 'behind' && t.points && (t.points.value < 1 || t.points.value > 100)) {
      report(error(file, t.points, 'bad-amount', '进度落后的百分点应在 1 到 100 之间'));
    }
    const first = seen.get(t.type);
    if (first) {
      report(error(file, decl, 'duplicate', `「${KIND_TEXT[t.type]}」在同一范围内只能写一次,已写在 ${first.file}:${first.decl.range.line}`, '删去其中一条'));
    } else seen.set(t.type, l);
  }
}

/** A procedure's light thresholds: its own of each kind, else the shared one. */
export function lightsOf(own: Located<A.LightDecl>[], shared: Located<A.LightDecl>[]) {
  const pick = (type: 'beforeDue' | 'behind') => own.find((l) => l.decl.trigger?.type === type)?.decl ?? shared.find((l) => l.decl.trigger?.type === type)?.decl;
  const due = pick('beforeDue');
  const behind = pick('behind');
  const out: { dueSoon?: { within: { amount: number; unit: A.Duration['unit'] }; source: string }; behind?: { points: number; source: string } } = {};
  if (due?.trigger?.type === 'beforeDue' && due.trigger.offset) out.dueSoon = { within: { amount: due.trigger.offset.amount, unit: due.trigger.offset.unit }, source: due.source!.text };
  if (behind?.trigger?.type === 'behind' && behind.trigger.points) out.behind = { points: behind.trigger.points.value, source: behind.source!.text };
  return out.dueSoon || out.behind ? out : undefined;
}
