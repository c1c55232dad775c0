import type { EngineRole } from '@reform/platform';
import { readRulesDir, STANDARD_RULES_DIR } from '@reform/procedures';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Reply } from './world';

/**
 * The role × scope matrix of the API (issue 8, "Tests"): who may call which operation on which
 * plan, written out here from the scope rules, not from the code under test.
 *
 *   a lead unit sees and acts on its own plans, a participating unit reads those it takes part
 *   in, a special group works on its area, the legal office on plans of its level under review,
 *   the reform office and leading group on everything of their level and below; others get 404
 *   on plans, and a request without a token 401.
 *
 * matrix.test.ts reads every operation of the OpenAPI document and calls it as every user below,
 * against every plan below when the operation is about a plan, and compares the status with
 * ROUTES. An operation without a row in ROUTES fails the test: a new endpoint gets a row here
 * (one line with the helpers at the bottom, in most cases) or the build goes red.
 */

/**
 * The users, one per relation to the plans (demo logins of seedDemo: username = unit id).
 * `levelGroup` is a special group of the unit's own level, for departments registering a plan.
 */
export const USERS = {
  /** 示范省发改委: the lead unit of `own`. */
  lead: { unit: 'demo-ndrc', kind: 'department', levelGroup: 'demo-econ' },
  /** 示范省教育厅: a participating unit of `own`. */
  participant: { unit: 'demo-edu', kind: 'department', levelGroup: 'demo-econ' },
  /** 示范省经济体制改革专项小组: the special group of `own`'s area. */
  group: { unit: 'demo-econ', kind: 'special_group' },
  /** 示范省社会体制改革专项小组: a special group of another area (that of `peer`). */
  otherGroup: { unit: 'demo-social', kind: 'special_group' },
  /** 示范省司法厅: the legal office of the province. */
  legal: { unit: 'demo-legal', kind: 'legal_office' },
  /** 示范省改革办. */
  reform: { unit: 'demo-reform', kind: 'reform_office' },
  /** 示范省全面深化改革领导小组. */
  leading: { unit: 'demo-leading', kind: 'leading_group' },
  /** 甲市改革办: a city's reform office (the level of `city`, below the province). */
  cityReform: { unit: 'jia-reform', kind: 'reform_office' },
  /** 东城区发展和改革局: a department of a county, which none of the plans concerns. */
  countyDept: { unit: 'jia-dong-ndrc', kind: 'department', levelGroup: 'jia-dong-econ' },
} as const satisfies Record<string, { unit: string; kind: string; levelGroup?: string }>;
export type UserKey = keyof typeof USERS;
/** Every user of the matrix and the caller without a token. */
export type Caller = UserKey | 'anonymous';

/**
 * The plans, registered over HTTP by their lead units (walked by them to `stage`) before the
 * matrix runs; `walk` is the actions that take the plan there (rules/standard/reform-plan.rules:
 * no attributes, so the demonstrations of A7 are skipped).
 */
export const PLANS = {
  /** A province plan of 示范省发改委, with 教育厅 taking part, in its legality review. */
  own: {
    lead: 'demo-ndrc',
    specialGroup: 'demo-econ',
    participants: ['demo-edu'],
    stage: 'legality_review',
    walk: [
      ['demo-ndrc', 'submit_draft'],
      ['demo-ndrc', 'complete_research'],
      ['demo-econ', 'pass_special_group_review'],
    ],
  },
  /** Another department's province plan (示范省财政厅), of the social group's area, in drafting. */
  peer: { lead: 'demo-finance', specialGroup: 'demo-social', participants: [], stage: 'drafting', walk: [] },
  /** A plan of 甲市 (a level below the province), in drafting. */
  city: { lead: 'jia-ndrc', specialGroup: 'jia-econ', participants: [], stage: 'drafting', walk: [] },
  /**
   * A province plan of 示范省发改委, with 教育厅 taking part, walked to implementation (组织实施, where
   * items may be changed: reform-plan.rules, no attributes, so deliberation is the special group's
   * meeting) and given item 1 by its lead unit.
   */
  impl: {
    lead: 'demo-ndrc',
    specialGroup: 'demo-econ',
    participants: ['demo-edu'],
    stage: 'implementation',
    walk: [
      ['demo-ndrc', 'submit_draft'],
      ['demo-ndrc', 'complete_research'],
      ['demo-econ', 'pass_special_group_review'],
      ['demo-legal', 'pass_legality_review'],
      ['demo-econ', 'approve_special_group_meeting'],
      ['demo-ndrc', 'issue'],
      ['demo-ndrc', 'file'],
    ],
    items: ['1'],
  },
} as const satisfies Record<
  string,
  { lead: string; specialGroup: string; participants: readonly string[]; stage: string; walk: ReadonlyArray<readonly [string, string]>; items?: readonly string[] }
