import type { AuditedAct, PlanProjection } from '@reform/machine';
import { PROBLEM_PROCEDURE, RECTIFICATION_DEADLINE, RECTIFICATION_LISTED_DEADLINE, SELF_INSPECTION_DEADLINE, SELF_INSPECTION_PROCEDURE } from '@reform/platform';
import type { EntityManager } from 'typeorm';
import type { AuditEntry } from './audit-store';
import { checkColumnLengths } from './errors';
import { ProblemEntity, ProblemRow } from './problem-entities';
import { RoundEntity, RoundItemEntity, RoundItemRow, RoundPlanEntity, RoundPlanRow } from './round-entities';

/**
 * One act of a procedure's workflow as a desk's ledger hook gets it: in the transaction of the
 * ledger write that claimed the act (plan_act_audits), after the plan's projection and the act's
 * own audit row. What the hook writes (the desk's rows and its audit rows) commits with them or
 * not at all, and is written once per act whatever crashes or retries (issue 9: nothing lost or
 * sent twice).
 */
export interface DeskLedgerWrite {
  m: EntityManager;
  /** The plan's projection as of this write (it may be some changes past the act). */
  projection: PlanProjection;
  act: AuditedAct;
  /** The desk's data the act carries (`after.desk`: registeredBy.desk, or the act's notes.desk); empty when none. */
  desk: Record<string, unknown>;
  /** Appends an audit row in the same transaction. */
  audit(entry: AuditEntry): Promise<void>;
  postgres: boolean;
}

/**
 * What a desk keeps beside the workflows of one procedure (the problem library, the supervision
 * rounds' tasks): its rows derived from what the workflow records (stage, deadlines, the act and
 * the desk data it carries), written by the ledger write that audits each act. One mechanism
 * for every such desk: LedgerStore runs the hook of the projection's procedure.
 */
