import type { AuditService } from '@reform/audit';
import { localDateAt } from '@reform/calendar';
import { ConflictError, FieldError, ForbiddenError, NotFoundError } from '@reform/config';
import type { UnitDirectory, UserAccounts } from '@reform/identity';
import type { AssessmentRow, AssessmentStore, AssessmentTargetType, RedListRow } from '@reform/persistence';
import { Unit, UnitIdSchema } from '@reform/platform';
import { checkRules, RulesInvalidError } from '@reform/procedures';
import { AssessmentScheme, compileRules, parseRules, RulesInput } from '@reform/rules';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AssessmentSubject, computeAssessment, NamedSubject, SubjectScore } from './assessment-compute';
import { Caller, whoIs } from './plan-desk';
import { newWorkbook, tableSheet, workbookBytes, XlsxFile } from './xlsx';
import { parse } from './parse';

export * from './assessment-compute';

/** The earliest year an assessment, a score or a red-list entry may be for. */
export const ASSESSMENT_FIRST_YEAR = 2000;
/** The scheme used when the office sends none: rules/standard/assessment.rules. */
export const STANDARD_SCHEME_ID = 'annual';

const YearSchema = z.coerce.number({ error: '年度应为整数' }).int('年度应为整数').min(ASSESSMENT_FIRST_YEAR, `年度不能早于 ${ASSESSMENT_FIRST_YEAR}`).max(9999, '年度无效');

const TargetSchema = z.discriminatedUnion(
  'type',
  [z.strictObject({ type: z.literal('unit'), unitId: UnitIdSchema }), z.strictObject({ type: z.literal('region'), regionId: z.string().min(1, '地区编号不能为空').max(40, '地区编号最长 40 个字符') })],
  { error: '考核对象应为 { type: "unit", unitId } 或 { type: "region", regionId }' },
);

export const ComputeAssessmentSchema = z
  .strictObject({
    year: YearSchema.meta({ description: '考核年度;当年的考核计到今天' }),
    scheme: z
      .strictObject({
        name: z.string().trim().min(1, '文件名不能为空').max(200, '文件名最长 200 个字符').default('scheme.rules').meta({ description: '诊断信息中显示的文件名' }),
        text: z.string().max(200_000, '考核细则最长 200000 个字符').meta({ description: '考核细则(规则语言,恰好一个「考核」声明)' }),
      })
      .optional()
      .meta({ description: '考核细则;不写时用标准细则 rules/standard/assessment.rules' }),
  })
  .meta({ id: 'ComputeAssessment' });
export type ComputeAssessment = z.input<typeof ComputeAssessmentSchema>;

export const AssessmentQuerySchema = z.strictObject({ year: YearSchema.optional() });
export type AssessmentQuery = z.input<typeof AssessmentQuerySchema>;

/** Points out of 100 with at most two decimals. */
const ScoreSchema = z
  .number({ error: '得分应为数字' })
  .min(0, '得分在 0 到 100 之间')
  .max(100, '得分在 0 到 100 之间')
  .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, '得分最多保留两位小数');

export const EvaluationInputSchema = z
  .strictObject({
    year: YearSchema,
    target: TargetSchema,
    subject: z.string().trim().min(1, '须写明评估的改革事项').max(200, '评估事项最长 200 个字'),
    evaluator: z.string().trim().min(1, '须写明评估机构').max(200, '评估机构最长 200 个字'),
    score: ScoreSchema.meta({ description: '评估得分(百分制,最多两位小数)' }),
  })
  .meta({ id: 'EvaluationInput' });
export type EvaluationInput = z.input<typeof EvaluationInputSchema>;

export const RedListInputSchema = z
  .strictObject({
    year: YearSchema,
    target: TargetSchema,
    reason: z.string().trim().min(1, '须写明上榜理由').max(2000, '上榜理由最长 2000 个字'),
  })
  .meta({ id: 'RedListInput' });
export type RedListInput = z.input<typeof RedListInputSchema>;