>;
export type PlanKey = keyof typeof PLANS;

/** What a user may do with a plan: nothing (it does not exist for them), read it, or act in these engine roles. */
export type Access = 'none' | 'read' | EngineRole[];

/** The scope rules of issue 8, written out for every user and plan. */
export const ACCESS: Record<UserKey, Record<PlanKey, Access>> = {
  // A lead unit sees and acts on its own plans only.
  lead: { own: ['lead_unit'], peer: 'none', city: 'none', impl: ['lead_unit'] },
  // A participating unit reads the plans it takes part in.
  participant: { own: 'read', peer: 'none', city: 'none', impl: 'read' },
  // A special group works on the plans of its area.
  group: { own: ['special_group'], peer: 'none', city: 'none', impl: ['special_group'] },
  otherGroup: { own: 'none', peer: ['special_group'], city: 'none', impl: 'none' },
  // The legal office: plans of its level while under review (own is; peer is in drafting; impl past review; city is another level).
  legal: { own: ['legal_office'], peer: 'none', city: 'none', impl: 'none' },
  // The reform office and the leading group: everything of their level (acting) and below (reading).
  reform: { own: ['reform_office'], peer: ['reform_office'], city: 'read', impl: ['reform_office'] },
  leading: { own: ['leading_group'], peer: ['leading_group'], city: 'read', impl: ['leading_group'] },
  cityReform: { own: 'none', peer: 'none', city: ['reform_office'], impl: 'none' },
  // Nothing of the province or of 甲市 itself is a county department's.
  countyDept: { own: 'none', peer: 'none', city: 'none', impl: 'none' },
};

/** What a matrix call knows: who calls, about which plan, and the ids and tokens the setup made. */
export interface Cell {
  caller: Caller;
  /** For plan routes: the plan, and the caller's access to it (ACCESS; undefined for anonymous). */
  plan?: PlanKey;
  access?: Access;
  ctx: MatrixContext;
}

export interface MatrixContext {
  /** Workflow ids of PLANS. */
  planIds: Record<PlanKey, string>;
  /** Passwords of the demo logins, by username. */
  passwords: Record<string, string>;
  /** Per user, refresh tokens of login sessions kept for the matrix: one to refresh, one to log out. */
  sessions: Record<UserKey, { refresh: string; logout: string }>;
}

export interface Row {
  /** About one plan: called against every plan of PLANS, its id as the path's {id}. */
  plan?: boolean;
  /** Path parameters besides a plan's {id}. */
  params?: (c: Cell) => Record<string, string>;
  query?: (c: Cell) => Record<string, string>;
  body?: (c: Cell) => unknown;
  /** The status this caller must get. */
  expect: (c: Cell) => number;
  /** Further checks of a success (2xx) that had the expected status: what is wrong, if anything. */
  check?: (c: Cell, r: Reply) => string[];
}

// ---- Expectation helpers: one per kind of rule ---------------------------------------------

/** Anyone, with or without a token. */
export const open = (status: number) => (): number => status;

/** Any signed-in user; 401 without a token. */
export const signedIn =
  (status: number) =>
  (c: Cell): number =>
    c.caller === 'anonymous' ? 401 : status;

/** Users of units of these kinds get `status`, other users 403, no token 401. */
export const unitKinds =
  (kinds: string[], status: number) =>
  (c: Cell): number =>
    c.caller === 'anonymous' ? 401 : kinds.includes(USERS[c.caller].kind) ? status : 403;