export interface DeskLedger {
  procedure: string;
  onAct(w: DeskLedgerWrite): Promise<void>;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const textList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const jsonList = (t: string): string[] => {
  try {
    return textList(JSON.parse(t));
  } catch {
    return [];
  }
};

/** How many tasks a round planned at its opening (RoundRow.planned: a JSON array). */
function plannedCount(planned: string | null | undefined): number {
  try {
    const v: unknown = JSON.parse(planned ?? '[]');
    return Array.isArray(v) ? v.length : 0;
  } catch {
    return 0;
  }
}

/** The due date of a deadline's latest occurrence in the projection (keys `<deadline id>#<n>`). */
function latestDue(p: PlanProjection, deadlineId: string): string | null {
  const found = p.deadlines.filter((d) => d.key === deadlineId || d.key.startsWith(`${deadlineId}#`));
  return found.length ? found[found.length - 1].due : null;
}

// ---- The problem library (rules/standard/problem.rules; ProblemDesk) --------------------------

/** A problem's status in its library, from the stage its procedure is in. */
export const PROBLEM_STATUS_OF_STAGE: Readonly<Record<string, string>> = { registered: 'registered', rectifying: 'rectifying', verification: 'verifying', kept: 'kept', closed: 'cancelled' };

/**
 * The desk data of a problem's registration (registeredBy.desk.problem): what the library row
 * keeps that the workflow does not (the unit, description, date and library are the plan's
 * lead unit, title, registration date and region).
 */
export interface ProblemRegistration {
  id: string;
  /** The name the number is written with: 示范省甲市 → 示范省甲市问题〔2026〕1号. */
  libraryName: string;
  against: { type: 'plan' | 'item' | 'unit'; planId: string | null; itemId: string | null };
  /** The date the problem was found: the plan's registration date, whose year numbers it. */
  foundOn: string;
}

/** The desk data of an escalation (notes.desk.sentUpTo): the library above and its reform office. */
export interface ProblemSentUp {
  regionPath: string;
  ownerUnitId: string;
}

/**
 * The problem library's hook: a problem's registration numbers it (the next number of its
 * library and year, gap-free: taken in this transaction, under a lock of that library-year on
 * PostgreSQL) and inserts its row; every act brings the row in step (status from the stage, the
 * limit from the rectification deadline, the library above after an escalation, the evidence and
 * note) and is audited as `problem.<action>`, against the problem.
 */
export const PROBLEM_LEDGER: DeskLedger = {
  procedure: PROBLEM_PROCEDURE,
  async onAct({ m, projection: p, act, desk, audit, postgres }) {
    const repo = m.getRepository(ProblemEntity);
    const actor = { actorUserId: act.actor.userId, actorName: act.actor.name, actorUnitId: act.actor.unitId, requestId: act.requestId, at: new Date(act.at) };
    if (act.audit === 'plan.registered') {
      const reg = desk.problem as ProblemRegistration | undefined;
      if (!reg || !p.scope) return;
      const date = reg.foundOn;
      const year = Number(date.slice(0, 4));
      const library = p.scope.regionPath;
      const ph = postgres ? ['$1', '$2'] : ['?', '?'];
      // Two registrations of one library-year at once take turns for the number (SQLite writes one at a time anyway).
      if (postgres) await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`problem-number:${library}:${year}`]);
      const [{ last }]: Array<{ last: number | string | null }> = await m.query(`SELECT MAX(seq) AS last FROM problems WHERE origin_region_path = ${ph[0]} AND year = ${ph[1]}`, [library, year]);
      const seq = Number(last ?? 0) + 1;
      const row: ProblemRow = {
        id: reg.id,
        number: `${reg.libraryName}问题〔${year}〕${seq}号`,
        year,
        seq,
        originRegionPath: library,
        libraryRegionPath: library,
        ownerUnitId: act.actor.unitId ?? '',
        escalatedFromRegionPath: null,
        againstType: reg.against.type,
        planId: reg.against.planId,
        itemId: reg.against.itemId,
        unitId: p.scope.leadUnitId,
        description: p.title,
        foundOn: date,
        limitDate: null,
        status: PROBLEM_STATUS_OF_STAGE[p.stage.id] ?? 'registered',
        workflowId: p.planId,
        evidenceIds: '[]',
        note: null,
        registeredBy: act.actor.userId,
        registeredAt: act.at,
        updatedAt: act.at,
      };
      checkColumnLengths(ProblemEntity, row, '问题');
      await repo.insert(row);
      await audit({
        ...actor,
        action: 'problem.registered',
        targetType: 'problem',
        targetId: row.id,
        before: null,
        after: { number: row.number, library, against: reg.against, unitId: row.unitId, description: row.description, foundOn: date, workflowId: row.workflowId },
      });
      return;
    }
    const row = await repo.findOneBy({ workflowId: p.planId });
    const action = text(act.after.action);
    if (!row || !action) return;
    const change: Partial<ProblemRow> = { status: PROBLEM_STATUS_OF_STAGE[String(act.after.stage)] ?? row.status, updatedAt: act.at };
    // Handed over alone or first in a 整改意见书 (rectification_due), or listed in another's (…_listed).
    const limit = latestDue(p, RECTIFICATION_DEADLINE) ?? latestDue(p, RECTIFICATION_LISTED_DEADLINE);
    if (limit) change.limitDate = limit;
    const up = desk.sentUpTo as ProblemSentUp | undefined;
    if (up) Object.assign(change, { libraryRegionPath: up.regionPath, ownerUnitId: up.ownerUnitId, escalatedFromRegionPath: row.libraryRegionPath });
    const evidenceIds = textList(act.after.evidenceIds);
    if (evidenceIds.length) change.evidenceIds = JSON.stringify(evidenceIds);
    const note = text(act.after.note);
    if (note) change.note = note;
    await repo.update({ id: row.id }, change);
    const after = { ...row, ...change };
    const pick = (r: ProblemRow) => ({ status: r.status, library: r.libraryRegionPath, limitDate: r.limitDate, evidenceIds: jsonList(r.evidenceIds), note: r.note });
    const reason = text(act.after.reason);
    await audit({
      ...actor,
      action: `problem.${action}`,
      targetType: 'problem',
      targetId: row.id,
      before: pick(row),
      after: { ...pick(after), action, stage: act.after.stage, ...(reason && action !== 'keep' ? { reason } : {}), ...(text(desk.handoverId) ? { handoverId: text(desk.handoverId) } : {}) },
    });
  },
};

// ---- Supervision rounds' self-inspection tasks (rules/standard/self-inspection.rules; RoundDesk) ----

/** A self-inspection task's status, from the stage its procedure is in. */
export const ROUND_TASK_STATUS_OF_STAGE: Readonly<Record<string, string>> = { inspecting: 'inspecting', verification: 'verification', closed: 'verified' };

/** The desk data of a task's registration (registeredBy.desk.roundTask): the plan it inspects and the items asked about. */
export interface RoundTaskRegistration {
  roundId: string;
  planId: string;
  planTitle: string;
  procedureId: string;
  issuedOn: string;
  items: Array<{ itemId: string; itemTitle: string; statusAtOpening: string }>;
}

/** The desk data of a report (notes.desk.selfInspection) or a verification (notes.desk.findings), item by item. */
export type RoundItemChange = Pick<RoundItemRow, 'itemId'> & Partial<Pick<RoundItemRow, 'selfStatus' | 'selfNote' | 'evidenceIds' | 'verifiedStatus' | 'verifyNote'>>;

/**
 * The rounds' hook: a task's registration inserts its row and its items' rows (the limit from the
 * self-inspection deadline), and the round, once every planned task has its row, is open; a report,
 * a verification and a sending back bring the task and its items in step and are audited against
 * the task (`round.self_inspection_reported`, `round.verified`, `round.sent_back`).
 */
