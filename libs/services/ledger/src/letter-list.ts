import { LETTER_KINDS, LocalDateSchema } from '@reform/definitions';
import type { Scope } from '@reform/platform';
import { RECIPIENT_LABELS, RecipientRelation } from '@reform/persistence';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { decodeCursorParts, encodeCursorParts, pageCursor, pageLimit, Params, parseListQuery, scopeCondition } from './ledger-service';

export const LETTER_PAGE_MAX = 100;

/** The letters list's query (an API query string or the CLI gives it; strings are coerced). */
export const LetterQuerySchema = z
  .object({
    /** Letters of this plan. */
    plan: z.string().trim().min(1, '方案编号不能为空').max(200, '方案编号最长 200 个字符').optional(),
    /** Letters of plans this unit leads, takes part in or is the special group of. */
    unit: z.string().trim().min(1, '单位编号不能为空').max(100, '单位编号最长 100 个字符').optional(),
    kind: z.enum(LETTER_KINDS, { error: `函件种类应为 ${LETTER_KINDS.join('、')} 之一` }).optional(),
    /** Issued on or after this date. */
    from: LocalDateSchema.optional(),
    /** Issued on or before this date. */
    to: LocalDateSchema.optional(),
    limit: pageLimit(LETTER_PAGE_MAX),
    cursor: pageCursor(),
  })
  .strict();
export type LetterQuery = z.input<typeof LetterQuerySchema>;

/** A letter in the list: newest first. */
export interface LetterListRow {
  letterId: string;
  number: string;
  kind: string;
  level: number;
  planId: string;
  planTitle: string;
  subject: string;
  deadlineKey: string;
  dueDate: string;
  limitDate: string | null;
  ruleId: string;
  issuedOn: string;
}

export interface LetterPage {
  rows: LetterListRow[];
  nextCursor: string | null;
}

/** A letter in full (as issued: immutable). */
export interface LetterDetail extends LetterListRow {
  procedure: { id: string; version: number };
  addressees: unknown;
  copyTo: unknown;
  body: string;
  deadlineRuleId: string;
  createdAt: string;
  /** The units it reached (主送, 抄送), with their signing and the notification's delivery. */
  recipients: LetterRecipientView[];
}

export interface LetterRecipientView {
  unitId: string;
  unitName: string | null;
  relation: string;
  relationLabel: string;
  signBy: string;
  signedAt: string | null;
  signedBy: string | null;
  signedByName: string | null;
  delivery: { state: string; attempts: number; nextAttemptAt: string; lastError: string | null; deliveredAt: string | null } | null;
}

interface LetterRaw {
  id: string;
  number: string;
  kind: string;
  level: number | string;
  workflow_id: string;
  title: string;
  subject: string;
  deadline_key: string;
  due_date: string;
  limit_date: string | null;
  rule_id: string;
  issued_on: string;
  created_at: string;
}

/** A letters page's cursor: the last row's (issued on, written at, id); the letters list and the inbox share it. */
export const encodeLetterCursor = (issuedOn: string, createdAt: string, id: string): string => encodeCursorParts([issuedOn, createdAt, id]);

const decodeCursor = (raw: string): [string, string, string] =>
  decodeCursorParts(raw, (v) => (v.length === 3 && v.every((x) => typeof x === 'string') ? (v as [string, string, string]) : undefined));

/**
 * The letters after a cursor, newest first, as an SQL condition on `letters l`; `c` makes a
 * column compare by code point (COLLATE "C" on PostgreSQL). ORDER BY LETTER_ORDER goes with it.
 */
export function afterLetterCursor(raw: string, params: Params, c: (expr: string) => string): string {
  const [issuedOn, createdAt, id] = decodeCursor(raw);
  const on = c('l.issued_on');
  const at = c('l.created_at');
  const lid = c('l.id');
  return `(${on} < ${params.add(issuedOn)} OR (${on} = ${params.add(issuedOn)} AND (${at} < ${params.add(createdAt)} OR (${at} = ${params.add(createdAt)} AND ${lid} < ${params.add(id)}))))`;
}

/** The order of letters pages: newest first, by (issued on, written at, id). */
export const letterOrder = (c: (expr: string) => string): string => `${c('l.issued_on')} DESC, ${c('l.created_at')} DESC, ${c('l.id')} DESC`;

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/**
 * The letters the engine issued, as a caller may read them: only letters of plans in their
 * scope, tested in SQL on the plan's ledger row (the same condition as the ledger list), so
 * scope and paging agree. Newest first, cursor-paged on (issued on, written at, id).
 */
export class LetterReader {
  constructor(private readonly ds: DataSource) {}

  private get postgres(): boolean {
    return this.ds.options.type === 'postgres';
  }

  private c(expr: string): string {
    return this.postgres ? `${expr} COLLATE "C"` : expr;
  }

