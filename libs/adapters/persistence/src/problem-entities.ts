import { EntitySchema } from 'typeorm';

/**
 * The problem library (问题库, Y9, Y11): one row per problem found by supervision, beside the
 * workflow that runs its procedure (rules/standard/rectification.rules). The workflow decides
 * what may be done and sends the letters; the row keeps what the library shows: its number,
 * which library holds it now, what it is against, and its status as of the last action.
 */
export interface ProblemRow {
  id: string;
  /** 挂号号: 示范省甲市问题〔2026〕3号, numbered per registering library and year. */
  number: string;
  year: number;
  seq: number;
  /** The library it was registered in (a region path, /sf/jia/). */
  originRegionPath: string;
  /** The library that holds it now: the origin, or the one above after an escalation (Y11). */
  libraryRegionPath: string;
  /** The reform office of the library that holds it. */
  ownerUnitId: string;
  /** The library it was last escalated from; null when never escalated. */
  escalatedFromRegionPath: string | null;
  againstType: 'plan' | 'item' | 'unit';
  planId: string | null;
  itemId: string | null;
  /** The unit that rectifies: the unit itself, or the lead unit of the plan. */
  unitId: string;
  description: string;
  foundOn: string;
  /** The rectification limit (the engine's due date of rectification_due); null before handover. */
  limitDate: string | null;
  /** registered / rectifying / verifying / kept / cancelled. */
  status: string;
  workflowId: string;
  /** JSON array of the evidence ids the cancellation was verified with. */
  evidenceIds: string;
  /** The note of a kept problem (留号), or of the last action that carried one. */
  note: string | null;
  registeredBy: string;
  registeredAt: string;
  updatedAt: string;
}

export const ProblemEntity = new EntitySchema<ProblemRow>({
  name: 'Problem',
  tableName: 'problems',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    number: { type: 'varchar', length: 200 },
    year: { type: 'int' },
    seq: { type: 'int' },
    originRegionPath: { name: 'origin_region_path', type: 'varchar', length: 200 },
    libraryRegionPath: { name: 'library_region_path', type: 'varchar', length: 200 },
    ownerUnitId: { name: 'owner_unit_id', type: 'varchar', length: 100 },
    escalatedFromRegionPath: { name: 'escalated_from_region_path', type: 'varchar', length: 200, nullable: true },
    againstType: { name: 'against_type', type: 'varchar', length: 10 },
    planId: { name: 'plan_id', type: 'varchar', length: 200, nullable: true },
    itemId: { name: 'item_id', type: 'varchar', length: 50, nullable: true },
    unitId: { name: 'unit_id', type: 'varchar', length: 100 },
    description: { type: 'text' },
    foundOn: { name: 'found_on', type: 'varchar', length: 10 },
    limitDate: { name: 'limit_date', type: 'varchar', length: 10, nullable: true },
    status: { type: 'varchar', length: 20 },
    workflowId: { name: 'workflow_id', type: 'varchar', length: 200 },
    evidenceIds: { name: 'evidence_ids', type: 'text' },
    note: { type: 'text', nullable: true },
    registeredBy: { name: 'registered_by', type: 'varchar', length: 100 },
    registeredAt: { name: 'registered_at', type: 'varchar', length: 30 },
    updatedAt: { name: 'updated_at', type: 'varchar', length: 30 },
  },
});

/** One problem of a handover as its 整改意见书 lists it. */
export interface HandoverProblem {
  problemId: string;
  workflowId: string;
  number: string;
  /** The line the letter prints (without its ordinal): 问题表述(挂号号;所涉对象). */
  line: string;
}

/**
 * Problems of one unit handed over together in one 整改意见书 (A13: the problem list and the
 * limit), written by ProblemDesk.handOver before any problem's act: the first problem (the
 * carrier) is handed over with `hand_over` and its workflow's letter lists them all (the letter
 * store reads `problems` in the letter's transaction); the others with `hand_over_listed`.
 */
export interface ProblemHandoverRow {
  /** Derived from the request (requests.ts): a repeat finds it. */
  id: string;
  libraryRegionPath: string;
  unitId: string;
  carrierWorkflowId: string;
  /** JSON array of HandoverProblem, in the letter's order. */
  problems: string;
  businessDate: string | null;
  createdBy: string;
  requestId: string | null;
  createdAt: string;
}

export const ProblemHandoverEntity = new EntitySchema<ProblemHandoverRow>({
  name: 'ProblemHandover',
  tableName: 'problem_handovers',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    libraryRegionPath: { name: 'library_region_path', type: 'varchar', length: 200 },
    unitId: { name: 'unit_id', type: 'varchar', length: 100 },
    carrierWorkflowId: { name: 'carrier_workflow_id', type: 'varchar', length: 200 },
    problems: { type: 'text' },
    businessDate: { name: 'business_date', type: 'varchar', length: 10, nullable: true },
    createdBy: { name: 'created_by', type: 'varchar', length: 100 },
    requestId: { name: 'request_id', type: 'varchar', length: 128, nullable: true },
    createdAt: { name: 'created_at', type: 'varchar', length: 30 },
  },
});

/** A problem is in one handover at most (its primary key): two handovers of it at once, one wins. */
export interface ProblemHandoverMemberRow {
  problemId: string;
  handoverId: string;
  seq: number;
}

export const ProblemHandoverMemberEntity = new EntitySchema<ProblemHandoverMemberRow>({
  name: 'ProblemHandoverMember',
  tableName: 'problem_handover_members',
  columns: {
    problemId: { name: 'problem_id', type: 'varchar', length: 36, primary: true },
    handoverId: { name: 'handover_id', type: 'varchar', length: 36 },
    seq: { type: 'int' },
  },
});

export const PROBLEM_ENTITIES = [ProblemEntity, ProblemHandoverEntity, ProblemHandoverMemberEntity];
