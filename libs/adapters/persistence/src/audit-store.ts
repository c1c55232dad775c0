import { AUDIT_ACTION_CODE, AuditBreak, AuditVerification } from '@reform/platform';
import { Between, DataSource, EntityManager, In, MoreThan } from 'typeorm';
import { AuditEntryEntity, AuditHeadEntity, AuditHeadRow, AuditRow } from './audit-entities';
import { auditHash, canonicalJson, GENESIS_HASH } from './audit-hash';
import { LetterEntity } from './entities';
import { UnitEntity, UserEntity } from './identity-entities';
import { LedgerPlanEntity } from './ledger-entities';
import { checkColumnLengths, PermanentWriteError } from './errors';
import { inWriteTurn } from './turns';

/** What an audited act records. Actor fields are null (or left out) for the engine's own acts. */
export interface AuditEntry {
  /** A stable code, lower-case and dotted: 'plan.act', 'letter.issued', 'auth.login'. */
  action: string;
  actorUserId?: string | null;
  actorName?: string | null;
  actorUnitId?: string | null;
  targetType: string;
  targetId?: string | null;
  /** Any JSON value; stored as canonical JSON text. */
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
  /** When it happened; now by default. */
  at?: Date;
}

/** An audit row as read: with its actor's unit name and display name, and the title of what it is about. */
export type DescribedAuditRow = AuditRow & { actorUnitName: string | null; actorDisplayName: string | null; targetTitle: string | null };

/**
 * The audit trail (A15 全程留痕): one append-only table, each row carrying the SHA-256 of its own
 * canonical JSON and of the row before (audit-hash.ts).
 *
 * Appends are serialized so the chain never forks: every append first advances the one-row head
 * table (`UPDATE audit_head SET seq = seq + 1 … RETURNING seq, hash`) inside the transaction.
 * On PostgreSQL that UPDATE takes the head row's lock until commit, so a concurrent append waits
 * and then (READ COMMITTED re-reads the updated row) continues from the new head; a row lock
 * rather than an advisory lock because the same statement hands out the gap-free seq and the
 * previous hash, it is released by commit or rollback with no key to agree on, and it works the
 * same way on SQLite. There the UPDATE is a write, so it takes the database's write lock (other
 * processes wait through busy_timeout), and within a process writes take turns (turns.ts).
 * A rolled-back transaction rolls back its head update too: seq has no gaps.
 *
 * Take the head last: append as the final write of a transaction, so no transaction holds the
 * head while it waits for another lock (no deadlock), and the head is held for the least time.
 */
export class AuditStore {
  constructor(private readonly ds: DataSource) {}

  /**
   * Appends one row. Given the manager of a running transaction, the row is written in it, so the
   * audited change and its row commit together or not at all; otherwise in a transaction of its own.
   */
  append(entry: AuditEntry, manager?: EntityManager): Promise<AuditRow> {
    if (manager) {
      if (!manager.queryRunner?.isTransactionActive) throw new Error('AuditStore.append: the manager given is not in a transaction');
      return this.appendIn(manager, entry);
    }
    return inWriteTurn(this.ds, () => this.ds.transaction((m) => this.appendIn(m, entry)));
  }

  private async appendIn(m: EntityManager, entry: AuditEntry): Promise<AuditRow> {
    if (!AUDIT_ACTION_CODE.test(entry.action)) {
      throw new PermanentWriteError(`审计动作代码「${entry.action}」不合规:应为小写英文、以点分隔,如 plan.act、letter.issued`);
    }
    if (!entry.targetType) throw new PermanentWriteError(`审计记录缺少对象类型(动作 ${entry.action})`);
    const row: AuditRow = {
      seq: 0,
      at: (entry.at ?? new Date()).toISOString(),
      actorUserId: entry.actorUserId ?? null,
      actorName: entry.actorName ?? null,
      actorUnitId: entry.actorUnitId ?? null,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      before: entry.before === undefined || entry.before === null ? null : canonicalJson(entry.before),
      after: entry.after === undefined || entry.after === null ? null : canonicalJson(entry.after),
      requestId: entry.requestId ?? null,
      prevHash: GENESIS_HASH,
      hash: GENESIS_HASH,
    };
    // Checked before the head is taken, so a refused row holds no lock.
    checkColumnLengths(AuditEntryEntity, row, '审计记录');

    const runner = m.queryRunner;
    if (!runner) throw new Error('AuditStore: an append runs only inside a transaction');
    const taken = await runner.query('UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash', [], true);
    const head = (taken.records as Array<{ seq: number | string; hash: string }> | undefined)?.[0];
    if (!head) throw new Error('审计链头(audit_head 表的第 1 行)不存在:数据库未迁移,或已被改动');
    row.seq = Number(head.seq);
    row.prevHash = head.hash;
    row.hash = auditHash(row);
    await m.getRepository(AuditEntryEntity).insert(row);
    await m.getRepository(AuditHeadEntity).update({ id: 1 }, { hash: row.hash });
    return row;
  }

