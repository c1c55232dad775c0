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

export const PROBLEM_ENTITIES = [ProblemEntity];
