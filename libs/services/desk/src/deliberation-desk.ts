import type { AuditService } from '@reform/audit';
import { ConflictError, FieldError, ForbiddenError, NotFoundError } from '@reform/config';
import { holds, LENGTH_LIMITS, LocalDateSchema, PlanIdSchema, ProcessDefinition } from '@reform/definitions';
import type { LedgerService } from '@reform/ledger';
import type { PlanProjection } from '@reform/machine';
import { checkColumnLengths, DefinitionStore, DeliberationEntryEntity, DeliberationEntryRow, DeliberationMeetingEntity, DeliberationMeetingRow, inWriteTurn, isUniqueViolation } from '@reform/persistence';
import type { Unit } from '@reform/platform';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Caller, PlanDesk } from './plan-desk';
import { parse } from './parse';
import { requestKeyedId } from './requests';

/**
 * The stage in which the leading group deliberates a plan (A9, S1): a plan is ready for its
 * meeting once its procedure has reached this stage (every review before it passed), and
 * deliberated once it has gone past it.
 */
export const DELIBERATION_STAGE = 'leading_group_meeting';
/** The procedure of central-plan integrations (S1): listed first in every meeting. */
export const CENTRAL_INTEGRATION_PROCEDURE = 'central_integration';

export const DELIBERATION_STATUSES = ['planned', 'ready', 'deliberated', 'not_ready'] as const;
export type DeliberationStatus = (typeof DELIBERATION_STATUSES)[number];
export const DELIBERATION_STATUS_LABEL: Record<DeliberationStatus, string> = {
  planned: '已列入计划',
  ready: '已具备上会条件',
  deliberated: '已审议',
  not_ready: '会期已到仍未具备上会条件',
};

export const ScheduleYearSchema = z.coerce.number({ error: '年度应为四位数年份' }).int('年度应为四位数年份').min(2000, '年度应在 2000 至 2100 之间').max(2100, '年度应在 2000 至 2100 之间');
export const MeetingIdSchema = z.uuid({ error: '会议编号无效' });

export const AddMeetingSchema = z
  .strictObject({
    title: z.string().trim().min(1, '须写明会议名称').max(LENGTH_LIMITS.title, `会议名称最长 ${LENGTH_LIMITS.title} 个字`).meta({ description: '如「省委全面深化改革委员会第三次会议」' }),
    meetingDate: LocalDateSchema.meta({ description: '会议日期(YYYY-MM-DD),须在该年度内' }),
  })
  .meta({ id: 'AddDeliberationMeeting' });
export type AddMeeting = z.input<typeof AddMeetingSchema>;

export const ListPlanSchema = z
  .strictObject({
    planId: PlanIdSchema.meta({ description: '列入本次会议的方案' }),
    note: z.string().trim().min(1, '说明不能为空').max(500, '说明最长 500 个字').optional().meta({ description: '说明(可选)' }),
  })
  .meta({ id: 'ListPlanForMeeting' });
export type ListPlan = z.input<typeof ListPlanSchema>;

export interface ScheduleProgress {
  total: number;
  planned: number;
  ready: number;
  deliberated: number;
  notReady: number;
}

export interface ScheduledPlan {
  planId: string;
  title: string;
  procedure: { id: string; title: string };
  /** A central-plan integration (S1): listed first. */
  central: boolean;
  stage: { id: string; label: string } | null;
  status: DeliberationStatus;
  statusLabel: string;
  note: string | null;
  addedAt: string;
}

export interface ScheduledMeeting {
  id: string;
  title: string;
  meetingDate: string;
  plans: ScheduledPlan[];
  progress: ScheduleProgress;
}

export interface DeliberationSchedule {
  year: number;
  office: { unitId: string; regionPath: string };
  /** Today by the service's clock: statuses are as of this date. */
  today: string;
  meetings: ScheduledMeeting[];
  progress: ScheduleProgress;
  /**
   * Central-plan integrations of the office's level not yet deliberated and listed in no meeting
   * of the year: every one goes to the leading group (S1), so each is a gap in the schedule.
   */
  unscheduledCentral: Array<{ planId: string; title: string; stage: { id: string; label: string } }>;
}

export interface DeliberationDeskDeps {
  desk: PlanDesk;
  ledger: LedgerService;
  definitions: DefinitionStore;
  audit: AuditService;
  db: DataSource;
}