  /** The head as recorded in audit_head (null if that row is gone). */
  /**
   * The row a request left on a target (by the user who sent it), if any: a desk's receipt that
   * the request was done, read when a client repeats it (its index is the target's).
   */
  async byRequest(target: { type: string; id: string }, requestId: string, actorUserId: string, actions?: string[]): Promise<AuditRow | null> {
    const qb = this.ds
      .getRepository(AuditEntryEntity)
      .createQueryBuilder('a')
      .where('a.target_type = :type AND a.target_id = :id AND a.request_id = :requestId AND a.actor_user_id = :actorUserId', { type: target.type, id: target.id, requestId, actorUserId });
    if (actions) qb.andWhere('a.action IN (:...actions)', { actions });
    return qb.orderBy('a.seq', 'ASC').getOne();
  }

  async head(): Promise<AuditHeadRow | null> {
    return this.ds.getRepository(AuditHeadEntity).findOneBy({ id: 1 });
  }

  /**
   * Rows newest first, for reading (the console's audit page): those before seq `before` (a
   * cursor), of one act code or object kind when asked, and, with `pathPrefix`, only those of a
   * region and below: acts of users of units there, and the engine's acts on plans there and on
   * their letters. Each row with its actor's unit and display name and, for a plan or a letter, its title.
   */
  async list(q: { pathPrefix: string | null; action?: string; targetType?: string; before?: number; limit: number }): Promise<DescribedAuditRow[]> {
    const qb = this.ds.getRepository(AuditEntryEntity).createQueryBuilder('a');
    if (q.pathPrefix !== null) {
      const prefix = `${q.pathPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(
        `(a.actor_unit_id IN (SELECT u.id FROM units u JOIN regions r ON r.id = u.region_id WHERE r.path LIKE :prefix ESCAPE '\\')
          OR (a.target_type = 'plan' AND a.target_id IN (SELECT p.plan_id FROM ledger_plans p WHERE p.region_path LIKE :prefix ESCAPE '\\'))
          OR (a.target_type = 'letter' AND a.target_id IN (SELECT l.id FROM letters l JOIN ledger_plans p ON p.plan_id = l.workflow_id WHERE p.region_path LIKE :prefix ESCAPE '\\')))`,
        { prefix },
      );
    }
    if (q.action !== undefined) qb.andWhere('a.action = :action', { action: q.action });
    if (q.targetType !== undefined) qb.andWhere('a.target_type = :targetType', { targetType: q.targetType });
    if (q.before !== undefined) qb.andWhere('a.seq < :before', { before: q.before });
    return this.described(await qb.orderBy('a.seq', 'DESC').take(q.limit).getMany());
  }

  /**
   * The rows about one object, oldest first: those whose target is it, and (for a workflow's
   * object, a problem or a task) those about the letters that workflow issued (issued, signed for),
   * and those about the letters `letterIds`.
   * Described as `list` describes its rows. At most `limit` rows (the oldest).
   */
  async trail(q: { target: { type: string; id: string }; lettersOfWorkflow?: string; letterIds?: string[]; limit: number }): Promise<DescribedAuditRow[]> {
    const qb = this.ds
      .getRepository(AuditEntryEntity)
      .createQueryBuilder('a')
      .where('(a.target_type = :type AND a.target_id = :id)', { type: q.target.type, id: q.target.id });
    if (q.lettersOfWorkflow !== undefined) {
      qb.orWhere(`(a.target_type = 'letter' AND a.target_id IN (SELECT l.id FROM letters l WHERE l.workflow_id = :workflowId))`, { workflowId: q.lettersOfWorkflow });
    }
    if (q.letterIds?.length) qb.orWhere(`(a.target_type = 'letter' AND a.target_id IN (:...letterIds))`, { letterIds: q.letterIds });
    return this.described(await qb.orderBy('a.seq', 'ASC').take(q.limit).getMany());
  }

  /** Rows with their actor's unit and display name and, for a plan or a letter, its title. */
  private async described(rows: AuditRow[]): Promise<DescribedAuditRow[]> {
    const unitIds = [...new Set(rows.map((r) => r.actorUnitId).filter((id): id is string => id !== null))];
    const units = unitIds.length ? await this.ds.getRepository(UnitEntity).findBy({ id: In(unitIds) }) : [];
    const names = new Map(units.map((u) => [u.id, u.name]));
    // Users by the name they go by (the row keeps what it recorded: for logins, the user name typed).
    const userIds = [...new Set(rows.map((r) => r.actorUserId).filter((id): id is string => id !== null))];
    const users = userIds.length ? await this.ds.getRepository(UserEntity).find({ select: { id: true, displayName: true }, where: { id: In(userIds) } }) : [];
    const people = new Map(users.map((u) => [u.id, u.displayName]));
    // What the row is about, as users know it: a plan by its title, a letter by its number and subject.
    const idsOf = (type: string) => [...new Set(rows.filter((r) => r.targetType === type && r.targetId !== null).map((r) => r.targetId!))];
    const planIds = idsOf('plan');
    const letterIds = idsOf('letter');
    const plans = planIds.length ? await this.ds.getRepository(LedgerPlanEntity).find({ select: { planId: true, title: true }, where: { planId: In(planIds) } }) : [];
    const letters = letterIds.length ? await this.ds.getRepository(LetterEntity).find({ select: { id: true, number: true, subject: true }, where: { id: In(letterIds) } }) : [];
    const titles = new Map<string, string>([...plans.map((p) => [`plan:${p.planId}`, `「${p.title}」`] as const), ...letters.map((l) => [`letter:${l.id}`, `${l.number}「${l.subject}」`] as const)]);
    return rows.map((r) => ({
      ...r,
      actorUnitName: r.actorUnitId === null ? null : (names.get(r.actorUnitId) ?? null),
      actorDisplayName: r.actorUserId === null ? null : (people.get(r.actorUserId) ?? null),
      targetTitle: r.targetId === null ? null : (titles.get(`${r.targetType}:${r.targetId}`) ?? null),
    }));
  }

  /** Rows in seq order, after a seq, at most `limit` of them. */
  async entries(afterSeq = 0, limit = 100): Promise<AuditRow[]> {
    return this.ds.getRepository(AuditEntryEntity).find({ where: { seq: MoreThan(afterSeq) }, order: { seq: 'ASC' }, take: limit });
  }

  /**
   * Walks the chain in seq order, `batchSize` rows at a time (memory stays bounded whatever the
   * table's size), up to the head recorded when it starts (rows appended meanwhile are left for
   * the next run), and stops at the first broken row:
   * - reordered: the row's prev_hash is the hash of a row that comes after it in seq order;
   * - changed: the row's stored hash does not match its content;
   * - missing: a seq gap, a prev_hash that is not the previous row's hash, or rows the head
   *   counts that are not in the table (a cut-off tail).
   * Order and links are checked before content: a row renumbered to close a gap also fails its
   * own hash (seq is hashed), but what happened is that rows went missing.
   */
  async verify(batchSize = 500): Promise<AuditVerification> {
    const recorded = await this.head();
    const repo = this.ds.getRepository(AuditEntryEntity);
    let prev = { seq: 0, hash: GENESIS_HASH };
    let rowsChecked = 0;
    const result = (broken: AuditBreak | null): AuditVerification => ({ ok: !broken, rowsChecked, headSeq: prev.seq, headHash: prev.hash, broken });

    for (;;) {
      const where = { seq: recorded ? Between(prev.seq + 1, recorded.seq) : MoreThan(prev.seq) };
      const rows = await repo.find({ where, order: { seq: 'ASC' }, take: batchSize });
      for (const row of rows) {
        rowsChecked++;
        const broken = await this.check(row, prev);
        if (broken) return result(broken);
        prev = { seq: row.seq, hash: row.hash };
      }
      if (rows.length < batchSize) break;
    }

    if (recorded && recorded.seq > prev.seq) {
      const first = prev.seq + 1;
      const range = recorded.seq > first ? `第 ${first} 至第 ${recorded.seq} 条` : `第 ${first} 条`;
      return result({ seq: first, kind: 'missing', message: `链头记到第 ${recorded.seq} 条,表中只到第 ${prev.seq} 条:末尾的${range}记录缺失` });
    }
    if (recorded && recorded.hash !== prev.hash) {
      return result({ seq: prev.seq, kind: 'changed', message: `第 ${prev.seq} 条记录的哈希与链头记下的不符:该条在写入后被改写并重算了哈希,或链头被改动` });
    }
    return result(null);
  }

  private async check(row: AuditRow, prev: { seq: number; hash: string }): Promise<AuditBreak | null> {
    const contentIntact = auditHash(row) === row.hash;
    const linked = row.prevHash === prev.hash;
    if (contentIntact && linked && row.seq === prev.seq + 1) return null;

    let pointsAt: number | undefined;
    if (!linked) {
      const target = await this.ds.getRepository(AuditEntryEntity).findOne({ where: { hash: row.prevHash }, select: { seq: true } });
      pointsAt = target?.seq;
      if (pointsAt !== undefined && pointsAt > row.seq) {
        return { seq: row.seq, kind: 'reordered', message: `第 ${row.seq} 条记录的上一条哈希指向在它之后的第 ${pointsAt} 条:记录的先后顺序被调换` };
      }
    }
    if (row.seq !== prev.seq + 1) {
      const first = prev.seq + 1;
      const range = row.seq - 1 > first ? `第 ${first} 至第 ${row.seq - 1} 条` : `第 ${first} 条`;
      return { seq: first, kind: 'missing', message: `序号从第 ${prev.seq} 条跳到第 ${row.seq} 条:${range}记录缺失` };
    }
    if (!linked) {
      const where = pointsAt === undefined ? '它指向的记录已不在表中' : `它指向第 ${pointsAt} 条`;
      return {
        seq: row.seq,
        kind: 'missing',
        message: `第 ${row.seq} 条记录的上一条哈希不是第 ${prev.seq} 条的哈希(${where}):其间有记录缺失,或第 ${prev.seq} 条被改写后重算了哈希`,
      };
    }
    return { seq: row.seq, kind: 'changed', message: `第 ${row.seq} 条记录的内容与其存储的哈希不符:该条在写入后被改动` };
  }
}