/** Reading a plan: `status` for whoever may read it, 404 for everyone else (no existence leak), 401 without a token. */
export const planRead =
  (status: number) =>
  (c: Cell): number =>
    c.caller === 'anonymous' ? 401 : c.access === 'none' ? 404 : status;

/**
 * Acting on a plan with an action the rules give to `roles`: 404 outside the caller's scope,
 * 403 for a reader or a unit none of whose roles on the plan may take it, and otherwise
 * `allowed` (409 when the procedure does not allow it in the plan's stage, which the matrix
 * uses so that no call changes a plan).
 */
export const planAct =
  (roles: EngineRole[], allowed: number) =>
  (c: Cell): number => {
    if (c.caller === 'anonymous') return 401;
    if (c.access === 'none' || c.access === undefined) return 404;
    if (c.access === 'read') return 403;
    return c.access.some((r) => roles.includes(r)) ? allowed : 403;
  };

const rolesOf = (a: Access | undefined): string[] => (Array.isArray(a) ? [...a].sort() : []);

// ---- The table ---------------------------------------------------------------------------

/** Departments lead plans and register them (rules/standard: 牵头单位 is a department; the desk says so). */
const DEPARTMENTS = ['department'];

const standardRules = () => readRulesDir(STANDARD_RULES_DIR).map((f) => ({ name: basename(f.name), text: f.text }));

/**
 * Every operation of the API, `METHOD /path` as the OpenAPI document writes it. To cover a new
 * route, add its row here: `plan: true` when its path is about a plan ({id} = the plan), a body
 * and the expected status from the helpers above.
 */
