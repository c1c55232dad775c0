import type { UnitDirectory } from '@reform/identity';
import { LedgerService, Params, scopeCondition } from '@reform/ledger';
import type { Unit } from '@reform/platform';
import type { Caller, PlanDesk } from './plan-desk';

export interface UnitDeskDeps {
  desk: PlanDesk;
  directory: UnitDirectory;
  ledger: LedgerService;
}

/** The units a caller may list, as clients read them (GET /api/units). */
export interface UnitList {
  rows: Unit[];
}

/**
 * The units directory as a signed-in user reads it (GET /api/units): the units whose names the
 * caller's pages meet, by the same scope as the ledger's (docs/api.md, "Who may do what"):
 *
 * - a reform office or the leading group: every unit of its region and below (the levels whose
 *   plans it sees, and where it registers problems against a unit);
 * - every caller: the units of its own region (its level: where it registers a plan, so its
 *   special group and the departments it may name as participants), and the units on the plans in
 *   its scope (lead unit, special group, participating units; a problem's rectifying unit is its
 *   workflow's lead unit), so a department reads the names of the units it works with and nothing
 *   of the levels it has no plan with.
 *
 * Unit names are not secret inside a province's system, but a directory wider than that would
 * tell a county department the whole organisation of other cities for no page of its own.
 */
export class UnitDesk {
  constructor(private readonly deps: UnitDeskDeps) {}

  async list(caller: Caller): Promise<UnitList> {
    const { unit } = await this.deps.desk.whoIs(caller);
    const scope = await this.deps.desk.scopeOf(caller);
    const ds = this.deps.ledger.store.ds;
    const params = new Params(ds.options.type === 'postgres');
    const onPlans: Array<{ unit_id: string }> = await ds.query(
      `SELECT DISTINCT pu.unit_id FROM ledger_plan_units pu JOIN ledger_plans p ON p.plan_id = pu.plan_id WHERE ${scopeCondition(scope, params)}`,
      params.values,
    );
    const ids = new Set([unit.id, ...onPlans.map((r) => r.unit_id)]);
    const wholeRegion = unit.kind === 'reform_office' || unit.kind === 'leading_group';
    const rows = (await this.deps.directory.units()).filter((u) => ids.has(u.id) || u.region.id === unit.region.id || (wholeRegion && u.region.path.startsWith(unit.region.path)));
    return { rows };
  }
}