/** Publishing a red-list entry (通报表扬): an optional note, kept in the audit trail. */
export const PublishRedListSchema = z
  .strictObject({ note: z.string().trim().max(200, '备注最长 200 个字').optional().meta({ description: '公布备注(可选),记入审计' }) })
  .optional()
  .meta({ id: 'PublishRedList' });
export type PublishRedList = z.input<typeof PublishRedListSchema>;

export interface AssessmentTarget {
  type: AssessmentTargetType;
  id: string;
  name: string;
}

export interface Evaluation {
  id: string;
  year: number;
  regionPath: string;
  target: AssessmentTarget;
  subject: string;
  evaluator: string;
  score: number;
  enteredBy: string;
  enteredAt: string;
}

export interface RedListEntry {
  id: string;
  year: number;
  regionPath: string;
  target: AssessmentTarget;
  reason: string;
  addedAt: string;
  published: boolean;
  publishedAt: string | null;
}

export interface AssessmentSummary {
  id: string;
  year: number;
  regionPath: string;
  scheme: { id: string; title: string };
  asOf: string;
  computedAt: string;
}

/** An assessment as a caller reads it: the office of its level everything, a unit or area only its own row. */
export interface AssessmentView extends AssessmentSummary {
  scheme: { id: string; title: string; ruleId: string; fullMarks: number; indicators: Array<{ id: string; title: string; points: number; measure: string; ruleId: string }> };
  region: { path: string; name: string };
  units: SubjectScore[];
  areas: SubjectScore[];
  /** The units and areas named for failing (通报, H7), each with the rule and records why. */
  named: NamedSubject[];
}

interface StoredResult {
  scheme: AssessmentView['scheme'];
  region: AssessmentView['region'];
  units: SubjectScore[];
  areas: SubjectScore[];
  /** Absent from results computed before naming (H7) was added. */
  named?: NamedSubject[];
}

export interface AssessmentDeskDeps {
  accounts: Pick<UserAccounts, 'profile'>;
  directory: UnitDirectory;
  audit: AuditService;
  store: AssessmentStore;
  /** The standard rules files (the standard scheme is among them). */
  standardRules: () => RulesInput[];
  /** The server's clock (the Temporal server's under test). */
  now?: () => number | Promise<number>;
}

const notFound = (what: string) => new NotFoundError(`没有找到${what},或本单位无权查看`);
const isOffice = (u: Unit) => u.kind === 'reform_office';
/** The units a level assesses: every unit of its region but the reform office and the leading group. */
const assessedKind = (u: Unit) => u.kind !== 'reform_office' && u.kind !== 'leading_group';

/**
 * The year-end assessment (S4, A14, A15, Y12–Y15, W8, H7), as the API's /api/assessments and
 * `reform assess` use it. The reform office of a level computes its units' and areas' scores
 * from the ledger with a scheme written in the rules language, enters third-party evaluation
 * scores (Y12, H5) and keeps and publishes the red list (Y14); a unit reads its own score and
 * trace, an area's office its area's; anything else is not found. Every change is audited.
 */
export class AssessmentDesk {
  constructor(private readonly deps: AssessmentDeskDeps) {}

  private async today(): Promise<string> {
    return localDateAt(await (this.deps.now ?? Date.now)());
  }

  private async office(caller: Caller, what: string): Promise<{ unit: Unit; name: string }> {
    const who = await whoIs(this.deps.accounts, caller);
    if (!isOffice(who.unit)) throw new ForbiddenError(`${what}由改革办办理;${who.unit.name}是${who.unit.kindLabel},不能办理`);
    return who;
  }

  /** The scheme to compute with: the one of the text sent (exactly one 考核), or the standard one. */
  private scheme(sent: { name: string; text: string } | undefined): { scheme: AssessmentScheme; text: string } {
    const inputs = sent ? [sent] : this.deps.standardRules().filter((f) => parseRules(f.text).value.declarations.some((d) => d.kind === 'scheme'));
    const compiled = compileRules(inputs, { partial: true });
    if (!compiled.schemes) throw new RulesInvalidError(checkRules(inputs, { partial: true }));
    if (sent) {
      if (compiled.schemes.length !== 1) throw new FieldError('scheme.text', `考核细则中须恰好有一个「考核」声明,现有 ${compiled.schemes.length} 个`);
      return { scheme: compiled.schemes[0], text: sent.text };
    }
    const scheme = compiled.schemes.find((s) => s.id === STANDARD_SCHEME_ID) ?? compiled.schemes[0];
    if (!scheme) throw new FieldError('scheme', '标准规则中没有考核细则:请在请求中附上考核细则');
    const file = compiled.ruleset.schemes.find((s) => s.decl.id?.text === scheme.id)!.file;
    return { scheme, text: inputs.find((f) => f.name === file)!.text };
  }

