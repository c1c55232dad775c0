import { AuditService } from '@reform/audit';
import { addDays } from '@reform/calendar';
import { FieldError, ForbiddenError, NotFoundError, UnavailableError, UserError } from '@reform/config';
import { CommandSchema, LocalDateSchema, PlanIdSchema, PlanSchema, ProcessDefinition } from '@reform/definitions';
import { actingScope, planAccess, PlanAccess, roleRelations, scopeFor, standardLegalReviewStages, UnitDirectory, UserAccounts } from '@reform/identity';
import { ActingFilter, InboxReader, LedgerListRow, LedgerPage, Light, LedgerQuery, LedgerService, LetterDetail, LetterPage, LetterQuery, LetterReader, stageKey } from '@reform/ledger';
import type { PlanProjection, PlanView } from '@reform/machine';
import type { DefinitionStore } from '@reform/persistence';
import { EngineRole, holdsRelation, Principal, Unit, UnitIdSchema, UserProfile } from '@reform/platform';
import { ActionRefusedError, PlanIdTakenError, type PlanService, type StartIssue, type StartPlanRequest } from '@reform/plans';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { ActResult } from '@reform/workflows';
import { z } from 'zod';
import { PROBLEM_PROCEDURE } from './problem-procedure';
import { SELF_INSPECTION_PROCEDURE } from './round-procedure';
import { parse } from './parse';
import { derivedUuid } from './requests';
import { PathStage, planPath } from './plan-path';

/** What a unit sends to register a plan: it leads the plan itself; the other units are named by id. */
export const RegisterPlanSchema = z
  .strictObject({
    procedure: z.string().min(1, '须写明流程').max(100, '流程标识最长 100 个字符').meta({ description: '已发布的流程,如 reform_plan' }),
    id: PlanIdSchema.optional().meta({ description: '方案编号;不填则自动生成。一个编号只能用一次' }),
    title: PlanSchema.shape.title,
    leadUnitId: UnitIdSchema.optional().meta({ description: '牵头单位编号:改革办代本级部门登记时填写(如导入年度任务清单);不填则本单位牵头' }),
    specialGroupId: UnitIdSchema.meta({ description: '所属专项小组(牵头单位同级)' }),
    participatingUnitIds: z.array(UnitIdSchema).max(50, '参与单位最多 50 个').default([]),
    responsibleLeader: PlanSchema.shape.responsibleLeader,
    responsiblePerson: PlanSchema.shape.responsiblePerson,
    goals: PlanSchema.shape.goals,
    attributes: z.record(z.string().max(100), z.boolean()).default({}).meta({ description: '方案属性,如 { "major": true }' }),
    registeredOn: LocalDateSchema.optional().meta({ description: '登记日期(业务日期),默认今天' }),
    startEvents: z.record(z.string().max(100), LocalDateSchema).default({}).meta({ description: '登记前已发生的事件及其日期,如 { "issued": "2026-10-20" }' }),
  })
  .meta({ id: 'RegisterPlan' });
export type RegisterPlan = z.input<typeof RegisterPlanSchema>;

/** One thing a registration would be refused for: the field of RegisterPlan it is about, and why (Chinese). */
export interface RegisterIssue {
  path: string;
  message: string;
}

/** What checking a registration found: the desk's issues (fields of RegisterPlan), the engine's (StartIssue paths), and when both are empty what to start. */
export interface RegistrationCheck {
  issues: RegisterIssue[];
  engineIssues: StartIssue[];
  ready?: {
    request: StartPlanRequest;
    actor: { unit: Unit; name: string };
    lead: Unit;
    group: Unit;
    input: z.output<typeof RegisterPlanSchema>;
  };
}

/** An action as a user takes it: the engine role is derived from the user's unit, never sent. */
export const TakeActionSchema = z
  .strictObject({
    action: z.string().min(1, '须写明操作').max(100, '操作标识最长 100 个字符'),
    businessDate: LocalDateSchema.optional().meta({ description: '实际发生的日期,默认今天' }),
    reason: CommandSchema.shape.reason,
    item: CommandSchema.shape.item,
  })
  .meta({ id: 'TakeAction' });
export type TakeAction = z.input<typeof TakeActionSchema>;