export const ROUND_TASK_LEDGER: DeskLedger = {
  procedure: SELF_INSPECTION_PROCEDURE,
  async onAct({ m, projection: p, act, desk, audit }) {
    const tasks = m.getRepository(RoundPlanEntity);
    const items = m.getRepository(RoundItemEntity);
    const actor = { actorUserId: act.actor.userId, actorName: act.actor.name, actorUnitId: act.actor.unitId, requestId: act.requestId, at: new Date(act.at) };
    if (act.audit === 'plan.registered') {
      const reg = desk.roundTask as RoundTaskRegistration | undefined;
      if (!reg || !p.scope) return;
      const round = await m.getRepository(RoundEntity).findOneBy({ id: reg.roundId });
      // A task is started only once its round's row stands (RoundDesk): none is an orphan.
      if (!round) return;
      const task: RoundPlanRow = {
        roundId: reg.roundId,
        planId: reg.planId,
        planTitle: reg.planTitle,
        procedureId: reg.procedureId,
        leadUnitId: p.scope.leadUnitId,
        specialGroupId: p.scope.specialGroupId ?? null,
        issuedOn: reg.issuedOn,
        workflowId: p.planId,
        limitDate: latestDue(p, SELF_INSPECTION_DEADLINE),
        status: ROUND_TASK_STATUS_OF_STAGE[p.stage.id] ?? 'inspecting',
        reportedOn: null,
        verifiedOn: null,
        updatedAt: act.at,
      };
      checkColumnLengths(RoundPlanEntity, task, '督察轮次的方案');
      const rows: RoundItemRow[] = reg.items.map((i) => ({
        roundId: reg.roundId,
        planId: reg.planId,
        itemId: i.itemId,
        itemTitle: i.itemTitle,
        statusAtOpening: i.statusAtOpening,
        selfStatus: null,
        selfNote: null,
        evidenceIds: '[]',
        verifiedStatus: null,
        verifyNote: null,
      }));
      for (const r of rows) checkColumnLengths(RoundItemEntity, r, '督察轮次的事项');
      await tasks.insert(task);
      for (let i = 0; i < rows.length; i += 50) await items.insert(rows.slice(i, i + 50));
      // The round is open once every task planned at its opening has its row.
      if (round.status === 'opening') {
        const planned = plannedCount(round.planned);
        if ((await tasks.countBy({ roundId: round.id })) >= planned) await m.getRepository(RoundEntity).update({ id: round.id, status: 'opening' }, { status: 'open' });
      }
      return;
    }
    const task = await tasks.findOneBy({ workflowId: p.planId });
    const action = text(act.after.action);
    if (!task || !action) return;
    const target = { targetType: 'round_task', targetId: `${task.roundId}/${task.planId}` };
    const status = ROUND_TASK_STATUS_OF_STAGE[String(act.after.stage)] ?? task.status;
    const on = text(act.after.businessDate);
    const changes = (Array.isArray(desk.items) ? desk.items : []) as RoundItemChange[];
    const before = await items.find({ where: { roundId: task.roundId, planId: task.planId }, order: { itemId: 'ASC' } });
    const change: Partial<RoundPlanRow> = { status, updatedAt: act.at };
    if (action === 'report_self_inspection') change.reportedOn = on;
    if (action === 'verify') change.verifiedOn = on;
    await tasks.update({ roundId: task.roundId, planId: task.planId }, change);
    for (const { itemId, ...rest } of changes) await items.update({ roundId: task.roundId, planId: task.planId, itemId }, rest);
    if (action === 'report_self_inspection') {
      await audit({
        ...actor,
        ...target,
        action: 'round.self_inspection_reported',
        before: { status: task.status, items: before.map((r) => ({ itemId: r.itemId, status: r.selfStatus })) },
        after: { status, reportedOn: on, items: changes.map((c) => ({ itemId: c.itemId, status: c.selfStatus ?? null, note: c.selfNote ?? null, evidenceIds: jsonList(c.evidenceIds ?? '[]') })) },
      });
    } else if (action === 'verify') {
      await audit({
        ...actor,
        ...target,
        action: 'round.verified',
        before: { status: task.status, items: before.map((r) => ({ itemId: r.itemId, selfStatus: r.selfStatus })) },
        after: {
          status,
          verifiedOn: on,
          items: changes.map((f) => ({ itemId: f.itemId, status: f.verifiedStatus ?? null, note: f.verifyNote ?? null })),
          leaveSupervision: changes.filter((f) => f.verifiedStatus === 'completed').map((f) => f.itemId),
        },
      });
    } else {
      await audit({ ...actor, ...target, action: `round.${action === 'send_back' ? 'sent_back' : action}`, before: { status: task.status }, after: { status, ...(text(act.after.reason) ? { reason: act.after.reason } : {}) } });
    }
  },
};

/** The desks whose rows every ledger write keeps (LedgerStore's default). */
export const STANDARD_DESK_LEDGERS: readonly DeskLedger[] = [PROBLEM_LEDGER, ROUND_TASK_LEDGER];
