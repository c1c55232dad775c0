import { NON_PLAN_PROCEDURES } from '@reform/platform';
import type { DataSource } from 'typeorm';
import { AssessmentEntity, AssessmentEvaluationEntity, AssessmentEvaluationRow, AssessmentRow, RedListEntity, RedListRow } from './assessment-entities';
import { checkColumnLengths } from './errors';
import { inWriteTurn } from './turns';

/** A plan of the ledger as the assessment reads it: its deadlines and letters from its projection. */
export interface AssessedPlan {
  planId: string;
  title: string;
  regionPath: string;
  leadUnitId: string | null;
  deadlines: Array<{ key: string; label: string; ruleId: string | null; due: string; status: string }>;
  letters: Array<{ number: string; kind: string; date: string; deadlineKey: string }>;
}

/** A letter addressed (主送) to a unit of the region. */
export interface ReceivedLetter {
  id: string;
  number: string;
  kind: string;
  subject: string;
  issuedOn: string;
  unitId: string;
}

/** A problem of the library whose rectification limit falls in the year, with the ladder letters it drew. */
export interface AssessedProblem {
  id: string;
  number: string;
  description: string;
  unitId: string;
  limitDate: string;
  status: string;
  ladder: Array<{ id: string; number: string; kind: string; issuedOn: string }>;
}

/** Every record under a region that an assessment of one year may count. */
export interface AssessmentRecords {
  plans: AssessedPlan[];
  items: Array<{ planId: string; itemId: string; title: string; status: string }>;
  itemChanges: Array<{ planId: string; itemId: string; seq: number; statusAfter: string; businessDate: string }>;
  letters: ReceivedLetter[];
  problems: AssessedProblem[];
}

/** The letters of a problem's ladder after its rectification limit (A13): the problem was not rectified on time. */
const LADDER_KINDS = ['public_naming', 'interview'];

/**
 * The assessment's tables and the reads it computes from: plain SQL over the ledger, letters,
 * recipients and problem library, for one region's subtree and one year.
 */
export class AssessmentStore {
  constructor(readonly ds: DataSource) {}

  private ph(n: number): string[] {
    return this.ds.options.type === 'postgres' ? Array.from({ length: n }, (_, i) => `$${i + 1}`) : Array.from({ length: n }, () => '?');
  }

  /** What the year's assessment of the region `path` counts; problems and self-inspection tasks are no plans (NON_PLAN_PROCEDURES). */
  async records(path: string, year: number, asOf: string): Promise<AssessmentRecords> {
    const from = `${year}-01-01`;
    const to = `${year}-12-31` < asOf ? `${year}-12-31` : asOf;
    const prefix = `${path}%`;
    const q = (sql: string, params: unknown[]) => this.ds.query(sql, params) as Promise<Array<Record<string, unknown>>>;
    const { plans, items, itemChanges } = await this.planRecords({ where: `p.region_path LIKE ${this.ph(1)[0]}`, values: [prefix] });
    const p = this.ph(3);
    const underRegion = `SELECT u.id FROM units u JOIN regions g ON g.id = u.region_id WHERE g.path LIKE ${p[0]}`;
    const letters = (
      await q(
        `SELECT l.id, l.number, l.kind, l.subject, l.issued_on, r.unit_id FROM letters l JOIN letter_recipients r ON r.letter_id = l.id ` +
          `WHERE r.relation = 'to' AND r.unit_id IN (${underRegion}) AND l.issued_on >= ${p[1]} AND l.issued_on <= ${p[2]} ORDER BY l.issued_on, l.number`,
        [prefix, from, to],
      )
    ).map((r) => ({ id: String(r.id), number: String(r.number), kind: String(r.kind), subject: String(r.subject), issuedOn: String(r.issued_on), unitId: String(r.unit_id) }));
    const problemRows = await q(
      `SELECT id, number, description, unit_id, limit_date, status, workflow_id FROM problems WHERE unit_id IN (${underRegion}) AND limit_date >= ${p[1]} AND limit_date <= ${p[2]} ORDER BY limit_date, number`,
      [prefix, from, `${year}-12-31`],
    );
    const ladder = new Map<string, AssessedProblem['ladder']>();
    if (problemRows.length) {
      const kinds = LADDER_KINDS.map((k) => `'${k}'`).join(', ');
      const rows = await q(
        `SELECT id, number, kind, issued_on, workflow_id FROM letters WHERE kind IN (${kinds}) AND workflow_id IN (SELECT workflow_id FROM problems WHERE unit_id IN (${underRegion}) AND limit_date >= ${p[1]} AND limit_date <= ${p[2]}) ORDER BY issued_on, number`,
        [prefix, from, `${year}-12-31`],
      );
      for (const r of rows) {
        const list = ladder.get(String(r.workflow_id)) ?? [];
        list.push({ id: String(r.id), number: String(r.number), kind: String(r.kind), issuedOn: String(r.issued_on) });
        ladder.set(String(r.workflow_id), list);
      }
    }
    const problems = problemRows.map((r) => ({
      id: String(r.id),
      number: String(r.number),
      description: String(r.description),
      unitId: String(r.unit_id),
      limitDate: String(r.limit_date),
      status: String(r.status),
      ladder: ladder.get(String(r.workflow_id)) ?? [],
    }));
    return { plans, items, itemChanges, letters, problems };
  }

