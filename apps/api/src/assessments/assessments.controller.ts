import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  AssessmentDesk,
  AssessmentQuery,
  AssessmentQuerySchema,
  Caller,
  ComputeAssessment,
  ComputeAssessmentSchema,
  EvaluationInput,
  EvaluationInputSchema,
  PublishRedList,
  PublishRedListSchema,
  RedListInput,
  RedListInputSchema,
  XLSX_CONTENT_TYPE,
} from '@reform/desk';
import { z } from 'zod';
import { CurrentCaller, enabled, RequireUser } from '../auth';
import { ApiDeps, DEPS } from '../deps';
import { ErrorBodySchema } from '../errors';
import { contentDisposition } from '../items/items.controller';

const IdParam = z.string().min(1).max(100, '编号无效');

const TargetSchema = z.object({ type: z.enum(['unit', 'region']), id: z.string(), name: z.string() });

const TraceRecordSchema = z.object({
  type: z.enum(['deadline', 'item', 'letter', 'problem', 'evaluation', 'red_list']).meta({ description: '时限 / 具体改革事项 / 函件 / 问题 / 第三方评估 / 红榜' }),
  id: z.string().meta({ description: '记录编号:时限键、事项编号、函件编号、问题编号、评估或红榜条目编号' }),
  label: z.string(),
  date: z.string().nullable().meta({ description: '到期日、完成日、发文日、整改期限或录入日' }),
  planId: z.string().optional(),
  planTitle: z.string().optional(),
  outcome: z.string().meta({ description: '按期完成、逾期未完成、已完成、扣 2 分、按期整改销号……' }),
  counts: z.boolean().meta({ description: '计入得分(完成、按期、上榜、评估);函件为扣分记录,恒为 false' }),
});

const SubjectScoreSchema = z.object({
  subject: z.object({ type: z.enum(['unit', 'region']), id: z.string(), name: z.string(), regionPath: z.string() }),
  total: z.number(),
  fullMarks: z.number(),
  indicators: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      ruleId: z.string(),
      points: z.number(),
      measure: z.string(),
      score: z.number(),
      formula: z.string().meta({ description: '算式,如 30 × 3/4 = 22.5' }),
      records: z.array(TraceRecordSchema),
    }),
  ),
});

const NamedSchema = z
  .object({
    subject: z.object({ type: z.enum(['unit', 'region']), id: z.string(), name: z.string(), regionPath: z.string() }),
    ruleId: z.string().meta({ description: '通报所依据的规则(H7:考核不达标、评估不合格的单位给予通报)' }),
    reasons: z.array(
      z.object({
        ruleId: z.string().meta({ description: '未达到的要求所依据的规则:S4(未按期完成)、Y12(第三方评估不合格)' }),
        reason: z.string().meta({ description: '原因,如「2 个时限未按期完成」' }),
        records: z.array(TraceRecordSchema).meta({ description: '据以通报的记录' }),
      }),
    ),
  })
  .meta({ id: 'AssessmentNamed' });

const SummarySchema = z
  .object({ id: z.string(), year: z.number().int(), regionPath: z.string(), scheme: z.object({ id: z.string(), title: z.string() }), asOf: z.string(), computedAt: z.string() })
  .meta({ id: 'AssessmentSummary' });

const AssessmentSchema = SummarySchema.extend({
  scheme: z.object({
    id: z.string(),
    title: z.string(),
    ruleId: z.string(),
    fullMarks: z.number(),
    indicators: z.array(z.object({ id: z.string(), title: z.string(), points: z.number(), measure: z.string(), ruleId: z.string() })),
  }),
  region: z.object({ path: z.string(), name: z.string() }),
  units: z.array(SubjectScoreSchema).meta({ description: '本级各单位的得分与计分明细' }),
  areas: z.array(SubjectScoreSchema).meta({ description: '下一级各地区(如各市)的得分与计分明细' }),
  named: z.array(NamedSchema).meta({ description: '通报名单(H7):有时限未按期完成或第三方评估不合格的单位和地区,及其原因和记录' }),
}).meta({ id: 'Assessment' });

const EvaluationSchema = z
  .object({ id: z.string(), year: z.number().int(), regionPath: z.string(), target: TargetSchema, subject: z.string(), evaluator: z.string(), score: z.number(), enteredBy: z.string(), enteredAt: z.string() })
  .meta({ id: 'Evaluation' });

const RedListEntrySchema = z
  .object({ id: z.string(), year: z.number().int(), regionPath: z.string(), target: TargetSchema, reason: z.string(), addedAt: z.string(), published: z.boolean(), publishedAt: z.string().nullable() })
  .meta({ id: 'RedListEntry' });

const XLSX_RESPONSE = { content: { [XLSX_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } } } as const;
const NOT_FOUND = { status: 404, description: '没有该记录,或本单位无权查看', standardSchema: ErrorBodySchema } as const;
const OFFICE_ONLY = { status: 403, description: '只有改革办可以办理', standardSchema: ErrorBodySchema } as const;

@ApiTags('年度考核')
@Controller('assessments')
@RequireUser()
export class AssessmentsController {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  private desk(): AssessmentDesk {
    return enabled(this.deps.assessments, '年度考核服务');
  }

  // Fixed paths before /assessments/{id}.

