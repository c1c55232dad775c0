import { HolidayCalendar, LocalDate, shiftedDate } from '@reform/calendar';
import type { Party } from '@reform/letters';
import type { PlanProjection } from '@reform/machine';
import type { DataSource, EntityManager } from 'typeorm';
import { returnedRows } from './outbox-store';
import { inWriteTurn } from './turns';

/** How many working days a unit has to sign for a letter (签收), unless configured otherwise. */
export const DEFAULT_SIGN_WITHIN_WORKING_DAYS = 2;

/** A letter addressed (主送, `to`) or copied (抄送, `cc`) to a unit. */
export type RecipientRelation = 'to' | 'cc';
export const RECIPIENT_LABELS: Record<RecipientRelation, string> = { to: '主送', cc: '抄送' };

export interface LetterRecipient {
  unitId: string;
  relation: RecipientRelation;
}

/**
 * The units a letter's parties stand for, from the plan's ledger projection: a party addressed by
 * the plan's name of its lead unit, special group or participating units (what the standard
 * roles' 致函 本方案… write) is that unit of the directory. Parties named otherwise (改革领导小组,
 * 各有关单位) and plans registered without unit ids reach no inbox. A unit both addressed and
 * copied is addressed.
 */
export function resolveRecipients(plan: Pick<PlanProjection, 'scope' | 'units'> | null, to: Party[], cc: Party[]): { to: Party[]; cc: Party[]; recipients: LetterRecipient[] } {
  const idsOf = (p: Party): string[] => {
    const s = plan?.scope;
    if (!s || !plan) return [];
    if (p.name === plan.units.leadUnit) return [s.leadUnitId];
    if (s.specialGroupId && p.name === plan.units.specialGroup) return [s.specialGroupId];
    if (plan.units.participatingUnits.length && p.name === plan.units.participatingUnits.join('、')) return [...s.participatingUnitIds];
    return [];
  };
  const annotate = (parties: Party[]) => parties.map((p) => ({ ...p, ...(idsOf(p).length ? { unitIds: idsOf(p) } : {}) }));
  const recipients = new Map<string, RecipientRelation>();
  for (const p of to) for (const id of idsOf(p)) recipients.set(id, 'to');
  for (const p of cc) for (const id of idsOf(p)) if (!recipients.has(id)) recipients.set(id, 'cc');
  return { to: annotate(to), cc: annotate(cc), recipients: [...recipients].map(([unitId, relation]) => ({ unitId, relation })) };
}

/** The last day to sign for a letter issued on `issuedOn`: that many working days after it, by the calendar. */
export function signBy(issuedOn: LocalDate, workingDays: number, calendar: HolidayCalendar): LocalDate {
  return shiftedDate(issuedOn, { amount: workingDays, unit: 'workingDays' }, 'after', calendar);
}

/** The key a receiver deduplicates a delivery on: one per letter and unit. */
export const deliveryKey = (letterId: string, unitId: string): string => `${letterId}/${unitId}`;

/**
 * Writes a letter's recipient rows and its outbox rows (one per unit, pending from now) in the
 * letter's transaction `m`: the caller writes the letter once, so these are written once.
 */
export async function writeRecipients(
  m: EntityManager,
  postgres: boolean,
  letterId: string,
  recipients: LetterRecipient[],
  lastDay: LocalDate,
  now: Date,
): Promise<void> {
  if (!recipients.length) return;
  const ph = (n: number, offset: number) => Array.from({ length: n }, (_, i) => (postgres ? `$${offset + i + 1}` : '?')).join(', ');
  const at = now.toISOString();
  await m.query(
    `INSERT INTO letter_recipients (letter_id, unit_id, relation, sign_by) VALUES ${recipients.map((_, i) => `(${ph(4, i * 4)})`).join(', ')}`,
    recipients.flatMap((r) => [letterId, r.unitId, r.relation, lastDay]),
  );
  await m.query(
    `INSERT INTO letter_outbox (delivery_key, letter_id, unit_id, state, attempts, next_attempt_at, created_at) VALUES ${recipients.map((_, i) => `(${ph(7, i * 7)})`).join(', ')}`,
    recipients.flatMap((r) => [deliveryKey(letterId, r.unitId), letterId, r.unitId, 'pending', 0, at, at]),
  );
}

/** A unit's copy of a letter and its signing. */
export interface RecipientRow {
  letterId: string;
  unitId: string;
  relation: RecipientRelation;
  signBy: LocalDate;
  signedAt: string | null;
  signedBy: string | null;
  signedByName: string | null;
}

interface RecipientRaw {
  letter_id: string;
  unit_id: string;
  relation: string;
  sign_by: string;
  signed_at: string | null;
  signed_by: string | null;
  signed_by_name: string | null;
}

export const recipientRow = (r: RecipientRaw): RecipientRow => ({
  letterId: r.letter_id,
  unitId: r.unit_id,
  relation: r.relation as RecipientRelation,
  signBy: r.sign_by,
  signedAt: r.signed_at,
  signedBy: r.signed_by,
  signedByName: r.signed_by_name,
});

/**
 * Signing for letters (签收): once per letter and unit. The first signing writes the time and the
 * user and, through `audit` in the same transaction, its audit row; a later one (or one racing it:
 * the UPDATE requires the row unsigned) finds the first and writes nothing.
 */
export class LetterRecipientStore {
  constructor(private readonly ds: DataSource) {}

  private get postgres(): boolean {
    return this.ds.options.type === 'postgres';
  }

  /** The unit's row of the letter, signed now unless it was; null when the letter is not addressed or copied to the unit. */
  async sign(
    letterId: string,
    unitId: string,
    user: { userId: string; name: string },
    now: Date,
    audit: (m: EntityManager, row: RecipientRow) => Promise<unknown>,
  ): Promise<{ row: RecipientRow; first: boolean } | null> {
    const p = (i: number) => (this.postgres ? `$${i}` : '?');
    return inWriteTurn(this.ds, () =>
      this.ds.transaction(async (m) => {
        const raw: unknown[] = await m.query(
          `UPDATE letter_recipients SET signed_at = ${p(1)}, signed_by = ${p(2)}, signed_by_name = ${p(3)}
           WHERE letter_id = ${p(4)} AND unit_id = ${p(5)} AND signed_at IS NULL
           RETURNING letter_id, unit_id, relation, sign_by, signed_at, signed_by, signed_by_name`,
          [now.toISOString(), user.userId, user.name, letterId, unitId],
        );
        const signed = returnedRows<RecipientRaw>(raw);
        if (signed.length) {
          const row = recipientRow(signed[0]);
          await audit(m, row);
          return { row, first: true };
        }
        const existing: RecipientRaw[] = await m.query(
          `SELECT letter_id, unit_id, relation, sign_by, signed_at, signed_by, signed_by_name FROM letter_recipients WHERE letter_id = ${p(1)} AND unit_id = ${p(2)}`,
          [letterId, unitId],
        );
        return existing.length ? { row: recipientRow(existing[0]), first: false } : null;
      }),
    );
  }

  async forLetter(letterId: string): Promise<RecipientRow[]> {
    const rows: RecipientRaw[] = await this.ds.query(
      `SELECT letter_id, unit_id, relation, sign_by, signed_at, signed_by, signed_by_name FROM letter_recipients WHERE letter_id = ${this.postgres ? '$1' : '?'} ORDER BY relation DESC, unit_id`,
      [letterId],
    );
    return rows.map(recipientRow);
  }
}