  /** The units and areas a level assesses. */
  private async subjects(office: Unit): Promise<{ units: AssessmentSubject[]; areas: AssessmentSubject[] }> {
    const units = (await this.deps.directory.unitsOf(office.region.id)).filter(assessedKind).map((u): AssessmentSubject => ({ type: 'unit', id: u.id, name: u.name, regionPath: u.region.path }));
    const areas = (await this.deps.directory.childRegions(office.region.id)).map((r): AssessmentSubject => ({ type: 'region', id: r.id, name: r.name, regionPath: r.path }));
    return { units, areas };
  }

  /** A unit or area the office's level assesses, by the request's target (a field error otherwise). */
  private async target(office: Unit, t: z.output<typeof TargetSchema>): Promise<AssessmentTarget> {
    const { units, areas } = await this.subjects(office);
    if (t.type === 'unit') {
      const u = units.find((x) => x.id === t.unitId);
      if (!u) throw new FieldError('target.unitId', `单位「${t.unitId}」不是${office.region.name}本级的考核对象`);
      return { type: 'unit', id: u.id, name: u.name };
    }
    const a = areas.find((x) => x.id === t.regionId);
    if (!a) throw new FieldError('target.regionId', `地区「${t.regionId}」不是${office.region.name}下一级的地区`);
    return { type: 'region', id: a.id, name: a.name };
  }

  private async targetName(type: AssessmentTargetType, id: string): Promise<string> {
    if (type === 'unit') return (await this.deps.directory.unit(id))?.name ?? id;
    return (await this.deps.directory.region(id))?.name ?? id;
  }

  /** Computes and keeps the year's scores of the office's level: its units and the areas one level down. */
  async compute(caller: Caller, input: ComputeAssessment): Promise<AssessmentView> {
    const body = parse(ComputeAssessmentSchema, input);
    const { unit, name } = await this.office(caller, '考核');
    const today = await this.today();
    if (body.year > Number(today.slice(0, 4))) throw new FieldError('year', `${body.year} 年度尚未开始,不能考核`);
    const { scheme, text } = this.scheme(body.scheme);
    const asOf = `${body.year}-12-31` < today ? `${body.year}-12-31` : today;
    const path = unit.region.path;
    const { units, areas } = await this.subjects(unit);
    const [records, evaluations, redList, under] = await Promise.all([
      this.deps.store.records(path, body.year, asOf),
      this.deps.store.evaluations(path, body.year),
      this.deps.store.redList([path], body.year),
      this.deps.directory.unitsUnder(path),
    ]);
    const unitPaths = new Map(under.map((u) => [u.id, u.region.path]));
    const scores = computeAssessment({ scheme, year: body.year, asOf, units, areas, records, unitPaths, evaluations, redList: redList.filter((e) => e.publishedAt) });
    const result: StoredResult = {
      scheme: { id: scheme.id, title: scheme.title, ruleId: scheme.ruleId, fullMarks: scheme.fullMarks, indicators: scheme.indicators.map((i) => ({ id: i.id, title: i.title, points: i.points, measure: i.measure.type, ruleId: i.ruleId })) },
      region: { path, name: unit.region.name },
      ...scores,
    };
    const row: AssessmentRow = {
      id: randomUUID(),
      year: body.year,
      regionPath: path,
      schemeId: scheme.id,
      schemeTitle: scheme.title.slice(0, 200),
      schemeText: text,
      asOf,
      computedBy: caller.principal.userId,
      computedAt: new Date(await (this.deps.now ?? Date.now)()).toISOString(),
      result: JSON.stringify(result),
    };
    await this.deps.store.addAssessment(row);
    await this.deps.audit.record({
      action: 'assessment.computed',
      actor: { userId: caller.principal.userId, name, unitId: unit.id },
      target: { type: 'assessment', id: row.id },
      before: null,
      after: {
        year: row.year,
        region: path,
        scheme: scheme.id,
        asOf,
        totals: [...scores.units, ...scores.areas].map((s) => ({ [s.subject.type]: s.subject.id, total: s.total })),
        named: scores.named.map((n) => ({ [n.subject.type]: n.subject.id, rules: n.reasons.map((r) => r.ruleId) })),
      },
      requestId: caller.requestId,
    });
    return viewOf(row, result);
  }

