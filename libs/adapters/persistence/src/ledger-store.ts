import type { AuditedAct, AuditedItem, PlanProjection } from '@reform/machine';
import { REGION_LEVELS } from '@reform/platform';
import { DataSource, EntityManager } from 'typeorm';
import { AuditStore } from './audit-store';
import { DeskLedger, STANDARD_DESK_LEDGERS } from './desk-ledgers';
import { checkColumnLengths, isUniqueViolation } from './errors';
import { ItemChangeEntity, ItemChangeRow } from './item-entities';
import { LedgerPlanEntity, LedgerPlanRow } from './ledger-entities';
import { inWriteTurn } from './turns';

/** The due-date sort key of a plan with nothing due: after every real date. */
export const NOTHING_DUE = '9999-12-31';

/** A region's level from the depth of its path: `/sc/` a province, `/sc/cd/` a city, `/sc/cd/wh/` a county. */
export function regionLevelOf(regionPath: string): string | null {
  const depth = regionPath.split('/').filter(Boolean).length;
  return REGION_LEVELS[depth - 1] ?? null;
}

/** The row of ledger_plans a projection makes. */
export function ledgerPlanRow(p: PlanProjection, projectedAt: Date): LedgerPlanRow {
  return {
    planId: p.planId,
    procedureId: p.procedure.id,
    procedureVersion: p.procedure.version,
    title: p.title,
    stageId: p.stage.id,
    stageLabel: p.stage.label,
    status: p.status,
    regionPath: p.scope?.regionPath ?? null,
    regionLevel: p.scope ? regionLevelOf(p.scope.regionPath) : null,
    leadUnitId: p.scope?.leadUnitId ?? null,
    specialGroupId: p.scope?.specialGroupId ?? null,
    nextDue: p.nextDue,
    dueKey: p.nextDue ?? NOTHING_DUE,
    overdue: p.overdue,
    changeCounter: p.changeCounter,
    updatedAt: p.updatedAt,
    projectedAt: projectedAt.toISOString(),
    projection: JSON.stringify(p),
  };
}

const PLAN_COLUMNS: Array<[keyof LedgerPlanRow, string]> = [
  ['planId', 'plan_id'],
  ['procedureId', 'procedure_id'],
  ['procedureVersion', 'procedure_version'],
  ['title', 'title'],
  ['stageId', 'stage_id'],
  ['stageLabel', 'stage_label'],
  ['status', 'status'],
  ['regionPath', 'region_path'],
  ['regionLevel', 'region_level'],
  ['leadUnitId', 'lead_unit_id'],
  ['specialGroupId', 'special_group_id'],
  ['nextDue', 'next_due'],
  ['dueKey', 'due_key'],
  ['overdue', 'overdue'],
  ['changeCounter', 'change_counter'],
  ['updatedAt', 'updated_at'],
  ['projectedAt', 'projected_at'],
  ['projection', 'projection'],
];

/** Rows written per INSERT statement (well under either database's limit on parameters). */
const CHUNK = 100;

/**
 * Writes plans' projections into the ledger tables. Ordered and idempotent: a projection whose
 * change counter is not above the stored one changes nothing, so retried, duplicated and
 * out-of-order deliveries are harmless. The plan row, its units, deadlines and items change in
 * one transaction; on PostgreSQL the upsert's row lock orders concurrent writers of one plan.
 */
export class LedgerStore {
  constructor(
    readonly ds: DataSource,
    /** The desks whose rows ride the write of each act of their procedure (desk-ledgers.ts). */
    private readonly desks: readonly DeskLedger[] = STANDARD_DESK_LEDGERS,
  ) {}

  get postgres(): boolean {
    return this.ds.options.type === 'postgres';
  }

  /**
   * Writes the projection unless the ledger holds the plan at the same or a later change; answers
   * whether it wrote. In the same transaction, as its last writes, appends the audit row of each
   * act (`plan.act`) whose (plan, revision) the trail does not hold yet, whether or not the
   * projection itself was newer: the act and its row commit together with the write that carries
   * them, and a retried write records nothing twice. The desk of the plan's procedure (a problem's
   * library, a round's task) writes its rows for each act claimed here, in the same transaction.
   */
  async upsert(p: PlanProjection, now: Date = new Date(), acts: AuditedAct[] = []): Promise<{ applied: boolean }> {
    const row = ledgerPlanRow(p, now);
    checkColumnLengths(LedgerPlanEntity, row, '台账');
    for (let attempt = 1; ; attempt++) {
      try {
        return await inWriteTurn(this.ds, () =>
          this.ds.transaction(async (m) => {
            const written = await this.write(m, p, row);
            for (const act of acts) await this.audit(m, p, act);
            return written;
          }),
        );
      } catch (e) {
        // Two writers racing for one key (a plan's first row, an item's history number): the loser writes again.
        if (attempt >= 3 || !isUniqueViolation(e)) throw e;
      }
    }
  }

