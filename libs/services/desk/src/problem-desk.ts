import type { AuditService, AuditTrailRow } from '@reform/audit';
import { formatChineseDate, localDateAt } from '@reform/calendar';
import { ConflictError, FieldError, ForbiddenError, NotFoundError, UnavailableError, UserError } from '@reform/config';
import { CommandSchema, LENGTH_LIMITS, LETTER_KIND_LABEL, LetterKind, LocalDateSchema, PlanIdSchema, ProcessDefinition } from '@reform/definitions';
import type { UnitDirectory } from '@reform/identity';
import type { PlanView } from '@reform/machine';
import { pageLimit } from '@reform/ledger';
import type { DefinitionStore, EvidenceStore, HandoverProblem, LetterStore, ProblemHandoverRow, ProblemRegistration, ProblemRow, ProblemSentUp, ProblemStore } from '@reform/persistence';
import { HAND_OVER_LISTED_ACTION, Unit, UnitIdSchema } from '@reform/platform';
import { ActionRefusedError, type PlanService } from '@reform/plans';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { Evidence, evidenceOut, receiveEvidence, Upload } from './item-desk';
import { DEFAULT_EVIDENCE_MAX_BYTES } from './evidence-types';
import type { Caller, PlanDesk } from './plan-desk';
import { PROBLEM_PROCEDURE, RECTIFICATION_DEADLINE } from './problem-procedure';
import { parse } from './parse';
import { requestKeyedId } from './requests';

export { PROBLEM_PROCEDURE, RECTIFICATION_DEADLINE };

export const PROBLEM_STATUSES = ['registered', 'rectifying', 'verifying', 'kept', 'cancelled', 'escalated'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];
export const PROBLEM_STATUS_LABEL: Record<ProblemStatus, string> = {
  registered: '已挂号',
  rectifying: '整改中',
  verifying: '待验收',
  kept: '留号',
  cancelled: '已销号',
  escalated: '已上交',
};
const OPEN: ProblemStatus[] = ['registered', 'rectifying', 'verifying'];

const ItemIdSchema = CommandSchema.shape.item.unwrap().shape.id;
const EvidenceIdsSchema = z.array(z.uuid({ error: '佐证材料编号应为上传时返回的 evidenceId' })).max(20, '一次最多附 20 份佐证材料').default([]);

/** A problem found by supervision, registered (挂号) by the reform office into its level's library. */
export const RegisterProblemSchema = z
  .strictObject({
    against: z.discriminatedUnion(
      'type',
      [
        z.strictObject({ type: z.literal('plan'), planId: PlanIdSchema }),
        z.strictObject({ type: z.literal('item'), planId: PlanIdSchema, itemId: ItemIdSchema }),
        z.strictObject({ type: z.literal('unit'), unitId: UnitIdSchema }),
      ],
      { error: '问题对象应为 { type: "plan", planId }、{ type: "item", planId, itemId } 或 { type: "unit", unitId }' },
    ),
    description: z.string().trim().min(1, '须写明问题').max(LENGTH_LIMITS.title, `问题表述最长 ${LENGTH_LIMITS.title} 个字`).meta({ description: '问题的表述,写进整改意见书' }),
    foundOn: LocalDateSchema.optional().meta({ description: '发现问题的日期(业务日期),默认今天' }),
    responsiblePerson: z.string().trim().min(1, '责任人不能为空').max(LENGTH_LIMITS.name, `责任人最长 ${LENGTH_LIMITS.name} 个字`).optional(),
  })
  .meta({ id: 'RegisterProblem' });
export type RegisterProblem = z.input<typeof RegisterProblemSchema>;

/** The actions of a problem's procedure, as the library names them. */
export const PROBLEM_ACTIONS = ['hand_over', 'escalate', 'report_rectification', 'verify', 'send_back', 'keep', 'report_kept_progress', 'verify_kept'] as const;

export const ProblemActionSchema = z
  .strictObject({
    action: z.enum(PROBLEM_ACTIONS, { error: `操作应为 ${PROBLEM_ACTIONS.join('、')} 之一` }).meta({
      description: 'hand_over 移交整改 / escalate 提交上一级问题库 / report_rectification 报送整改情况 / verify 验收销号 / send_back 退回整改 / keep 留号 / report_kept_progress 报送留号进展 / verify_kept 留号问题销号',
    }),
    businessDate: LocalDateSchema.optional().meta({ description: '实际发生的日期,默认今天' }),
    reason: CommandSchema.shape.reason.meta({ description: '理由(提交上一级问题库、退回整改时必写)' }),
    note: z.string().trim().min(1, '说明不能为空').max(2000, '说明最长 2000 个字').optional().meta({ description: '情况说明(留号时必写)' }),
    evidenceIds: EvidenceIdsSchema.meta({ description: '验收销号的佐证材料编号(先上传到方案事项的 …/evidence)' }),
  })
  .meta({ id: 'ProblemAction' });
export type ProblemAction = z.input<typeof ProblemActionSchema>;

/** A list none of whose problems was handed over counts as abandoned after this long (its request is long gone). */
const ABANDONED_HANDOVER_MS = 10 * 60_000;

/** The most problems one 整改意见书 hands over. */
export const MAX_HANDOVER_PROBLEMS = 50;