/** Who is asking, as the API (or the CLI) knows it. */
export interface Caller {
  principal: Principal;
  /** The request id, carried into the audit trail. */
  requestId?: string;
  /** The user's profile as authentication just read it (the API's, a few seconds fresh); read from the accounts when absent. */
  profile?: UserProfile;
}

/** An action this user may see in the plan's current stage, in one of their roles. */
export interface MyAction {
  action: string;
  label: string;
  role: EngineRole;
  roleLabel: string;
  /** Empty when it may be taken now; otherwise why not yet (Chinese). */
  blockers: string[];
  needsReason: boolean;
}

export interface PlanDetail {
  /** The ledger's projection, with the plan's and each item's traffic light today (亮灯). */
  plan: Omit<PlanProjection, 'items'> & { light: Light; items: Array<PlanProjection['items'][number] & { light: Light }> };
  /** What this user's unit may do with the plan. */
  access: { act: boolean; roles: Array<{ id: EngineRole; label: string }> };
  actions: MyAction[];
  /** The path the plan takes through its procedure (stages passed, current, ahead, not applying with why). */
  path: PathStage[];
}

/** A plan as its workflow sees it now, with what this user's unit may do with it. */
export interface LivePlan extends Pick<PlanDetail, 'access' | 'actions'> {
  view: PlanView;
}

export interface DeskDeps {
  plans: PlanService;
  definitions: DefinitionStore;
  ledger: LedgerService;
  directory: UnitDirectory;
  accounts: UserAccounts;
  audit: AuditService;
  /** The stages in which the legal office reviews (default: those of the standard procedures). */
  reviewStages?: () => string[];
  /** The letters in a caller's scope (default: read from the ledger's database). */
  letters?: LetterReader;
  /** Told of every action the engine took or refused (the API counts them in reform_actions_total). */
  onAct?: (e: ActOutcome) => void;
}

/** What an item change carries besides the engine's command: kept in the item's history and the audit row. */
export interface ItemChangeExtras {
  note?: string;
  /** Evidence files uploaded for the item (checked by the caller). */
  evidenceIds?: string[];
}

/** An action that reached the engine: taken, or refused by the procedure (409). */
export interface ActOutcome {
  procedure: string;
  action: string;
  outcome: 'taken' | 'refused';
}

/** How long a registration or an action waits for its plan's projection to write it into the ledger before answering. */
const INTO_LEDGER_WAIT_MS = 3_000;
/**
 * How long a desk whose rows ride the ledger write waits for one to land before answering 503
 * (the rows still come), while a worker polls (or Temporal does not say): a workflow just started
 * answers once a worker has run its first task, a busy worker later. With no worker polling the
 * desk answers at once (PlanService.workerSeen).
 */
const SETTLE_WAIT_MS = 30_000;

/** The caller's unit and display name: the profile authentication read, else the account's (403 for an account that no longer exists). */
export async function whoIs(accounts: Pick<UserAccounts, 'profile'>, caller: Caller): Promise<{ unit: Unit; name: string }> {
  const profile = caller.profile ?? (await accounts.profile(caller.principal.userId));
  if (!profile) throw new ForbiddenError('该账号已不存在,请重新登录');
  return { unit: profile.unit, name: profile.displayName };
}

/**
 * The actions of a stage offered to any of these roles whatever the plan's attributes (an action
 * with its own condition, 适用, is left out: the ledger does not test attributes); none in a final stage.
 */
function offered(stage: ProcessDefinition['stages'][number], roles: string[]): ProcessDefinition['stages'][number]['actions'] {
  if (stage.final) return [];
  return stage.actions.filter((a) => !a.when && a.roles.some((r) => roles.includes(r)));
}

const notFound = (planId: string) => new NotFoundError(`没有找到方案「${planId}」,或本单位无权查看`);

/**
 * The plan use cases of a signed-in user: the ledger in their scope, a plan's detail with the
 * actions they may take, registering a plan their unit leads, taking an action in the engine
 * role their unit holds on that plan. The role is derived from the unit's relation to the plan
 * (never taken from the request); what lies outside the caller's scope answers as not found.
 * Every change is written to the audit trail (an act by the workflow, with its ledger write).
 */
export class PlanDesk {
  constructor(private readonly deps: DeskDeps) {}