/** The schedule's year, from the path (the CLI passes it as typed): 400 on `year`. */
function yearOf(value: unknown): number {
  const r = ScheduleYearSchema.safeParse(value);
  if (r.success) return r.data;
  throw new FieldError('year', r.error.issues[0].message);
}

const meetingNotFound = (id: string) => new NotFoundError(`没有找到上会审议计划中的会议「${id.slice(0, 100)}」,或本单位无权查看`);

/** Whether a plan's procedure brings it before the leading group (the stage exists and applies to it). */
function deliberationIndex(def: ProcessDefinition, attributes: Record<string, boolean>): number {
  const index = def.stages.findIndex((s) => s.id === DELIBERATION_STAGE);
  if (index < 0) return -1;
  const when = def.stages[index].when;
  return !when || holds(when, attributes) ? index : -1;
}

/** Where a plan stands to the leading group's deliberation, from its ledger projection and its procedure's stage order. */
export function deliberationPhase(def: ProcessDefinition, plan: PlanProjection): 'before' | 'ready' | 'deliberated' | 'not_deliberated_here' {
  const target = deliberationIndex(def, plan.attributes);
  if (target < 0) return 'not_deliberated_here';
  const at = def.stages.findIndex((s) => s.id === plan.stage.id);
  if (plan.status === 'closed' || at > target) return 'deliberated';
  return at === target ? 'ready' : 'before';
}

/** Where a listed plan stands for its meeting, from its ledger projection, the meeting's date and today. */
export function deliberationStatus(def: ProcessDefinition, plan: PlanProjection | null, meetingDate: string, today: string): DeliberationStatus {
  const phase = plan ? deliberationPhase(def, plan) : 'before';
  if (phase === 'deliberated' || phase === 'ready') return phase;
  return today >= meetingDate ? 'not_ready' : 'planned';
}

const isCentral = (plan: PlanProjection) => plan.procedure.id === CENTRAL_INTEGRATION_PROCEDURE || plan.attributes.central_plan === true;

function progressOf(plans: ScheduledPlan[]): ScheduleProgress {
  const count = (s: DeliberationStatus) => plans.filter((p) => p.status === s).length;
  return { total: plans.length, planned: count('planned'), ready: count('ready'), deliberated: count('deliberated'), notReady: count('not_ready') };
}

/**
 * The yearly deliberation schedule (年度上会审议计划, W5) of a reform office: the leading-group
 * meetings of the year and the plans listed for each, central-plan integrations first (S1).
 * Whether a plan is ready for its meeting (its procedure has reached the leading group's stage,
 * every review before it passed), deliberated, or not ready by the meeting's date is read from
 * the plan's ledger projection, never kept twice. Only reform offices keep a schedule; a plan is
 * listed from the office's own level, at most once a year. Every change is audited.
 */
export class DeliberationDesk {
  constructor(private readonly deps: DeliberationDeskDeps) {}

  private async office(caller: Caller): Promise<{ unit: Unit; name: string }> {
    const who = await this.deps.desk.whoIs(caller);
    if (who.unit.kind !== 'reform_office') throw new ForbiddenError('只有改革办可以编排和查看年度上会审议计划(W5)');
    return who;
  }

  private async meeting(unit: Unit, id: string): Promise<DeliberationMeetingRow> {
    if (!MeetingIdSchema.safeParse(id).success) throw meetingNotFound(id);
    const row = await this.deps.db.getRepository(DeliberationMeetingEntity).findOneBy({ id });
    if (!row || row.ownerUnitId !== unit.id) throw meetingNotFound(id);
    return row;
  }

  private async write<T>(work: (m: import('typeorm').EntityManager) => Promise<T>): Promise<T> {
    return inWriteTurn(this.deps.db, () => this.deps.db.transaction(work));
  }