/** Several problems of one unit handed over at once, in one 整改意见书 (A13: the problem list and the limit). */
export const HandOverProblemsSchema = z
  .strictObject({
    problemIds: z
      .array(z.string({ error: '问题编号应为文本' }).trim().min(1, '问题编号不能为空').max(100, '问题编号最长 100 个字符'), { error: '须列出要移交的问题编号(problemIds)' })
      .min(1, '至少列出一个问题')
      .max(MAX_HANDOVER_PROBLEMS, `一份整改意见书最多移交 ${MAX_HANDOVER_PROBLEMS} 个问题`)
      .meta({ description: '同一整改单位的问题,按整改意见书中的顺序' }),
    businessDate: LocalDateSchema.optional().meta({ description: '移交的日期(整改期限从这天起算),默认今天' }),
  })
  .meta({ id: 'HandOverProblems' });
export type HandOverProblems = z.input<typeof HandOverProblemsSchema>;

export const ProblemQuerySchema = z
  .strictObject({
    status: z.enum(PROBLEM_STATUSES, { error: `状态应为 ${PROBLEM_STATUSES.join('、')} 之一` }).optional(),
    limit: pageLimit(100, 50),
    offset: z.coerce.number({ error: '起始位置应为整数' }).int('起始位置应为整数').min(0, '起始位置不能为负').max(1_000_000, '起始位置过大').default(0),
  });
export type ProblemQuery = z.input<typeof ProblemQuerySchema>;

/** A problem as the library shows it to one caller. */
export interface Problem {
  id: string;
  number: string;
  library: { regionPath: string; ownerUnitId: string };
  originRegionPath: string;
  escalatedFromRegionPath: string | null;
  against: { type: 'plan' | 'item' | 'unit'; planId: string | null; itemId: string | null; unitId: string };
  description: string;
  foundOn: string;
  limitDate: string | null;
  /** As this caller's library sees it: 已上交 in the library it went up from. */
  status: ProblemStatus;
  statusLabel: string;
  workflowId: string;
  evidenceIds: string[];
  note: string | null;
  registeredAt: string;
  updatedAt: string;
}

export interface ProblemLetter {
  letterId: string;
  number: string;
  kind: string;
  subject: string;
  body: string;
  addressees: Array<{ role: string; name: string }>;
  copyTo: Array<{ role: string; name: string }>;
  dueDate: string;
  limitDate: string | null;
  ruleId: string;
  issuedOn: string;
}

export interface ProblemDetail extends Problem {
  /** The procedure as it stands: stage, deadlines and what this caller may do; null while the engine does not answer. */
  engine: {
    stage: { id: string; label: string };
    deadlines: Array<{ key: string; id: string; label: string; source: string; due: string; status: string; late: boolean }>;
    actions: Array<{ action: string; label: string; blockers: string[]; needsReason: boolean }>;
  } | null;
  letters: ProblemLetter[];
}

/** A handover: the problems one 整改意见书 lists, each as it stands, and the letter once written. */
export interface ProblemHandover {
  id: string;
  unitId: string;
  businessDate: string | null;
  problems: ProblemDetail[];
  /** The 整改意见书 (issued by the first problem's workflow); null while the worker has not written it yet. */
  letter: ProblemLetter | null;
}

/** One entry of a problem's history: an audited act on it or on its letters (who, what, when), in Chinese. */
export interface ProblemHistoryEntry {
  seq: number;
  at: string;
  /** The act's code (problem.hand_over, letter.issued …) and its label (问题移交整改, 发出函件 …). */
  action: string;
  actionLabel: string;
  /** Who: null for the engine's own acts (its letters). */
  actor: { name: string | null; unitId: string | null; unitName: string | null } | null;
  /** What changed, line by line (状态:已挂号 → 整改中; 理由…; 文件…; the letter's number). */
  details: string[];
  /** The letter the entry is about, for its download. */
  letterId: string | null;
}

export interface ProblemPage {
  rows: Problem[];
  total: number;
  /** The caller's library (reform offices): open, kept, cancelled in it, and those it sent up. */
  counts: { open: number; kept: number; cancelled: number; escalated: number } | null;
}

export interface ProblemDeskDeps {
  desk: PlanDesk;
  plans: PlanService;
  problems: ProblemStore;
  definitions: DefinitionStore;
  directory: UnitDirectory;
  evidence: EvidenceStore;
  /** The largest evidence file accepted (default 20 MB). */
  maxEvidenceBytes?: number;
  letters: Pick<LetterStore, 'forWorkflow'>;
  audit: AuditService;
  /** The clock "today" is read from (the Temporal server's in tests). */
  now?: () => number | Promise<number>;
}

const notFound = (id: string) => new NotFoundError(`没有找到问题「${id.slice(0, 100)}」,或本单位无权查看`);

const jsonList = <T>(text: string): T[] => {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
};

/** How a caller's unit stands to a problem: reads it, and in which engine roles it acts. */
interface ProblemAccess {
  read: boolean;
  roles: Array<'reform_office' | 'lead_unit'>;
  /** The caller's library sent it up (it shows as 已上交 there). */
  sentUp: boolean;
}

function accessOf(unit: Unit, row: ProblemRow): ProblemAccess {
  const roles: ProblemAccess['roles'] = [];
  let read = false;
  let sentUp = false;
  if (unit.kind === 'reform_office' && unit.region.path === row.libraryRegionPath) {
    roles.push('reform_office');
    read = true;
  } else if (unit.kind === 'reform_office' && unit.region.path === row.escalatedFromRegionPath) {
    read = true;
    sentUp = true;
  }
  if (unit.id === row.unitId) {
    roles.push('lead_unit');
    read = true;
  }
  return { read, roles, sentUp };
}

