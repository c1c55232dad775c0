import { EntitySchema } from 'typeorm';

/**
 * Supervision rounds (督察轮次, S3): the mid-year concentrated supervision a reform office opens
 * over every plan of its level issued at least half a year before. The set of plans is fixed at
 * opening (round_plans); each plan's self-inspection task runs the self_inspection procedure in
 * its own workflow (letters, limit), and its items' answers and the office's findings are kept
 * here (round_items): the 督察评估事项表. An item found completed leaves supervision scope (S2).
 */
export interface RoundRow {
  id: string;
  name: string;
  year: number;
  /** The level whose reform office opened it (a region path, /sf/). */
  regionPath: string;
  ownerUnitId: string;
  openedOn: string;
  /** Plans issued on or before this date are in the round (opening date less six months). */
  cutoff: string;
  /** opening (tasks still being started) | open | closed */
  status: string;
  /**
   * The tasks fixed at opening, as JSON [{ planId, workflowId }]: the round's row is written
   * with it before any task starts, and is open once each has its row (null on rounds from
   * before it: they were written whole).
   */
  planned?: string | null;
  openedBy: string;
  openedAt: string;
  closedOn: string | null;
  closedAt: string | null;
}

export interface RoundPlanRow {
  roundId: string;
  planId: string;
  planTitle: string;
  procedureId: string;
  leadUnitId: string;
  specialGroupId: string | null;
  issuedOn: string;
  /** The self-inspection task's workflow. */
  workflowId: string;
  /** The task's limit (the engine's self_inspection_due). */
  limitDate: string | null;
  /** inspecting | verification | verified (the task's stage). */
  status: string;
  reportedOn: string | null;
  verifiedOn: string | null;
  updatedAt: string;
}

export interface RoundItemRow {
  roundId: string;
  planId: string;
  itemId: string;
  itemTitle: string;
  /** The item's status in the plan when the round opened. */
  statusAtOpening: string;
  /** The lead unit's self-inspection: not_started | started | completed. */
  selfStatus: string | null;
  selfNote: string | null;
  /** JSON array of evidence ids (the plan's item evidence). */
  evidenceIds: string;
  /** The reform office's finding; `completed` takes the item out of supervision scope. */
  verifiedStatus: string | null;
  verifyNote: string | null;
}

export const RoundEntity = new EntitySchema<RoundRow>({
  name: 'SupervisionRound',
  tableName: 'supervision_rounds',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    name: { type: 'varchar', length: 200 },
    year: { type: 'int' },
    regionPath: { name: 'region_path', type: 'varchar', length: 200 },
    ownerUnitId: { name: 'owner_unit_id', type: 'varchar', length: 100 },
    openedOn: { name: 'opened_on', type: 'varchar', length: 10 },
    cutoff: { type: 'varchar', length: 10 },
    status: { type: 'varchar', length: 10 },
    planned: { type: 'text', nullable: true },
    openedBy: { name: 'opened_by', type: 'varchar', length: 100 },
    openedAt: { name: 'opened_at', type: 'varchar', length: 30 },
    closedOn: { name: 'closed_on', type: 'varchar', length: 10, nullable: true },
    closedAt: { name: 'closed_at', type: 'varchar', length: 30, nullable: true },
  },
});

export const RoundPlanEntity = new EntitySchema<RoundPlanRow>({
  name: 'SupervisionRoundPlan',
  tableName: 'supervision_round_plans',
  columns: {
    roundId: { name: 'round_id', type: 'varchar', length: 36, primary: true },
    planId: { name: 'plan_id', type: 'varchar', length: 200, primary: true },
    planTitle: { name: 'plan_title', type: 'varchar', length: 200 },
    procedureId: { name: 'procedure_id', type: 'varchar', length: 100 },
    leadUnitId: { name: 'lead_unit_id', type: 'varchar', length: 100 },
    specialGroupId: { name: 'special_group_id', type: 'varchar', length: 100, nullable: true },
    issuedOn: { name: 'issued_on', type: 'varchar', length: 10 },
    workflowId: { name: 'workflow_id', type: 'varchar', length: 200 },
    limitDate: { name: 'limit_date', type: 'varchar', length: 10, nullable: true },
    status: { type: 'varchar', length: 20 },
    reportedOn: { name: 'reported_on', type: 'varchar', length: 10, nullable: true },
    verifiedOn: { name: 'verified_on', type: 'varchar', length: 10, nullable: true },
    updatedAt: { name: 'updated_at', type: 'varchar', length: 30 },
  },
});

export const RoundItemEntity = new EntitySchema<RoundItemRow>({
  name: 'SupervisionRoundItem',
  tableName: 'supervision_round_items',
  columns: {
    roundId: { name: 'round_id', type: 'varchar', length: 36, primary: true },
    planId: { name: 'plan_id', type: 'varchar', length: 200, primary: true },
    itemId: { name: 'item_id', type: 'varchar', length: 50, primary: true },
    itemTitle: { name: 'item_title', type: 'varchar', length: 200 },
    statusAtOpening: { name: 'status_at_opening', type: 'varchar', length: 20 },
    selfStatus: { name: 'self_status', type: 'varchar', length: 20, nullable: true },
    selfNote: { name: 'self_note', type: 'text', nullable: true },
    evidenceIds: { name: 'evidence_ids', type: 'text' },
    verifiedStatus: { name: 'verified_status', type: 'varchar', length: 20, nullable: true },
    verifyNote: { name: 'verify_note', type: 'text', nullable: true },
  },
});

export const ROUND_ENTITIES = [RoundEntity, RoundPlanEntity, RoundItemEntity];
