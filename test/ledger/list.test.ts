import { addDays, LocalDate, localDateAt } from '@reform/calendar';
import { LedgerQuery, LedgerQueryError, LedgerService, LedgerSort, LEDGER_SORTS } from '@reform/ledger';
import type { LedgerDeadlineStatus, PlanProjection } from '@reform/machine';
import { inScope, Scope, ScopeGrant } from '@reform/platform';
import fc from 'fast-check';
import { DB_KINDS, TestDatabase, testDatabase } from '../support/db';

// Dates relative to one fixed instant the service reads as "now": the ledger's own rows carry
// no clock, so any instant does; it is taken from the machine's clock, never a fixed year.
const NOW = Date.now();
const TODAY = localDateAt(NOW);

/** Regions of a province, two cities and their counties; one id with LIKE's wildcard `_`, which a prefix must match literally. */
const REGIONS = ['/sc/', '/sc/cd/', '/sc/cd/wh/', '/sc/cd/jn/', '/sc/my/', '/sc/my/fc/', '/sc/c_/', '/sc/cx/'];
const STAGES: Array<[string, string]> = [
  ['drafting', '方案起草'],
  ['legality_review', '合法合规性审查'],
  ['filing', '备案'],
  ['implementation', '组织实施'],
];
const TITLES = ['关于深化营商环境改革的实施方案', '关于推进医药卫生体制改革的意见', '乡村振兴试点方案', 'Plan 100% done', '关于_教育_改革的通知', '关于深化国资国企改革的方案'];
const RULES = ['A9', 'S3', 'A16', 'S2'];
const UNITS = ['u1', 'u2', 'u3', 'u4', 'u5'];
const LEVELS = ['province', 'city', 'county'] as const;

const deadlineArb = fc.record({
  ruleId: fc.constantFrom(...RULES),
  offset: fc.integer({ min: -40, max: 40 }),
  status: fc.constantFrom<LedgerDeadlineStatus>('open', 'done', 'cancelled'),
});

const planArb = fc.record({
  region: fc.constantFrom(...REGIONS),
  lead: fc.constantFrom(...UNITS),
  group: fc.option(fc.constantFrom('g1', 'g2'), { nil: undefined }),
  participants: fc.uniqueArray(fc.constantFrom(...UNITS), { maxLength: 3 }),
  title: fc.constantFrom(...TITLES),
  stage: fc.constantFrom(...STAGES),
  procedure: fc.constantFrom('reform_plan', 'pilot'),
  closed: fc.boolean(),
  deadlines: fc.array(deadlineArb, { maxLength: 3 }),
  updatedMinutes: fc.integer({ min: 0, max: 5000 }),
  counter: fc.integer({ min: 1, max: 50 }),
});
type PlanSpec = typeof planArb extends fc.Arbitrary<infer T> ? T : never;

/** A projection as a workflow would write it, built by hand (not by the code under test). */
function projection(id: string, s: PlanSpec): PlanProjection {
  const deadlines = s.deadlines.map((d, i) => {
    const due = addDays(TODAY, d.offset);
    // As the projection reads them: an open deadline whose due date has passed is overdue.
    const status: LedgerDeadlineStatus = d.status === 'open' && due < TODAY ? 'overdue' : d.status;
    return { key: `${d.ruleId.toLowerCase()}#${i + 1}`, label: `时限${i + 1}`, ruleId: d.ruleId, due, status, lettersSent: [] };
  });
  const open = deadlines.filter((d) => d.status === 'open' || d.status === 'overdue').map((d) => d.due);
  return {
    planId: id,
    procedure: { id: s.procedure, version: 1, title: s.procedure === 'pilot' ? '改革试点' : '改革方案' },
    title: s.title,
    attributes: {},
    stage: { id: s.stage[0], label: s.stage[1] },
    status: s.closed ? 'closed' : 'open',
    scope: { regionPath: s.region, leadUnitId: s.lead, ...(s.group ? { specialGroupId: s.group } : {}), participatingUnitIds: s.participants },
    units: { leadUnit: '牵头单位', specialGroup: '专项小组', participatingUnits: [] },
    people: { leader: '王副省长', person: '李明' },
    deadlines,
    nextDue: open.length ? open.sort()[0] : null,
    overdue: deadlines.some((d) => d.status === 'overdue'),
    items: [],
    letters: [],
    changeCounter: s.counter,
    updatedAt: new Date(NOW - s.updatedMinutes * 60_000).toISOString(),
    today: TODAY,
  };
}

const grantArb: fc.Arbitrary<ScopeGrant> = fc.oneof(
  fc.record({ kind: fc.constant('region' as const), pathPrefix: fc.constantFrom('/sc/', '/sc/cd/', '/sc/c_/', '/sc/my/fc/', '/sc/c') }),
  fc.record({ kind: fc.constant('lead' as const), unitId: fc.constantFrom(...UNITS) }),
  fc.record({ kind: fc.constant('participant' as const), unitId: fc.constantFrom(...UNITS) }),
  fc.record({ kind: fc.constant('group' as const), unitId: fc.constantFrom('g1', 'g2') }),
  fc.record({ kind: fc.constant('regionStage' as const), regionPath: fc.constantFrom(...REGIONS), stages: fc.subarray(STAGES.map(([id]) => id)) }),
);
const scopeArb: fc.Arbitrary<Scope> = fc.record({ grants: fc.array(grantArb, { minLength: 1, maxLength: 3 }) });