/**
 * The problem library (问题库, Y9, Y11, A13) of a signed-in user. Each problem runs the
 * rectification procedure in its own workflow, which decides what may be done and sends its
 * letters (the 整改意见书 at handover, the ladder after the limit); this desk registers the
 * problem in its library, takes the actions in the role the caller's unit holds, and keeps the
 * library's row in step with the workflow after every action (status, limit, library, evidence,
 * note) in the same use case. Reform offices act on the problems of their own library; the unit
 * that rectifies acts as lead unit. What lies outside the caller's reach answers as not found.
 */
export class ProblemDesk {
  constructor(private readonly deps: ProblemDeskDeps) {}

  private async today(): Promise<string> {
    return localDateAt(await (this.deps.now ?? Date.now)());
  }

  /** The unit that rectifies and the plan's groups, from what the problem is against (in the office's region). */
  private async target(office: Unit, against: z.output<typeof RegisterProblemSchema>['against']): Promise<{ unit: Unit; plan?: PlanView }> {
    const inRegion = (path: string) => path.startsWith(office.region.path);
    if (against.type === 'unit') {
      const unit = await this.deps.directory.unit(against.unitId);
      if (!unit || !inRegion(unit.region.path)) throw new FieldError('against.unitId', `${office.region.name}没有编号为「${against.unitId}」的单位`);
      return { unit };
    }
    let plan: PlanView;
    try {
      plan = await this.deps.plans.view(against.planId);
    } catch {
      throw new FieldError('against.planId', `${office.region.name}没有编号为「${against.planId}」的方案`);
    }
    const scope = plan.plan.scope;
    if (!scope || !inRegion(scope.regionPath) || plan.procedure.id === PROBLEM_PROCEDURE) throw new FieldError('against.planId', `${office.region.name}没有编号为「${against.planId}」的方案`);
    if (against.type === 'item' && !plan.items[against.itemId]) throw new FieldError('against.itemId', `方案「${plan.plan.title}」没有编号为「${against.itemId}」的具体改革事项`);
    const unit = await this.deps.directory.unit(scope.leadUnitId);
    if (!unit) throw new FieldError('against.planId', `方案「${plan.plan.title}」的牵头单位已不在单位名录中`);
    return { unit, plan };
  }

  /**
   * Registers (挂号) a problem in the library of the caller's level: reform offices only. The
   * problem's workflow is started with the library's data (registeredBy.desk); its first ledger
   * write numbers the problem, inserts its row and audits `problem.registered`, in one
   * transaction (desk-ledgers.ts), whether this request lives to write it or the workflow's own
   * activity does. A repeat of the request (same request id) answers the same problem.
   */
  async register(caller: Caller, body: RegisterProblem): Promise<ProblemDetail> {
    const input = parse(RegisterProblemSchema, body);
    const { unit: office, name } = await this.deps.desk.whoIs(caller);
    if (office.kind !== 'reform_office') throw new ForbiddenError(`问题由改革办在本级问题库挂号;${office.name}是${office.kindLabel}`);
    const id = requestKeyedId('problem', caller);
    const workflowId = `problem-${id}`;
    const before = await this.deps.problems.get(id);
    if (before) return this.detailOf(before, accessOf(office, before));
    const today = await this.today();
    const foundOn = input.foundOn ?? today;
    if (foundOn > today) throw new FieldError('foundOn', `发现问题的日期 ${foundOn} 晚于今天(${today})`);
    const { unit, plan } = await this.target(office, input.against);
    const specialGroupId = plan?.plan.scope?.specialGroupId;
    const registration: ProblemRegistration = {
      id,
      libraryName: office.region.name,
      against: { type: input.against.type, planId: input.against.type === 'unit' ? null : input.against.planId, itemId: input.against.type === 'item' ? input.against.itemId : null },
      foundOn,
    };
    await this.deps.plans.start(
      {
        procedure: PROBLEM_PROCEDURE,
        workflowId,
        plan: {
          title: input.description,
          leadUnit: unit.name,
          participatingUnits: [],
          responsibleLeader: '主要负责人',
          responsiblePerson: input.responsiblePerson ?? '主要负责人',
          specialGroup: plan?.plan.specialGroup ?? office.name,
          goals: [],
          scope: { regionPath: office.region.path, leadUnitId: unit.id, ...(specialGroupId ? { specialGroupId } : {}), participatingUnitIds: [] },
        },
        registeredOn: foundOn,
        registeredBy: { userId: caller.principal.userId, name, unitId: office.id, ...(caller.requestId ? { requestId: caller.requestId } : {}), desk: { problem: registration } },
      },
      { once: true },
    );
    const row = await this.landed(workflowId, () => this.deps.problems.get(id));
    return this.detailOf(row, accessOf(office, row));
  }

