import type { AuditService } from '@reform/audit';
import { addMonths, localDateAt } from '@reform/calendar';
import { ConflictError, FieldError, ForbiddenError, NotFoundError, UnavailableError } from '@reform/config';
import { CommandSchema, ITEM_STATUS_LABEL, ITEM_STATUSES, ItemStatus, LENGTH_LIMITS, LocalDateSchema } from '@reform/definitions';
import { DocumentTable, tableDocx } from '@reform/documents';
import type { UnitDirectory } from '@reform/identity';
import { pageLimit } from '@reform/ledger';
import type { PlanView } from '@reform/machine';
import { checkColumnLengths, DefinitionStore, EvidenceStore, inWriteTurn, LedgerPlanEntity, LetterStore, RoundEntity, RoundItemChange, RoundItemRow, RoundPlanRow, RoundRow, RoundStore, RoundTaskRegistration } from '@reform/persistence';
import { isPlanProcedure, type Unit } from '@reform/platform';
import type { PlanService } from '@reform/plans';
import type { ActResult } from '@reform/workflows';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Caller, PlanDesk } from './plan-desk';
import { SELF_INSPECTION_DEADLINE, SELF_INSPECTION_PROCEDURE } from './round-procedure';
import { excelDate, newWorkbook, tableSheet, workbookBytes, XlsxFile, zhDate } from './xlsx';
import { parse } from './parse';
import { derivedUuid, requestKeyedId } from './requests';

export { SELF_INSPECTION_DEADLINE, SELF_INSPECTION_PROCEDURE };

/** The plan procedure's action that reports the mid-year self-inspection (reform-plan.rules, S3). */
const PLAN_SELF_INSPECTION_ACTION = 'submit_self_inspection';

/** S3: the mid-year round covers every plan issued at least half a year before it opens. */
export const ROUND_CUTOFF_MONTHS = 6;

export const ROUND_TASK_STATUSES = ['inspecting', 'verification', 'verified'] as const;
export type RoundTaskStatus = (typeof ROUND_TASK_STATUSES)[number];
export const ROUND_TASK_STATUS_LABEL: Record<RoundTaskStatus, string> = { inspecting: '待自查', verification: '待核查', verified: '已核查认定' };

/** The three statuses of a specific reform item (S2), as the 督察评估事项表's columns, in its order. */
export const ROUND_TABLE_STATUSES: ItemStatus[] = ['completed', 'started', 'not_started'];

const ItemIdSchema = CommandSchema.shape.item.unwrap().shape.id;
const StatusSchema = z.enum(ITEM_STATUSES, { error: '状态应为 completed(已完成)、started(已启动未完成)、not_started(未启动)之一' });
const NoteSchema = z.string().trim().min(1, '说明不能为空').max(500, '说明最长 500 个字').optional();

export const OpenRoundSchema = z
  .strictObject({
    name: z.string().trim().min(1, '须写明督察轮次的名称').max(100, '名称最长 100 个字').meta({ description: '如「2026年年中集中督察」' }),
    year: z.number({ error: '年度应为整数' }).int('年度应为整数').min(2000, '年度不早于 2000 年').max(2100, '年度不晚于 2100 年').optional().meta({ description: '督察年度,默认今年' }),
  })
  .meta({ id: 'OpenRound' });
export type OpenRound = z.input<typeof OpenRoundSchema>;

export const RoundQuerySchema = z
  .strictObject({
    limit: pageLimit(100, 20),
    offset: z.coerce.number({ error: '起始位置应为整数' }).int('起始位置应为整数').min(0, '起始位置不能为负').max(1_000_000, '起始位置过大').default(0),
  });
export type RoundQuery = z.input<typeof RoundQuerySchema>;

export const SelfInspectionSchema = z
  .strictObject({
    items: z
      .array(
        z.strictObject({
          itemId: ItemIdSchema,
          status: StatusSchema.meta({ description: 'completed 已完成 / started 已启动未完成 / not_started 未启动' }),
          note: NoteSchema.meta({ description: '自查说明' }),
          evidenceIds: z.array(z.uuid({ error: '佐证材料编号应为上传时返回的 evidenceId' })).max(20, '一个事项最多附 20 份佐证材料').default([]).meta({ description: '先上传到方案事项的 …/evidence 得到的编号' }),
        }),
        { error: '须逐项写明自查结果' },
      )
      .min(1, '须逐项写明自查结果')
      .max(500, '一次最多 500 个事项'),
    businessDate: LocalDateSchema.optional().meta({ description: '报送日期,默认今天' }),
  })
  .meta({ id: 'SelfInspection' });
export type SelfInspection = z.input<typeof SelfInspectionSchema>;

