import { IssuedLetter, LetterFacts, LetterRequest, OfficeConfig, officialNumber, renderLetter } from '@reform/letters';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditStore } from './audit-store';
import { LetterEntity, LetterRow } from './entities';
import { checkColumnLengths, isUniqueViolation } from './errors';
import { inWriteTurn } from './turns';
import { CalendarStore } from './calendar-store';
import { DEFAULT_SIGN_WITHIN_WORKING_DAYS, resolveRecipients, signBy, writeRecipients } from './letter-recipients';
import type { PlanProjection } from '@reform/machine';

/**
 * A letter whose plan the ledger does not hold yet: its units cannot be told, so the attempt is
 * refused (a transient failure: the activity retries once the plan's projection has landed).
 */
export class LedgerNotYetWrittenError extends Error {
  override readonly name = 'LedgerNotYetWrittenError';
}

export interface LetterStoreOptions {
  /** Working days a unit has to sign for a letter (default 2). */
  signWithinWorkingDays?: number;
}

/** The audit action of a letter the engine issued. */
export const LETTER_ISSUED = 'letter.issued';

/**
 * Letters, written exactly once per idempotency key. The number (文号) is taken from a
 * per-prefix, per-year counter in the same transaction as the letter, so a retry that finds
 * the letter already written takes no number, and numbers have no gaps from retries. The same
 * transaction appends the letter's audit row (actor null: the engine), so a letter and its row
 * are committed together or not at all, and a retry that finds its letter writes no second row.
 */