  /**
   * The library's row once the workflow's ledger write that carries it has landed: written here
   * (PlanDesk.intoLedger) unless the workflow's own write came first. 503 while no worker answers:
   * the problem is registered, and a repeat of the request answers it once its row is there.
   */
  private async landed(workflowId: string, read: () => Promise<ProblemRow | null>): Promise<ProblemRow> {
    const settled = await this.deps.desk.settled(workflowId);
    const row = settled ? await read() : null;
    if (!row) throw new UnavailableError('已受理,问题库的记录正在写入(流程引擎暂未应答);请稍后刷新问题库,或以同一请求编号(X-Request-Id)重试');
    return row;
  }

  /** The library of the caller's level (reform offices: what it holds and what it sent up), or the problems a unit rectifies. */
  async list(caller: Caller, query: ProblemQuery): Promise<ProblemPage> {
    const q = parse(ProblemQuerySchema, query);
    const { unit } = await this.deps.desk.whoIs(caller);
    const office = unit.kind === 'reform_office';
    const stored = q.status === 'escalated' ? undefined : q.status;
    const { rows, total } =
      q.status === 'escalated'
        ? await this.deps.problems.list({ escalatedFrom: office ? unit.region.path : undefined, limit: q.limit, offset: q.offset })
        : await this.deps.problems.list({ library: office ? unit.region.path : undefined, escalatedFrom: office && !stored ? unit.region.path : undefined, unitId: unit.id, status: stored, limit: q.limit, offset: q.offset });
    let counts: ProblemPage['counts'] = null;
    if (office) {
      const c = await this.deps.problems.counts(unit.region.path);
      const n = (s: ProblemStatus) => c.byStatus[s] ?? 0;
      counts = { open: OPEN.reduce((sum, s) => sum + n(s), 0), kept: n('kept'), cancelled: n('cancelled'), escalated: c.escalated };
    }
    return { rows: rows.map((r) => this.out(r, accessOf(unit, r))), total, counts };
  }

  async detail(caller: Caller, id: string): Promise<ProblemDetail> {
    const { unit } = await this.deps.desk.whoIs(caller);
    const { row, access } = await this.reach(unit, id);
    return this.detailOf(row, access);
  }

  private async reach(unit: Unit, id: string): Promise<{ row: ProblemRow; access: ProblemAccess }> {
    if (!z.uuid().safeParse(id).success) throw notFound(id);
    const row = await this.deps.problems.get(id);
    if (!row) throw notFound(id);
    const access = accessOf(unit, row);
    if (!access.read) throw notFound(id);
    return { row, access };
  }

  /**
   * Takes an action of the problem's procedure in the role the caller's unit holds (the reform
   * office of the library that holds it, or the unit that rectifies), then brings the library's
   * row in step: its status from the stage, the limit from the rectification deadline, the
   * library above after an escalation (Y11), the evidence of a cancellation, the note of a kept
   * problem. Refusals by the procedure are the engine's (409 with its reasons and rule ids).
   */
  async act(caller: Caller, id: string, body: ProblemAction): Promise<ProblemDetail> {
    const input = parse(ProblemActionSchema, body);
    const { unit, name } = await this.deps.desk.whoIs(caller);
    const { row, access } = await this.reach(unit, id);
    // A repeat of an act whose row has landed: the problem as it stands (the row is its receipt).
    if (caller.requestId && (await this.deps.audit.byRequest({ type: 'problem', id: row.id }, caller.requestId, caller.principal.userId, [`problem.${input.action}`]))) {
      return this.detailOf(row, accessOf(unit, row));
    }
    const view = await this.deps.plans.view(row.workflowId);
    const definition = await this.definitionOf(view);
    const actionDef = definition.stages.flatMap((s) => s.actions).find((a) => a.id === input.action);
    if (!actionDef) throw new FieldError('action', `流程「${definition.title}」没有操作「${input.action}」`);
    const role = access.roles.find((r) => actionDef.roles.includes(r));
    if (!role) {
      const who = actionDef.roles.map((r) => definition.roles.find((d) => d.id === r)?.label ?? r).join('、');
      throw new ForbiddenError(access.sentUp ? `问题「${row.number}」已提交上一级问题库,由上一级办理` : `「${actionDef.label}」须由${who}办理`);
    }
    // Handed over alone: a handover of one, whose 整改意见书 lists this problem (handOver).
    if (input.action === 'hand_over') {
      await this.handOverAs(caller, unit, name, this.handoverId(caller), [row], input.businessDate);
      const after = await this.landed(row.workflowId, () => this.deps.problems.get(row.id));
      return this.detailOf(after, accessOf(unit, after));
    }
    if (input.action === 'keep' && !input.note) throw new FieldError('note', '留号须写明情况说明');
    if ((input.action === 'verify' || input.action === 'verify_kept') && !input.evidenceIds.length) throw new FieldError('evidenceIds', '验收销号须附佐证材料');
    for (const [i, evidenceId] of input.evidenceIds.entries()) {
      const ev = await this.deps.evidence.evidence(evidenceId);
      // Uploaded for this problem, or for the plan it is against, or (a problem against a unit) by that unit.
      const ours = ev && (ev.planId === row.workflowId || (row.planId ? ev.planId === row.planId : ev.unitId === row.unitId));
      if (!ours) throw new FieldError(`evidenceIds.${i}`, `没有编号为「${evidenceId}」的佐证材料,或它不属于本问题${row.planId ? '及所涉方案' : '及其整改单位'}`);
    }
    let upper: { path: string; office: Unit } | undefined;
    if (input.action === 'escalate') {
      const here = await this.deps.directory.unit(row.ownerUnitId);
      const parentId = here?.region.parentId;
      const parent = parentId ? await this.deps.directory.region(parentId) : null;
      const office = parent ? await this.deps.directory.officeOf(parent.path, 'reform_office') : null;
      if (!parent || !office) throw new ConflictError(`${here?.region.name ?? '本级'}问题库没有上一级问题库可以提交`);
      upper = { path: parent.path, office };
    }
    const reason = input.action === 'keep' ? input.note : input.reason;
    const desk = upper ? { sentUpTo: { regionPath: upper.path, ownerUnitId: upper.office.id } satisfies ProblemSentUp } : undefined;
    await this.deps.plans.act(
      row.workflowId,
      { action: input.action, role, actor: name, businessDate: input.businessDate, reason },
      {
        userId: caller.principal.userId,
        name,
        unitId: unit.id,
        ...(caller.requestId ? { requestId: caller.requestId } : {}),
        ...(input.note || input.evidenceIds.length || desk ? { notes: { ...(input.note ? { note: input.note } : {}), evidenceIds: input.evidenceIds, ...(desk ? { desk } : {}) } } : {}),
      },
    );
    // The row follows with the act's ledger write (desk-ledgers.ts), written here or by the workflow.
    const after = await this.landed(row.workflowId, () => this.deps.problems.get(row.id));
    return this.detailOf(after, accessOf(unit, after));
  }

