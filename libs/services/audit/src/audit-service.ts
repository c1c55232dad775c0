import { AuditRow, AuditStore, DescribedAuditRow } from '@reform/persistence';
import { AUDIT_ACTION_CODE, AUDIT_BREAK_LABELS, auditActionLabel, auditTargetLabel, AuditVerification, RegionLevel, UnitKind } from '@reform/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';

/** Who acted: a signed-in user at their unit. The engine's own acts have no actor (null). */
export interface AuditActor {
  userId: string;
  name: string;
  unitId: string | null;
}

/** One audited act, as the API and the CLI hand it over. */
export interface AuditRecord {
  /** A stable code, lower-case and dotted: 'plan.act', 'letter.issued', 'auth.login'. */
  action: string;
  actor: AuditActor | null;
  target: { type: string; id: string | null };
  /** Any JSON values: the state before and after the act. */
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
  at?: Date;
}

/**
 * The audit trail's use cases, the one place the API and the CLI call: record an act, verify
 * the chain. Engine acts (letters) are recorded by the letter store itself, in the letter's
 * transaction, through the same AuditStore.
 */
export class AuditService {
  constructor(private readonly store: AuditStore) {}

  static on(ds: DataSource): AuditService {
    return new AuditService(new AuditStore(ds));
  }

  /**
   * Appends the act to the trail. Pass the manager of the transaction that makes the change, so
   * the change and its row commit together or not at all; append as that transaction's last write.
   */
  record(r: AuditRecord, manager?: EntityManager): Promise<AuditRow> {
    return this.store.append(
      {
        action: r.action,
        actorUserId: r.actor?.userId ?? null,
        actorName: r.actor?.name ?? null,
        actorUnitId: r.actor?.unitId ?? null,
        targetType: r.target.type,
        targetId: r.target.id,
        before: r.before,
        after: r.after,
        requestId: r.requestId ?? null,
        at: r.at,
      },
      manager,
    );
  }

  /** The row a request of this user left on the target, if any (a desk's receipt for a repeated request). */
  byRequest(target: { type: string; id: string }, requestId: string, actorUserId: string, actions?: string[]): Promise<AuditRow | null> {
    return this.store.byRequest(target, requestId, actorUserId, actions);
  }

