import { AuditRow, AuditStore } from '@reform/persistence';
import { AUDIT_BREAK_LABELS, AuditVerification } from '@reform/platform';
import type { DataSource, EntityManager } from 'typeorm';

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

  /** Walks the whole chain (in batches) and reports the first broken row, if any. */
  verify(batchSize?: number): Promise<AuditVerification> {
    return this.store.verify(batchSize);
  }
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