  /**
   * Hands several problems of one unit over at once (移交整改) in one 整改意见书 listing them all
   * (A13: the problem list and the limit): reform offices, for problems of their own library that
   * are registered (已挂号) and rectified by the same unit. The list is written first
   * (problem_handovers, with each problem in one handover at most); then the first problem is
   * handed over with `hand_over`, whose workflow issues the letter from the rules (its
   * rectification_due's 整改意见书, A13), which prints the list; the others with
   * `hand_over_listed` (the same limit, the ladder after it, no letter of their own). A repeat of
   * the request (same request id) finds the list and completes what is missing; the letter, keyed
   * by the first problem's workflow and deadline, is written once.
   */
  async handOver(caller: Caller, body: HandOverProblems): Promise<ProblemHandover> {
    const input = parse(HandOverProblemsSchema, body);
    const { unit, name } = await this.deps.desk.whoIs(caller);
    if (unit.kind !== 'reform_office') throw new ForbiddenError(`问题由改革办移交整改;${unit.name}是${unit.kindLabel}`);
    const rows: ProblemRow[] = [];
    const id = this.handoverId(caller);
    const earlier = await this.deps.problems.handover(id);
    if (!earlier) {
      for (const [i, problemId] of input.problemIds.entries()) {
        const row = z.uuid().safeParse(problemId).success ? await this.deps.problems.get(problemId) : null;
        if (!row || !accessOf(unit, row).read) throw new FieldError(`problemIds.${i}`, `没有找到问题「${problemId.slice(0, 100)}」,或本单位无权查看`);
        if (rows.some((r) => r.id === row.id)) throw new FieldError(`problemIds.${i}`, `问题「${row.number}」重复列出`);
        rows.push(row);
      }
    }
    const handover = await this.handOverAs(caller, unit, name, id, rows, input.businessDate);
    const problems: ProblemDetail[] = [];
    for (const p of JSON.parse(handover.problems) as HandoverProblem[]) {
      const row = await this.landed(p.workflowId, () => this.deps.problems.get(p.problemId));
      problems.push(await this.detailOf(row, accessOf(unit, row)));
    }
    const letter = problems[0]?.letters.find((l) => l.kind === 'rectification') ?? null;
    return { id: handover.id, unitId: handover.unitId, businessDate: handover.businessDate, problems, letter };
  }

  private handoverId(caller: Caller): string {
    return requestKeyedId('problem-handover', caller);
  }