  /**
   * The plans (not problems nor self-inspection tasks, NON_PLAN_PROCEDURES) matching a condition on
   * ledger_plans `p`, with their deadlines, letters, items and item histories: what S4's two
   * measures count (the assessment by region, the dashboard by the caller's scope). `where` is
   * written with this database's placeholders for `values`.
   */
  async planRecords(condition: { where: string; values: unknown[] }): Promise<Pick<AssessmentRecords, 'plans' | 'items' | 'itemChanges'>> {
    const q = (sql: string) => this.ds.query(sql, condition.values) as Promise<Array<Record<string, unknown>>>;
    // The code's own procedure ids (lower-case letters and underscores), not input: written in place.
    const where = `(${condition.where}) AND p.procedure_id NOT IN (${NON_PLAN_PROCEDURES.map((id) => `'${id}'`).join(', ')})`;
    const planRows = await q(`SELECT p.plan_id, p.title, p.region_path, p.lead_unit_id, p.projection FROM ledger_plans p WHERE ${where} ORDER BY p.plan_id`);
    const plans: AssessedPlan[] = planRows.map((r) => {
      const projection = JSON.parse(String(r.projection)) as { deadlines?: AssessedPlan['deadlines']; letters?: AssessedPlan['letters'] };
      return {
        planId: String(r.plan_id),
        title: String(r.title),
        regionPath: String(r.region_path),
        leadUnitId: r.lead_unit_id == null ? null : String(r.lead_unit_id),
        deadlines: (projection.deadlines ?? []).map((d) => ({ key: d.key, label: d.label, ruleId: d.ruleId, due: d.due, status: d.status })),
        letters: (projection.letters ?? []).map((l) => ({ number: l.number, kind: l.kind, date: l.date, deadlineKey: l.deadlineKey })),
      };
    });
    const inPlans = `SELECT p.plan_id FROM ledger_plans p WHERE ${where}`;
    const items = (await q(`SELECT plan_id, item_id, title, status FROM ledger_items WHERE plan_id IN (${inPlans}) ORDER BY plan_id, item_id`)).map((r) => ({
      planId: String(r.plan_id),
      itemId: String(r.item_id),
      title: String(r.title),
      status: String(r.status),
    }));
    const itemChanges = (await q(`SELECT plan_id, item_id, seq, status_after, business_date FROM item_changes WHERE plan_id IN (${inPlans}) ORDER BY plan_id, item_id, seq`)).map((r) => ({
      planId: String(r.plan_id),
      itemId: String(r.item_id),
      seq: Number(r.seq),
      statusAfter: String(r.status_after),
      businessDate: String(r.business_date),
    }));
    return { plans, items, itemChanges };
  }

  async addEvaluation(row: AssessmentEvaluationRow): Promise<void> {
    checkColumnLengths(AssessmentEvaluationEntity, row, '第三方评估');
    await inWriteTurn(this.ds, () => this.ds.getRepository(AssessmentEvaluationEntity).insert(row));
  }

  evaluations(regionPath: string, year: number): Promise<AssessmentEvaluationRow[]> {
    return this.ds.getRepository(AssessmentEvaluationEntity).find({ where: { regionPath, year }, order: { enteredAt: 'ASC', id: 'ASC' } });
  }

  async addRedListEntry(row: RedListRow): Promise<void> {
    checkColumnLengths(RedListEntity, row, '红榜');
    await inWriteTurn(this.ds, () => this.ds.getRepository(RedListEntity).insert(row));
  }

  redListEntry(id: string): Promise<RedListRow | null> {
    return this.ds.getRepository(RedListEntity).findOne({ where: { id } });
  }

  async publishRedListEntry(id: string, at: string, by: string): Promise<void> {
    await inWriteTurn(this.ds, () => this.ds.getRepository(RedListEntity).update({ id }, { publishedAt: at, publishedBy: by }));
  }

  /** The red list of these levels for a year. */
  redList(regionPaths: string[], year: number): Promise<RedListRow[]> {
    if (!regionPaths.length) return Promise.resolve([]);
    return this.ds
      .getRepository(RedListEntity)
      .createQueryBuilder('r')
      .where('r.regionPath IN (:...paths)', { paths: regionPaths })
      .andWhere('r.year = :year', { year })
      .orderBy('r.addedAt', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .getMany();
  }

  async addAssessment(row: AssessmentRow): Promise<void> {
    checkColumnLengths(AssessmentEntity, row, '考核结果');
    await inWriteTurn(this.ds, () => this.ds.getRepository(AssessmentEntity).insert(row));
  }

  assessment(id: string): Promise<AssessmentRow | null> {
    return this.ds.getRepository(AssessmentEntity).findOne({ where: { id } });
  }

  /** The assessments computed by these levels (newest first, at most 200), without their results. */
  async assessments(regionPaths: string[], year?: number): Promise<Array<Omit<AssessmentRow, 'result' | 'schemeText'>>> {
    if (!regionPaths.length) return [];
    return this.ds.getRepository(AssessmentEntity).find({
      select: { id: true, year: true, regionPath: true, schemeId: true, schemeTitle: true, asOf: true, computedBy: true, computedAt: true },
      where: regionPaths.map((regionPath) => (year === undefined ? { regionPath } : { regionPath, year })),
      order: { computedAt: 'DESC', id: 'ASC' },
      take: 200,
    });
  }
}