const queryArb = fc.record(
  {
    unit: fc.constantFrom(...UNITS, 'g1'),
    area: fc.constantFrom('g1', 'g2'),
    level: fc.constantFrom(...LEVELS),
    procedure: fc.constantFrom('reform_plan', 'pilot'),
    stage: fc.constantFrom(...STAGES.map(([id]) => id)),
    status: fc.constantFrom('open' as const, 'closed' as const),
    overdue: fc.boolean(),
    dueWithinDays: fc.integer({ min: 0, max: 30 }),
    ruleId: fc.constantFrom(...RULES),
    text: fc.constantFrom('改革', '_', '%', 'PLAN', '深化', 'p-1'),
  },
  { requiredKeys: [] },
);
type Filters = typeof queryArb extends fc.Arbitrary<infer T> ? T : never;

/** The filters as issue 8 states them, over the projections in memory. */
function matches(p: PlanProjection, q: Filters): boolean {
  const s = p.scope!;
  const open = p.deadlines.filter((d) => d.status === 'open' || d.status === 'overdue');
  const owed = open.filter((d) => (q.ruleId === undefined || d.ruleId === q.ruleId) && (q.ruleId === undefined || q.overdue !== true || d.due < TODAY));
  return (
    (q.unit === undefined || s.leadUnitId === q.unit || s.specialGroupId === q.unit || s.participatingUnitIds.includes(q.unit)) &&
    (q.area === undefined || s.specialGroupId === q.area) &&
    (q.level === undefined || LEVELS[s.regionPath.split('/').filter(Boolean).length - 1] === q.level) &&
    (q.procedure === undefined || p.procedure.id === q.procedure) &&
    (q.stage === undefined || p.stage.id === q.stage) &&
    (q.status === undefined || p.status === q.status) &&
    (q.overdue === undefined || open.some((d) => d.due < TODAY) === q.overdue) &&
    ((q.ruleId === undefined && q.dueWithinDays === undefined) ||
      owed.some((d) => q.dueWithinDays === undefined || (d.due >= TODAY && d.due <= addDays(TODAY, q.dueWithinDays)))) &&
    (q.text === undefined || p.title.toLowerCase().includes(q.text.toLowerCase()) || p.planId.toLowerCase().includes(q.text.toLowerCase()))
  );
}

const SORT_KEY: Record<LedgerSort, (p: PlanProjection) => string> = {
  due: (p) => p.nextDue ?? '9999-12-31',
  updated: (p) => p.updatedAt,
  title: (p) => p.title,
  stage: (p) => p.stage.id,
};
const DEFAULT_DIRECTION: Record<LedgerSort, 'asc' | 'desc'> = { due: 'asc', updated: 'desc', title: 'asc', stage: 'asc' };

/** By code point (JS string order, which "C" collation and SQLite's binary order share for these texts), then by plan id. */
function sorted(plans: PlanProjection[], sort: LedgerSort, direction: 'asc' | 'desc'): string[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sign = direction === 'asc' ? 1 : -1;
  return [...plans].sort((a, b) => sign * (cmp(SORT_KEY[sort](a), SORT_KEY[sort](b)) || cmp(a.planId, b.planId))).map((p) => p.planId);
}

async function allPages(ledger: LedgerService, scope: Scope, query: LedgerQuery): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 500; pages++) {
    const page = await ledger.list(scope, { ...query, ...(cursor ? { cursor } : {}) });
    ids.push(...page.rows.map((r) => r.planId));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
  throw new Error('paging did not end');
}