  /**
   * The handover of `rows` as this request's (its list written once, checked first), then each
   * problem's act that is still missing: `hand_over` for the first, `hand_over_listed` for the
   * others. With a list already written by this request, `rows` is ignored and the list resumed.
   *
   * A problem already in another request's list: that list was cut short (a crash, Temporal
   * unavailable, a client that never repeated its request). If its first problem was handed over,
   * its letter went out listing the problem, so the problem follows that letter: the list is
   * completed here, and a request for nothing but problems of that list answers it. If nothing of
   * it was handed over and it is older than ten minutes (no request still working on it), it is
   * dropped and this request's list takes its place. Otherwise 409.
   */
  private async handOverAs(caller: Caller, unit: Unit, name: string, id: string, rows: ProblemRow[], businessDate: string | undefined): Promise<ProblemHandoverRow> {
    const earlier = await this.deps.problems.handover(id);
    if (earlier) {
      await this.actOn(caller, unit, name, earlier, false);
      return earlier;
    }
    const today = await this.today();
    const on = businessDate ?? today;
    if (on > today) throw new FieldError('businessDate', `移交日期 ${on} 晚于今天(${today})`);
    for (const [i, row] of rows.entries()) {
      const at = rows.length > 1 ? `problemIds.${i}` : 'action';
      if (!accessOf(unit, row).roles.includes('reform_office')) throw new ForbiddenError(accessOf(unit, row).sentUp ? `问题「${row.number}」已提交上一级问题库,由上一级办理` : `问题「${row.number}」不在${unit.name}的问题库中,只能由所在问题库的改革办移交`);
      // Several at once: each must be registered (one alone: the engine says why not, 409 with its rules).
      if (rows.length > 1 && row.status !== 'registered') throw new FieldError(at, `问题「${row.number}」${PROBLEM_STATUS_LABEL[row.status as ProblemStatus] ?? row.status},不能再移交整改(只有已挂号的问题可以移交)`);
      if (row.unitId !== rows[0].unitId) {
        const [a, b] = [await this.deps.directory.unit(rows[0].unitId), await this.deps.directory.unit(row.unitId)];
        throw new FieldError(at, `问题「${row.number}」由${b?.name ?? row.unitId}整改,与第一个问题的整改单位${a?.name ?? rows[0].unitId}不同:一份整改意见书只发给一个单位`);
      }
      if (on < row.foundOn) throw new FieldError('businessDate', `移交日期 ${on} 早于问题「${row.number}」的发现日期 ${row.foundOn}`);
      // Several at once need the procedure version that lists them (problem.rules with hand_over_listed
      // and {问题清单}): a problem registered under an older version is handed over alone, or migrated first.
      if (rows.length > 1) {
        let view: PlanView;
        try {
          view = await this.deps.plans.view(row.workflowId);
        } catch {
          throw new UnavailableError('流程引擎暂未应答,无法移交;请稍后重试');
        }
        const definition = await this.definitionOf(view);
        if (!definition.stages.some((st) => st.actions.some((a) => a.id === HAND_OVER_LISTED_ACTION))) {
          throw new FieldError(at, `问题「${row.number}」按「${definition.title}」第${definition.version}版办理,该版不能几个问题一并移交:请单独移交,或先把它迁移到最新版(reform rules migrate)`);
        }
      }
    }
    const mine: ProblemHandoverRow = {
      id,
      libraryRegionPath: unit.region.path,
      unitId: rows[0].unitId,
      carrierWorkflowId: rows[0].workflowId,
      problems: JSON.stringify(await Promise.all(rows.map(async (r) => ({ problemId: r.id, workflowId: r.workflowId, number: r.number, line: await this.lineOf(r) }) satisfies HandoverProblem))),
      businessDate: on,
      createdBy: caller.principal.userId,
      requestId: caller.requestId ?? null,
      createdAt: new Date().toISOString(),
    };
    let created = await this.deps.problems.createHandover(mine);
    for (let attempt = 0; 'taken' in created && attempt < rows.length; attempt++) {
      const problemId = created.taken;
      const number = rows.find((r) => r.id === problemId)?.number ?? problemId;
      const other = await this.deps.problems.handoverOf(problemId);
      if (!other) throw new ConflictError(`问题「${number}」正在另一份整改意见书中移交,请稍后再试`);
      const carrier = await this.stageOf(JSON.parse(other.problems)[0] as HandoverProblem);
      if (carrier === 'handed') {
        // Its letter went out listing the problem: the problem follows it.
        const acted = await this.actOn(caller, unit, name, other, false);
        const listed = new Set((JSON.parse(other.problems) as HandoverProblem[]).map((p) => p.problemId));
        if (acted && rows.every((r) => listed.has(r.id))) return other;
        throw new ConflictError(`问题「${number}」已随另一份整改意见书移交整改`);
      }
      if (carrier === 'registered' && Date.now() - Date.parse(other.createdAt) > ABANDONED_HANDOVER_MS) {
        await this.deps.problems.dropHandover(other.id);
        created = await this.deps.problems.createHandover(mine);
        continue;
      }
      throw new ConflictError(`问题「${number}」已列入另一份正在移交的整改意见书,请稍后再试`);
    }
    if ('taken' in created) throw new ConflictError(`问题「${created.taken}」已列入另一份整改意见书`);
    await this.actOn(caller, unit, name, created.handover, true);
    return created.handover;
  }

  /** Whether a problem of a list has been handed over: its row, else its workflow's stage; unknown when neither says (no worker). */
  private async stageOf(p: HandoverProblem): Promise<'handed' | 'registered' | 'unknown'> {
    const row = await this.deps.problems.get(p.problemId);
    if (row && row.status !== 'registered') return 'handed';
    try {
      return (await this.deps.plans.view(p.workflowId)).stage.id === 'registered' ? 'registered' : 'handed';
    } catch {
      return 'unknown';
    }
  }

  /**
   * Sends each act of the list still missing (a problem handed over already, by its row or its
   * workflow, is skipped): `hand_over` for the first, `hand_over_listed` for the others. How many
   * were sent. A fresh list whose first act the engine refuses is dropped (nothing was handed
   * over, so its problems may be handed over again).
   */
  private async actOn(caller: Caller, unit: Unit, name: string, handover: ProblemHandoverRow, fresh: boolean): Promise<number> {
    let sent = 0;
    for (const [i, p] of (JSON.parse(handover.problems) as HandoverProblem[]).entries()) {
      if (!fresh && (await this.stageOf(p)) === 'handed') continue;
      const action = i === 0 ? 'hand_over' : HAND_OVER_LISTED_ACTION;
      const by = {
        userId: caller.principal.userId,
        name,
        unitId: unit.id,
        // A repeat of the request is answered by each workflow from its latest answers (by request id).
        ...(caller.requestId ? { requestId: caller.requestId } : {}),
        notes: { desk: { handoverId: handover.id } },
      };
      try {
        await this.deps.plans.act(p.workflowId, { action, role: 'reform_office', actor: name, businessDate: handover.businessDate ?? undefined }, by);
        sent++;
      } catch (e) {
        if (fresh && i === 0 && e instanceof ActionRefusedError) await this.deps.problems.dropHandover(handover.id);
        throw e;
      }
    }
    return sent;
  }

