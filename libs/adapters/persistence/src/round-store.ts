import type { DataSource, EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { checkColumnLengths } from './errors';
import { RoundEntity, RoundItemEntity, RoundItemRow, RoundPlanEntity, RoundPlanRow, RoundRow } from './round-entities';
import { inWriteTurn } from './turns';

/** An item a reform office found completed in a round: out of supervision scope from then on (S2). */
export interface CompletedFinding {
  planId: string;
  itemId: string;
  roundId: string;
  roundName: string;
  verifiedOn: string | null;
}

/** The rows of supervision rounds (round-entities.ts). */
export class RoundStore {
  constructor(readonly ds: DataSource) {}

  /** A round with its plans and their items, in one transaction: the set of plans is fixed at opening. */
  async insert(round: RoundRow, plans: RoundPlanRow[], items: RoundItemRow[]): Promise<void> {
    checkColumnLengths(RoundEntity, round, '督察轮次');
    for (const p of plans) checkColumnLengths(RoundPlanEntity, p, '督察轮次的方案');
    for (const i of items) checkColumnLengths(RoundItemEntity, i, '督察轮次的事项');
    await inWriteTurn(this.ds, () =>
      this.ds.transaction(async (m: EntityManager) => {
        await m.getRepository(RoundEntity).insert(round);
        // In slices: SQLite limits the variables of one statement.
        for (let i = 0; i < plans.length; i += 50) await m.getRepository(RoundPlanEntity).insert(plans.slice(i, i + 50));
        for (let i = 0; i < items.length; i += 50) await m.getRepository(RoundItemEntity).insert(items.slice(i, i + 50));
      }),
    );
  }

  get(id: string): Promise<RoundRow | null> {
    return this.ds.getRepository(RoundEntity).findOneBy({ id });
  }

  /** The rounds of a level still opening (an opening that died part-way), oldest first. */
  opening(regionPath: string): Promise<RoundRow[]> {
    return this.ds.getRepository(RoundEntity).find({ where: { regionPath, status: 'opening' }, order: { openedAt: 'ASC', id: 'ASC' } });
  }

  /** Rounds of a level, and (for a lead unit) those holding a task of its plans; newest first. */
  async list(f: { regionPath?: string; leadUnitId?: string; limit: number; offset: number }): Promise<{ rows: RoundRow[]; total: number }> {
    const qb = this.ds.getRepository(RoundEntity).createQueryBuilder('r');
    const ors: string[] = [];
    if (f.regionPath) ors.push('r.region_path = :region');
    if (f.leadUnitId) ors.push('r.id IN (SELECT rp.round_id FROM supervision_round_plans rp WHERE rp.lead_unit_id = :lead)');
    qb.where(ors.length ? `(${ors.join(' OR ')})` : '1 = 0', { region: f.regionPath, lead: f.leadUnitId });
    qb.orderBy('r.opened_at', 'DESC').addOrderBy('r.id', 'ASC').skip(f.offset).take(f.limit);
    const [rows, total] = await qb.getManyAndCount();
    return { rows, total };
  }

  /** A round's plans (a lead unit's only, when given), by plan id. */
  plans(roundId: string, leadUnitId?: string): Promise<RoundPlanRow[]> {
    return this.ds.getRepository(RoundPlanEntity).find({ where: { roundId, ...(leadUnitId ? { leadUnitId } : {}) }, order: { planId: 'ASC' } });
  }

  plan(roundId: string, planId: string): Promise<RoundPlanRow | null> {
    return this.ds.getRepository(RoundPlanEntity).findOneBy({ roundId, planId });
  }

  /** The items of a round's plans (of some plans, when given), by plan and item id. */
  items(roundId: string, planIds?: string[]): Promise<RoundItemRow[]> {
    return this.ds.getRepository(RoundItemEntity).find({ where: { roundId, ...(planIds ? { planId: In(planIds) } : {}) }, order: { planId: 'ASC', itemId: 'ASC' } });
  }

  /** A task's change and its items' changes, in one transaction. */
  async update(roundId: string, planId: string, change: Partial<RoundPlanRow>, items: Array<Pick<RoundItemRow, 'itemId'> & Partial<RoundItemRow>> = []): Promise<void> {
    await inWriteTurn(this.ds, () =>
      this.ds.transaction(async (m: EntityManager) => {
        await m.getRepository(RoundPlanEntity).update({ roundId, planId }, change);
        for (const { itemId, ...rest } of items) await m.getRepository(RoundItemEntity).update({ roundId, planId, itemId }, rest);
      }),
    );
  }

  /** Closes the round; `within` writes in the same transaction (its audit row). */
  async close(id: string, closedOn: string, closedAt: string, within?: (m: EntityManager) => Promise<unknown>): Promise<void> {
    await inWriteTurn(this.ds, () =>
      this.ds.transaction(async (m: EntityManager) => {
        await m.getRepository(RoundEntity).update({ id }, { status: 'closed', closedOn, closedAt });
        await within?.(m);
      }),
    );
  }

  /** Items of these plans a reform office found completed in a verified task (S2): out of supervision scope. */
  async completedFindings(planIds: string[]): Promise<CompletedFinding[]> {
    if (!planIds.length) return [];
    const rows: CompletedFinding[] = [];
    for (let i = 0; i < planIds.length; i += 200) {
      const found = await this.ds
        .getRepository(RoundItemEntity)
        .createQueryBuilder('i')
        .innerJoin('supervision_round_plans', 'p', 'p.round_id = i.round_id AND p.plan_id = i.plan_id')
        .innerJoin('supervision_rounds', 'r', 'r.id = i.round_id')
        .select(['i.plan_id AS "planId"', 'i.item_id AS "itemId"', 'i.round_id AS "roundId"', 'r.name AS "roundName"', 'p.verified_on AS "verifiedOn"'])
        .where('i.plan_id IN (:...ids)', { ids: planIds.slice(i, i + 200) })
        .andWhere("i.verified_status = 'completed'")
        .andWhere("p.status = 'verified'")
        .orderBy('p.verified_on', 'ASC')
        .getRawMany<CompletedFinding>();
      rows.push(...found);
    }
    return rows;
  }
}
