import { addDays, LocalDate, localDateAt } from '@reform/calendar';
import { ITEM_STATUSES, type ProcessDefinition } from '@reform/definitions';
import { DEMO_REGIONS, demoUnitId } from '@reform/identity';
import type { PlanProjection, ProjectedDeadline } from '@reform/machine';
import type { LedgerStore } from '@reform/persistence';
import { performance } from 'node:perf_hooks';
import { pool } from './stats';
import { prng } from './rules-model';

/** Title words of the seeded plans; `TEXT_WORD` is what the text query looks for (one plan in TOPICS.length). */
const TOPICS = ['营商环境', '国资国企', '财税体制', '科技创新', '乡村振兴', '医药卫生', '教育评价', '生态文明', '社会保障', '数字政府', '要素市场', '城市更新'];
export const TEXT_WORD = TOPICS[0];

const RULES = ['A9', 'A12', 'A16', 'S1', 'S3', 'Y9'];

interface RegionUnits {
  path: string;
  departments: string[];
  groups: string[];
  /** Share of the seeded plans (the province holds the most, each county the fewest). */
  weight: number;
}

/** The demo province's regions (libs/services/identity seedDemo) with their departments and special groups. */
export function demoRegionUnits(): RegionUnits[] {
  const paths = new Map<string, string>();
  for (const r of DEMO_REGIONS) paths.set(r.id, `${r.parentId ? paths.get(r.parentId) : '/'}${r.id}/`);
  return DEMO_REGIONS.map((r) => ({
    path: paths.get(r.id)!,
    departments: r.units.filter((u) => u.kind === 'department').map((u) => demoUnitId(r.id, u.suffix)),
    groups: r.units.filter((u) => u.kind === 'special_group').map((u) => demoUnitId(r.id, u.suffix)),
    weight: r.level === 'province' ? 4 : r.level === 'city' ? 2 : 1,
  }));
}

/**
 * The projection of seeded plan `i`: a reform_plan somewhere in the demo province, in a stage of
 * the procedure, with deadlines due from 60 days ago to 120 days ahead (some met, some overdue),
 * `items` specific reform items and a letter for each overdue deadline. Deterministic in `i`.
 */
export function seededProjection(i: number, def: ProcessDefinition, regions: RegionUnits[], items: number, today: LocalDate, now: number): PlanProjection {
  const rnd = prng(i + 1);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const total = regions.reduce((s, r) => s + r.weight, 0);
  let w = rnd() * total;
  const region = regions.find((r) => (w -= r.weight) < 0) ?? regions[0];
  const lead = pick(region.departments);
  const others = region.departments.filter((d) => d !== lead);
  const participating = others.filter(() => rnd() < 0.4);
  const group = pick(region.groups);
  const stage = def.stages[Math.floor(rnd() * def.stages.length)];
  const closed = !!stage.final;
  const topic = TOPICS[i % TOPICS.length];
  const deadlines: ProjectedDeadline[] = [];
  const count = 3 + Math.floor(rnd() * 4);
  for (let d = 0; d < count; d++) {
    const due = addDays(today, Math.floor(rnd() * 180) - 60);
    const met = closed || rnd() < 0.3;
    deadlines.push({
      key: `d${d}#0`,
      label: `时限${d + 1}`,
      ruleId: pick(RULES),
      due,
      status: met ? 'done' : due < today ? 'overdue' : 'open',
      lettersSent: !met && due < today ? [0] : [],
    });
  }
  const open = deadlines.filter((d) => d.status === 'open' || d.status === 'overdue').map((d) => d.due);
  const planId = `bench-${String(i).padStart(6, '0')}`;
  return {
    planId,
    procedure: { id: def.id, version: def.version, title: def.title },
    title: `关于深化${topic}改革的实施方案(第${i + 1}号)`,
    attributes: {},
    stage: { id: stage.id, label: stage.label },
    status: closed ? 'closed' : 'open',
    scope: { regionPath: region.path, leadUnitId: lead, specialGroupId: group, participatingUnitIds: participating },
    units: { leadUnit: lead, specialGroup: group, participatingUnits: participating },
    people: { leader: '王副省长', person: '李明' },
    deadlines,
    nextDue: open.length ? open.reduce((a, b) => (b < a ? b : a)) : null,
    overdue: deadlines.some((d) => d.status === 'overdue'),
    items: Array.from({ length: items }, (_, k) => ({ id: String(k + 1), title: `具体改革事项${k + 1}`, status: closed ? 'completed' : pick([...ITEM_STATUSES]) })),
    letters: deadlines
      .filter((d) => d.lettersSent.length)
      .map((d, n) => ({ number: `改办函〔${today.slice(0, 4)}〕${i * 10 + n + 1}号`, kind: 'supervision', level: 0, date: today, deadlineKey: d.key })),
    changeCounter: 1 + Math.floor(rnd() * 20),
    updatedAt: new Date(now - Math.floor(rnd() * 90 * 86_400_000)).toISOString(),
    today,
  };
}

/**
 * Writes `plans` seeded projections through the ledger store (the same upsert the projection
 * activity makes), `concurrency` at a time. No workflows stand behind them: lists read them,
 * details and actions need real plans.
 */
export async function seedLedger(
  store: LedgerStore,
  def: ProcessDefinition,
  opts: { plans: number; itemsPerPlan: number; concurrency: number; now: number; log: (line: string) => void },
): Promise<{ plans: number; items: number; ms: number }> {
  const regions = demoRegionUnits();
  const today = localDateAt(opts.now);
  const started = performance.now();
  let done = 0;
  const progress = setInterval(() => opts.log(`seeding: ${done}/${opts.plans} ledger rows`), 10_000);
  try {
    await pool(opts.plans, opts.concurrency, async (i) => {
      await store.upsert(seededProjection(i, def, regions, opts.itemsPerPlan, today, opts.now));
      done++;
    });
  } finally {
    clearInterval(progress);
  }
  return { plans: opts.plans, items: opts.plans * opts.itemsPerPlan, ms: performance.now() - started };
}
