/**
 * The platform's shared vocabulary of units and scope (issue 8). Pure types and functions: the
 * identity service derives a caller's scope from their unit; the ledger turns a scope into SQL.
 *
 * Regions form the government hierarchy (province → city → county). A region's path is the
 * materialized path of region ids from the province down, with a leading and a trailing slash:
 * `/sc/` (a province), `/sc/cd/` (a city in it), `/sc/cd/wh/` (a county). "Of this level and
 * below" is a prefix match on the path, which an index on the column serves.
 */

export const REGION_LEVELS = ['province', 'city', 'county'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];
export const REGION_LEVEL_LABELS: Record<RegionLevel, string> = { province: '省', city: '市', county: '县(市、区)' };

/** What a unit is at its level (each level has one reform office, leading group and legal office). */
export const UNIT_KINDS = ['reform_office', 'leading_group', 'special_group', 'department', 'legal_office'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
export const UNIT_KIND_LABELS: Record<UnitKind, string> = {
  reform_office: '改革办',
  leading_group: '改革领导小组',
  special_group: '专项小组',
  department: '部门',
  legal_office: '法制机构',
};

/** The engine roles of rules/standard/common.rules a platform user can act in (all_units is only an addressee). */
export const ENGINE_ROLES = ['lead_unit', 'special_group', 'legal_office', 'reform_office', 'leading_group'] as const;
export type EngineRole = (typeof ENGINE_ROLES)[number];

/** The units a plan belongs to, as the plan carries them (ids of the unit directory). */
export interface PlanScope {
  /** Path of the region the plan belongs to (its lead unit's level), e.g. `/sc/cd/`. */
  regionPath: string;
  leadUnitId: string;
  specialGroupId?: string;
  participatingUnitIds: string[];
}

/** One way a caller may reach a plan; a scope is the union of its grants. */
export type ScopeGrant =
  /** Every plan whose region path starts with this prefix (reform office, leading group: their level and below). */
  | { kind: 'region'; pathPrefix: string }
  /** Plans this unit leads. */
  | { kind: 'lead'; unitId: string }
  /** Plans this unit takes part in (read only). */
  | { kind: 'participant'; unitId: string }
  /** Plans of this special group's area. */
  | { kind: 'group'; unitId: string }
  /** Plans of exactly this region while they are in one of these stages (the legal office: under review). */
  | { kind: 'regionStage'; regionPath: string; stages: string[] };

/** What a caller may see: the union of the grants (none: nothing). */
export interface Scope {
  grants: ScopeGrant[];
}

/**
 * How a unit comes to hold an engine role on a plan, as data (like ScopeGrant): the identity
 * service derives a unit's relations once (roles.ts, roleRelations); engineRolesFor tests them
 * on one plan (holdsRelation) and the ledger turns them into SQL, so both agree.
 */
export type RoleRelation =
  /** The plan's lead unit is this unit. */
  | { role: EngineRole; on: 'lead'; unitId: string }
  /** The plan's special group is this unit. */
  | { role: EngineRole; on: 'group'; unitId: string }
  /** The plan is of exactly this region (the unit's level); with `unlessLead`, not when that unit leads it. */
  | { role: EngineRole; on: 'level'; regionPath: string; unlessLead?: string };

/** Whether a plan gives the unit the relation's role. */
export function holdsRelation(r: RoleRelation, plan: Pick<PlanScope, 'regionPath' | 'leadUnitId' | 'specialGroupId'>): boolean {
  switch (r.on) {
    case 'lead':
      return plan.leadUnitId === r.unitId;
    case 'group':
      return plan.specialGroupId !== undefined && plan.specialGroupId === r.unitId;
    case 'level':
      return plan.regionPath === r.regionPath && (r.unlessLead === undefined || plan.leadUnitId !== r.unlessLead);
  }
}

/** Whether a plan lies in a scope (the same test the ledger runs in SQL; used for single plans and tests). */
export function inScope(scope: Scope, plan: PlanScope, stage: string): boolean {
  return scope.grants.some((g) => {
    switch (g.kind) {
      case 'region':
        return plan.regionPath.startsWith(g.pathPrefix);
      case 'lead':
        return plan.leadUnitId === g.unitId;
      case 'participant':
        return plan.participatingUnitIds.includes(g.unitId);
      case 'group':
        return plan.specialGroupId === g.unitId;
      case 'regionStage':
        return plan.regionPath === g.regionPath && g.stages.includes(stage);
    }
  });
}