  async list(scope: Scope, query: LetterQuery): Promise<LetterPage> {
    const q = parseListQuery(LetterQuerySchema, query);
    const params = new Params(this.postgres);
    const where = [scopeCondition(scope, params)];
    if (q.plan !== undefined) where.push(`l.workflow_id = ${params.add(q.plan)}`);
    if (q.unit !== undefined) where.push(`EXISTS (SELECT 1 FROM ledger_plan_units u WHERE u.plan_id = p.plan_id AND u.unit_id = ${params.add(q.unit)})`);
    if (q.kind !== undefined) where.push(`l.kind = ${params.add(q.kind)}`);
    if (q.from !== undefined) where.push(`l.issued_on >= ${params.add(q.from)}`);
    if (q.to !== undefined) where.push(`l.issued_on <= ${params.add(q.to)}`);
    if (q.cursor !== undefined) where.push(afterLetterCursor(q.cursor, params, (e) => this.c(e)));
    const rows: LetterRaw[] = await this.ds.query(
      `SELECT l.id, l.number, l.kind, l.level, l.workflow_id, p.title, l.subject, l.deadline_key, l.due_date, l.limit_date, l.rule_id, l.issued_on, l.created_at
       FROM letters l JOIN ledger_plans p ON p.plan_id = l.workflow_id
       WHERE ${where.join(' AND ')}
       ORDER BY ${letterOrder((e) => this.c(e))}
       LIMIT ${params.add(q.limit + 1)}`,
      params.values,
    );
    const more = rows.length > q.limit;
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return { rows: page.map(listRow), nextCursor: more && last ? encodeLetterCursor(last.issued_on, last.created_at, last.id) : null };
  }

  /** One letter in full, or null when there is none or its plan lies outside the scope (404 either way). */
  async detail(scope: Scope, letterId: string): Promise<LetterDetail | null> {
    const params = new Params(this.postgres);
    const rows: Array<LetterRaw & { procedure_id: string; procedure_version: number | string; addressees: string; copy_to: string; body: string; deadline_rule_id: string }> =
      await this.ds.query(
        `SELECT l.id, l.number, l.kind, l.level, l.workflow_id, p.title, l.subject, l.deadline_key, l.due_date, l.limit_date, l.rule_id, l.issued_on, l.created_at,
                l.procedure_id, l.procedure_version, l.addressees, l.copy_to, l.body, l.deadline_rule_id
         FROM letters l JOIN ledger_plans p ON p.plan_id = l.workflow_id
         WHERE l.id = ${params.add(letterId)} AND ${scopeCondition(scope, params)}`,
        params.values,
      );
    const r = rows[0];
    if (!r) return null;
    return {
      ...listRow(r),
      procedure: { id: r.procedure_id, version: Number(r.procedure_version) },
      addressees: parseJson(r.addressees),
      copyTo: parseJson(r.copy_to),
      body: r.body,
      deadlineRuleId: r.deadline_rule_id,
      createdAt: r.created_at,
      recipients: await this.recipients(letterId),
    };
  }

  private async recipients(letterId: string): Promise<LetterRecipientView[]> {
    const params = new Params(this.postgres);
    const rows: Array<{
      unit_id: string;
      unit_name: string | null;
      relation: string;
      sign_by: string;
      signed_at: string | null;
      signed_by: string | null;
      signed_by_name: string | null;
      state: string | null;
      attempts: number | string | null;
      next_attempt_at: string | null;
      last_error: string | null;
      delivered_at: string | null;
    }> = await this.ds.query(
      `SELECT r.unit_id, u.name AS unit_name, r.relation, r.sign_by, r.signed_at, r.signed_by, r.signed_by_name,
              o.state, o.attempts, o.next_attempt_at, o.last_error, o.delivered_at
       FROM letter_recipients r LEFT JOIN units u ON u.id = r.unit_id
       LEFT JOIN letter_outbox o ON o.letter_id = r.letter_id AND o.unit_id = r.unit_id
       WHERE r.letter_id = ${params.add(letterId)}
       ORDER BY r.relation DESC, r.unit_id`,
      params.values,
    );
    return rows.map((r) => ({
      unitId: r.unit_id,
      unitName: r.unit_name,
      relation: r.relation,
      relationLabel: RECIPIENT_LABELS[r.relation as RecipientRelation] ?? r.relation,
      signBy: r.sign_by,
      signedAt: r.signed_at,
      signedBy: r.signed_by,
      signedByName: r.signed_by_name,
      delivery:
        r.state === null
          ? null
          : { state: r.state, attempts: Number(r.attempts), nextAttemptAt: r.next_attempt_at!, lastError: r.last_error, deliveredAt: r.delivered_at },
    }));
  }
}

function listRow(r: LetterRaw): LetterListRow {
  return {
    letterId: r.id,
    number: r.number,
    kind: r.kind,
    level: Number(r.level),
    planId: r.workflow_id,
    planTitle: r.title,
    subject: r.subject,
    deadlineKey: r.deadline_key,
    dueDate: r.due_date,
    limitDate: r.limit_date,
    ruleId: r.rule_id,
    issuedOn: r.issued_on,
  };
}