  /** The assessments a caller may open: an office those of its level and of the level above (its area's row); a unit those of its level. */
  async list(caller: Caller, query: AssessmentQuery): Promise<AssessmentSummary[]> {
    const q = parse(AssessmentQuerySchema, query);
    const { unit } = await whoIs(this.deps.accounts, caller);
    if (!isOffice(unit) && !assessedKind(unit)) return [];
    const paths = [unit.region.path];
    if (isOffice(unit) && unit.region.parentId) {
      const parent = await this.deps.directory.region(unit.region.parentId);
      if (parent) paths.push(parent.path);
    }
    return (await this.deps.store.assessments(paths, q.year)).map((r) => ({ id: r.id, year: r.year, regionPath: r.regionPath, scheme: { id: r.schemeId, title: r.schemeTitle }, asOf: r.asOf, computedAt: r.computedAt }));
  }

  /** An assessment: whole for its level's office, a subject's own row for a unit or an area's office; not found otherwise. */
  async get(caller: Caller, id: string): Promise<AssessmentView> {
    const { unit } = await whoIs(this.deps.accounts, caller);
    const row = z.uuid().safeParse(id).success ? await this.deps.store.assessment(id) : null;
    if (!row) throw notFound(`考核结果「${id.slice(0, 100)}」`);
    const result = JSON.parse(row.result) as StoredResult;
    if (isOffice(unit) && unit.region.path === row.regionPath) return viewOf(row, result);
    const own = (s: { subject: AssessmentSubject }) => (s.subject.type === 'unit' ? s.subject.id === unit.id : isOffice(unit) && s.subject.id === unit.region.id);
    const units = result.units.filter(own);
    const areas = result.areas.filter(own);
    if (!units.length && !areas.length) throw notFound(`考核结果「${id}」`);
    return viewOf(row, { ...result, units, areas, named: (result.named ?? []).filter(own) });
  }