  /** The office's schedule of a year, each plan's status as of today, and the progress. */
  async schedule(caller: Caller, yearInput: unknown): Promise<DeliberationSchedule> {
    const year = yearOf(yearInput);
    const { unit } = await this.office(caller);
    const today = await this.deps.ledger.today();
    const meetings = await this.deps.db.getRepository(DeliberationMeetingEntity).find({ where: { ownerUnitId: unit.id, year }, order: { meetingDate: 'ASC', createdAt: 'ASC' } });
    const entries = await this.deps.db.getRepository(DeliberationEntryEntity).find({ where: { ownerUnitId: unit.id, year } });
    const scope = await this.deps.desk.scopeOf(caller);
    const definitions = new Map<string, ProcessDefinition | null>();
    const definitionOf = async (p: PlanProjection) => {
      const key = `${p.procedure.id}@${p.procedure.version}`;
      if (!definitions.has(key)) definitions.set(key, await this.deps.definitions.get(p.procedure.id, p.procedure.version));
      return definitions.get(key) ?? null;
    };
    const out: ScheduledMeeting[] = [];
    for (const m of meetings) {
      const plans: Array<ScheduledPlan & { order: number }> = [];
      for (const e of entries.filter((x) => x.meetingId === m.id)) {
        const projection = await this.deps.ledger.detail(e.planId, scope);
        const def = projection && (await definitionOf(projection));
        const status = def ? deliberationStatus(def, projection, m.meetingDate, today) : today >= m.meetingDate ? 'not_ready' : 'planned';
        const central = projection ? isCentral(projection) : false;
        plans.push({
          planId: e.planId,
          title: projection?.title ?? e.planId,
          procedure: projection ? { id: projection.procedure.id, title: projection.procedure.title } : { id: '', title: '' },
          central,
          stage: projection ? { ...projection.stage } : null,
          status,
          statusLabel: DELIBERATION_STATUS_LABEL[status],
          note: e.note,
          addedAt: e.addedAt,
          order: central ? 0 : 1,
        });
      }
      plans.sort((a, b) => a.order - b.order || (a.addedAt < b.addedAt ? -1 : a.addedAt > b.addedAt ? 1 : a.planId < b.planId ? -1 : a.planId > b.planId ? 1 : 0));
      const listed = plans.map(({ order: _order, ...p }) => p);
      out.push({ id: m.id, title: m.title, meetingDate: m.meetingDate, plans: listed, progress: progressOf(listed) });
    }
    const listed = new Set(entries.map((e) => e.planId));
    const unscheduledCentral: DeliberationSchedule['unscheduledCentral'] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.ledger.list(scope, { procedure: CENTRAL_INTEGRATION_PROCEDURE, region: unit.region.path, status: 'open', sort: 'title', limit: 100, ...(cursor ? { cursor } : {}) });
      for (const row of page.rows) {
        if (row.regionPath !== unit.region.path || listed.has(row.planId)) continue;
        const projection = await this.deps.ledger.detail(row.planId, scope);
        const def = projection && (await definitionOf(projection));
        const phase = projection && def ? deliberationPhase(def, projection) : 'not_deliberated_here';
        if (phase === 'before' || phase === 'ready') unscheduledCentral.push({ planId: row.planId, title: row.title, stage: { ...row.stage } });
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return { year, office: { unitId: unit.id, regionPath: unit.region.path }, today, meetings: out, progress: progressOf(out.flatMap((m) => m.plans)), unscheduledCentral };
  }

  /** A leading-group meeting added to the office's schedule of the year. */
  async addMeeting(caller: Caller, yearInput: unknown, body: AddMeeting): Promise<ScheduledMeeting> {
    const year = yearOf(yearInput);
    const input = parse(AddMeetingSchema, body);
    const { unit, name } = await this.office(caller);
    if (Number(input.meetingDate.slice(0, 4)) !== year) throw new FieldError('meetingDate', `会议日期应在 ${year} 年内`);
    // A repeat of the request (same request id) finds the meeting it added (requests.ts).
    const id = requestKeyedId('deliberation-meeting', caller);
    const added = await this.deps.db.getRepository(DeliberationMeetingEntity).findOneBy({ id });
    if (added && added.ownerUnitId === unit.id) return this.meetingOut(added);
    const row: DeliberationMeetingRow = {
      id,
      ownerUnitId: unit.id,
      regionPath: unit.region.path,
      year,
      title: input.title,
      meetingDate: input.meetingDate,
      createdBy: caller.principal.userId,
      createdAt: new Date().toISOString(),
    };
    checkColumnLengths(DeliberationMeetingEntity, row, '会议');
    try {
      await this.write(async (m) => {
        await m.getRepository(DeliberationMeetingEntity).insert(row);
        await this.deps.audit.record(
          {
            action: 'deliberation.meeting_added',
            actor: { userId: caller.principal.userId, name, unitId: unit.id },
            target: { type: 'deliberation_meeting', id: row.id },
            after: { year, title: row.title, meetingDate: row.meetingDate },
            requestId: caller.requestId,
          },
          m,
        );
      });
    } catch (e) {
      // The same request, repeated while the first was writing: the first one's meeting.
      const first = isUniqueViolation(e) ? await this.deps.db.getRepository(DeliberationMeetingEntity).findOneBy({ id }) : null;
      if (!first) throw e;
      return this.meetingOut(first);
    }
    return this.meetingOut(row);
  }

  /** A meeting just added (no plan listed yet). */
  private meetingOut(row: DeliberationMeetingRow): ScheduledMeeting {
    return { id: row.id, title: row.title, meetingDate: row.meetingDate, plans: [], progress: progressOf([]) };
  }

  /** Whether this request was done already on the meeting: its audit row, written with the change, is the receipt. */
  private async done(caller: Caller, meetingId: string, action: string): Promise<boolean> {
    return !!caller.requestId && !!(await this.deps.audit.byRequest({ type: 'deliberation_meeting', id: meetingId }, caller.requestId, caller.principal.userId, [action]));
  }

  /** A plan of the office's level listed for one of its meetings (at most once a year); 404 for a plan outside its scope. */
  async listPlan(caller: Caller, meetingId: string, body: ListPlan): Promise<DeliberationSchedule> {
    const input = parse(ListPlanSchema, body);
    const { unit, name } = await this.office(caller);
    const meeting = await this.meeting(unit, meetingId);
    if (await this.done(caller, meeting.id, 'deliberation.plan_listed')) return this.schedule(caller, meeting.year);
    const plan = await this.deps.ledger.detail(input.planId, await this.deps.desk.scopeOf(caller));
    if (!plan) throw new NotFoundError(`没有找到方案「${input.planId}」,或本单位无权查看`);
    if (plan.scope?.regionPath !== unit.region.path) throw new FieldError('planId', `方案「${plan.title}」不属于本级,不由本级改革领导小组审议`);
    const def = await this.deps.definitions.get(plan.procedure.id, plan.procedure.version);
    if (!def || deliberationIndex(def, plan.attributes) < 0) throw new FieldError('planId', `方案「${plan.title}」按其流程(${plan.procedure.title})不提请改革领导小组会议审议(A9),不能列入上会审议计划`);
    const row: DeliberationEntryRow = { meetingId: meeting.id, planId: plan.planId, ownerUnitId: unit.id, year: meeting.year, note: input.note ?? null, addedBy: caller.principal.userId, addedAt: new Date().toISOString() };
    try {
      await this.write(async (m) => {
        await m.getRepository(DeliberationEntryEntity).insert(row);
        await this.deps.audit.record(
          {
            action: 'deliberation.plan_listed',
            actor: { userId: caller.principal.userId, name, unitId: unit.id },
            target: { type: 'deliberation_meeting', id: meeting.id },
            after: { planId: plan.planId, meetingDate: meeting.meetingDate, note: row.note },
            requestId: caller.requestId,
          },
          m,
        );
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError(`方案「${plan.title}」已列入 ${meeting.year} 年度上会审议计划:如需改期,先从原会议移出`);
      throw e;
    }
    return this.schedule(caller, meeting.year);
  }

  /** A plan taken off a meeting (to move it to another, or because it is no longer to be deliberated). */
  async removePlan(caller: Caller, meetingId: string, planId: string): Promise<DeliberationSchedule> {
    const { unit, name } = await this.office(caller);
    const meeting = await this.meeting(unit, meetingId);
    if (await this.done(caller, meeting.id, 'deliberation.plan_removed')) return this.schedule(caller, meeting.year);
    const repo = this.deps.db.getRepository(DeliberationEntryEntity);
    const entry = PlanIdSchema.safeParse(planId).success ? await repo.findOneBy({ meetingId: meeting.id, planId }) : null;
    if (!entry) throw new NotFoundError(`会议「${meeting.title}」没有列入方案「${planId.slice(0, 200)}」`);
    await this.write(async (m) => {
      await m.getRepository(DeliberationEntryEntity).delete({ meetingId: meeting.id, planId });
      await this.deps.audit.record(
        {
          action: 'deliberation.plan_removed',
          actor: { userId: caller.principal.userId, name, unitId: unit.id },
          target: { type: 'deliberation_meeting', id: meeting.id },
          before: { planId, note: entry.note },
          requestId: caller.requestId,
        },
        m,
      );
    });
    return this.schedule(caller, meeting.year);
  }
}
