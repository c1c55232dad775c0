/**
 * Lengths of what users and rules authors type, checked where input enters (the schemas here,
 * used by the CLI and the service), so nothing reaches the database longer than its column
 * (libs/persistence; test/persistence/limits.test.ts holds the two together).
 */
export const LENGTH_LIMITS = {
  /** Plan id = workflow id: letters.workflow_id. */
  planId: 200,
  /** Ids in a definition (procedure, deadline, …): procedure_id, deadline_id; a deadline key adds `#n`. */
  id: 100,
  /** Procedure and plan titles: procedure_definitions.title. */
  title: 200,
  /** Names of units, groups and people on a plan. */
  name: 100,
  /** One goal of a plan. */
  goal: 500,
  /** The reason given with an action (a rejection, a return). */
  reason: 2000,
  /** A specific reform item's number (具体改革事项). */
  itemId: 50,
  /** A unit's id in the unit directory (a plan's scope): ledger_plans.lead_unit_id. */
  unitId: 100,
  /** A region's materialized path (`/sc/cd/`): ledger_plans.region_path. */
  regionPath: 200,
} as const;