  /** The act's audit row, unless its (plan, revision) is recorded already; then its item's history line and its desk's rows. */
  private async audit(m: EntityManager, p: PlanProjection, act: AuditedAct): Promise<void> {
    const planId = p.planId;
    const [a, b, c] = this.placeholders(3);
    const claimed: unknown[] = await m.query(
      `INSERT INTO plan_act_audits (plan_id, revision, audit_seq, request_id) VALUES (${a}, ${b}, 0, ${c})
       ON CONFLICT (plan_id, revision) DO NOTHING RETURNING plan_id`,
      [planId, act.revision, act.requestId],
    );
    if (!claimed.length) return;
    // The desk's data goes to the desk's rows (and its own audit row), not into the plan's row.
    const { desk, ...after } = act.after as AuditedAct['after'] & { desk?: unknown };
    const trail = new AuditStore(this.ds);
    const entry = await trail.append(
      {
        action: act.audit ?? 'plan.act',
        actorUserId: act.actor.userId,
        actorName: act.actor.name,
        actorUnitId: act.actor.unitId,
        targetType: 'plan',
        targetId: planId,
        before: act.before,
        after,
        requestId: act.requestId,
        at: new Date(act.at),
      },
      m,
    );
    await m.query(`UPDATE plan_act_audits SET audit_seq = ${a} WHERE plan_id = ${b} AND revision = ${c}`, [entry.seq, planId, act.revision]);
    const item = act.after.item;
    if (item?.after && act.actor.unitId) await this.itemChange(m, planId, act, item as AuditedItem & { after: NonNullable<AuditedItem['after']> }, act.actor.unitId);
    const deskData = typeof desk === 'object' && desk !== null && !Array.isArray(desk) ? (desk as Record<string, unknown>) : {};
    for (const d of this.desks) {
      if (d.procedure !== p.procedure.id) continue;
      await d.onAct({ m, projection: p, act, desk: deskData, postgres: this.postgres, audit: async (e) => void (await trail.append(e, m)) });
    }
  }

  /**
   * An item change's line in the item's history, written with its act's audit row (so, like the
   * row, once, whatever crashes or retries): numbered 1, 2, … per item. A plan's changes reach the
   * ledger through one write at a time, so no two writes number the same item at once.
   */
  private async itemChange(m: EntityManager, planId: string, act: AuditedAct, item: AuditedItem & { after: NonNullable<AuditedItem['after']> }, unitId: string): Promise<void> {
    const [a, b] = this.placeholders(2);
    const [{ last }]: Array<{ last: number | string | null }> = await m.query(`SELECT MAX(seq) AS last FROM item_changes WHERE plan_id = ${a} AND item_id = ${b}`, [planId, item.id]);
    const text = (v: unknown) => (typeof v === 'string' ? v : null);
    const row: ItemChangeRow = {
      planId,
      itemId: item.id,
      seq: Number(last ?? 0) + 1,
      title: item.after.title,
      statusBefore: text(act.after.statusBefore),
      statusAfter: item.after.status,
      businessDate: String(act.after.businessDate),
      note: text(act.after.note),
      evidenceIds: JSON.stringify(Array.isArray(act.after.evidenceIds) ? act.after.evidenceIds : []),
      actorUserId: act.actor.userId,
      actorName: act.actor.name,
      unitId,
      at: act.at,
      requestId: act.requestId,
    };
    checkColumnLengths(ItemChangeEntity, row, '事项变更');
    await m.getRepository(ItemChangeEntity).insert(row);
  }

  private placeholders(count: number, offset = 0): string[] {
    return Array.from({ length: count }, (_, i) => (this.postgres ? `$${offset + i + 1}` : '?'));
  }