  /**
   * The trail's rows newest first, as far as `scope` reaches (auditReadScope), one page of them;
   * `nextCursor` (the last row's seq) asks for the next page as `before`.
   */
  async list(scope: AuditReadScope, query: AuditListQuery): Promise<AuditPage> {
    const rows = await this.store.list({ pathPrefix: scope.pathPrefix, action: query.action, targetType: query.targetType, before: query.before, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    return {
      rows: page.map(listRow),
      nextCursor: rows.length > query.limit ? page[page.length - 1].seq : null,
    };
  }

  /**
   * The rows about one object, oldest first, as the list reads them, each with its before and
   * after (parsed): the desk that may show the object decides who reads it (a problem's history).
   * With `lettersOfWorkflow`, also the rows of the letters that workflow issued; with `letterIds`, of those letters.
   */
  async trail(q: { target: { type: string; id: string }; lettersOfWorkflow?: string; letterIds?: string[]; limit?: number }): Promise<AuditTrailRow[]> {
    const rows = await this.store.trail({ target: q.target, lettersOfWorkflow: q.lettersOfWorkflow, letterIds: q.letterIds, limit: q.limit ?? AUDIT_PAGE_MAX });
    return rows.map((r) => ({ ...listRow(r), before: parsed(r.before), after: parsed(r.after) }));
  }

  /** Walks the whole chain (in batches) and reports the first broken row, if any. */
  verify(batchSize?: number): Promise<AuditVerification> {
    return this.store.verify(batchSize);
  }
}

/** A described row as the list answers it. */
function listRow(r: DescribedAuditRow): AuditListRow {
  return {
    seq: r.seq,
    at: r.at,
    action: r.action,
    actionLabel: auditActionLabel(r.action),
    actor: r.actorUserId === null && r.actorName === null ? null : { userId: r.actorUserId, name: r.actorName, displayName: r.actorDisplayName, unitId: r.actorUnitId, unitName: r.actorUnitName },
    target: { type: r.targetType, typeLabel: auditTargetLabel(r.targetType), id: r.targetId, title: r.targetTitle },
    requestId: r.requestId,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

/** A row's before or after (canonical JSON text, or null). */
function parsed(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export const AUDIT_PAGE_MAX = 200;

/** The audit list's query, as an API query string gives it (strings are coerced). */
export const AuditListQuerySchema = z.strictObject({
  /** Rows of this act code only (plan.act, letter.issued …). */
  action: z.string().max(60, '操作代码最长 60 个字符').regex(AUDIT_ACTION_CODE, '操作代码应为小写英文、以点分隔,如 plan.act').optional(),
  /** Rows about this kind of object only (plan, letter, user …). */
  targetType: z.string().max(60, '对象类型最长 60 个字符').regex(/^[a-z][a-z_]*$/, '对象类型应为小写英文,如 plan、letter').optional(),
  /** Rows before this seq: the page after the one whose nextCursor it is. */
  before: z.coerce.number({ error: '翻页游标应为整数' }).int('翻页游标应为整数').min(1, '翻页游标至少为 1').optional(),
  limit: z.coerce.number({ error: '每页条数应为整数' }).int('每页条数应为整数').min(1, '每页至少 1 条').max(AUDIT_PAGE_MAX, `每页最多 ${AUDIT_PAGE_MAX} 条`).default(50),
});
export type AuditListQuery = z.output<typeof AuditListQuerySchema>;

/** One row of the trail as read: the act and its object in Chinese beside their codes. */
export interface AuditListRow {
  seq: number;
  at: string;
  action: string;
  actionLabel: string;
  /** Null for the engine's own acts (letters). */
  /** `name` as recorded (for logins, the user name typed); `displayName` the user's name now (null: no such user). */
  actor: { userId: string | null; name: string | null; displayName: string | null; unitId: string | null; unitName: string | null } | null;
  target: { type: string; typeLabel: string; id: string | null; title: string | null };
  requestId: string | null;
  prevHash: string;
  hash: string;
}

/** A row of one object's trail: as listed, with what it recorded before and after. */
export interface AuditTrailRow extends AuditListRow {
  before: unknown;
  after: unknown;
}

export interface AuditPage {
  rows: AuditListRow[];
  nextCursor: number | null;
}

/** How far a reader sees: the rows of a region and below (its path prefix), or all of them (null). */
export interface AuditReadScope {
  pathPrefix: string | null;
}

/**
 * Who may read the trail, and how much: a reform office reads its level and below (the acts of
 * the units there, and the engine's acts on the plans there and their letters); the province's
 * reform office, the top of the tree, reads all of it. Anyone else: null (not theirs to read).
 */
export function auditReadScope(unit: { kind: UnitKind; region: { level: RegionLevel; path: string } }): AuditReadScope | null {
  if (unit.kind !== 'reform_office') return null;
  return { pathPrefix: unit.region.level === 'province' ? null : unit.region.path };
}

/** A verification as users read it, line by line (the CLI prints these; the API may return them). */
export function describeVerification(v: AuditVerification): string[] {
  const head = v.headSeq === 0 ? `尚无记录(创始哈希 ${v.headHash})` : `第 ${v.headSeq} 条,哈希 ${v.headHash}`;
  if (!v.broken) return [`审计链完好:已核验 ${v.rowsChecked} 条记录。`, `链头:${head}`];
  return [
    `审计链断裂:第 ${v.broken.seq} 条${AUDIT_BREAK_LABELS[v.broken.kind]}。`,
    v.broken.message,
    `已核验 ${v.rowsChecked} 条;断点之前完好的最后一条:${head}`,
  ];
}