  /** The assessment as a workbook: the scores, then every point's trace. */
  async export(caller: Caller, id: string): Promise<XlsxFile> {
    const a = await this.get(caller, id);
    const wb = await newWorkbook(`${a.year}年度${a.scheme.title}`);
    const subjects = [...a.units, ...a.areas];
    const scores = tableSheet(wb, '得分', [
      { header: '序号', width: 6 },
      { header: '类别', width: 8 },
      { header: '考核对象', width: 30 },
      ...a.scheme.indicators.map((i) => ({ header: `${i.title}(${i.points}分)`, width: 16 })),
      { header: '合计', width: 10 },
      { header: '满分', width: 8 },
    ]);
    subjects.forEach((s, k) => scores.addRow([k + 1, s.subject.type === 'unit' ? '单位' : '地区', s.subject.name, ...s.indicators.map((i) => i.score), s.total, s.fullMarks]));
    const trace = tableSheet(wb, '计分明细', [
      { header: '考核对象', width: 26 },
      { header: '指标', width: 18 },
      { header: '依据', width: 8 },
      { header: '得分', width: 8 },
      { header: '算式', width: 36 },
      { header: '记录类别', width: 10 },
      { header: '记录编号', width: 38 },
      { header: '记录', width: 40 },
      { header: '日期', width: 12 },
      { header: '方案', width: 30 },
      { header: '结果', width: 24 },
    ]);
    const TYPE: Record<string, string> = { deadline: '时限', item: '具体改革事项', letter: '函件', problem: '问题', evaluation: '第三方评估', red_list: '红榜' };
    for (const s of subjects) {
      for (const i of s.indicators) {
        trace.addRow([s.subject.name, i.title, i.ruleId, i.score, i.formula, '', '', '', '', '', '']);
        for (const r of i.records) trace.addRow([s.subject.name, i.title, i.ruleId, '', '', TYPE[r.type], r.id, r.label, r.date ?? '', r.planTitle ?? '', r.outcome]);
      }
    }
    const named = tableSheet(wb, '通报名单', [
      { header: '序号', width: 6 },
      { header: '类别', width: 8 },
      { header: '考核对象', width: 30 },
      { header: '依据', width: 8 },
      { header: '原因', width: 44 },
      { header: '记录编号', width: 38 },
      { header: '记录', width: 40 },
      { header: '日期', width: 12 },
      { header: '方案', width: 30 },
      { header: '结果', width: 30 },
    ]);
    a.named.forEach((n, k) => {
      for (const r of n.reasons) {
        named.addRow([k + 1, n.subject.type === 'unit' ? '单位' : '地区', n.subject.name, `${n.ruleId}、${r.ruleId}`, r.reason, '', '', '', '', '']);
        for (const x of r.records) named.addRow(['', '', n.subject.name, '', '', x.id, x.label, x.date ?? '', x.planTitle ?? '', x.outcome]);
      }
    });
    const scope = a.units.length + a.areas.length === 1 ? `-${subjects[0].subject.name}` : `-${a.region.name}`;
    return { filename: `${a.year}年度${a.scheme.title}${scope}.xlsx`, body: await workbookBytes(wb) };
  }

  /** Enters a third-party evaluation score (Y12, H5) for a unit or area the office's level assesses. */
  async addEvaluation(caller: Caller, input: EvaluationInput): Promise<Evaluation> {
    const body = parse(EvaluationInputSchema, input);
    const { unit, name } = await this.office(caller, '第三方评估得分');
    const target = await this.target(unit, body.target);
    const row = {
      id: randomUUID(),
      year: body.year,
      regionPath: unit.region.path,
      targetType: target.type,
      targetId: target.id,
      subject: body.subject,
      evaluator: body.evaluator,
      scoreCenti: Math.round(body.score * 100),
      enteredBy: caller.principal.userId,
      enteredAt: new Date(await (this.deps.now ?? Date.now)()).toISOString(),
    };
    await this.deps.store.addEvaluation(row);
    await this.deps.audit.record({
      action: 'assessment.evaluation_entered',
      actor: { userId: caller.principal.userId, name, unitId: unit.id },
      target: { type: 'assessment_evaluation', id: row.id },
      before: null,
      after: { year: row.year, target: { type: target.type, id: target.id }, subject: row.subject, evaluator: row.evaluator, score: body.score },
      requestId: caller.requestId,
    });
    return { id: row.id, year: row.year, regionPath: row.regionPath, target, subject: row.subject, evaluator: row.evaluator, score: body.score, enteredBy: row.enteredBy, enteredAt: row.enteredAt };
  }

  /** The scores the office's level entered for a year; a unit sees those of itself. */
  async evaluations(caller: Caller, query: AssessmentQuery): Promise<Evaluation[]> {
    const q = parse(AssessmentQuerySchema, query);
    const { unit } = await whoIs(this.deps.accounts, caller);
    const year = q.year ?? Number((await this.today()).slice(0, 4));
    const rows = (await this.deps.store.evaluations(unit.region.path, year)).filter((e) => isOffice(unit) || (e.targetType === 'unit' && e.targetId === unit.id));
    const out: Evaluation[] = [];
    for (const e of rows) {
      out.push({
        id: e.id,
        year: e.year,
        regionPath: e.regionPath,
        target: { type: e.targetType, id: e.targetId, name: await this.targetName(e.targetType, e.targetId) },
        subject: e.subject,
        evaluator: e.evaluator,
        score: e.scoreCenti / 100,
        enteredBy: e.enteredBy,
        enteredAt: e.enteredAt,
      });
    }
    return out;
  }

