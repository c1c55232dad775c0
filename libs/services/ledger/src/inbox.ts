import { LETTER_KINDS } from '@reform/definitions';
import { RECIPIENT_LABELS, RecipientRelation } from '@reform/persistence';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { pageCursor, pageLimit, Params, parseListQuery } from './ledger-service';
import { afterLetterCursor, encodeLetterCursor, LETTER_PAGE_MAX, letterOrder } from './letter-list';
import { DayThresholds, deadlineLightSql, Light } from './lights';

/** A unit's inbox query (an API query string; strings are coerced). */
export const InboxQuerySchema = z
  .object({
    /** unsigned: not signed for yet; signed: signed for. */
    state: z.enum(['unsigned', 'signed'], { error: '状态应为 unsigned(未签收)或 signed(已签收)' }).optional(),
    kind: z.enum(LETTER_KINDS, { error: `函件种类应为 ${LETTER_KINDS.join('、')} 之一` }).optional(),
    limit: pageLimit(LETTER_PAGE_MAX),
    cursor: pageCursor(),
  })
  .strict();
export type InboxQuery = z.input<typeof InboxQuerySchema>;

/** A letter in a unit's inbox: newest first. */
export interface InboxRow {
  letterId: string;
  number: string;
  kind: string;
  planId: string;
  planTitle: string | null;
  subject: string;
  limitDate: string | null;
  /** The due date of the deadline the letter chases, as it was when the letter was issued. */
  dueDate: string;
  /** That deadline as the plan's ledger holds it now (its due date may have moved; met or not); null when the ledger has no such deadline. */
  deadline: { label: string; due: string; status: string } | null;
  /** That deadline's light today (red past due and not met, yellow due soon by the rules' 亮灯 黄, green met or not near); null with no deadline. */
  light: Light | null;
  issuedOn: string;
  /** to: addressed (主送); cc: copied (抄送). */
  relation: RecipientRelation;
  relationLabel: string;
  /** The last day to sign for it. */
  signBy: string;
  signedAt: string | null;
  signedBy: string | null;
  signedByName: string | null;
  /** Not signed for and past signBy today. */
  signOverdue: boolean;
}

export interface InboxPage {
  rows: InboxRow[];
  nextCursor: string | null;
}

interface InboxRaw {
  id: string;
  number: string;
  kind: string;
  workflow_id: string;
  title: string | null;
  subject: string;
  limit_date: string | null;
  due_date: string;
  deadline_label: string | null;
  deadline_due: string | null;
  deadline_status: string | null;
  light: Light | null;
  issued_on: string;
  created_at: string;
  relation: string;
  sign_by: string;
  signed_at: string | null;
  signed_by: string | null;
  signed_by_name: string | null;
}

/** A letter not signed for in time by one of its units. */
export interface LateSigning {
  number: string;
  unitId: string;
  signBy: string;
}

/**
 * The letters that reached a unit (addressed or copied to it), newest first, cursor-paged on
 * (issued on, written at, id) like the letters list; and the signings that are late.
 */
export class InboxReader {
  constructor(private readonly ds: DataSource) {}

  private get postgres(): boolean {
    return this.ds.options.type === 'postgres';
  }

  private c(expr: string): string {
    return this.postgres ? `${expr} COLLATE "C"` : expr;
  }

  /** `thresholds`: today's light thresholds (LightRules.forDay), for the light of the deadline each letter chases. */
  async list(unitId: string, query: InboxQuery, today: string, thresholds: DayThresholds): Promise<InboxPage> {
    const q = parseListQuery(InboxQuerySchema, query);
    const params = new Params(this.postgres);
    // In the order of the statement: SQLite's `?` are positional.
    const light = deadlineLightSql(params, thresholds);
    const where = [`r.unit_id = ${params.add(unitId)}`];
    if (q.state === 'unsigned') where.push('r.signed_at IS NULL');
    if (q.state === 'signed') where.push('r.signed_at IS NOT NULL');
    if (q.kind !== undefined) where.push(`l.kind = ${params.add(q.kind)}`);
    if (q.cursor !== undefined) where.push(afterLetterCursor(q.cursor, params, (e) => this.c(e)));
    const rows: InboxRaw[] = await this.ds.query(
      `SELECT l.id, l.number, l.kind, l.workflow_id, p.title, l.subject, l.limit_date, l.due_date, l.issued_on, l.created_at,
              d.label AS deadline_label, d.due AS deadline_due, d.status AS deadline_status, ${light} AS light,
              r.relation, r.sign_by, r.signed_at, r.signed_by, r.signed_by_name
       FROM letter_recipients r JOIN letters l ON l.id = r.letter_id
       LEFT JOIN ledger_plans p ON p.plan_id = l.workflow_id
       LEFT JOIN ledger_deadlines d ON d.plan_id = l.workflow_id AND d.deadline_key = l.deadline_key
       WHERE ${where.join(' AND ')}
       ORDER BY ${letterOrder((e) => this.c(e))}
       LIMIT ${params.add(q.limit + 1)}`,
      params.values,
    );
    const more = rows.length > q.limit;
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      rows: page.map((r) => ({
        letterId: r.id,
        number: r.number,
        kind: r.kind,
        planId: r.workflow_id,
        planTitle: r.title,
        subject: r.subject,
        limitDate: r.limit_date,
        dueDate: r.due_date,
        deadline: r.deadline_label !== null && r.deadline_due !== null ? { label: r.deadline_label, due: r.deadline_due, status: r.deadline_status ?? 'open' } : null,
        light: r.light,
        issuedOn: r.issued_on,
        relation: r.relation as RecipientRelation,
        relationLabel: RECIPIENT_LABELS[r.relation as RecipientRelation] ?? r.relation,
        signBy: r.sign_by,
        signedAt: r.signed_at,
        signedBy: r.signed_by,
        signedByName: r.signed_by_name,
        signOverdue: r.signed_at === null && r.sign_by < today,
      })),
      nextCursor: more && last ? encodeLetterCursor(last.issued_on, last.created_at, last.id) : null,
    };
  }

  /** The plan's letters some unit has not signed for past the last day (as of `today`). */
  async lateSignings(planId: string, today: string): Promise<LateSigning[]> {
    const params = new Params(this.postgres);
    const rows: Array<{ number: string; unit_id: string; sign_by: string }> = await this.ds.query(
      `SELECT l.number, r.unit_id, r.sign_by FROM letter_recipients r JOIN letters l ON l.id = r.letter_id
       WHERE l.workflow_id = ${params.add(planId)} AND r.signed_at IS NULL AND r.sign_by < ${params.add(today)}
       ORDER BY l.number, r.unit_id`,
      params.values,
    );
    return rows.map((r) => ({ number: r.number, unitId: r.unit_id, signBy: r.sign_by }));
  }
}