describe.each(DB_KINDS)('ledger list and detail (%s)', (kind) => {
  let db: TestDatabase;
  let ledger: LedgerService;
  beforeAll(async () => {
    db = await testDatabase(kind);
    ledger = new LedgerService(db.ds, () => NOW);
  });
  afterAll(() => db?.drop());

  async function load(specs: PlanSpec[]): Promise<PlanProjection[]> {
    await ledger.store.clear();
    const plans = specs.map((s, i) => projection(`p-${i}`, s));
    for (const p of plans) expect(await ledger.store.upsert(p)).toEqual({ applied: true });
    return plans;
  }

  it('lists exactly the plans in scope that pass the filters, under every sort, each once, in order, page by page', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(planArb, { minLength: 0, maxLength: 25 }),
        scopeArb,
        queryArb,
        fc.constantFrom(...LEDGER_SORTS),
        fc.constantFrom<'asc' | 'desc' | undefined>('asc', 'desc', undefined),
        fc.integer({ min: 1, max: 7 }),
        async (specs, scope, filters, sort, direction, limit) => {
          const plans = await load(specs);
          const expected = sorted(
            plans.filter((p) => inScope(scope, p.scope!, p.stage.id) && matches(p, filters)),
            sort,
            direction ?? DEFAULT_DIRECTION[sort],
          );
          expect(await allPages(ledger, scope, { ...filters, sort, ...(direction ? { direction } : {}), limit })).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a detail is the stored projection inside the scope and null outside it (no existence leak)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(planArb, { minLength: 1, maxLength: 8 }), scopeArb, async (specs, scope) => {
        const plans = await load(specs);
        for (const p of plans) expect(await ledger.detail(p.planId, scope)).toEqual(inScope(scope, p.scope!, p.stage.id) ? p : null);
        expect(await ledger.detail('no-such-plan', { grants: [{ kind: 'region', pathPrefix: '/' }] })).toBeNull();
      }),
      { numRuns: 15 },
    );
  });

  it('the region grant matches its path literally: /sc/c_/ is not /sc/cd/, and a scope without grants sees nothing', async () => {
    const spec = (region: string): PlanSpec => ({ region, lead: 'u1', participants: [], title: '方案', stage: STAGES[0], procedure: 'reform_plan', closed: false, deadlines: [], updatedMinutes: 0, counter: 1, group: undefined });
    await load([spec('/sc/cd/'), spec('/sc/c_/'), spec('/sc/c_/x/'), spec('/sc/cdx/')]);
    const ids = async (pathPrefix: string) => (await ledger.list({ grants: [{ kind: 'region', pathPrefix }] }, { sort: 'title' })).rows.map((r) => r.planId).sort();
    expect(await ids('/sc/c_/')).toEqual(['p-1', 'p-2']);
    expect(await ids('/sc/cd/')).toEqual(['p-0']);
    expect(await ids('/sc/')).toEqual(['p-0', 'p-1', 'p-2', 'p-3']);
    expect((await ledger.list({ grants: [] }, {})).rows).toEqual([]);
  });

  it('paging is stable under inserts: rows added mid-way neither repeat nor push others out', async () => {
    const spec = (title: string): PlanSpec => ({ region: '/sc/', lead: 'u1', participants: [], title, stage: STAGES[0], procedure: 'reform_plan', closed: false, deadlines: [], updatedMinutes: 0, counter: 1, group: undefined });
    const plans = await load(['b1', 'b2', 'b3', 'b4', 'b5', 'b6'].map(spec));
    const scope: Scope = { grants: [{ kind: 'region', pathPrefix: '/sc/' }] };
    const first = await ledger.list(scope, { sort: 'title', limit: 3 });
    expect(first.rows.map((r) => r.title)).toEqual(['b1', 'b2', 'b3']);
    // One before the page already read, one after it.
    await ledger.store.upsert(projection('late-a', spec('a0')));
    await ledger.store.upsert(projection('late-c', spec('b35')));
    const rest = await allPages(ledger, scope, { sort: 'title', limit: 3, cursor: first.nextCursor! });
    expect(rest).toEqual(['late-c', ...plans.slice(3).map((p) => p.planId)]);
  });

  it('refuses a bad query with the field and the reason, in Chinese', async () => {
    const scope: Scope = { grants: [{ kind: 'region', pathPrefix: '/' }] };
    await expect(ledger.list(scope, { cursor: 'not-a-cursor' })).rejects.toThrow(new LedgerQueryError('cursor: 翻页游标无效,请从第一页重新查询'));
    await expect(ledger.list(scope, { limit: 1000 })).rejects.toThrow('limit: 每页最多 100 条');
    await expect(ledger.list(scope, { level: 'town' as never })).rejects.toThrow('level: 层级应为 province、city、county 之一');
    await expect(ledger.list(scope, { colour: 'red' } as never)).rejects.toThrow('未知的查询条件 colour');
    await load([planArb, planArb].map((a) => fc.sample(a, { numRuns: 1, seed: 1 })[0]));
    const page = await ledger.list(scope, { sort: 'due', limit: 1 });
    await expect(ledger.list(scope, { sort: 'title', limit: 1, cursor: page.nextCursor! })).rejects.toThrow('cursor: 翻页游标属于另一种排序,请从第一页重新查询');
  });

  it('shows a plan overdue when an open deadline’s due date has passed, from the row alone', async () => {
    const spec = (offset: number, status: LedgerDeadlineStatus): PlanSpec => ({ region: '/sc/', lead: 'u1', participants: [], title: '方案', stage: STAGES[2], procedure: 'reform_plan', closed: false, deadlines: [{ ruleId: 'A9', offset, status }], updatedMinutes: 0, counter: 1, group: undefined });
    await load([spec(-1, 'open'), spec(0, 'open'), spec(-5, 'done'), spec(3, 'open')]);
    const { rows } = await ledger.list({ grants: [{ kind: 'lead', unitId: 'u1' }] }, { sort: 'due' });
    const dueOn = (d: number): LocalDate => addDays(TODAY, d);
    expect(rows.map((r) => [r.planId, r.nextDue, r.overdue])).toEqual([
      ['p-0', dueOn(-1), true],
      ['p-1', dueOn(0), false],
      ['p-3', dueOn(3), false],
      ['p-2', null, false],
    ]);
  });
});
