import { AuditService } from '@reform/audit';
import { ForbiddenError, NotFoundError } from '@reform/config';
import { UserAccounts } from '@reform/identity';
import { InboxPage, InboxQuery, InboxReader, LedgerService } from '@reform/ledger';
import { LetterRecipientStore, OutboxCounts, OutboxRow, OutboxStore, RECIPIENT_LABELS, RecipientRelation } from '@reform/persistence';
import type { Unit } from '@reform/platform';
import { z } from 'zod';
import type { Caller } from './plan-desk';

/** What a signing may carry: a note for the audit trail; the body may be left out. */
export const SignLetterSchema = z
  .strictObject({ note: z.string().trim().max(200, '签收备注最长 200 个字').optional().meta({ description: '签收备注(可选),记入审计' }) })
  .optional()
  .meta({ id: 'SignLetter' });
export type SignLetter = z.input<typeof SignLetterSchema>;

/** The audit action of a unit signing for a letter (签收). */
export const LETTER_SIGNED = 'letter.signed';

export interface InboxDeskDeps {
  accounts: UserAccounts;
  audit: AuditService;
  /** The ledger's database and clock (today, for signings past their last day). */
  ledger: LedgerService;
  /** Whether the notifications have somewhere to go (REFORM_NOTIFY_URL): the outbox status says so. */
  notifyConfigured?: boolean;
  /** The clock of a signing's time: the same as the ledger's, which decides whether it was late. */
  now?: () => number | Promise<number>;
}

/** A unit's signing of a letter, as the API answers it. */
export interface Signing {
  letterId: string;
  unitId: string;
  relation: RecipientRelation;
  relationLabel: string;
  signBy: string;
  signedAt: string;
  signedBy: string;
  signedByName: string | null;
  /** False when the unit had signed already: this is the first signing, unchanged. */
  signedNow: boolean;
}

export interface OutboxStatus {
  /** Whether a notification endpoint is configured; without one rows wait, pending. */
  configured: boolean;
  counts: OutboxCounts;
  /** Undelivered rows, the longest waiting first. */
  undelivered: OutboxRow[];
}

const notAddressed = (letterId: string) => new NotFoundError(`没有找到发给本单位的函件「${letterId.slice(0, 100)}」`);

/**
 * Letters as they reach units: a unit's inbox (addressed 主送 and copied 抄送), signing for a
 * letter (签收, once per unit, audited), and the outbox's delivery state for the operator.
 */
export class InboxDesk {
  private readonly reader: InboxReader;
  private readonly recipients: LetterRecipientStore;
  private readonly outbox: OutboxStore;

  constructor(private readonly deps: InboxDeskDeps) {
    const ds = deps.ledger.store.ds;
    this.reader = new InboxReader(ds);
    this.recipients = new LetterRecipientStore(ds);
    this.outbox = new OutboxStore(ds);
  }

  private async whoIs(caller: Caller): Promise<{ unit: Unit; name: string }> {
    const profile = await this.deps.accounts.profile(caller.principal.userId);
    if (!profile) throw new ForbiddenError('该账号已不存在,请重新登录');
    return { unit: profile.unit, name: profile.displayName };
  }

  /** The letters addressed or copied to the caller's unit, newest first. */
  async inbox(caller: Caller, query: InboxQuery): Promise<InboxPage> {
    const { unit } = await this.whoIs(caller);
    const today = await this.deps.ledger.today();
    return this.reader.list(unit.id, query, today, await this.deps.ledger.lights.forDay(today));
  }

  /**
   * Signs for the letter on behalf of the caller's unit: the first signing keeps its time and
   * user and is audited in the same transaction; a second answers the first, writing nothing.
   * Not found when the letter is not addressed or copied to the unit.
   */
  async sign(caller: Caller, letterId: string, body: SignLetter = {}): Promise<Signing> {
    const note = SignLetterSchema.safeParse(body).data?.note;
    const { unit, name } = await this.whoIs(caller);
    const done = await this.recipients.sign(letterId, unit.id, { userId: caller.principal.userId, name }, new Date(await (this.deps.now ?? Date.now)()), (m, row) =>
      this.deps.audit.record(
        {
          action: LETTER_SIGNED,
          actor: { userId: caller.principal.userId, name, unitId: unit.id },
          target: { type: 'letter', id: letterId },
          before: { signedAt: null },
          after: { unitId: unit.id, relation: row.relation, signedAt: row.signedAt, signBy: row.signBy, ...(note ? { note } : {}) },
          requestId: caller.requestId,
        },
        m,
      ),
    );
    if (!done) throw notAddressed(letterId);
    const r = done.row;
    return {
      letterId: r.letterId,
      unitId: r.unitId,
      relation: r.relation,
      relationLabel: RECIPIENT_LABELS[r.relation],
      signBy: r.signBy,
      signedAt: r.signedAt!,
      signedBy: r.signedBy!,
      signedByName: r.signedByName,
      signedNow: done.first,
    };
  }

  /** The outbox's state: the reform office of the province only. */
  async outboxStatus(caller: Caller, limit = 50): Promise<OutboxStatus> {
    const { unit } = await this.whoIs(caller);
    if (unit.kind !== 'reform_office' || unit.region.level !== 'province') {
      throw new ForbiddenError(`函件投递状态由省级改革办查看;${unit.name}是${unit.region.levelLabel}${unit.kindLabel}`);
    }
    return { configured: this.deps.notifyConfigured ?? false, counts: await this.outbox.counts(), undelivered: await this.outbox.undelivered(limit) };
  }
}