export const RoundVerificationSchema = z
  .strictObject({
    items: z
      .array(z.strictObject({ itemId: ItemIdSchema, status: StatusSchema, note: NoteSchema.meta({ description: '核查说明' }) }), { error: '核查结果应为事项的列表' })
      .max(500, '一次最多 500 个事项')
      .default([])
      .meta({ description: '逐项认定的状态;未列出的事项按牵头单位自查的状态认定' }),
    businessDate: LocalDateSchema.optional().meta({ description: '核查日期,默认今天' }),
  })
  .meta({ id: 'RoundVerification' });
export type RoundVerification = z.input<typeof RoundVerificationSchema>;

export const RoundSendBackSchema = z
  .strictObject({
    reason: z.string({ error: '须写明退回理由' }).trim().min(1, '须写明退回理由').max(LENGTH_LIMITS.reason, `理由最长 ${LENGTH_LIMITS.reason} 个字`),
    businessDate: LocalDateSchema.optional(),
  })
  .meta({ id: 'RoundSendBack' });
export type RoundSendBack = z.input<typeof RoundSendBackSchema>;

export const CloseRoundSchema = z
  .strictObject({ note: z.string().trim().max(500, '说明最长 500 个字').optional().meta({ description: '结束说明(可选),记入审计' }) })
  .optional()
  .meta({ id: 'CloseRound' });
export type CloseRound = z.input<typeof CloseRoundSchema>;

export interface RoundItem {
  itemId: string;
  title: string;
  statusAtOpening: ItemStatus;
  selfInspection: { status: ItemStatus; statusLabel: string; note: string | null; evidenceIds: string[] } | null;
  finding: { status: ItemStatus; statusLabel: string; note: string | null } | null;
  /** Found completed by the reform office: out of supervision scope from now on (S2). */
  leavesSupervision: boolean;
}

export interface RoundTask {
  roundId: string;
  planId: string;
  planTitle: string;
  procedureId: string;
  leadUnit: { id: string; name: string };
  specialGroupId: string | null;
  issuedOn: string;
  workflowId: string;
  limitDate: string | null;
  status: RoundTaskStatus;
  statusLabel: string;
  reportedOn: string | null;
  verifiedOn: string | null;
}

export interface RoundLetter {
  letterId: string;
  number: string;
  kind: string;
  subject: string;
  dueDate: string;
  limitDate: string | null;
  ruleId: string;
  issuedOn: string;
}

export interface RoundTaskDetail extends RoundTask {
  items: RoundItem[];
  /** The task's procedure as it stands: stage, deadlines and what this caller may do; null while the engine does not answer. */
  engine: {
    stage: { id: string; label: string };
    deadlines: Array<{ key: string; label: string; source: string; due: string; status: string; late: boolean }>;
    actions: Array<{ action: string; label: string; blockers: string[] }>;
  } | null;
  letters: RoundLetter[];
}

export interface Round {
  id: string;
  name: string;
  year: number;
  regionPath: string;
  ownerUnitId: string;
  openedOn: string;
  /** Plans issued on or before this date are in the round. */
  cutoff: string;
  /** opening: its tasks are still being started (a retry of the opening completes it). */
  status: 'opening' | 'open' | 'closed';
  statusLabel: string;
  openedAt: string;
  closedOn: string | null;
  /** The tasks this caller sees: all (the reform office), or its own plans' (a lead unit). */
  counts: { tasks: number; inspecting: number; verification: number; verified: number };
}

export interface RoundDetail extends Round {
  tasks: RoundTask[];
}

export interface RoundPage {
  rows: Round[];
  total: number;
}

export interface RoundDeskDeps {
  desk: PlanDesk;
  plans: PlanService;
  rounds: RoundStore;
  definitions: DefinitionStore;
  directory: UnitDirectory;
  evidence: EvidenceStore;
  letters: Pick<LetterStore, 'forWorkflow'>;
  audit: AuditService;
  db: DataSource;
  /** The clock "today" is read from (the Temporal server's in tests). */
  now?: () => number | Promise<number>;
}

const roundNotFound = (id: string) => new NotFoundError(`没有找到督察轮次「${id.slice(0, 100)}」,或本单位无权查看`);
const taskNotFound = (planId: string) => new NotFoundError(`本轮督察没有方案「${planId.slice(0, 100)}」的自查任务,或本单位无权查看`);