  private async write(m: EntityManager, p: PlanProjection, row: LedgerPlanRow): Promise<{ applied: boolean }> {
    const columns = PLAN_COLUMNS.map(([, c]) => c);
    // SQLite binds no booleans: 1 and 0 (which PostgreSQL also reads as a boolean).
    const values = PLAN_COLUMNS.map(([k]) => (k === 'overdue' ? (row.overdue ? 1 : 0) : row[k]));
    const set = columns
      .filter((c) => c !== 'plan_id')
      .map((c) => `${c} = excluded.${c}`)
      .join(', ');
    const written: unknown[] = await m.query(
      `INSERT INTO ledger_plans (${columns.join(', ')}) VALUES (${this.placeholders(columns.length).join(', ')})
       ON CONFLICT (plan_id) DO UPDATE SET ${set}
       WHERE ledger_plans.change_counter < excluded.change_counter
       RETURNING plan_id`,
      values,
    );
    if (!written.length) return { applied: false };
    for (const table of ['ledger_plan_units', 'ledger_deadlines', 'ledger_items']) {
      await m.query(`DELETE FROM ${table} WHERE plan_id = ${this.placeholders(1)[0]}`, [p.planId]);
    }
    const units: unknown[][] = [];
    if (p.scope) {
      units.push([p.planId, p.scope.leadUnitId, 'lead']);
      if (p.scope.specialGroupId) units.push([p.planId, p.scope.specialGroupId, 'group']);
      for (const u of new Set(p.scope.participatingUnitIds)) units.push([p.planId, u, 'participant']);
    }
    await this.insertRows(m, 'ledger_plan_units', ['plan_id', 'unit_id', 'relation'], dedupe(units));
    await this.insertRows(
      m,
      'ledger_deadlines',
      ['plan_id', 'deadline_key', 'label', 'rule_id', 'due', 'status'],
      p.deadlines.map((d) => [p.planId, d.key, d.label, d.ruleId, d.due, d.status]),
    );
    await this.insertRows(
      m,
      'ledger_items',
      ['plan_id', 'item_id', 'title', 'status'],
      p.items.map((i) => [p.planId, i.id, i.title, i.status]),
    );
    return { applied: true };
  }

  private async insertRows(m: EntityManager, table: string, columns: string[], rows: unknown[][]): Promise<void> {
    for (let at = 0; at < rows.length; at += CHUNK) {
      const chunk = rows.slice(at, at + CHUNK);
      const tuples = chunk.map((_, i) => `(${this.placeholders(columns.length, i * columns.length).join(', ')})`);
      await m.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, chunk.flat());
    }
  }

  /** The stored projection of a plan, whatever its scope (the service checks scope). */
  async projection(planId: string): Promise<PlanProjection | null> {
    const row = await this.ds.getRepository(LedgerPlanEntity).findOneBy({ planId });
    return row ? (JSON.parse(row.projection) as PlanProjection) : null;
  }

  /** The plans the ledger holds open (running workflows, as far as their last write says), in id order. */
  async openPlanIds(): Promise<string[]> {
    const rows = await this.ds.getRepository(LedgerPlanEntity).find({ select: { planId: true }, where: { status: 'open' }, order: { planId: 'ASC' } });
    return rows.map((r) => r.planId);
  }

  /**
   * The lag of the latest write: seconds from the plan's change (workflow time) to the ledger
   * writing its projection (the worker's clock), for the API's reform_projection_lag_seconds;
   * null while the ledger is empty.
   */
  async lastProjectionLag(): Promise<{ planId: string; changeCounter: number; seconds: number } | null> {
    const rows: Array<{ plan_id: string; change_counter: number | string; updated_at: string; projected_at: string }> = await this.ds.query(LAST_PROJECTION_SQL);
    if (!rows.length) return null;
    const r = rows[0];
    return { planId: r.plan_id, changeCounter: Number(r.change_counter), seconds: (Date.parse(r.projected_at) - Date.parse(r.updated_at)) / 1000 };
  }

  /** Empties the ledger (before a rebuild from the workflows). */
  async clear(): Promise<void> {
    await inWriteTurn(this.ds, () =>
      this.ds.transaction(async (m) => {
        for (const table of ['ledger_items', 'ledger_deadlines', 'ledger_plan_units', 'ledger_plans']) await m.query(`DELETE FROM ${table}`);
      }),
    );
  }
}

/**
 * The latest projection write, which the metrics read on every scrape: the walk of one index
 * entry from the end of ix_ledger_plans_projected (projected_at, plan_id), never a sort of the ledger.
 */
export const LAST_PROJECTION_SQL = 'SELECT plan_id, change_counter, updated_at, projected_at FROM ledger_plans ORDER BY projected_at DESC, plan_id DESC LIMIT 1';

/** A plan's unit relations once each (a unit listed twice among the participants). */
function dedupe(rows: unknown[][]): unknown[][] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = JSON.stringify(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