  @Get('evaluations')
  @ApiOperation({ summary: '第三方评估得分', description: '改革办:本级录入的第三方评估得分(Y12、H5);其他单位:本单位的得分。不写 year 时为今年。' })
  @ApiResponse({ status: 200, standardSchema: z.array(EvaluationSchema) })
  evaluations(@CurrentCaller() caller: Caller, @Query({ schema: AssessmentQuerySchema }) query: AssessmentQuery) {
    return this.desk().evaluations(caller, query);
  }

  @Post('evaluations')
  @HttpCode(201)
  @ApiOperation({ summary: '录入第三方评估得分', description: '改革办为本级单位或下一级地区录入第三方机构的评估得分(百分制,Y12、H5),计入年度考核的「第三方评估」指标。' })
  @ApiResponse({ status: 201, standardSchema: EvaluationSchema })
  @ApiResponse(OFFICE_ONLY)
  addEvaluation(@CurrentCaller() caller: Caller, @Body({ schema: EvaluationInputSchema }) body: EvaluationInput) {
    return this.desk().addEvaluation(caller, body);
  }

  @Get('red-list')
  @ApiOperation({ summary: '红榜', description: '已公布的本级及上级红榜(Y14);改革办还看到本级尚未公布的条目。不写 year 时为今年。' })
  @ApiResponse({ status: 200, standardSchema: z.array(RedListEntrySchema) })
  redList(@CurrentCaller() caller: Caller, @Query({ schema: AssessmentQuerySchema }) query: AssessmentQuery) {
    return this.desk().redList(caller, query);
  }

  @Post('red-list')
  @HttpCode(201)
  @ApiOperation({ summary: '列入红榜', description: '改革办把本级单位或下一级地区列入红榜(Y14);公布后计入年度考核的红榜加分(Y15)。' })
  @ApiResponse({ status: 201, standardSchema: RedListEntrySchema })
  @ApiResponse(OFFICE_ONLY)
  addRedList(@CurrentCaller() caller: Caller, @Body({ schema: RedListInputSchema }) body: RedListInput) {
    return this.desk().addRedList(caller, body);
  }

  @Post('red-list/:id/publish')
  @HttpCode(200)
  @ApiOperation({ summary: '公布红榜条目', description: '通报表扬:公布后本地区各单位可见,并计入考核加分。' })
  @ApiResponse({ status: 200, standardSchema: RedListEntrySchema })
  @ApiResponse(NOT_FOUND)
  @ApiResponse({ status: 409, description: '已经公布', standardSchema: ErrorBodySchema })
  publishRedList(@CurrentCaller() caller: Caller, @Param('id', { schema: IdParam }) id: string, @Body({ schema: PublishRedListSchema }) body: PublishRedList) {
    return this.desk().publishRedList(caller, id, body);
  }

  @Get()
  @ApiOperation({ summary: '考核结果列表', description: '改革办:本级计算的考核,以及上级考核中本地区的结果;其他单位:本级的考核。' })
  @ApiResponse({ status: 200, standardSchema: z.array(SummarySchema) })
  list(@CurrentCaller() caller: Caller, @Query({ schema: AssessmentQuerySchema }) query: AssessmentQuery) {
    return this.desk().list(caller, query);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: '计算年度考核',
    description:
      '改革办按考核细则(规则语言;不附时用标准细则)从台账计算本级各单位和下一级各地区的年度得分,每个指标附计分明细(每一分来自哪些方案、事项、函件、问题)和算式,结果留存备查(A15);' +
      'named 为通报名单(H7):有时限未按期完成(S4)或第三方评估不合格(Y12)的单位和地区,附原因和记录。' +
      '细则有错误时 422,diagnostics 列出每处错误的文件、行、列。',
  })
  @ApiResponse({ status: 201, standardSchema: AssessmentSchema })
  @ApiResponse(OFFICE_ONLY)
  @ApiResponse({ status: 422, description: '考核细则有错误(diagnostics 列出每处错误的文件、行、列)', standardSchema: ErrorBodySchema })
  compute(@CurrentCaller() caller: Caller, @Body({ schema: ComputeAssessmentSchema }) body: ComputeAssessment) {
    return this.desk().compute(caller, body);
  }

  @Get(':id')
  @ApiOperation({ summary: '考核结果', description: '本级改革办看到全部;单位只看到本单位的得分和计分明细,下一级地区的改革办只看到本地区的。' })
  @ApiResponse({ status: 200, standardSchema: AssessmentSchema })
  @ApiResponse(NOT_FOUND)
  get(@CurrentCaller() caller: Caller, @Param('id', { schema: IdParam }) id: string) {
    return this.desk().get(caller, id);
  }

  @Get(':id/export.xlsx')
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOperation({ summary: '导出考核结果(.xlsx)', description: '「得分」表、「计分明细」表和「通报名单」表(H7);范围同「考核结果」。' })
  @ApiResponse({ status: 200, description: '考核结果(.xlsx)', ...XLSX_RESPONSE })
  @ApiResponse(NOT_FOUND)
  async export(@CurrentCaller() caller: Caller, @Param('id', { schema: IdParam }) id: string) {
    const file = await this.desk().export(caller, id);
    return new StreamableFile(file.body, { type: XLSX_CONTENT_TYPE, disposition: contentDisposition(file.filename), length: file.body.length });
  }
}