export class LetterStore {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditStore = new AuditStore(ds),
    private readonly options: LetterStoreOptions = {},
  ) {}

  private get postgres(): boolean {
    return this.ds.options.type === 'postgres';
  }

  private async nextSerial(m: EntityManager, prefix: string, year: number): Promise<number> {
    const [p1, p2] = this.postgres ? ['$1', '$2'] : ['?', '?'];
    const rows: Array<{ last: number }> = await m.query(
      `INSERT INTO letter_counters (number_prefix, year, last) VALUES (${p1}, ${p2}, 1)
       ON CONFLICT (number_prefix, year) DO UPDATE SET last = letter_counters.last + 1
       RETURNING last`,
      [prefix, year],
    );
    return Number(rows[0].last);
  }

  async findByKey(idempotencyKey: string): Promise<LetterRow | null> {
    return this.ds.getRepository(LetterEntity).findOneBy({ idempotencyKey });
  }

  /**
   * Writes the letter unless its key is taken; either way returns the one letter for the key.
   * With it, in the same transaction, the rows of the units it is addressed and copied to (their
   * inboxes) and one outbox row per unit (its notification). `awaitLedger`: refuse the attempt
   * (LedgerNotYetWrittenError, nothing written) while the plan's ledger row is missing, rather
   * than write a letter that reaches no unit.
   */
  issue(req: LetterRequest, office: OfficeConfig, now: Date = new Date(), opts: { awaitLedger?: boolean } = {}): Promise<IssuedLetter & { created: boolean }> {
    return inWriteTurn(this.ds, () => this.issueNow(req, office, now, opts.awaitLedger ?? false));
  }

  /** The plan's projection in the ledger (names and unit ids side by side), or null while the ledger lacks the plan. */
  private async planOf(m: EntityManager, workflowId: string): Promise<PlanProjection | null> {
    const rows: Array<{ projection: string }> = await m.query(`SELECT projection FROM ledger_plans WHERE plan_id = ${this.postgres ? '$1' : '?'}`, [workflowId]);
    return rows.length ? (JSON.parse(rows[0].projection) as PlanProjection) : null;
  }

  /**
   * What the letter says that its workflow does not know: the problems a 整改意见书 hands over
   * (problem_handovers, written by the desk before the act that issues the letter), read only
   * for a template that prints them ({问题清单}).
   */
  private async factsOf(m: EntityManager, req: LetterRequest): Promise<LetterFacts> {
    if (!req.template?.paragraphs.some((p) => p.includes('{问题清单}'))) return {};
    const rows: Array<{ problems: string }> = await m.query(`SELECT problems FROM problem_handovers WHERE carrier_workflow_id = ${this.postgres ? '$1' : '?'}`, [req.workflowId]);
    if (!rows.length) return {};
    const list = JSON.parse(rows[0].problems) as Array<{ line?: unknown }>;
    return { problems: list.map((p) => String(p.line ?? '')) };
  }

  private async issueNow(req: LetterRequest, office: OfficeConfig, now: Date, awaitLedger: boolean): Promise<IssuedLetter & { created: boolean }> {
    const existing = await this.findByKey(req.idempotencyKey);
    if (existing) return { letterId: existing.id, number: existing.number, created: false };
    const calendar = await new CalendarStore(this.ds).calendar();
    try {
      const row = await this.ds.transaction(async (m) => {
        const plan = await this.planOf(m, req.workflowId);
        const parties = resolveRecipients(plan, req.to, req.cc);
        const facts = await this.factsOf(m, req);
        const year = Number(req.issuedOn.slice(0, 4));
        const serial = await this.nextSerial(m, office.numberPrefix, year);
        const number = officialNumber(office.numberPrefix, year, serial);
        const { subject, body } = renderLetter(req, office, number, facts);
        const letter: LetterRow = {
          id: randomUUID(),
          idempotencyKey: req.idempotencyKey,
          number,
          numberPrefix: office.numberPrefix,
          year,
          serial,
          kind: req.kind,
          workflowId: req.workflowId,
          procedureId: req.procedure.id,
          procedureVersion: req.procedure.version,
          deadlineKey: req.deadline.key,
          deadlineId: req.deadline.id,
          level: req.level,
          addressees: JSON.stringify(parties.to),
          copyTo: JSON.stringify(parties.cc),
          subject,
          body,
          dueDate: req.deadline.due,
          limitDate: req.limitUntil ?? null,
          ruleId: req.source,
          deadlineRuleId: req.deadline.source,
          issuedOn: req.issuedOn,
          createdAt: now.toISOString(),
        };
        checkColumnLengths(LetterEntity, letter, '函件');
        // After the checks that refuse a letter for good: waiting would not help it. The rollback returns the number.
        if (!plan && awaitLedger) throw new LedgerNotYetWrittenError(`方案「${req.workflowId}」尚未写入台账,函件的收文单位暂不能确定`);
        await m.getRepository(LetterEntity).insert(letter);
        const lastDay = signBy(req.issuedOn, this.options.signWithinWorkingDays ?? DEFAULT_SIGN_WITHIN_WORKING_DAYS, calendar);
        await writeRecipients(m, this.postgres, letter.id, parties.recipients, lastDay, now);
        // Last in the transaction: the audit head is held for the least time (audit-store.ts).
        await this.audit.append(
          {
            action: LETTER_ISSUED,
            targetType: 'letter',
            targetId: letter.id,
            after: {
              number,
              kind: req.kind,
              level: req.level,
              addressees: parties.to,
              copyTo: parties.cc,
              // The units it reached (their inboxes), when it reached any.
              ...(parties.recipients.length ? { recipients: parties.recipients } : {}),
              plan: req.workflowId,
              procedure: { id: req.procedure.id, version: req.procedure.version },
              deadline: req.deadline.key,
              issuedOn: req.issuedOn,
              idempotencyKey: req.idempotencyKey,
            },
            at: now,
          },
          m,
        );
        return letter;
      });
      return { letterId: row.id, number: row.number, created: true };
    } catch (e) {
      // Another attempt wrote it between our look-up and our insert: that one stands.
      if (isUniqueViolation(e)) {
        const winner = await this.findByKey(req.idempotencyKey);
        if (winner) return { letterId: winner.id, number: winner.number, created: false };
      }
      throw e;
    }
  }

  async forWorkflow(workflowId: string): Promise<LetterRow[]> {
    return this.ds.getRepository(LetterEntity).find({ where: { workflowId }, order: { year: 'ASC', serial: 'ASC' } });
  }

  async all(): Promise<LetterRow[]> {
    return this.ds.getRepository(LetterEntity).find({ order: { year: 'ASC', serial: 'ASC' } });
  }

  async byNumber(number: string): Promise<LetterRow | null> {
    return this.ds.getRepository(LetterEntity).findOneBy({ number });
  }

  /** How many letters have been written, by kind (the API's reform_letters_total reads it: workers write letters in their own processes). */
  async countByKind(): Promise<Array<{ kind: string; count: number }>> {
    const rows: Array<{ kind: string; n: number | string }> = await this.ds.query('SELECT kind, COUNT(*) AS n FROM letters GROUP BY kind');
    return rows.map((r) => ({ kind: r.kind, count: Number(r.n) }));
  }
}