  /** A problem's line in its 整改意见书: its statement, number and what it is against. */
  private async lineOf(row: ProblemRow): Promise<string> {
    let object = '';
    if (row.planId) {
      let title = row.planId;
      let item: string | undefined;
      try {
        const view = await this.deps.plans.view(row.planId);
        title = view.plan.title;
        if (row.itemId) item = view.items[row.itemId]?.title;
      } catch {
        // The plan's workflow does not answer now: its id stands for its name.
      }
      object = row.itemId ? `涉及方案《${title}》具体改革事项「${item ?? row.itemId}」` : `涉及方案《${title}》`;
    } else {
      object = `涉及单位:${(await this.deps.directory.unit(row.unitId))?.name ?? row.unitId}`;
    }
    return `${row.description}(${row.number};${object})`;
  }

  /**
   * Receives an evidence file for the problem (the rectification report, photos…), from a unit
   * that acts on it: the rectifying unit or the reform office of its library (403 for one that
   * only reads it). Checked and kept as an item's evidence is (receiveEvidence); its id then goes
   * with `verify`.
   */
  async upload(caller: Caller, id: string, upload: Upload): Promise<Evidence> {
    const { unit, name } = await this.deps.desk.whoIs(caller);
    const { row, access } = await this.reach(unit, id);
    if (!access.roles.length) throw new ForbiddenError(`${unit.name}对问题「${row.number}」只能查看,不能上传佐证材料`);
    const kept = await receiveEvidence(
      { store: this.deps.evidence, audit: this.deps.audit, maxBytes: this.deps.maxEvidenceBytes ?? DEFAULT_EVIDENCE_MAX_BYTES },
      { caller, unitId: unit.id, name },
      { planId: row.workflowId, itemId: row.id, audit: { action: 'problem.evidence_added', target: { type: 'problem', id: row.id }, after: {} } },
      upload,
    );
    return evidenceOut(kept);
  }

  /**
   * A problem's history (its 全程留痕): the audit rows about it (registered, each act, each
   * evidence file) and about its letters (issued by the engine, signed for by a unit; for a problem
   * handed over in another's 整改意见书, that letter), oldest first, for whoever may read the problem.
   */
  async history(caller: Caller, id: string): Promise<{ rows: ProblemHistoryEntry[] }> {
    const { unit } = await this.deps.desk.whoIs(caller);
    const { row } = await this.reach(unit, id);
    const listedIn = (await this.listedIn(row)).map((l) => l.id);
    const trail = await this.deps.audit.trail({ target: { type: 'problem', id: row.id }, lettersOfWorkflow: row.workflowId, letterIds: listedIn });
    return {
      rows: trail.map((r) => ({
        seq: r.seq,
        at: r.at,
        action: r.action,
        actionLabel: r.actionLabel,
        actor: r.actor && { name: r.actor.displayName ?? r.actor.name, unitId: r.actor.unitId, unitName: r.actor.unitName },
        details: problemHistoryDetails(r),
        letterId: r.target.type === 'letter' ? r.target.id : null,
      })),
    };
  }

  /** The evidence files of a problem: those uploaded for it, and those its cancellation cites (of the plan it is against). */
  async evidence(caller: Caller, id: string): Promise<{ rows: Evidence[] }> {
    const { unit } = await this.deps.desk.whoIs(caller);
    const { row } = await this.reach(unit, id);
    const own = await this.deps.evidence.evidenceOf(row.workflowId, row.id);
    const cited = [];
    for (const evidenceId of jsonList<string>(row.evidenceIds)) {
      if (own.some((e) => e.id === evidenceId)) continue;
      const ev = await this.deps.evidence.evidence(evidenceId);
      if (ev) cited.push(ev);
    }
    return { rows: [...own, ...cited].map(evidenceOut) };
  }

  /** An evidence file of the problem (as `evidence` lists them) and its bytes, for whoever may read the problem. */
  async download(caller: Caller, id: string, evidenceId: string): Promise<{ evidence: Evidence; body: Readable }> {
    const { unit } = await this.deps.desk.whoIs(caller);
    const { row } = await this.reach(unit, id);
    const ev = await this.deps.evidence.evidence(evidenceId);
    const ours = ev && ((ev.planId === row.workflowId && ev.itemId === row.id) || jsonList<string>(row.evidenceIds).includes(ev.id));
    if (!ev || !ours) throw new NotFoundError(`问题「${row.number}」没有佐证材料「${evidenceId.slice(0, 60)}」`);
    const body = await this.deps.evidence.open(ev);
    if (!body) throw new NotFoundError(`佐证材料「${ev.filename}」的文件已不在存储中,请联系运维人员`);
    return { evidence: evidenceOut(ev), body };
  }

  /** Handed over in another problem's 整改意见书 (hand_over_listed): that letter, which is this problem's too; else none. */
  private async listedIn(row: ProblemRow) {
    const handover = await this.deps.problems.handoverOf(row.id);
    if (!handover || handover.carrierWorkflowId === row.workflowId) return [];
    return (await this.deps.letters.forWorkflow(handover.carrierWorkflowId)).filter((l) => l.kind === 'rectification');
  }