const jsonList = (text: string): string[] => {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

const isStatus = (s: string | null): s is ItemStatus => !!s && (ITEM_STATUSES as readonly string[]).includes(s);

/** How a caller's unit stands to a round: its level's reform office (sees and verifies all), or a lead unit of some of its plans. */
interface RoundAccess {
  office: boolean;
  /** The lead unit whose tasks it sees, when not the office. */
  leadUnitId?: string;
}

/** A task fixed at a round's opening (RoundRow.planned). */
interface PlannedTask {
  planId: string;
  workflowId: string;
  issuedOn: string;
}

const plannedOf = (round: RoundRow): PlannedTask[] => {
  try {
    const v: unknown = JSON.parse(round.planned ?? '[]');
    return Array.isArray(v) ? (v as PlannedTask[]) : [];
  } catch {
    return [];
  }
};

/** The date an issuing action recorded `issued` on (the latest, after a re-issue), from the plan's log. */
function issuedOn(view: PlanView, issuing: Set<string>): string | undefined {
  let on: string | undefined;
  for (const e of view.log) if (issuing.has(e.action)) on = e.businessDate;
  return on;
}

/**
 * Supervision rounds (督察轮次, S3, S2): the reform office opens the mid-year round over every
 * plan of its level issued at least half a year before (the set fixed and recorded at opening);
 * each plan gets its self-inspection task, a workflow of the self_inspection procedure (its limit
 * and reminder letters are the engine's, as for every deadline); the lead unit reports per item
 * one of the three statuses with a note and evidence; the office verifies, and what it finds
 * completed leaves supervision scope (later rounds no longer ask about it; the item shows it).
 * The 督察评估事项表 (items × the three statuses) is exported as .xlsx and .docx.
 */
export class RoundDesk {
  constructor(private readonly deps: RoundDeskDeps) {}

  private async today(): Promise<string> {
    return localDateAt(await (this.deps.now ?? Date.now)());
  }

  private async reach(unit: Unit, id: string): Promise<{ round: RoundRow; access: RoundAccess }> {
    if (!z.uuid().safeParse(id).success) throw roundNotFound(id);
    const round = await this.deps.rounds.get(id);
    if (!round) throw roundNotFound(id);
    if (unit.kind === 'reform_office' && unit.region.path === round.regionPath) return { round, access: { office: true } };
    if ((await this.deps.rounds.plans(id, unit.id)).length) return { round, access: { office: false, leadUnitId: unit.id } };
    throw roundNotFound(id);
  }

  /** A task of a round still open, for the reform office's act on it (403 for the lead unit, naming the act). */
  private async openTaskForOffice(caller: Caller, id: string, planId: string, whoActs: string): Promise<{ unit: Unit; name: string; task: RoundPlanRow }> {
    const { unit, name } = await this.deps.desk.whoIs(caller);
    const { round, access, task } = await this.reachTask(unit, id, planId);
    if (!access.office) throw new ForbiddenError(`${whoActs};${unit.name}报送自查`);
    if (round.status === 'closed') throw new ConflictError(`督察轮次「${round.name}」已结束`);
    return { unit, name, task };
  }

  private async reachTask(unit: Unit, id: string, planId: string): Promise<{ round: RoundRow; access: RoundAccess; task: RoundPlanRow }> {
    const { round, access } = await this.reach(unit, id);
    const task = await this.deps.rounds.plan(id, planId);
    if (!task || (!access.office && task.leadUnitId !== access.leadUnitId)) throw taskNotFound(planId);
    return { round, access, task };
  }

  /**
   * Opens a round (reform offices): every open plan of the office's level whose issuing was
   * recorded on or before the cut-off (the opening date less six months) gets its self-inspection
   * task, over the items still in supervision scope. 409 when no plan is old enough.
   *
   * Crash-safe in three steps: the round's row, with the tasks fixed now (`planned`) and its
   * `round.opened` audit row, is written in one transaction before any task starts; each task's
   * workflow is started under an id derived from the round and the plan, carrying the task's data
   * (registeredBy.desk), and its first ledger write inserts the task's and items' rows
   * (desk-ledgers.ts); the round is open once every planned task has its row. An API process
   * that dies part-way leaves no task without its round and no row without its workflow; the
   * client's retry (same request id: the same round) starts what is missing and answers the round.
   */
  async open(caller: Caller, body: OpenRound): Promise<RoundDetail> {
    const input = parse(OpenRoundSchema, body);
    const { unit: office, name } = await this.deps.desk.whoIs(caller);
    if (office.kind !== 'reform_office') throw new ForbiddenError(`督察轮次由改革办开启;${office.name}是${office.kindLabel}`);
    const keyed = requestKeyedId('round', caller);
    let round = await this.deps.rounds.get(keyed);
    // An opening of this level that died part-way (its client never repeated the request): opening
    // the same round again (same name, and year when given) completes it, whoever asks with
    // whatever request id (the CLI's next run, a double submission); another round waits for it.
    if (!round) {
      const stuck = (await this.deps.rounds.opening(office.region.path))[0];
      if (stuck && stuck.name === input.name && (input.year === undefined || input.year === stuck.year)) round = stuck;
      else if (stuck) {
        const started = (await this.deps.rounds.plans(stuck.id)).length;
        throw new ConflictError(`督察轮次「${stuck.name}」(${stuck.year}年度)尚在开启中(已生成 ${started}/${plannedOf(stuck).length} 个自查任务):以同一名称再次开启即可把它开完,之后再开新的轮次`);
      }
    }
    const id = round?.id ?? keyed;
    if (!round) {
      const today = await this.today();
      const cutoff = addMonths(today, -ROUND_CUTOFF_MONTHS).date;
      const candidates = (await this.deps.db.getRepository(LedgerPlanEntity).find({ where: { regionPath: office.region.path, status: 'open' }, order: { planId: 'ASC' } })).filter(
        (p) => isPlanProcedure(p.procedureId) && p.leadUnitId,
      );
      const chosen: Array<{ view: PlanView; issued: string }> = [];
      for (const c of candidates) {
        let view: PlanView;
        try {
          view = await this.deps.plans.view(c.planId);
        } catch {
          continue;
        }
        const def = await this.deps.definitions.get(view.procedure.id, view.procedure.version);
        const issuing = new Set((def?.stages ?? []).flatMap((s) => s.actions).filter((a) => a.records.includes('issued')).map((a) => a.id));
        const issued = issuedOn(view, issuing);
        if (!view.finished && view.plan.scope && issued && issued <= cutoff) chosen.push({ view, issued });
      }
      if (!chosen.length) throw new ConflictError(`${office.region.name}没有${zhDate(cutoff)}以前印发(印发满半年)且仍在实施的方案,本轮督察无可督察的方案`);
      const out = await this.deps.rounds.completedFindings(chosen.map((c) => c.view.workflowId));
      const planned: PlannedTask[] = chosen.map(({ view, issued }) => ({ planId: view.workflowId, workflowId: `self-inspection-${derivedUuid(id, view.workflowId)}`, issuedOn: issued }));
      round = {
        id,
        name: input.name,
        year: input.year ?? Number(today.slice(0, 4)),
        regionPath: office.region.path,
        ownerUnitId: office.id,
        openedOn: today,
        cutoff,
        status: 'opening',
        planned: JSON.stringify(planned),
        openedBy: caller.principal.userId,
        openedAt: new Date().toISOString(),
        closedOn: null,
        closedAt: null,
      };
      const row = round;
      checkColumnLengths(RoundEntity, row, '督察轮次');
      await inWriteTurn(this.deps.db, () =>
        this.deps.db.transaction(async (m) => {
          await m.getRepository(RoundEntity).insert(row);
          await this.deps.audit.record(
            {
              action: 'round.opened',
              actor: { userId: caller.principal.userId, name, unitId: office.id },
              target: { type: 'round', id },
              before: null,
              after: { name: row.name, year: row.year, regionPath: row.regionPath, openedOn: today, cutoff, plans: planned, itemsOutOfScope: out.length },
              requestId: caller.requestId,
            },
            m,
          );
        }),
      );
    }
    if (round.status === 'opening') await this.startTasks(caller, office, name, round);
    return this.detail(caller, id);
  }

  /** Starts the round's planned tasks that have no row yet (each once: its workflow id derives from the round and the plan) and waits for their rows. */
  private async startTasks(caller: Caller, office: Unit, name: string, round: RoundRow): Promise<void> {
    const planned = plannedOf(round);
    const have = new Set((await this.deps.rounds.plans(round.id)).map((t) => t.planId));
    const missing = planned.filter((p) => !have.has(p.planId));
    const out = new Set((await this.deps.rounds.completedFindings(missing.map((p) => p.planId))).map((f) => `${f.planId}\u0000${f.itemId}`));
    for (const task of missing) {
      const view = await this.deps.plans.view(task.planId);
      const scope = view.plan.scope!;
      const items = Object.entries(view.items)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .filter(([itemId]) => !out.has(`${task.planId}\u0000${itemId}`))
        .map(([itemId, item]) => ({ itemId, itemTitle: item.title, statusAtOpening: item.status }));
      const roundTask: RoundTaskRegistration = { roundId: round.id, planId: task.planId, planTitle: view.plan.title, procedureId: view.procedure.id, issuedOn: task.issuedOn, items };
      await this.deps.plans.start(
        {
          procedure: SELF_INSPECTION_PROCEDURE,
          workflowId: task.workflowId,
          plan: {
            title: view.plan.title,
            leadUnit: view.plan.leadUnit,
            participatingUnits: [],
            responsibleLeader: view.plan.responsibleLeader,
            responsiblePerson: view.plan.responsiblePerson,
            specialGroup: view.plan.specialGroup,
            goals: [],
            scope: { regionPath: scope.regionPath, leadUnitId: scope.leadUnitId, ...(scope.specialGroupId ? { specialGroupId: scope.specialGroupId } : {}), participatingUnitIds: [] },
          },
          registeredOn: round.openedOn,
          registeredBy: { userId: caller.principal.userId, name, unitId: office.id, ...(caller.requestId ? { requestId: caller.requestId } : {}), desk: { roundTask } },
        },
        { once: true },
      );
    }
    for (const task of missing) await this.deps.desk.settled(task.workflowId);
  }

  /** The rounds of the caller's level (reform offices), or those holding tasks of the caller's plans. */
  async list(caller: Caller, query: RoundQuery): Promise<RoundPage> {
    const q = parse(RoundQuerySchema, query);
    const { unit } = await this.deps.desk.whoIs(caller);
    const office = unit.kind === 'reform_office';
    const { rows, total } = await this.deps.rounds.list({ regionPath: office ? unit.region.path : undefined, leadUnitId: unit.id, limit: q.limit, offset: q.offset });
    const out: Round[] = [];
    for (const r of rows) {
      const mine = office && r.regionPath === unit.region.path;
      out.push(this.roundOut(r, await this.deps.rounds.plans(r.id, mine ? undefined : unit.id)));
    }
    return { rows: out, total };
  }

  async detail(caller: Caller, id: string): Promise<RoundDetail> {
    const { unit } = await this.deps.desk.whoIs(caller);
    const { round, access } = await this.reach(unit, id);
    const tasks = await this.deps.rounds.plans(id, access.office ? undefined : access.leadUnitId);
    const names = await this.unitNames();
    return { ...this.roundOut(round, tasks), tasks: tasks.map((t) => this.taskOut(t, names)) };
  }

  async task(caller: Caller, id: string, planId: string): Promise<RoundTaskDetail> {
    const { unit } = await this.deps.desk.whoIs(caller);
    const { access, task } = await this.reachTask(unit, id, planId);
    return this.taskDetail(task, access);
  }

  /** The lead unit reports its self-inspection: every item of the task, one of the three statuses, a note and evidence. */
  async selfInspect(caller: Caller, id: string, planId: string, body: SelfInspection): Promise<RoundTaskDetail> {
    const input = parse(SelfInspectionSchema, body);
    const { unit, name } = await this.deps.desk.whoIs(caller);
    const { round, access, task } = await this.reachTask(unit, id, planId);
    if (access.office) throw new ForbiddenError(`自查由方案的牵头单位报送;${unit.name}核查认定`);
    if (await this.done(caller, id, planId, 'round.self_inspection_reported')) {
      await this.planReported(caller, planId, input.businessDate);
      return this.task(caller, id, planId);
    }
    if (round.status === 'closed') throw new ConflictError(`督察轮次「${round.name}」已结束,不能再报送自查`);
    const rows = await this.deps.rounds.items(id, [planId]);
    const known = new Set(rows.map((r) => r.itemId));
    const seen = new Set<string>();
    for (const [i, item] of input.items.entries()) {
      if (!known.has(item.itemId)) throw new FieldError(`items.${i}.itemId`, `本轮自查没有编号为「${item.itemId}」的事项(认定已完成的事项不再纳入督察范围)`);
      if (seen.has(item.itemId)) throw new FieldError(`items.${i}.itemId`, `事项「${item.itemId}」重复填写`);
      seen.add(item.itemId);
      for (const [j, evidenceId] of item.evidenceIds.entries()) {
        const ev = await this.deps.evidence.evidence(evidenceId);
        if (!ev || ev.planId !== planId) throw new FieldError(`items.${i}.evidenceIds.${j}`, `没有编号为「${evidenceId}」的佐证材料,或它不属于方案「${task.planTitle}」`);
      }
    }
    const missing = rows.filter((r) => !seen.has(r.itemId));
    if (missing.length) throw new FieldError('items', `须逐项自查:缺少事项 ${missing.map((r) => `「${r.itemId} ${r.itemTitle}」`).join('、')}`);
    const items: RoundItemChange[] = input.items.map((i) => ({ itemId: i.itemId, selfStatus: i.status, selfNote: i.note ?? null, evidenceIds: JSON.stringify(i.evidenceIds) }));
    // The task's and items' rows follow with the act's ledger write (desk-ledgers.ts), audited there.
    await this.act(caller, unit, name, task, { action: 'report_self_inspection', role: 'lead_unit', businessDate: input.businessDate }, { items });
    await this.settled(task.workflowId);
    await this.planReported(caller, planId, input.businessDate);
    return this.task(caller, id, planId);
  }

  /** The reform office verifies a reported self-inspection: each item's finding (the unit's status unless it says otherwise). */
  async verify(caller: Caller, id: string, planId: string, body: RoundVerification): Promise<RoundTaskDetail> {
    const input = parse(RoundVerificationSchema, body);
    const { unit, name, task } = await this.openTaskForOffice(caller, id, planId, '核查认定由本级改革办办理');
    if (await this.done(caller, id, planId, 'round.verified')) return this.task(caller, id, planId);
    const rows = await this.deps.rounds.items(id, [planId]);
    const byId = new Map(rows.map((r) => [r.itemId, r]));
    const given = new Map<string, { status: ItemStatus; note?: string }>();
    for (const [i, item] of input.items.entries()) {
      if (!byId.has(item.itemId)) throw new FieldError(`items.${i}.itemId`, `本轮自查没有编号为「${item.itemId}」的事项`);
      if (given.has(item.itemId)) throw new FieldError(`items.${i}.itemId`, `事项「${item.itemId}」重复填写`);
      given.set(item.itemId, { status: item.status, note: item.note });
    }
    const findings: RoundItemChange[] = rows.map((r) => {
      const g = given.get(r.itemId);
      const status = g?.status ?? (isStatus(r.selfStatus) ? r.selfStatus : (r.statusAtOpening as ItemStatus));
      return { itemId: r.itemId, verifiedStatus: status, verifyNote: g?.note ?? null };
    });
    await this.act(caller, unit, name, task, { action: 'verify', role: 'reform_office', businessDate: input.businessDate }, { items: findings });
    await this.settled(task.workflowId);
    return this.task(caller, id, planId);
  }

  /** The reform office sends a reported self-inspection back for another look, with its reason. */
  async sendBack(caller: Caller, id: string, planId: string, body: RoundSendBack): Promise<RoundTaskDetail> {
    const input = parse(RoundSendBackSchema, body);
    const { unit, name, task } = await this.openTaskForOffice(caller, id, planId, '退回重新自查由改革办办理');
    if (await this.done(caller, id, planId, 'round.sent_back')) return this.task(caller, id, planId);
    await this.act(caller, unit, name, task, { action: 'send_back', role: 'reform_office', businessDate: input.businessDate, reason: input.reason });
    await this.settled(task.workflowId);
    return this.task(caller, id, planId);
  }

  /** Closes a round (its reform office), once every task is verified. */
  async close(caller: Caller, id: string, body?: CloseRound): Promise<RoundDetail> {
    const input = parse(CloseRoundSchema, body);
    const { unit, name } = await this.deps.desk.whoIs(caller);
    const { round, access } = await this.reach(unit, id);
    if (!access.office) throw new ForbiddenError(`督察轮次由改革办结束;${unit.name}只能查看本单位的自查任务`);
    if (caller.requestId && (await this.deps.audit.byRequest({ type: 'round', id }, caller.requestId, caller.principal.userId, ['round.closed']))) return this.detail(caller, id);
    if (round.status === 'opening') throw new ConflictError(`督察轮次「${round.name}」的自查任务尚未全部生成:请以开启时的请求编号重新提交开启请求`);
    if (round.status === 'closed') throw new ConflictError(`督察轮次「${round.name}」已于${zhDate(round.closedOn ?? round.openedOn)}结束`);
    const open = (await this.deps.rounds.plans(id)).filter((t) => t.status !== 'verified');
    if (open.length) throw new ConflictError(`还有 ${open.length} 个方案的自查未核查认定(如「${open[0].planTitle}」),不能结束本轮督察`);
    const today = await this.today();
    // The round's row and its audit row commit together.
    await this.deps.rounds.close(id, today, new Date().toISOString(), (m) =>
      this.deps.audit.record(
        {
          action: 'round.closed',
          actor: { userId: caller.principal.userId, name, unitId: unit.id },
          target: { type: 'round', id },
          before: { status: round.status },
          after: { status: 'closed', closedOn: today, ...(input?.note ? { note: input.note } : {}) },
          requestId: caller.requestId,
        },
        m,
      ),
    );
    return this.detail(caller, id);
  }

  /**
   * The plan procedure's own deadline for the mid-year self-inspection (reform-plan.rules,
   * midyear_supervision, S3) waits for the same report: it is recorded on the plan too
   * (`submit_self_inspection`, through PlanDesk as the lead unit, audited) when the plan's
   * procedure offers that action to its lead unit now, so the plan's letters stop chasing a unit
   * that has reported. A plan whose procedure has no such action, or not in this stage, keeps
   * only the round's report.
   */
  private async planReported(caller: Caller, planId: string, businessDate?: string): Promise<void> {
    const view = await this.deps.plans.view(planId);
    const offered = (view.actions.lead_unit ?? []).some((a) => a.action === PLAN_SELF_INSPECTION_ACTION && !a.blockers.length);
    if (offered) await this.deps.desk.act(caller, planId, { action: PLAN_SELF_INSPECTION_ACTION, ...(businessDate ? { businessDate } : {}) });
  }

  /** An act on a task's workflow, with what the task's rows take from it (`desk`: the items reported or found). */
  private async act(caller: Caller, unit: Unit, name: string, task: RoundPlanRow, command: { action: string; role: string; businessDate?: string; reason?: string }, desk?: { items: RoundItemChange[] }): Promise<ActResult> {
    return this.deps.plans.act(
      task.workflowId,
      { action: command.action, role: command.role, actor: name, businessDate: command.businessDate, reason: command.reason },
      { userId: caller.principal.userId, name, unitId: unit.id, ...(caller.requestId ? { requestId: caller.requestId } : {}), ...(desk ? { notes: { desk } } : {}) },
    );
  }

  /** The task's rows once the act's ledger write has landed (503 while no worker answers: they still come). */
  private async settled(workflowId: string): Promise<void> {
    if (!(await this.deps.desk.settled(workflowId))) throw new UnavailableError('已受理,督察轮次的记录正在写入(流程引擎暂未应答);请稍后刷新,或以同一请求编号(X-Request-Id)重试');
  }

  /** Whether this request was done already on the task: its audit row (written with the act's ledger write) is the receipt. */
  private async done(caller: Caller, id: string, planId: string, action: string): Promise<boolean> {
    return !!caller.requestId && !!(await this.deps.audit.byRequest({ type: 'round_task', id: `${id}/${planId}` }, caller.requestId, caller.principal.userId, [action]));
  }

  private async unitNames(): Promise<Map<string, string>> {
    return new Map((await this.deps.directory.units()).map((u) => [u.id, u.name]));
  }

  private roundOut(r: RoundRow, tasks: RoundPlanRow[]): Round {
    const n = (s: RoundTaskStatus) => tasks.filter((t) => t.status === s).length;
    return {
      id: r.id,
      name: r.name,
      year: r.year,
      regionPath: r.regionPath,
      ownerUnitId: r.ownerUnitId,
      openedOn: r.openedOn,
      cutoff: r.cutoff,
      status: r.status === 'closed' ? 'closed' : r.status === 'opening' ? 'opening' : 'open',
      statusLabel: r.status === 'closed' ? '已结束' : r.status === 'opening' ? '开启中(自查任务生成中)' : '进行中',
      openedAt: r.openedAt,
      closedOn: r.closedOn,
      counts: { tasks: tasks.length, inspecting: n('inspecting'), verification: n('verification'), verified: n('verified') },
    };
  }

  private taskOut(t: RoundPlanRow, names: Map<string, string>): RoundTask {
    const status: RoundTaskStatus = (ROUND_TASK_STATUSES as readonly string[]).includes(t.status) ? (t.status as RoundTaskStatus) : 'inspecting';
    return {
      roundId: t.roundId,
      planId: t.planId,
      planTitle: t.planTitle,
      procedureId: t.procedureId,
      leadUnit: { id: t.leadUnitId, name: names.get(t.leadUnitId) ?? t.leadUnitId },
      specialGroupId: t.specialGroupId,
      issuedOn: t.issuedOn,
      workflowId: t.workflowId,
      limitDate: t.limitDate,
      status,
      statusLabel: ROUND_TASK_STATUS_LABEL[status],
      reportedOn: t.reportedOn,
      verifiedOn: t.verifiedOn,
    };
  }

  private itemOut(r: RoundItemRow, verified: boolean): RoundItem {
    return {
      itemId: r.itemId,
      title: r.itemTitle,
      statusAtOpening: r.statusAtOpening as ItemStatus,
      selfInspection: isStatus(r.selfStatus) ? { status: r.selfStatus, statusLabel: ITEM_STATUS_LABEL[r.selfStatus], note: r.selfNote, evidenceIds: jsonList(r.evidenceIds) } : null,
      finding: isStatus(r.verifiedStatus) ? { status: r.verifiedStatus, statusLabel: ITEM_STATUS_LABEL[r.verifiedStatus], note: r.verifyNote } : null,
      leavesSupervision: verified && r.verifiedStatus === 'completed',
    };
  }

  private async taskDetail(task: RoundPlanRow, access: RoundAccess): Promise<RoundTaskDetail> {
    const names = await this.unitNames();
    const out = this.taskOut(task, names);
    const items = (await this.deps.rounds.items(task.roundId, [task.planId])).map((r) => this.itemOut(r, out.status === 'verified'));
    let engine: RoundTaskDetail['engine'] = null;
    try {
      const view = await this.deps.plans.view(task.workflowId);
      const role = access.office ? 'reform_office' : 'lead_unit';
      engine = {
        stage: { id: view.stage.id, label: view.stage.label },
        deadlines: view.deadlines.map((d) => ({ key: d.key, label: d.label, source: d.source, due: d.due, status: d.status, late: d.late })),
        actions: (view.actions[role] ?? []).map((a) => ({ action: a.action, label: a.label, blockers: a.blockers })),
      };
    } catch {
      // No worker answers now: the round's rows still read.
    }
    const letters = (await this.deps.letters.forWorkflow(task.workflowId)).map((l) => ({
      letterId: l.id,
      number: l.number,
      kind: l.kind,
      subject: l.subject,
      dueDate: l.dueDate,
      limitDate: l.limitDate,
      ruleId: l.ruleId,
      issuedOn: l.issuedOn,
    }));
    return { ...out, items, engine, letters };
  }

  // ---- The 督察评估事项表 (S2: one table per plan, items × the three statuses) ----------------

  private async table(caller: Caller, id: string) {
    const detail = await this.detail(caller, id);
    const rows = await this.deps.rounds.items(id, detail.tasks.map((t) => t.planId));
    const byPlan = new Map<string, RoundItemRow[]>();
    for (const r of rows) byPlan.set(r.planId, [...(byPlan.get(r.planId) ?? []), r]);
    const plans = detail.tasks.map((t) => {
      const items = (byPlan.get(t.planId) ?? []).map((r) => {
        const verified = t.status === 'verified' && isStatus(r.verifiedStatus);
        const status = verified ? (r.verifiedStatus as ItemStatus) : isStatus(r.selfStatus) ? r.selfStatus : null;
        return {
          itemId: r.itemId,
          title: r.itemTitle,
          status,
          basis: verified ? '改革办核查认定' : status ? '牵头单位自查' : '未报送自查',
          note: [r.selfNote && `自查:${r.selfNote}`, verified && r.verifyNote && `核查:${r.verifyNote}`].filter(Boolean).join(';'),
          leaves: verified && r.verifiedStatus === 'completed',
        };
      });
      return { task: t, items };
    });
    return { detail, plans };
  }

  /** The headers of the 督察评估事项表, in order (the .xlsx sheet and the .docx tables). */
  static readonly TABLE_HEADERS = ['序号', '事项编号', '具体改革事项', ...ROUND_TABLE_STATUSES.map((s) => ITEM_STATUS_LABEL[s]), '认定方式', '说明'] as const;

  /** The table as a workbook: one sheet of every plan's items (a row per item, √ under its status) and a summary per plan. */
  async tableXlsx(caller: Caller, id: string): Promise<XlsxFile> {
    const { detail, plans } = await this.table(caller, id);
    const wb = await newWorkbook(`${detail.name}督察评估事项表`);
    const ws = tableSheet(wb, '督察评估事项表', [
      { header: '序号', width: 6 },
      { header: '方案编号', width: 24 },
      { header: '方案名称', width: 36 },
      { header: '牵头单位', width: 24 },
      { header: '事项编号', width: 10 },
      { header: '具体改革事项', width: 40 },
      ...ROUND_TABLE_STATUSES.map((s) => ({ header: ITEM_STATUS_LABEL[s], width: 12 })),
      { header: '认定方式', width: 16 },
      { header: '不再纳入督察', width: 12 },
      { header: '说明', width: 40 },
    ]);
    let n = 0;
    for (const { task, items } of plans) {
      for (const i of items) {
        ws.addRow([++n, task.planId, task.planTitle, task.leadUnit.name, i.itemId, i.title, ...ROUND_TABLE_STATUSES.map((s) => (i.status === s ? '√' : '')), i.basis, i.leaves ? '是' : '', i.note]);
      }
    }
    const sum = tableSheet(wb, '汇总', [
      { header: '序号', width: 6 },
      { header: '方案名称', width: 36 },
      { header: '牵头单位', width: 24 },
      { header: '印发日期', width: 16, date: true },
      { header: '自查期限', width: 16, date: true },
      { header: '自查状态', width: 12 },
      { header: '事项数', width: 8 },
      ...ROUND_TABLE_STATUSES.map((s) => ({ header: ITEM_STATUS_LABEL[s], width: 12 })),
    ]);
    plans.forEach(({ task, items }, k) => {
      sum.addRow([k + 1, task.planTitle, task.leadUnit.name, excelDate(task.issuedOn), task.limitDate ? excelDate(task.limitDate) : null, task.statusLabel, items.length, ...ROUND_TABLE_STATUSES.map((s) => items.filter((i) => i.status === s).length)]);
    });
    return { filename: `${safeName(detail.name)}-督察评估事项表.xlsx`, body: await workbookBytes(wb) };
  }

  /** The table as a Word document (landscape A4): a table per plan, under its name, lead unit, issuing date and limit. */
  async tableDocx(caller: Caller, id: string): Promise<XlsxFile> {
    const { detail, plans } = await this.table(caller, id);
    const office = await this.deps.directory.unit(detail.ownerUnitId);
    const tables: DocumentTable[] = plans.map(({ task, items }, k) => ({
      heading: `${k + 1}. ${task.planTitle}`,
      note: `牵头单位:${task.leadUnit.name}    印发日期:${zhDate(task.issuedOn)}    自查期限:${task.limitDate ? zhDate(task.limitDate) : '—'}    状态:${task.statusLabel}`,
      headers: [...RoundDesk.TABLE_HEADERS],
      widths: [3, 4, 22, 5, 6, 5, 6, 16],
      rows: items.map((i, j) => [String(j + 1), i.itemId, i.title, ...ROUND_TABLE_STATUSES.map((s) => (i.status === s ? '√' : '')), i.basis, [i.note, i.leaves ? '不再纳入督察范围' : ''].filter(Boolean).join(';')]),
    }));
    const body = await tableDocx({
      title: '督察评估事项表',
      subtitle: `${detail.name}(${office?.name ?? ''},${zhDate(detail.openedOn)}开启,${zhDate(detail.cutoff)}以前印发的方案)`,
      creator: office?.name ?? 'Reform Loop',
      tables,
    });
    return { filename: `${safeName(detail.name)}-督察评估事项表.docx`, body };
  }
}

/** A file name without the characters file systems refuse. */
const safeName = (s: string) => s.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 120);
