import type { AuditService } from '@reform/audit';
import { ForbiddenError, NotFoundError } from '@reform/config';
import { PlanIdSchema } from '@reform/definitions';
import type { UnitDirectory } from '@reform/identity';
import { likeLiteral, Params } from '@reform/ledger';
import type { EvidenceStore } from '@reform/persistence';
import type { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { DEFAULT_EVIDENCE_MAX_BYTES } from './evidence-types';
import { Evidence, evidenceOut, receiveEvidence, Upload } from './item-desk';
import type { Caller, PlanDesk } from './plan-desk';
import { parse } from './parse';

/** rules/standard/pilot.rules: the procedure of pilots, and the final evaluation that promotes the experience (经验推广, S5). */
export const PILOT_PROCEDURE = 'pilot';
export const PROMOTED_ACTION = 'evaluate_promoted';
/** The evidence key a pilot's summary report (总结报告, A16) is kept under. */
export const SUMMARY_REPORT_KEY = 'summary-report';

export const ExperienceQuerySchema = z
  .strictObject({
    area: z.string().trim().min(1, '领域不能为空').max(100, '领域最长 100 个字').optional().meta({ description: '专项小组编号,或其领域名称(如「经济体制改革」)' }),
    region: z.string().regex(/^\/(?:[^/\s]+\/)*$/, '地区路径应形如 /sc/cd/').max(200, '地区路径最长 200 个字符').optional().meta({ description: '本地区及下级的试点' }),
    text: z.string().trim().min(1, '检索词不能为空').max(200, '检索词最长 200 个字').optional().meta({ description: '试点名称中的字词' }),
    limit: z.coerce.number({ error: '每页条数应为整数' }).int('每页条数应为整数').min(1, '每页至少 1 条').max(100, '每页最多 100 条').default(50),
    offset: z.coerce.number({ error: '起始位置应为整数' }).int('起始位置应为整数').min(0, '起始位置不能为负').max(1_000_000, '起始位置过大').default(0),
  });
export type ExperienceQuery = z.input<typeof ExperienceQuerySchema>;

/** A promoted pilot as the experience library shows it. */
export interface Experience {
  planId: string;
  title: string;
  regionPath: string | null;
  leadUnit: { id: string | null; name: string | null };
  area: { specialGroupId: string | null; name: string | null };
  /** The business date of the final evaluation that promoted it (S5). */
  promotedOn: string;
  /** The unit whose user recorded that evaluation. */
  evaluatedBy: string | null;
  /** Its summary reports (总结报告, A16), as uploaded evidence. */
  summaryReports: Evidence[];
}

export interface ExperiencePage {
  rows: Experience[];
  total: number;
}

export interface ExperienceDeskDeps {
  desk: PlanDesk;
  db: DataSource;
  evidence: EvidenceStore;
  directory: UnitDirectory;
  audit: AuditService;
  maxEvidenceBytes?: number;
}

const notFound = (planId: string) => new NotFoundError(`经验推广库中没有试点「${planId.slice(0, 200)}」`);

interface PromotedRaw {
  plan_id: string;
  title: string;
  region_path: string | null;
  lead_unit_id: string | null;
  special_group_id: string | null;
  after: string | null;
  actor_unit_id: string | null;
}

/**
 * The experience library (经验推广, S5; Sichuan's sixth sub-platform): every pilot whose final
 * evaluation was 经验推广. The entry is derived, not entered a second time: a pilot is in the
 * library when its ledger projection is closed and the act that closed it, written into the
 * audit trail in the same transaction as that projection (plan_act_audits), is the promoting
 * evaluation of rules/standard/pilot.rules. All four outcomes there lead to the same final stage,
 * so the stage alone does not tell them apart; the recorded act does. The summary report is the
 * pilot's evidence file, uploaded by its lead unit or reform office like any evidence. The library
 * is for copying experience across the province: every signed-in user reads it.
 */
export class ExperienceDesk {
  constructor(private readonly deps: ExperienceDeskDeps) {}

  private async promoted(filter: { planId?: string; region?: string; text?: string; groups?: string[] }): Promise<Experience[]> {
    const params = new Params(this.deps.db.options.type === 'postgres');
    const where = [
      `p.procedure_id = ${params.add(PILOT_PROCEDURE)}`,
      `p.status = 'closed'`,
      `a.action = 'plan.act'`,
      `a.target_type = 'plan'`,
      `a.after LIKE ${params.add(`%${PROMOTED_ACTION}%`)}`,
    ];
    if (filter.planId !== undefined) where.push(`p.plan_id = ${params.add(filter.planId)}`);
    if (filter.region !== undefined) where.push(`p.region_path LIKE ${params.add(`${likeLiteral(filter.region)}%`)} ESCAPE '\\'`);
    if (filter.text !== undefined) where.push(`LOWER(p.title) LIKE ${params.add(`%${likeLiteral(filter.text.toLowerCase())}%`)} ESCAPE '\\'`);
    if (filter.groups !== undefined) where.push(filter.groups.length ? `p.special_group_id IN (${filter.groups.map((g) => params.add(g)).join(', ')})` : '1 = 0');
    const rows: PromotedRaw[] = await this.deps.db.query(
      `SELECT p.plan_id, p.title, p.region_path, p.lead_unit_id, p.special_group_id, a.after, a.actor_unit_id
       FROM ledger_plans p JOIN audit_log a ON a.target_id = p.plan_id
       WHERE ${where.join(' AND ')}
       ORDER BY a.seq DESC`,
      params.values,
    );
    const units = new Map((await this.deps.directory.units()).map((u) => [u.id, u]));
    const out: Experience[] = [];
    const seen = new Set<string>();
    for (const r of rows) {
      let after: { action?: unknown; businessDate?: unknown } = {};
      try {
        after = JSON.parse(r.after ?? '{}') as typeof after;
      } catch {
        continue;
      }
      if (after.action !== PROMOTED_ACTION || seen.has(r.plan_id)) continue;
      seen.add(r.plan_id);
      const group = r.special_group_id ? units.get(r.special_group_id) : undefined;
      out.push({
        planId: r.plan_id,
        title: r.title,
        regionPath: r.region_path,
        leadUnit: { id: r.lead_unit_id, name: (r.lead_unit_id && units.get(r.lead_unit_id)?.name) || null },
        area: { specialGroupId: r.special_group_id, name: group?.area ?? null },
        promotedOn: typeof after.businessDate === 'string' ? after.businessDate : '',
        evaluatedBy: r.actor_unit_id,
        summaryReports: (await this.deps.evidence.evidenceOf(r.plan_id, SUMMARY_REPORT_KEY)).map(evidenceOut),
      });
    }
    return out;
  }

  /** The library, searchable by area (a special group or its area's name), region and title. */
  async list(caller: Caller, query: ExperienceQuery): Promise<ExperiencePage> {
    const q = parse(ExperienceQuerySchema, query, '查询');
    await this.deps.desk.whoIs(caller);
    let groups: string[] | undefined;
    if (q.area !== undefined) {
      groups = (await this.deps.directory.units()).filter((u) => u.kind === 'special_group' && (u.id === q.area || u.area === q.area)).map((u) => u.id);
    }
    const all = await this.promoted({ region: q.region, text: q.text, groups });
    return { rows: all.slice(q.offset, q.offset + q.limit), total: all.length };
  }

  async detail(caller: Caller, planId: string): Promise<Experience> {
    await this.deps.desk.whoIs(caller);
    if (!PlanIdSchema.safeParse(planId).success) throw notFound(planId);
    const [entry] = await this.promoted({ planId });
    if (!entry) throw notFound(planId);
    return entry;
  }

  /** The summary report of a pilot, uploaded by its lead unit or its reform office (before or after the evaluation). */
  async upload(caller: Caller, planId: string, upload: Upload): Promise<Evidence> {
    const { unit, name } = await this.deps.desk.whoIs(caller);
    const { view, access } = await this.deps.desk.reach(unit, planId);
    if (view.procedure.id !== PILOT_PROCEDURE) throw new NotFoundError(`「${planId}」不是改革试点,没有总结报告`);
    if (!access.roles.some((r) => r === 'lead_unit' || r === 'reform_office')) throw new ForbiddenError(`总结报告由试点的牵头单位或改革办上传,${unit.name}只能查看`);
    const kept = await receiveEvidence(
      { store: this.deps.evidence, audit: this.deps.audit, maxBytes: this.deps.maxEvidenceBytes ?? DEFAULT_EVIDENCE_MAX_BYTES },
      { caller, unitId: unit.id, name },
      { planId, itemId: SUMMARY_REPORT_KEY, audit: { action: 'experience.summary_report_added', target: { type: 'plan', id: planId }, after: {} } },
      upload,
    );
    return evidenceOut(kept);
  }

  /** A summary report of a pilot in the library, to any signed-in user. */
  async download(caller: Caller, planId: string, evidenceId: string): Promise<{ evidence: Evidence; body: Readable }> {
    const entry = await this.detail(caller, planId);
    const report = entry.summaryReports.find((r) => r.evidenceId === evidenceId);
    const row = report && (await this.deps.evidence.evidence(evidenceId));
    if (!row) throw new NotFoundError(`试点「${entry.title}」没有总结报告「${evidenceId.slice(0, 60)}」`);
    const body = await this.deps.evidence.open(row);
    if (!body) throw new NotFoundError(`总结报告「${row.filename}」的文件已不在存储中,请联系运维人员`);
    return { evidence: evidenceOut(row), body };
  }
}