  /** Puts a unit or area on the level's red list (Y14): the office decides; it counts and shows once published. */
  async addRedList(caller: Caller, input: RedListInput): Promise<RedListEntry> {
    const body = parse(RedListInputSchema, input);
    const { unit, name } = await this.office(caller, '红榜');
    const target = await this.target(unit, body.target);
    const row: RedListRow = {
      id: randomUUID(),
      year: body.year,
      regionPath: unit.region.path,
      targetType: target.type,
      targetId: target.id,
      reason: body.reason,
      addedBy: caller.principal.userId,
      addedAt: new Date(await (this.deps.now ?? Date.now)()).toISOString(),
      publishedAt: null,
      publishedBy: null,
    };
    await this.deps.store.addRedListEntry(row);
    await this.deps.audit.record({
      action: 'assessment.red_list_added',
      actor: { userId: caller.principal.userId, name, unitId: unit.id },
      target: { type: 'red_list_entry', id: row.id },
      before: null,
      after: { year: row.year, target: { type: target.type, id: target.id }, reason: row.reason },
      requestId: caller.requestId,
    });
    return entryOf(row, target);
  }

  /** Publishes a red-list entry (通报表扬): from then on every unit of the region reads it and it counts as a bonus. */
  async publishRedList(caller: Caller, id: string, input?: PublishRedList): Promise<RedListEntry> {
    const body = parse(PublishRedListSchema, input);
    const { unit, name } = await whoIs(this.deps.accounts, caller);
    const row = z.uuid().safeParse(id).success ? await this.deps.store.redListEntry(id) : null;
    if (!row || !isOffice(unit) || row.regionPath !== unit.region.path) throw notFound(`红榜条目「${id.slice(0, 100)}」`);
    if (row.publishedAt) throw new ConflictError('该红榜条目已经公布');
    const at = new Date(await (this.deps.now ?? Date.now)()).toISOString();
    await this.deps.store.publishRedListEntry(id, at, caller.principal.userId);
    await this.deps.audit.record({
      action: 'assessment.red_list_published',
      actor: { userId: caller.principal.userId, name, unitId: unit.id },
      target: { type: 'red_list_entry', id },
      before: { published: false },
      after: { published: true, publishedAt: at, ...(body?.note ? { note: body.note } : {}) },
      requestId: caller.requestId,
    });
    return entryOf({ ...row, publishedAt: at, publishedBy: caller.principal.userId }, { type: row.targetType, id: row.targetId, name: await this.targetName(row.targetType, row.targetId) });
  }

  /** The red list of a year: the office its level's entries (drafts too); everyone the published entries of their level and the levels above. */
  async redList(caller: Caller, query: AssessmentQuery): Promise<RedListEntry[]> {
    const q = parse(AssessmentQuerySchema, query);
    const { unit } = await whoIs(this.deps.accounts, caller);
    const year = q.year ?? Number((await this.today()).slice(0, 4));
    const parts = unit.region.path.split('/').filter(Boolean);
    const paths = parts.map((_, k) => `/${parts.slice(0, k + 1).join('/')}/`);
    const rows = (await this.deps.store.redList(paths, year)).filter((r) => r.publishedAt || (isOffice(unit) && r.regionPath === unit.region.path));
    const out: RedListEntry[] = [];
    for (const r of rows) out.push(entryOf(r, { type: r.targetType, id: r.targetId, name: await this.targetName(r.targetType, r.targetId) }));
    return out;
  }
}

function entryOf(row: RedListRow, target: AssessmentTarget): RedListEntry {
  return { id: row.id, year: row.year, regionPath: row.regionPath, target, reason: row.reason, addedAt: row.addedAt, published: !!row.publishedAt, publishedAt: row.publishedAt };
}

function viewOf(row: AssessmentRow, result: StoredResult): AssessmentView {
  return { id: row.id, year: row.year, regionPath: row.regionPath, asOf: row.asOf, computedAt: row.computedAt, scheme: result.scheme, region: result.region, units: result.units, areas: result.areas, named: result.named ?? [] };
}