export const ROUTES: Record<string, Row> = {
  'GET /api/health': { expect: open(200) },
  'GET /api/ready': { expect: open(200) },
  'GET /api/metrics': { expect: open(200) },

  'POST /api/auth/login': {
    body: (c) => (c.caller === 'anonymous' ? { username: 'nobody-at-all', password: 'not the password' } : { username: USERS[c.caller].unit, password: c.ctx.passwords[USERS[c.caller].unit] }),
    expect: (c) => (c.caller === 'anonymous' ? 401 : 200),
  },
  'POST /api/auth/refresh': {
    body: (c) => ({ refreshToken: c.caller === 'anonymous' ? 'made-up-refresh-token' : c.ctx.sessions[c.caller].refresh }),
    expect: (c) => (c.caller === 'anonymous' ? 401 : 200),
  },
  'POST /api/auth/logout': {
    body: (c) => ({ refreshToken: c.caller === 'anonymous' ? 'made-up-refresh-token' : c.ctx.sessions[c.caller].logout }),
    expect: (c) => (c.caller === 'anonymous' ? 401 : 204),
  },
  'GET /api/auth/me': {
    expect: signedIn(200),
    check: (c, r) => {
      const unit = (r.json.unit as { id?: string } | undefined)?.id;
      return c.caller !== 'anonymous' && unit !== USERS[c.caller].unit ? [`me names unit ${unit}`] : [];
    },
  },

  'GET /api/procedures': { expect: open(200) },
  'GET /api/procedures/{id}/versions': { params: () => ({ id: 'reform_plan' }), expect: open(200) },
  'POST /api/rules/check': { body: () => ({ files: standardRules().filter((f) => f.name === 'reform-plan.rules') }), expect: open(200) },

  'GET /api/plans': {
    expect: signedIn(200),
    // The ledger lists exactly the plans of PLANS the caller may read.
    check: (c, r) => {
      if (c.caller === 'anonymous') return [];
      const listed = new Set(((r.json.rows ?? []) as Array<{ planId: string }>).map((row) => row.planId));
      const me = c.caller;
      return (Object.keys(PLANS) as PlanKey[]).flatMap((p) => {
        const visible = ACCESS[me][p] !== 'none';
        return visible === listed.has(c.ctx.planIds[p]) ? [] : [`ledger ${visible ? 'lacks' : 'lists'} ${p}`];
      });
    },
  },
  'POST /api/plans': {
    body: (c) => ({
      procedure: 'reform_plan',
      title: '关于矩阵测试登记的实施方案',
      specialGroupId: c.caller !== 'anonymous' && 'levelGroup' in USERS[c.caller] ? (USERS[c.caller] as { levelGroup: string }).levelGroup : 'demo-econ',
      participatingUnitIds: [],
      responsibleLeader: '王副省长',
      responsiblePerson: '李明',
    }),
    expect: unitKinds(DEPARTMENTS, 201),
  },
  'GET /api/plans/{id}': {
    plan: true,
    expect: planRead(200),
    // The engine roles are derived from the unit's relation to the plan: exactly those of ACCESS.
    check: (c, r) => {
      const access = r.json.access as { act: boolean; roles: Array<{ id: string }> };
      const roles = access.roles.map((x) => x.id).sort();
      const want = rolesOf(c.access);
      const out: string[] = [];
      if (roles.join() !== want.join()) out.push(`roles ${roles.join() || '(none)'} instead of ${want.join() || '(none)'}`);
      if (access.act !== want.length > 0) out.push(`act ${access.act}`);
      return out;
    },
  },
  // `issue` (印发方案) is the lead unit's and the reform office's (reform-plan.rules); no plan of
  // PLANS is in issuance, so those who may take it get the engine's 409 and nothing changes.
  'POST /api/plans/{id}/actions': { plan: true, body: () => ({ action: 'issue' }), expect: planAct(['lead_unit', 'reform_office'], 409) },

  // The audit chain holds every level's acts: the province's reform office only (docs/api.md).
  'GET /api/audit/verify': { expect: (c) => (c.caller === 'anonymous' ? 401 : c.caller === 'reform' ? 200 : 403) },
  // The list: a reform office reads its level and below (the province's the whole trail); anyone else 403.
  'GET /api/audit/entries': { expect: (c) => (c.caller === 'anonymous' ? 401 : c.caller === 'reform' || c.caller === 'cityReform' ? 200 : 403) },

  // ---- Specific reform items (S2) and their evidence: a plan's readers read them; only a unit
  // whose role on the plan may take the item action changes them, adds them or uploads evidence
  // (update_item is lead_unit's, in implementation: reform-plan.rules), 403 for the others who
  // read the plan. Only `impl` is in implementation and has item 1: on the other plans whoever
  // may read the plan gets the item's 404, and the lead unit the engine's 409 on registering one.
  'GET /api/plans/{id}/items': {
    plan: true,
    expect: planRead(200),
    check: (c, r) => {
      const ids = ((r.json.items ?? []) as Array<{ id: string }>).map((i) => i.id);
      const want: readonly string[] = (c.plan && (PLANS[c.plan] as { items?: readonly string[] }).items) || [];
      return ids.join() === want.join() ? [] : [`items ${ids.join() || '(none)'} instead of ${want.join() || '(none)'}`];
    },
  },
  // Item 1 exists on impl: its lead unit gets the 409 of an id taken; elsewhere the engine's 409 (not in implementation).
  'POST /api/plans/{id}/items': { plan: true, body: () => ({ id: '1', title: '矩阵测试事项' }), expect: planAct(['lead_unit'], 409) },
  'GET /api/plans/{id}/items/{itemId}': { plan: true, params: () => ({ itemId: '1' }), expect: (c) => planRead(c.plan === 'impl' ? 200 : 404)(c) },
  'PATCH /api/plans/{id}/items/{itemId}': {
    plan: true,
    params: () => ({ itemId: '1' }),
    body: () => ({ status: 'started', note: '矩阵测试' }),
    expect: (c) => (c.plan === 'impl' ? planAct(['lead_unit'], 200)(c) : planRead(404)(c)),
  },
  'POST /api/plans/{id}/items/{itemId}/evidence': {
    plan: true,
    params: () => ({ itemId: '1' }),
    query: () => ({ filename: '矩阵测试.pdf' }),
    body: () => Buffer.from('%PDF-1.4\n%matrix\n'),
    expect: (c) => (c.plan === 'impl' ? planAct(['lead_unit'], 201)(c) : planRead(404)(c)),
  },
  'GET /api/plans/{id}/items/{itemId}/evidence/{evidenceId}': { plan: true, params: () => ({ itemId: '1', evidenceId: 'no-such-evidence' }), expect: planRead(404) },

  // Why a deadline falls due: whoever may read the plan (its deadlines are part of its detail).
  'GET /api/plans/{id}/why': {
    plan: true,
    expect: planRead(200),
    check: (c, r) => (c.plan && r.json.planId === c.ctx.planIds[c.plan] && Array.isArray(r.json.deadlines) ? [] : [`why of ${String(r.json.planId)}`]),
  },

  // ---- Letters: any signed-in user, listing only letters of plans in scope; an unknown letter 404.
  'GET /api/letters': {
    expect: signedIn(200),
    check: (c, r) => {
      if (c.caller === 'anonymous') return [];
      const me = c.caller;
      const hidden = new Set((Object.keys(PLANS) as PlanKey[]).filter((p) => ACCESS[me][p] === 'none').map((p) => c.ctx.planIds[p]));
      return ((r.json.rows ?? []) as Array<{ planId: string }>).filter((l) => hidden.has(l.planId)).map((l) => `lists a letter of ${l.planId}, outside its scope`);
    },
  },
  'GET /api/letters/{id}': { params: () => ({ id: 'no-such-letter' }), expect: signedIn(404) },
  'GET /api/letters/{id}/document.docx': { params: () => ({ id: 'no-such-letter' }), expect: signedIn(404) },
  'GET /api/letters/{id}/document.pdf': { params: () => ({ id: 'no-such-letter' }), expect: signedIn(404) },

  // ---- Excel (issue 9, §6). The task-list template is any signed-in user's (lists of their level);
  // importing is a reform office's (domain.md: it registers the annual tasks): others 403 before
  // the file is read; this file is no workbook, so a reform office gets 415 and nothing changes.
  'GET /api/imports/task-list/template': { expect: signedIn(200) },
  'POST /api/imports/task-list': {
    body: () => Buffer.from('这不是 Excel 工作簿'),
    expect: (c) => (c.caller === 'anonymous' ? 401 : USERS[c.caller].kind === 'reform_office' ? 415 : 403),
  },
  // The ledger as filtered, in the caller's scope (as GET /api/plans); a plan's items to whoever may read the plan.
  'GET /api/ledger/export.xlsx': { expect: signedIn(200) },
  'GET /api/plans/{id}/items/export.xlsx': { plan: true, expect: planRead(200) },

  // ---- Procedures and rulesets (docs/api.md): reading and comparing rules is any signed-in
  // user's; publishing the province's reform office's (publishing the standard rules again adds no
  // version); migration a reform office's, on plans in its scope (a dry run here).
  'GET /api/procedures/{id}/versions/{version}/text': { params: () => ({ id: 'reform_plan', version: '1' }), expect: signedIn(200) },
  'GET /api/procedures/{id}/versions/{version}/diff': { params: () => ({ id: 'reform_plan', version: '1' }), expect: signedIn(200) },
  'POST /api/rules/diff': { body: () => ({ files: standardRules().filter((f) => f.name === 'reform-plan.rules') }), expect: signedIn(200) },
  'POST /api/rules/simulate': {
    body: () => ({ files: standardRules().filter((f) => f.name === 'reform-plan.rules') }),
    expect: signedIn(200),
    // Only running plans the caller may see are simulated.
    check: (c, r) => {
      if (c.caller === 'anonymous') return [];
      const me = c.caller;
      const hidden = new Set((Object.keys(PLANS) as PlanKey[]).filter((p) => ACCESS[me][p] === 'none').map((p) => c.ctx.planIds[p]));
      return ((r.json.plans ?? []) as Array<{ workflowId: string }>).filter((p) => hidden.has(p.workflowId)).map((p) => `simulates ${p.workflowId}, outside its scope`);
    },
  },
  'POST /api/rules/publish': {
    body: () => ({ files: standardRules().filter((f) => f.name === 'reform-plan.rules') }),
    expect: (c) => (c.caller === 'anonymous' ? 401 : c.caller === 'reform' ? 201 : 403),
  },
  'POST /api/rules/migrate': {
    body: (c) => ({ procedure: 'reform_plan', version: 'latest', policy: 'keep', planId: c.ctx.planIds.own }),
    // A reform office outside whose scope `own` is gets the plan's 404 (as for a missing plan).
    expect: (c) => (c.caller === 'anonymous' ? 401 : USERS[c.caller].kind !== 'reform_office' ? 403 : ACCESS[c.caller].own === 'none' ? 404 : 200),
  },

  // ---- The rules workbench and the holiday calendar (issue 10, docs/api.md): format, explain,
  // the calendar's years and check are a reform office's (any level); loading a year is the
  // province's reform office's (the calendar is everyone's; the same file again changes nothing).
  'POST /api/rules/format': { body: () => ({ files: standardRules().filter((f) => f.name === 'reform-plan.rules') }), expect: unitKinds(['reform_office'], 200) },
  'POST /api/rules/explain': { body: () => ({ files: standardRules().filter((f) => f.name === 'reform-plan.rules') }), expect: unitKinds(['reform_office'], 200) },
  'GET /api/calendar': { expect: unitKinds(['reform_office'], 200) },
  'POST /api/calendar/check': { body: () => ({ name: '2026.holidays', text: readFileSync(join(STANDARD_RULES_DIR, '../calendar/2026.holidays'), 'utf8') }), expect: unitKinds(['reform_office'], 200) },
  'POST /api/calendar/load': {
    body: () => ({ name: '2026.holidays', text: readFileSync(join(STANDARD_RULES_DIR, '../calendar/2026.holidays'), 'utf8') }),
    expect: (c) => (c.caller === 'anonymous' ? 401 : c.caller === 'reform' ? 201 : 403),
  },

  // ---- Letters reaching units (issue 9, §2): every signed-in user has an inbox (their unit's
  // letters only); signing is for a letter addressed or copied to the unit, any other 404; the
  // outbox's state is the province's reform office's.
  'GET /api/inbox': { expect: signedIn(200) },
  'POST /api/letters/{id}/sign': { params: () => ({ id: 'no-such-letter' }), expect: signedIn(404) },
  'GET /api/outbox': { expect: (c) => (c.caller === 'anonymous' ? 401 : c.caller === 'reform' ? 200 : 403) },
  // ---- The problem library (问题库, Y9, Y11; docs/api.md): a reform office registers problems
  // against units of its level and below (the lead unit of `own` for the province's, of `city` for
  // 甲市's); any signed-in user lists what it may see; an unknown problem is 404 to everyone.
  'GET /api/problems': { expect: signedIn(200) },
  'POST /api/problems': {
    body: (c) => ({ against: { type: 'unit', unitId: c.caller === 'cityReform' ? PLANS.city.lead : PLANS.own.lead }, description: '矩阵测试发现的问题' }),
    expect: unitKinds(['reform_office'], 201),
  },
  // A handover of several problems: reform offices only; an unknown problem in the list is 400 naming it (problemIds.0).
  'POST /api/problems/hand-over': { body: () => ({ problemIds: ['00000000-0000-4000-8000-000000000000'] }), expect: unitKinds(['reform_office'], 400) },
  'GET /api/problems/{id}': { params: () => ({ id: '00000000-0000-4000-8000-000000000000' }), expect: signedIn(404) },
  'POST /api/problems/{id}/actions': { params: () => ({ id: '00000000-0000-4000-8000-000000000000' }), body: () => ({ action: 'hand_over' }), expect: signedIn(404) },
  // A problem's history and its evidence (list, download): whoever may read the problem; an unknown one is 404 to everyone.
  'GET /api/problems/{id}/history': { params: () => ({ id: '00000000-0000-4000-8000-000000000000' }), expect: signedIn(404) },
  'GET /api/problems/{id}/evidence': { params: () => ({ id: '00000000-0000-4000-8000-000000000000' }), expect: signedIn(404) },
  'GET /api/problems/{id}/evidence/{evidenceId}': { params: () => ({ id: '00000000-0000-4000-8000-000000000000', evidenceId: '00000000-0000-4000-8000-000000000001' }), expect: signedIn(404) },
  'POST /api/problems/{id}/evidence': {
    params: () => ({ id: '00000000-0000-4000-8000-000000000000' }),
    query: () => ({ filename: '矩阵测试.pdf' }),
    body: () => Buffer.from('%PDF-1.4\n%matrix\n'),
    expect: signedIn(404),
  },
  // ---- The units directory: every signed-in user lists the units its scope shows (docs/api.md, "The units directory").
  'GET /api/units': { expect: signedIn(200) },
  // ---- Dashboards (issue 9, §8): every signed-in user reads the numbers over their own scope.
  'GET /api/dashboard/progress': { expect: signedIn(200) },
  'GET /api/dashboard/lights': { expect: signedIn(200) },
  'GET /api/dashboard/letters': { expect: signedIn(200) },
  'GET /api/dashboard/indicators': { expect: signedIn(200) },
  'GET /api/dashboard/problems': { expect: signedIn(200) },
  'GET /api/dashboard/trends': { expect: signedIn(200) },
  // ---- The yearly deliberation schedule (年度上会审议计划, W5; docs/api.md): a reform office's own
  // schedule; others 403; a meeting that is not the caller's office's is 404.
  'GET /api/deliberation-schedules/{year}': { params: () => ({ year: String(new Date().getFullYear()) }), expect: unitKinds(['reform_office'], 200) },
  'POST /api/deliberation-schedules/{year}/meetings': {
    params: () => ({ year: String(new Date().getFullYear()) }),
    body: () => ({ title: '矩阵测试会议', meetingDate: `${new Date().getFullYear()}-12-31` }),
    expect: unitKinds(['reform_office'], 201),
  },
  'POST /api/deliberation-schedules/meetings/{meetingId}/plans': {
    params: () => ({ meetingId: '00000000-0000-4000-8000-000000000000' }),
    body: (c) => ({ planId: c.ctx.planIds.own }),
    expect: unitKinds(['reform_office'], 404),
  },
  'DELETE /api/deliberation-schedules/meetings/{meetingId}/plans/{planId}': {
    params: (c) => ({ meetingId: '00000000-0000-4000-8000-000000000000', planId: c.ctx.planIds.own }),
    expect: unitKinds(['reform_office'], 404),
  },
  // ---- Saved ledger views (台账视图, issue 10; docs/api.md): every signed-in user keeps their own;
  // a view that is not the caller's (here: none exists) is 404 to everyone.
  'GET /api/ledger/views': { expect: signedIn(200) },
  'POST /api/ledger/views': { body: (c) => ({ name: `矩阵测试视图${c.caller}-${Math.random()}`, filters: { status: 'open' } }), expect: signedIn(201) },
  'GET /api/ledger/views/{id}': { params: () => ({ id: '00000000-0000-4000-8000-000000000000' }), expect: signedIn(404) },
  'DELETE /api/ledger/views/{id}': { params: () => ({ id: '00000000-0000-4000-8000-000000000000' }), expect: signedIn(404) },
  // ---- The experience library (经验推广, S5; docs/api.md): every signed-in user reads it; none of
  // the matrix's plans is a promoted pilot (nor a pilot: no summary report to upload), so 404.
  'GET /api/experiences': { expect: signedIn(200) },
  'GET /api/experiences/{planId}': { params: (c) => ({ planId: c.ctx.planIds.own }), expect: signedIn(404) },
  'POST /api/experiences/{planId}/evidence': {
    params: (c) => ({ planId: c.ctx.planIds.own }),
    query: () => ({ filename: '矩阵测试.pdf' }),
    body: () => Buffer.from('%PDF-1.4\n%matrix\n'),
    expect: signedIn(404),
  },
  'GET /api/experiences/{planId}/evidence/{evidenceId}': { params: (c) => ({ planId: c.ctx.planIds.own, evidenceId: 'no-such-evidence' }), expect: signedIn(404) },
  // ---- The year-end assessment (issue 9 §5; docs/api.md): the reform office of a level computes
  // (year 2000 is past on any clock), enters third-party scores and keeps the red list for the units
  // of its level and the areas one down (the province: 发改委; 甲市: its county 东城区); others 403.
  // Reading lists is any signed-in user's (scoped); an unknown assessment or entry is 404 to everyone.
  'GET /api/assessments': { expect: signedIn(200) },
  'POST /api/assessments': { body: () => ({ year: 2000 }), expect: unitKinds(['reform_office'], 201) },
  'GET /api/assessments/{id}': { params: () => ({ id: '00000000-0000-4000-8000-000000000000' }), expect: signedIn(404) },
  'GET /api/assessments/{id}/export.xlsx': { params: () => ({ id: '00000000-0000-4000-8000-000000000000' }), expect: signedIn(404) },
  'GET /api/assessments/evaluations': { expect: signedIn(200) },
  'POST /api/assessments/evaluations': {
    body: (c) => ({ year: 2000, target: c.caller === 'cityReform' ? { type: 'region', regionId: 'jia-dong' } : { type: 'unit', unitId: 'demo-ndrc' }, subject: '矩阵测试评估事项', evaluator: '矩阵测试机构', score: 90 }),
    expect: unitKinds(['reform_office'], 201),
  },
  'GET /api/assessments/red-list': { expect: signedIn(200) },
  'POST /api/assessments/red-list': {
    body: (c) => ({ year: 2000, target: c.caller === 'cityReform' ? { type: 'region', regionId: 'jia-dong' } : { type: 'unit', unitId: 'demo-ndrc' }, reason: '矩阵测试' }),
    expect: unitKinds(['reform_office'], 201),
  },
  'POST /api/assessments/red-list/{id}/publish': { params: () => ({ id: '00000000-0000-4000-8000-000000000000' }), expect: signedIn(404) },
  // ---- Supervision rounds (督察轮次, S3; docs/api.md): any signed-in user lists the rounds it
  // takes part in; opening is a reform office's (none of PLANS was issued half a year ago, so a
  // reform office gets the 409 of a round with no plan and nothing changes); an unknown round is
  // 404 to everyone, its table, its tasks and their answers included.
  'GET /api/rounds': { expect: signedIn(200) },
  'POST /api/rounds': { body: () => ({ name: '矩阵测试督察' }), expect: unitKinds(['reform_office'], 409) },
  'GET /api/rounds/{id}': { params: () => ({ id: '00000000-0000-4000-8000-000000000000' }), expect: signedIn(404) },
  'POST /api/rounds/{id}/close': { params: () => ({ id: '00000000-0000-4000-8000-000000000000' }), expect: signedIn(404) },
  'GET /api/rounds/{id}/table.xlsx': { params: () => ({ id: '00000000-0000-4000-8000-000000000000' }), expect: signedIn(404) },
  'GET /api/rounds/{id}/table.docx': { params: () => ({ id: '00000000-0000-4000-8000-000000000000' }), expect: signedIn(404) },
  'GET /api/rounds/{id}/plans/{planId}': { params: () => ({ id: '00000000-0000-4000-8000-000000000000', planId: 'no-such-plan' }), expect: signedIn(404) },
  'POST /api/rounds/{id}/plans/{planId}/self-inspection': {
    params: () => ({ id: '00000000-0000-4000-8000-000000000000', planId: 'no-such-plan' }),
    body: () => ({ items: [{ itemId: '1', status: 'completed' }] }),
    expect: signedIn(404),
  },
  'POST /api/rounds/{id}/plans/{planId}/verification': { params: () => ({ id: '00000000-0000-4000-8000-000000000000', planId: 'no-such-plan' }), body: () => ({}), expect: signedIn(404) },
  'POST /api/rounds/{id}/plans/{planId}/send-back': { params: () => ({ id: '00000000-0000-4000-8000-000000000000', planId: 'no-such-plan' }), body: () => ({ reason: '矩阵测试' }), expect: signedIn(404) },
};
