import type { ProcessDefinition } from '@reform/definitions';
import { EngineRole, holdsRelation, inScope, PlanScope, RoleRelation, Scope, ScopeGrant, UnitKind } from '@reform/platform';
import { standardProcedures } from '@reform/procedures';

/** What role derivation and scope need of a unit (the directory's `Unit` has it). */
export interface UnitRef {
  id: string;
  kind: UnitKind;
  region: { path: string };
}

/**
 * The engine roles a unit acts in on a plan, from the unit's relation to the plan alone (never
 * from the request): the plan's lead unit is lead_unit, its special group special_group, and the
 * legal office, reform office and leading group of the plan's level (same region path) act as
 * such. A lead unit never passes its own legality review: the plan's lead unit never gets
 * legal_office, even if the directory lists it as the legal office of that level.
 */
export function engineRolesFor(unit: UnitRef, plan: PlanScope): EngineRole[] {
  return roleRelations(unit)
    .filter((r) => holdsRelation(r, plan))
    .map((r) => r.role);
}

/**
 * The relations to a plan that give this unit an engine role (engineRolesFor's rule as data, in
 * its order): the ledger tests them in SQL to list the plans a unit can act on.
 */
export function roleRelations(unit: UnitRef): RoleRelation[] {
  const level = (role: EngineRole, unlessLead?: string): RoleRelation => ({ role, on: 'level', regionPath: unit.region.path, ...(unlessLead ? { unlessLead } : {}) });
  const relations: RoleRelation[] = [
    { role: 'lead_unit', on: 'lead', unitId: unit.id },
    { role: 'special_group', on: 'group', unitId: unit.id },
  ];
  if (unit.kind === 'legal_office') relations.push(level('legal_office', unit.id));
  if (unit.kind === 'reform_office') relations.push(level('reform_office'));
  if (unit.kind === 'leading_group') relations.push(level('leading_group'));
  return relations;
}

/** The stages in which the legal office acts: those with an action its role may take (legality_review in the standard procedures). */
export function legalReviewStages(definitions: ProcessDefinition[]): string[] {
  const stages = new Set<string>();
  for (const def of definitions) for (const stage of def.stages) if (stage.actions.some((a) => a.roles.includes('legal_office'))) stages.add(stage.id);
  return [...stages].sort();
}

/** The review stages of the standard procedures in rules/standard (compiled once, on first use). */
export function standardLegalReviewStages(): string[] {
  // Worked out once (every scope asks for them, per request): the standard rules do not change while the process runs.
  standardReviewStages ??= legalReviewStages(standardProcedures());
  return [...standardReviewStages];
}
let standardReviewStages: string[] | undefined;

/**
 * The plans a unit's users may see, as grants the ledger turns into SQL. Any unit may lead plans
 * ('lead') and take part in others ('participant', read only); a special group also has the
 * plans of its area ('group'); the legal office the plans of its own level while under review
 * ('regionStage' with `reviewStages`); the reform office and the leading group everything of their
 * level and below ('region', a prefix of their region path).
 */
export function scopeFor(unit: UnitRef, reviewStages: string[] = standardLegalReviewStages()): Scope {
  const grants: ScopeGrant[] = [
    { kind: 'lead', unitId: unit.id },
    { kind: 'participant', unitId: unit.id },
  ];
  switch (unit.kind) {
    case 'special_group':
      grants.push({ kind: 'group', unitId: unit.id });
      break;
    case 'legal_office':
      grants.push({ kind: 'regionStage', regionPath: unit.region.path, stages: [...reviewStages] });
      break;
    case 'reform_office':
    case 'leading_group':
      grants.push({ kind: 'region', pathPrefix: unit.region.path });
      break;
    case 'department':
      break;
  }
  return { grants };
}

/**
 * The most a grant of this kind lets a caller do: 'read' grants never act (a participating unit
 * reads the plans it takes part in); under an 'act' grant the caller acts in the engine roles
 * `engineRolesFor` gives (a reform office reads plans of the levels below its own but acts on its
 * own level only).
 */
export const GRANT_ACCESS: Record<ScopeGrant['kind'], 'act' | 'read'> = {
  lead: 'act',
  participant: 'read',
  group: 'act',
  regionStage: 'act',
  region: 'act',
};

/** What a unit's users may do with one plan in a stage: nothing (the API answers 404), read it, or act in `roles`. */
export interface PlanAccess {
  read: boolean;
  act: boolean;
  /** The engine roles to act in; empty unless `act`. */
  roles: EngineRole[];
}

/** The one check the API runs for a single plan: in scope, and the engine roles it may act in there. */
export function planAccess(unit: UnitRef, plan: PlanScope, stage: string, reviewStages: string[] = standardLegalReviewStages()): PlanAccess {
  const scope = scopeFor(unit, reviewStages);
  if (!inScope(scope, plan, stage)) return { read: false, act: false, roles: [] };
  const roles = inScope(actingScope(unit, reviewStages), plan, stage) ? engineRolesFor(unit, plan) : [];
  return { read: true, act: roles.length > 0, roles };
}

/** The grants of the unit's scope under which it acts (GRANT_ACCESS 'act'): planAccess's test, and the ledger's for plans it can act on. */
export function actingScope(unit: UnitRef, reviewStages: string[] = standardLegalReviewStages()): Scope {
  return { grants: scopeFor(unit, reviewStages).grants.filter((g) => GRANT_ACCESS[g.kind] === 'act') };
}