  private async definitionOf(view: PlanView): Promise<ProcessDefinition> {
    const def = await this.deps.definitions.get(view.procedure.id, view.procedure.version);
    if (!def) throw new UserError(`流程「${view.procedure.title}」第${view.procedure.version}版已不存在`);
    return def;
  }

  private out(row: ProblemRow, access: ProblemAccess): Problem {
    const status: ProblemStatus = access.sentUp ? 'escalated' : ((PROBLEM_STATUSES as readonly string[]).includes(row.status) ? (row.status as ProblemStatus) : 'registered');
    return {
      id: row.id,
      number: row.number,
      library: { regionPath: row.libraryRegionPath, ownerUnitId: row.ownerUnitId },
      originRegionPath: row.originRegionPath,
      escalatedFromRegionPath: row.escalatedFromRegionPath,
      against: { type: row.againstType, planId: row.planId, itemId: row.itemId, unitId: row.unitId },
      description: row.description,
      foundOn: row.foundOn,
      limitDate: row.limitDate,
      status,
      statusLabel: PROBLEM_STATUS_LABEL[status],
      workflowId: row.workflowId,
      evidenceIds: jsonList<string>(row.evidenceIds),
      note: row.note,
      registeredAt: row.registeredAt,
      updatedAt: row.updatedAt,
    };
  }

  private async detailOf(row: ProblemRow, access: ProblemAccess): Promise<ProblemDetail> {
    let engine: ProblemDetail['engine'] = null;
    try {
      const view = await this.deps.plans.view(row.workflowId);
      engine = {
        stage: { id: view.stage.id, label: view.stage.label },
        deadlines: view.deadlines.map((d) => ({ key: d.key, id: d.id, label: d.label, source: d.source, due: d.due, status: d.status, late: d.late })),
        // Handing over in another problem's letter is the desk's own step (handOver), never one to offer.
        actions: access.roles.flatMap((r) => view.actions[r] ?? []).filter((a) => a.action !== HAND_OVER_LISTED_ACTION).map((a) => ({ action: a.action, label: a.label, blockers: a.blockers, needsReason: a.needsReason })),
      };
    } catch {
      // No worker answers now: the library's row still reads.
    }
    // Its own letters, after the 整改意见书 of another problem that lists it (if so).
    const letters = [...(await this.listedIn(row)), ...(await this.deps.letters.forWorkflow(row.workflowId))].map((l) => ({
      letterId: l.id,
      number: l.number,
      kind: l.kind,
      subject: l.subject,
      body: l.body,
      addressees: jsonList<{ role: string; name: string }>(l.addressees),
      copyTo: jsonList<{ role: string; name: string }>(l.copyTo),
      dueDate: l.dueDate,
      limitDate: l.limitDate,
      ruleId: l.ruleId,
      issuedOn: l.issuedOn,
    }));
    return { ...this.out(row, access), engine, letters };
  }
}

const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const statusLabel = (v: unknown): string | null => (typeof v === 'string' ? (PROBLEM_STATUS_LABEL[v as ProblemStatus] ?? null) : null);

/**
 * What an audited act on a problem or its letter changed, in Chinese, line by line: the number it
 * was registered under; the status before and after; the limit set; the library above (Y11); the
 * reason, the note, the evidence cited; an evidence file's name; a letter's kind and number.
 */
export function problemHistoryDetails(r: Pick<AuditTrailRow, 'action' | 'before' | 'after' | 'target'>): string[] {
  const before = record(r.before);
  const after = record(r.after);
  const out: string[] = [];
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  if (r.action === 'problem.registered') {
    if (text(after.number)) out.push(`挂号号:${text(after.number)}`);
    return out;
  }
  if (r.action === 'problem.evidence_added') {
    if (text(after.filename)) out.push(`文件:${text(after.filename)}`);
    return out;
  }
  if (r.action === 'letter.issued') {
    const kind = text(after.kind);
    const label = kind ? (LETTER_KIND_LABEL[kind as LetterKind] ?? '函件') : '函件';
    out.push(`${label} ${text(after.number) ?? r.target.title ?? ''}`.trim());
    return out;
  }
  if (r.action === 'letter.signed') {
    if (r.target.title) out.push(`函件:${r.target.title}`);
    return out;
  }
  if (!r.action.startsWith('problem.')) return out;
  const from = statusLabel(before.status);
  const to = statusLabel(after.status);
  if (to && to !== from) out.push(`状态:${from ? `${from} → ` : ''}${to}`);
  if (text(after.limitDate) && after.limitDate !== before.limitDate) out.push(`整改期限:${formatChineseDate(String(after.limitDate))}`);
  if (text(after.library) && text(before.library) && after.library !== before.library) out.push('转入上一级问题库');
  if (text(after.reason)) out.push(`理由:${text(after.reason)}`);
  if (text(after.note) && after.note !== before.note) out.push(`情况说明:${text(after.note)}`);
  const cited = Array.isArray(after.evidenceIds) ? after.evidenceIds.length : 0;
  if (cited && JSON.stringify(after.evidenceIds) !== JSON.stringify(before.evidenceIds)) out.push(`佐证材料 ${cited} 份`);
  return out;
}
