import { EntitySchema } from 'typeorm';

/**
 * The ledger (issue 8, §3): a read model of every plan, written from the plans' own projections
 * (PlanProjection, @reform/machine). One row per plan with the columns lists filter and sort on,
 * and the whole projection as JSON for the detail; the plan's units, deadlines and items in rows
 * of their own for the filters that look inside a plan.
 */
export interface LedgerPlanRow {
  planId: string;
  procedureId: string;
  procedureVersion: number;
  title: string;
  stageId: string;
  stageLabel: string;
  /** open | closed */
  status: string;
  regionPath: string | null;
  /** province | city | county, from the depth of the region path. */
  regionLevel: string | null;
  leadUnitId: string | null;
  specialGroupId: string | null;
  /** Earliest due date of an open deadline. */
  nextDue: string | null;
  /** nextDue, or 9999-12-31 when nothing is due: the due-date sort's key (nulls last, indexable). */
  dueKey: string;
  /** Some deadline was open past its due date when the projection was made (lists test nextDue against today). */
  overdue: boolean;
  changeCounter: number;
  updatedAt: string;
  /** When the ledger wrote this projection (for the projection lag). */
  projectedAt: string;
  projection: string;
}

export interface LedgerPlanUnitRow {
  planId: string;
  unitId: string;
  /** lead | participant | group */
  relation: string;
}

export interface LedgerDeadlineRow {
  planId: string;
  deadlineKey: string;
  label: string;
  ruleId: string | null;
  due: string;
  /** open | done | overdue | cancelled (as of the projection) */
  status: string;
}

export interface LedgerItemRow {
  planId: string;
  itemId: string;
  title: string;
  status: string;
}

export const LedgerPlanEntity = new EntitySchema<LedgerPlanRow>({
  name: 'LedgerPlan',
  tableName: 'ledger_plans',
  columns: {
    planId: { name: 'plan_id', type: 'varchar', length: 200, primary: true },
    procedureId: { name: 'procedure_id', type: 'varchar', length: 100 },
    procedureVersion: { name: 'procedure_version', type: 'int' },
    title: { type: 'varchar', length: 200 },
    stageId: { name: 'stage_id', type: 'varchar', length: 100 },
    stageLabel: { name: 'stage_label', type: 'text' },
    status: { type: 'varchar', length: 10 },
    regionPath: { name: 'region_path', type: 'varchar', length: 200, nullable: true },
    regionLevel: { name: 'region_level', type: 'varchar', length: 10, nullable: true },
    leadUnitId: { name: 'lead_unit_id', type: 'varchar', length: 100, nullable: true },
    specialGroupId: { name: 'special_group_id', type: 'varchar', length: 100, nullable: true },
    nextDue: { name: 'next_due', type: 'varchar', length: 10, nullable: true },
    dueKey: { name: 'due_key', type: 'varchar', length: 10 },
    overdue: { type: 'boolean' },
    changeCounter: { name: 'change_counter', type: 'int' },
    updatedAt: { name: 'updated_at', type: 'varchar', length: 30 },
    projectedAt: { name: 'projected_at', type: 'varchar', length: 30 },
    projection: { type: 'text' },
  },
});

export const LedgerPlanUnitEntity = new EntitySchema<LedgerPlanUnitRow>({
  name: 'LedgerPlanUnit',
  tableName: 'ledger_plan_units',
  columns: {
    planId: { name: 'plan_id', type: 'varchar', length: 200, primary: true },
    unitId: { name: 'unit_id', type: 'varchar', length: 100, primary: true },
    relation: { type: 'varchar', length: 20, primary: true },
  },
});

export const LedgerDeadlineEntity = new EntitySchema<LedgerDeadlineRow>({
  name: 'LedgerDeadline',
  tableName: 'ledger_deadlines',
  columns: {
    planId: { name: 'plan_id', type: 'varchar', length: 200, primary: true },
    deadlineKey: { name: 'deadline_key', type: 'varchar', length: 120, primary: true },
    label: { type: 'text' },
    ruleId: { name: 'rule_id', type: 'varchar', length: 10, nullable: true },
    due: { type: 'varchar', length: 10 },
    status: { type: 'varchar', length: 10 },
  },
});

export const LedgerItemEntity = new EntitySchema<LedgerItemRow>({
  name: 'LedgerItem',
  tableName: 'ledger_items',
  columns: {
    planId: { name: 'plan_id', type: 'varchar', length: 200, primary: true },
    itemId: { name: 'item_id', type: 'varchar', length: 50, primary: true },
    title: { type: 'varchar', length: 200 },
    status: { type: 'varchar', length: 20 },
  },
});

export const LEDGER_ENTITIES = [LedgerPlanEntity, LedgerPlanUnitEntity, LedgerDeadlineEntity, LedgerItemEntity];
