import type { DataSource, EntityManager } from 'typeorm';
import { checkColumnLengths, isUniqueViolation } from './errors';
import { HandoverProblem, ProblemEntity, ProblemHandoverEntity, ProblemHandoverMemberEntity, ProblemHandoverRow, ProblemRow } from './problem-entities';
import { inWriteTurn } from './turns';

/** Which problems a caller sees (the desk derives it from their unit). */
export interface ProblemFilter {
  /** Problems held in this library (a region path). */
  library?: string;
  /** And those escalated from this library (they show there as 已上交). */
  escalatedFrom?: string;
  /** Problems this unit rectifies. */
  unitId?: string;
  status?: string;
  limit: number;
  offset: number;
}

/**
 * The problem library's rows (problem-entities.ts). A problem's number is the next one of its
 * library and year: two registrations at once on PostgreSQL may pick the same one; the loser's
 * insert fails on the unique key and it numbers again.
 */
export class ProblemStore {
  constructor(readonly ds: DataSource) {}

  private get postgres(): boolean {
    return this.ds.options.type === 'postgres';
  }

  async insert(row: Omit<ProblemRow, 'seq' | 'number'>, numberOf: (seq: number) => string): Promise<ProblemRow> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await inWriteTurn(this.ds, () =>
          this.ds.transaction(async (m: EntityManager) => {
            const p = this.postgres ? ['$1', '$2'] : ['?', '?'];
            const [{ last }]: Array<{ last: number | string | null }> = await m.query(
              `SELECT MAX(seq) AS last FROM problems WHERE origin_region_path = ${p[0]} AND year = ${p[1]}`,
              [row.originRegionPath, row.year],
            );
            const seq = Number(last ?? 0) + 1;
            const full: ProblemRow = { ...row, seq, number: numberOf(seq) };
            checkColumnLengths(ProblemEntity, full, '问题');
            await m.getRepository(ProblemEntity).insert(full);
            return full;
          }),
        );
      } catch (e) {
        if (attempt >= 5 || !isUniqueViolation(e)) throw e;
      }
    }
  }

  get(id: string): Promise<ProblemRow | null> {
    return this.ds.getRepository(ProblemEntity).findOneBy({ id });
  }

  async update(id: string, change: Partial<Omit<ProblemRow, 'id'>>): Promise<void> {
    await inWriteTurn(this.ds, () => this.ds.getRepository(ProblemEntity).update({ id }, change));
  }

  /** The rows a filter selects (the OR of library, escalated-from and unit), newest first. */
  async list(f: ProblemFilter): Promise<{ rows: ProblemRow[]; total: number }> {
    const qb = this.ds.getRepository(ProblemEntity).createQueryBuilder('p');
    const ors: string[] = [];
    const params: Record<string, unknown> = {};
    if (f.library) {
      ors.push('p.library_region_path = :library');
      params.library = f.library;
    }
    if (f.escalatedFrom) {
      ors.push('p.escalated_from_region_path = :from');
      params.from = f.escalatedFrom;
    }
    if (f.unitId) {
      ors.push('p.unit_id = :unit');
      params.unit = f.unitId;
    }
    qb.where(ors.length ? `(${ors.join(' OR ')})` : '1 = 0', params);
    if (f.status) qb.andWhere('p.status = :status', { status: f.status });
    qb.orderBy('p.registered_at', 'DESC').addOrderBy('p.id', 'ASC').skip(f.offset).take(f.limit);
    const [rows, total] = await qb.getManyAndCount();
    return { rows, total };
  }

  handover(id: string): Promise<ProblemHandoverRow | null> {
    return this.ds.getRepository(ProblemHandoverEntity).findOneBy({ id });
  }

  /** The handover a problem is in, if any. */
  async handoverOf(problemId: string): Promise<ProblemHandoverRow | null> {
    const member = await this.ds.getRepository(ProblemHandoverMemberEntity).findOneBy({ problemId });
    return member ? this.handover(member.handoverId) : null;
  }

  /**
   * Writes a handover and its members in one transaction. Answers the handover that stands: this
   * one, or the same id written by an earlier attempt of the request. A problem already in another
   * handover refuses the whole (`taken`: its id), and nothing is written.
   */
  async createHandover(row: ProblemHandoverRow): Promise<{ handover: ProblemHandoverRow } | { taken: string }> {
    const problems = JSON.parse(row.problems) as HandoverProblem[];
    try {
      await inWriteTurn(this.ds, () =>
        this.ds.transaction(async (m: EntityManager) => {
          checkColumnLengths(ProblemHandoverEntity, row, '整改意见书的问题清单');
          await m.getRepository(ProblemHandoverEntity).insert(row);
          await m.getRepository(ProblemHandoverMemberEntity).insert(problems.map((p, seq) => ({ problemId: p.problemId, handoverId: row.id, seq })));
        }),
      );
      return { handover: row };
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const same = await this.handover(row.id);
      if (same) return { handover: same };
      const members = await this.ds.getRepository(ProblemHandoverMemberEntity).find({ where: problems.map((p) => ({ problemId: p.problemId })) });
      if (members.length) return { taken: members[0].problemId };
      throw e;
    }
  }

  /** Removes a handover none of whose problems was handed over (the engine refused the first): they may be handed over again. */
  async dropHandover(id: string): Promise<void> {
    await inWriteTurn(this.ds, () =>
      this.ds.transaction(async (m: EntityManager) => {
        await m.getRepository(ProblemHandoverMemberEntity).delete({ handoverId: id });
        await m.getRepository(ProblemHandoverEntity).delete({ id });
      }),
    );
  }

  /** Counts by status of the problems held in a library, and of those escalated from it. */
  async counts(library: string): Promise<{ byStatus: Record<string, number>; escalated: number }> {
    const p = this.postgres ? '$1' : '?';
    const rows: Array<{ status: string; n: number | string }> = await this.ds.query(`SELECT status, COUNT(*) AS n FROM problems WHERE library_region_path = ${p} GROUP BY status`, [library]);
    const [{ n }]: Array<{ n: number | string }> = await this.ds.query(`SELECT COUNT(*) AS n FROM problems WHERE escalated_from_region_path = ${p} AND library_region_path <> ${this.postgres ? '$2' : '?'}`, [library, library]);
    return { byStatus: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])), escalated: Number(n) };
  }
}