  /**
   * Puts the plan's state as of this change into the ledger before the caller gets the answer, so
   * that the caller's next read (the detail, the list, the audit trail, an item's history) shows
   * it: the workflow's own write, which carries the same audit rows, follows a moment later and,
   * ordered by the change counter and by (plan, revision) for the rows, changes nothing then.
   * Should this write fail, the workflow's still lands (it retries without limit); should the
   * process die before it, too: the rows are the workflow's, not this request's. The desks of
   * problems and rounds call it too: their rows ride the same write (desk-ledgers.ts).
   */
  async intoLedger(planId: string): Promise<PlanProjection | undefined> {
    // The projection is a query a worker answers: with none running (a restart), the answer does
    // not wait for one. The workflow's projection activity writes it anyway; the ledger only lags.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), INTO_LEDGER_WAIT_MS)));
    try {
      const write = await Promise.race([this.deps.plans.ledgerWrite(planId), late]);
      if (!write) return undefined;
      await this.deps.ledger.store.upsert(write.projection, undefined, write.acts);
      return write.projection;
    } catch {
      // As above: the activity writes it.
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * For the desks whose rows ride the plan's ledger write (problems, rounds' tasks): writes it
   * (intoLedger) until one lands, for up to `waitMs` (a workflow just started answers its first
   * query once a worker has run its first task). Whether it landed: then the desk's rows reflect
   * every act taken so far.
   */
  async settled(planId: string, waitMs = SETTLE_WAIT_MS): Promise<boolean> {
    const until = Date.now() + waitMs;
    for (let attempt = 1; ; attempt++) {
      if (await this.intoLedger(planId)) return true;
      if (Date.now() >= until) return false;
      // Temporal says no worker polls the task queue: no write lands while the request waits, so
      // it answers now (the desk's 503: accepted, the rows come once a worker runs) rather than
      // after the whole wait. Asked after the first miss only: a worker just busy is no reason.
      if (attempt === 1 && (await this.deps.plans.workerSeen()) === false) return false;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private reviewStages(): string[] {
    return (this.deps.reviewStages ?? standardLegalReviewStages)();
  }

  /** The caller's unit and display name (403 for an account that no longer exists). */
  async whoIs(caller: Caller): Promise<{ unit: Unit; name: string }> {
    return whoIs(this.deps.accounts, caller);
  }

  /**
   * The ledger in the caller's scope. With `actionable`, the plans they can act on now (or not):
   * the roles come from the unit's relation to each plan (roleRelations, engineRolesFor's rule),
   * the actions from the plan's procedure version; each row then names the actions of its stage
   * the caller's roles are offered (`actions`).
   */
  async list(caller: Caller, query: LedgerQuery): Promise<LedgerPage & { rows: Array<LedgerListRow & { actions?: Array<{ action: string; label: string }> }> }> {
    const { unit } = await this.whoIs(caller);
    const scope = this.scopeOfUnit(unit);
    const actionable = query.actionable === true || query.actionable === 'true';
    if (query.actionable === undefined) return this.deps.ledger.list(scope, query);
    const relations = roleRelations(unit);
    const definitions = await this.definitionsInLedger();
    const acting: ActingFilter = {
      scope: actingScope(unit, this.reviewStages()),
      roles: relations.map((relation) => ({
        relation,
        stageKeys: definitions.flatMap((def) => def.stages.filter((s) => offered(s, [relation.role]).length > 0).map((s) => stageKey(def.id, def.version, s.id))),
      })),
    };
    const page = await this.deps.ledger.list(scope, query, acting);
    if (!actionable) return page;
    const byKey = new Map(definitions.map((d) => [`${d.id}@${d.version}`, d]));
    return {
      ...page,
      rows: page.rows.map((row) => {
        const stage = byKey.get(`${row.procedure.id}@${row.procedure.version}`)?.stages.find((s) => s.id === row.stage.id);
        const roles = relations
          .filter((r) => holdsRelation(r, { regionPath: row.regionPath ?? '', leadUnitId: row.leadUnitId ?? '', specialGroupId: row.specialGroupId ?? undefined }))
          .map((r) => r.role);
        return { ...row, actions: stage ? offered(stage, roles).map((a) => ({ action: a.id, label: a.label })) : [] };
      }),
    };
  }

  /** The definitions of the procedure versions plans in the ledger run on (a published version never changes: kept once read). */
  private async definitionsInLedger(): Promise<ProcessDefinition[]> {
    const versions: Array<{ procedure_id: string; procedure_version: number | string }> = await this.deps.ledger.store.ds.query(
      'SELECT DISTINCT procedure_id, procedure_version FROM ledger_plans',
    );
    const out: ProcessDefinition[] = [];
    for (const v of versions) {
      const key = `${v.procedure_id}@${Number(v.procedure_version)}`;
      let def = this.definitionCache.get(key);
      if (!def) {
        def = (await this.deps.definitions.get(v.procedure_id, Number(v.procedure_version))) ?? undefined;
        if (def) this.definitionCache.set(key, def);
      }
      if (def) out.push(def);
    }
    return out;
  }
  private readonly definitionCache = new Map<string, ProcessDefinition>();

  /** The plan's live view and definition, and what this unit may do with it; not found when outside its scope. */
  async reach(unit: Unit, planId: string): Promise<{ view: PlanView; definition: ProcessDefinition; access: PlanAccess }> {
    if (!PlanIdSchema.safeParse(planId).success) throw notFound(planId.slice(0, 200));
    let view: PlanView;
    try {
      view = await this.deps.plans.view(planId);
    } catch (e) {
      // Only Temporal's "no such workflow" is a 404: a query that fails (no worker answers, the
      // engine or its database is down) is a 503 to retry, not "not found" for a plan that exists.
      if (e instanceof WorkflowNotFoundError) throw notFound(planId);
      throw new UnavailableError(`方案「${planId}」暂时无法读取(流程引擎暂未应答),请稍后重试`);
    }
    const scope = view.plan.scope;
    if (!scope) throw notFound(planId);
    const access = planAccess(unit, scope, view.stage.id, this.reviewStages());
    if (!access.read) throw notFound(planId);
    const definition = await this.deps.definitions.get(view.procedure.id, view.procedure.version);
    if (!definition) throw notFound(planId);
    return { view, definition, access };
  }

  /** The traffic lights of a plan and its items today (亮灯); the caller has checked the plan is in its scope. */
  async lightsOf(planId: string): Promise<{ plan: Light; items: Record<string, Light> }> {
    return this.deps.ledger.lightsOf(planId);
  }

  /** The caller's scope as the ledger tests it. */
  async scopeOf(caller: Caller) {
    return this.scopeOfUnit((await this.whoIs(caller)).unit);
  }

  private scopeOfUnit(unit: Unit) {
    return scopeFor(unit, this.reviewStages());
  }

  /** The letters of plans in the caller's scope: filters, newest first, cursor paging. */
  async letters(caller: Caller, query: LetterQuery): Promise<LetterPage> {
    return this.letterReader().list(await this.scopeOf(caller), query);
  }

  /** One letter in full; not found when its plan lies outside the caller's scope. */
  async letter(caller: Caller, letterId: string): Promise<LetterDetail> {
    const found = await this.letterReader().detail(await this.scopeOf(caller), letterId);
    if (!found) throw new NotFoundError(`没有找到函件「${letterId.slice(0, 100)}」,或本单位无权查看`);
    return found;
  }

  private letterReader(): LetterReader {
    return this.deps.letters ?? new LetterReader(this.deps.ledger.store.ds);
  }

  /** The actions this unit's roles may see now, and its access, labelled from the definition. */
  private mine(view: PlanView, definition: ProcessDefinition, access: PlanAccess): Pick<PlanDetail, 'access' | 'actions'> {
    const roleLabel = (id: string) => definition.roles.find((r) => r.id === id)?.label ?? id;
    const actions = access.roles.flatMap((role) => (view.actions[role] ?? []).map((a) => ({ ...a, role, roleLabel: roleLabel(role) })));
    return { access: { act: access.act, roles: access.roles.map((id) => ({ id, label: roleLabel(id) })) }, actions };
  }

  async detail(caller: Caller, planId: string): Promise<PlanDetail> {
    const { unit } = await this.whoIs(caller);
    // The plan's live view (a query to its workflow, the slowest part) and the ledger's reads at
    // once; nothing is answered before the ledger row is known to be in the caller's scope.
    const reached = this.reach(unit, planId);
    reached.catch(() => undefined);
    const today = await this.deps.ledger.today();
    const [projection, late, lights] = await Promise.all([
      this.deps.ledger.detail(planId, this.scopeOfUnit(unit)),
      // Each letter row says which units have not signed for it past the last day (签收).
      new InboxReader(this.deps.ledger.store.ds).lateSignings(planId, today),
      this.deps.ledger.lightsOf(planId),
    ]);
    if (!projection) throw notFound(planId);
    const { view, definition, access } = await reached;
    const letters = projection.letters.map((l) => ({ ...l, lateSigningUnitIds: late.filter((x) => x.number === l.number).map((x) => x.unitId) }));
    const items = projection.items.map((i) => ({ ...i, light: lights.items[i.id] ?? 'green' }));
    const path = planPath(definition, view.attributes, view.stage.id, access.roles);
    return { plan: { ...projection, letters, items, light: lights.plan }, ...this.mine(view, definition, access), path };
  }

  /**
   * The plan's live view (from its workflow, not the ledger: current the moment an action has
   * been taken) with what this user may do: the CLI's `plan show`. Not found outside their scope.
   */
  async live(caller: Caller, planId: string): Promise<LivePlan> {
    const { unit } = await this.whoIs(caller);
    const { view, definition, access } = await this.reach(unit, planId);
    return { view, ...this.mine(view, definition, access) };
  }

  /**
   * Checks a registration as the caller would make it, every field at once, starting nothing:
   * who leads (the caller's own unit, which must be a department; or, when a reform office names
   * `leadUnitId`, a department of its own level: the office registers the year's tasks, domain
   * "Who uses it"), the special group of the lead unit's level, the participating units, and
   * what the engine would refuse (procedure, attributes, start events, the date). 403 when the
   * caller may not register this at all; otherwise the issues, each with its field, and when
   * there are none what `register` starts. `register` and the task-list import both call it.
   */
  async checkRegistration(caller: Caller, body: RegisterPlan): Promise<RegistrationCheck> {
    const input = parse(RegisterPlanSchema, body);
    const { unit, name } = await this.whoIs(caller);
    const issues: RegisterIssue[] = [];
    let lead: Unit | null = unit;
    if (input.leadUnitId === undefined || input.leadUnitId === unit.id) {
      if (unit.kind !== 'department') throw new ForbiddenError(`方案由牵头部门登记;${unit.name}是${unit.kindLabel},不能作为牵头单位`);
    } else {
      if (unit.kind !== 'reform_office') throw new ForbiddenError(`只有改革办可以代牵头单位登记方案;${unit.name}是${unit.kindLabel}`);
      lead = await this.deps.directory.unit(input.leadUnitId);
      if (!lead) issues.push({ path: 'leadUnitId', message: `没有编号为「${input.leadUnitId}」的单位` });
      else if (lead.kind !== 'department') issues.push({ path: 'leadUnitId', message: `「${lead.name}」是${lead.kindLabel},不能作为牵头单位(牵头单位应为部门)` });
      else if (lead.region.path !== unit.region.path) issues.push({ path: 'leadUnitId', message: `「${lead.name}」不是${unit.region.name}的部门;改革办只为本级部门登记方案` });
      if (issues.length) lead = null;
    }
    const group = await this.deps.directory.unit(input.specialGroupId);
    if (!group || group.kind !== 'special_group') issues.push({ path: 'specialGroupId', message: `没有编号为「${input.specialGroupId}」的专项小组` });
    else if (lead && group.region.path !== lead.region.path) issues.push({ path: 'specialGroupId', message: `「${group.name}」不是${lead.region.name}的专项小组` });
    const participating: Unit[] = [];
    for (const [i, id] of input.participatingUnitIds.entries()) {
      const u = await this.deps.directory.unit(id);
      if (!u) issues.push({ path: `participatingUnitIds.${i}`, message: `没有编号为「${id}」的单位` });
      else if (lead && u.id === lead.id) issues.push({ path: `participatingUnitIds.${i}`, message: '牵头单位不必再列为参与单位' });
      else participating.push(u);
    }
    // A problem runs its procedure too, but is registered in the problem library (ProblemDesk).
    if (input.procedure === PROBLEM_PROCEDURE) issues.push({ path: 'procedure', message: '问题整改在问题库挂号(POST /api/problems),不作为方案登记' });
    if (input.procedure === SELF_INSPECTION_PROCEDURE) issues.push({ path: 'procedure', message: '年中集中督察自查由改革办开启督察轮次时生成(POST /api/rounds),不作为方案登记' });
    const request = {
      procedure: input.procedure,
      workflowId: input.id,
      plan: {
        title: input.title,
        leadUnit: lead?.name ?? '-',
        participatingUnits: participating.map((u) => u.name),
        responsibleLeader: input.responsibleLeader,
        responsiblePerson: input.responsiblePerson,
        specialGroup: group?.name ?? '-',
        goals: input.goals,
        scope: lead && group ? { regionPath: lead.region.path, leadUnitId: lead.id, specialGroupId: group.id, participatingUnitIds: participating.map((u) => u.id) } : undefined,
      },
      attributes: input.attributes,
      registeredOn: input.registeredOn,
      startEvents: input.startEvents,
    };
    // What the engine's service would refuse (its own check, the one `start` runs).
    const engine = (await this.deps.plans.check(request)).issues;
    if (issues.length || engine.length || !lead || !group) return { issues, engineIssues: engine };
    return { issues, engineIssues: engine, ready: { request, actor: { unit, name }, lead, group, input } };
  }

  /**
   * Registers a plan: led by the caller's unit, or (a reform office) by a department of its level
   * named in `leadUnitId`; special group and participating units named by id.
   *
   * A 201 means the plan is in the ledger, so the caller's next read or action finds it: the
   * answer waits for the plan's first ledger write (PlanDesk.settled) and is a 503 when it has not
   * landed (no worker answers, the database is down). The plan is registered all the same, and
   * the request is idempotent by its request id (`X-Request-Id`): the plan's id derives from
   * (user, request id) unless the caller names one, so a repeat finds the plan the first try
   * started instead of starting another, and answers 201 once its row is there.
   */
  async register(caller: Caller, body: RegisterPlan): Promise<{ planId: string; procedure: { id: string; version: number; title: string } }> {
    const { issues, engineIssues, ready } = await this.checkRegistration(caller, body);
    if (issues.length) throw new FieldError(issues[0].path, issues[0].message);
    if (engineIssues.length || !ready) throw new UserError(engineIssues[0]?.message ?? '登记有误');
    const { request, actor, input } = ready;
    // The plan audits its registration with its first ledger write (this request's, or the workflow's).
    const registeredBy = { userId: caller.principal.userId, name: actor.name, unitId: actor.unit.id, ...(caller.requestId ? { requestId: caller.requestId } : {}) };
    let started: { workflowId: string; definition: ProcessDefinition };
    if (input.id === undefined && caller.requestId) {
      started = await this.startKeyed(caller, caller.requestId, { ...request, registeredBy });
    } else {
      try {
        started = await this.deps.plans.start({ ...request, registeredBy });
      } catch (e) {
        // The id the caller named is taken: by this very request's earlier try (answer that plan), or by another plan.
        if (!(e instanceof UserError) || input.id === undefined || !(await this.registeredByRequest(input.id, caller))) throw e;
        const definition = await this.deps.definitions.latest(request.procedure);
        if (!definition) throw e;
        started = { workflowId: input.id, definition };
      }
    }
    const { workflowId, definition } = started;
    if (!(await this.settled(workflowId))) {
      throw new UnavailableError(`已受理,方案「${workflowId}」正在写入台账(流程引擎或数据库暂未应答);请稍后以同一请求编号(X-Request-Id)重试,不会重复登记`);
    }
    return { planId: workflowId, procedure: { id: definition.id, version: definition.version, title: definition.title } };
  }

  /**
   * Starts a registration whose plan id derives from (user, request id) and the day it was first
   * tried: `<procedure>-<yyyymmdd>-<8 hex>`, the form of an id given by the engine. A repeat on
   * the same day finds the workflow under the same id; one after midnight finds yesterday's. The
   * workflow's memo carries the request's key, so a plan of another request that took the same
   * 8 hex digits is never answered as this one: this request then takes 16.
   */
  private async startKeyed(caller: Caller, requestId: string, request: StartPlanRequest): Promise<{ workflowId: string; definition: ProcessDefinition }> {
    const requestKey = derivedUuid('plan', caller.principal.userId, requestId);
    const hex = requestKey.replace(/-/g, '');
    const today = await this.deps.ledger.today();
    for (const digits of [8, 16]) {
      const idOn = (day: string) => `${request.procedure}-${day.replace(/-/g, '')}-${hex.slice(0, digits)}`;
      const yesterday = idOn(addDays(today, -1));
      if (await this.deps.plans.startedBy(yesterday, requestKey)) {
        const definition = await this.deps.definitions.latest(request.procedure);
        if (definition) return { workflowId: yesterday, definition };
      }
      try {
        return await this.deps.plans.start({ ...request, workflowId: idOn(today), requestKey }, { once: true });
      } catch (e) {
        if (!(e instanceof PlanIdTakenError)) throw e;
      }
    }
    throw new UserError('方案编号与另一次登记冲突,请换一个请求编号重试');
  }

  /** Whether this request (its id, by this user) registered the plan: its audit row, or the registration its workflow has yet to write. */
  private async registeredByRequest(planId: string, caller: Caller): Promise<boolean> {
    if (!caller.requestId) return false;
    if (await this.deps.audit.byRequest({ type: 'plan', id: planId }, caller.requestId, caller.principal.userId, ['plan.registered'])) return true;
    try {
      const { acts } = await this.deps.plans.ledgerWrite(planId);
      return acts.some((a) => a.audit === 'plan.registered' && a.requestId === caller.requestId && a.actor.userId === caller.principal.userId);
    } catch {
      return false;
    }
  }

  /**
   * Takes an action in the engine role the caller's unit holds on the plan. A unit whose roles
   * may never take this action is refused here (403: a lead unit cannot pass its own legality
   * review); one that may, but not now, gets the engine's refusal with its reasons and rule ids.
   */
  async act(caller: Caller, planId: string, body: TakeAction, extras: ItemChangeExtras = {}): Promise<ActResult> {
    const input = parse(TakeActionSchema, body);
    const { unit, name } = await this.whoIs(caller);
    const { view, definition, access } = await this.reach(unit, planId);
    const actionDef = definition.stages.flatMap((s) => s.actions).find((a) => a.id === input.action);
    if (!actionDef) throw new FieldError('action', `流程「${definition.title}」没有操作「${input.action}」`);
    // The library's row follows a problem's every action: they are taken through the problem library only.
    if (definition.id === PROBLEM_PROCEDURE) throw new ForbiddenError(`「${view.plan.title}」是问题库中的问题,请在问题库办理(POST /api/problems/{id}/actions)`);
    if (definition.id === SELF_INSPECTION_PROCEDURE) throw new ForbiddenError(`「${view.plan.title}」是督察轮次的自查任务,请在督察轮次中办理(/api/rounds/{id}/plans/{planId}/…)`);
    if (!access.act) throw new ForbiddenError(`${unit.name}对方案「${view.plan.title}」只能查看,不能办理`);
    const role = access.roles.find((r) => actionDef.roles.includes(r));
    if (!role) {
      const who = actionDef.roles.map((r) => definition.roles.find((d) => d.id === r)?.label ?? r).join('、');
      const mine = access.roles.map((r) => definition.roles.find((d) => d.id === r)?.label ?? r).join('、');
      throw new ForbiddenError(`「${actionDef.label}」须由${who}办理;${unit.name}在本方案中是${mine}`);
    }
    // An item change's audit row also names the item's status before, its evidence and note.
    const prior = input.item ? view.items[input.item.id] : undefined;
    const itemNotes = { statusBefore: prior?.status ?? null, evidenceIds: extras.evidenceIds ?? [], ...(extras.note ? { note: extras.note } : {}) };
    const outcome = (o: ActOutcome['outcome']) => this.deps.onAct?.({ procedure: definition.id, action: input.action, outcome: o });
    let result: ActResult;
    try {
      // The act is audited by the workflow, with the ledger write of its change, in one transaction:
      // a crash anywhere after the Update loses no row, and a retry with the same request id adds none.
      result = await this.deps.plans.act(
        planId,
        { action: input.action, role, actor: name, businessDate: input.businessDate, reason: input.reason, item: input.item },
        { userId: caller.principal.userId, name, unitId: unit.id, ...(caller.requestId ? { requestId: caller.requestId } : {}), ...(input.item ? { notes: itemNotes } : {}) },
      );
    } catch (e) {
      if (e instanceof ActionRefusedError) outcome('refused');
      throw e;
    }
    outcome('taken');
    // The item's history is kept with the act's audit row, in the ledger write of its change.
    await this.intoLedger(planId);
    return result;
  }
}
