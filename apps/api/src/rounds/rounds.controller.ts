import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ITEM_STATUSES, PlanIdSchema } from '@reform/definitions';
import {
  Caller,
  CloseRound,
  CloseRoundSchema,
  DOCUMENT_MEDIA_TYPES,
  OpenRound,
  OpenRoundSchema,
  RoundDesk,
  RoundQuery,
  RoundQuerySchema,
  RoundSendBack,
  RoundSendBackSchema,
  ROUND_TASK_STATUSES,
  RoundVerification,
  RoundVerificationSchema,
  SelfInspection,
  SelfInspectionSchema,
  XLSX_CONTENT_TYPE,
  XlsxFile,
} from '@reform/desk';
import { z } from 'zod';
import { CurrentCaller, enabled, RequireUser } from '../auth';
import { ApiDeps, DEPS } from '../deps';
import { ErrorBodySchema } from '../errors';
import { contentDisposition } from '../items/items.controller';

const RoundIdParam = z.string().min(1).max(100, '督察轮次编号无效');

const RoundSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    year: z.number().int(),
    regionPath: z.string().meta({ description: '开启本轮督察的改革办所在地区' }),
    ownerUnitId: z.string(),
    openedOn: z.string(),
    cutoff: z.string().meta({ description: '此日以前(含)印发的方案纳入本轮督察(开启日前推 6 个月,S3)' }),
    status: z.enum(['opening', 'open', 'closed']).meta({ description: 'opening:自查任务生成中(开启请求中断时,以同一 X-Request-Id 重新提交即可完成)' }),
    statusLabel: z.string().meta({ description: '开启中 / 进行中 / 已结束' }),
    openedAt: z.string(),
    closedOn: z.string().nullable(),
    counts: z.object({ tasks: z.number().int(), inspecting: z.number().int(), verification: z.number().int(), verified: z.number().int() }).meta({ description: '本单位可见的自查任务,按状态计数' }),
  })
  .meta({ id: 'Round' });

const TaskSchema = z
  .object({
    roundId: z.string(),
    planId: z.string(),
    planTitle: z.string(),
    procedureId: z.string(),
    leadUnit: z.object({ id: z.string(), name: z.string() }),
    specialGroupId: z.string().nullable(),
    issuedOn: z.string().meta({ description: '方案印发日期' }),
    workflowId: z.string().meta({ description: '自查任务的流程(self_inspection)' }),
    limitDate: z.string().nullable().meta({ description: '自查期限(规则算出,逾期由系统发函)' }),
    status: z.enum(ROUND_TASK_STATUSES),
    statusLabel: z.string().meta({ description: '待自查 / 待核查 / 已核查认定' }),
    reportedOn: z.string().nullable(),
    verifiedOn: z.string().nullable(),
  })
  .meta({ id: 'RoundTask' });

const RoundDetailSchema = RoundSchema.extend({ tasks: z.array(TaskSchema) }).meta({ id: 'RoundDetail' });
const RoundPageSchema = z.object({ rows: z.array(RoundSchema), total: z.number().int() }).meta({ id: 'RoundPage' });

const StatusOut = z.object({ status: z.enum(ITEM_STATUSES), statusLabel: z.string() });
const RoundTaskDetailSchema = TaskSchema.extend({
  items: z.array(
    z.object({
      itemId: z.string(),
      title: z.string(),
      statusAtOpening: z.enum(ITEM_STATUSES),
      selfInspection: StatusOut.extend({ note: z.string().nullable(), evidenceIds: z.array(z.string()) }).nullable(),
      finding: StatusOut.extend({ note: z.string().nullable() }).nullable().meta({ description: '改革办核查认定' }),
      leavesSupervision: z.boolean().meta({ description: '认定已完成:不再纳入督察范围(S2)' }),
    }),
  ),
  engine: z
    .object({
      stage: z.object({ id: z.string(), label: z.string() }),
      deadlines: z.array(z.object({ key: z.string(), label: z.string(), source: z.string(), due: z.string(), status: z.string(), late: z.boolean() })),
      actions: z.array(z.object({ action: z.string(), label: z.string(), blockers: z.array(z.string()) })),
    })
    .nullable(),
  letters: z.array(z.object({ letterId: z.string(), number: z.string(), kind: z.string(), subject: z.string(), dueDate: z.string(), limitDate: z.string().nullable(), ruleId: z.string(), issuedOn: z.string() })),
}).meta({ id: 'RoundTaskDetail' });

const DOCX = DOCUMENT_MEDIA_TYPES.docx;
const file = (f: XlsxFile, type: string) => new StreamableFile(f.body, { type, disposition: contentDisposition(f.filename), length: f.body.length });
const binary = (type: string) => ({ content: { [type]: { schema: { type: 'string', format: 'binary' } } } }) as const;
const NOT_FOUND = { status: 404, description: '没有该督察轮次或自查任务,或本单位无权查看', standardSchema: ErrorBodySchema } as const;

@ApiTags('督察轮次')
@Controller('rounds')
@RequireUser()
export class RoundsController {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  private rounds(): RoundDesk {
    return enabled(this.deps.rounds, '督察轮次服务');
  }

  @Get()
  @ApiOperation({ summary: '督察轮次', description: '改革办:本级开启的督察轮次;牵头单位:有本单位方案自查任务的轮次(计数只含本单位的任务)。' })
  @ApiResponse({ status: 200, standardSchema: RoundPageSchema })
  list(@CurrentCaller() caller: Caller, @Query({ schema: RoundQuerySchema }) query: RoundQuery) {
    return this.rounds().list(caller, query);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: '开启年中集中督察',
    description: '改革办开启一轮督察(S3):本级印发满半年(印发日期不晚于今天前推 6 个月)且仍在实施的每个方案,生成牵头单位的自查任务(规则 self_inspection:限期自查,到期前提醒、逾期督办)。纳入的方案在开启时确定并记录;已认定完成的事项不再纳入(S2)。没有可督察的方案时 409。',
  })
  @ApiResponse({ status: 201, standardSchema: RoundDetailSchema })
  @ApiResponse({ status: 403, description: '只有改革办可以开启督察', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 409, description: '没有印发满半年的方案', standardSchema: ErrorBodySchema })
  open(@CurrentCaller() caller: Caller, @Body({ schema: OpenRoundSchema }) body: OpenRound) {
    return this.rounds().open(caller, body);
  }

  @Get(':id')
  @ApiOperation({ summary: '督察轮次详情', description: '轮次及本单位可见的自查任务(改革办:全部;牵头单位:本单位方案的)。' })
  @ApiResponse({ status: 200, standardSchema: RoundDetailSchema })
  @ApiResponse(NOT_FOUND)
  detail(@CurrentCaller() caller: Caller, @Param('id', { schema: RoundIdParam }) id: string) {
    return this.rounds().detail(caller, id);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: '结束督察轮次', description: '改革办在全部自查任务核查认定后结束本轮督察;尚有未核查的 409。' })
  @ApiResponse({ status: 200, standardSchema: RoundDetailSchema })
  @ApiResponse({ status: 403, description: '只有本级改革办可以结束', standardSchema: ErrorBodySchema })
  @ApiResponse(NOT_FOUND)
  @ApiResponse({ status: 409, description: '已结束,或尚有未核查的自查任务', standardSchema: ErrorBodySchema })
  close(@CurrentCaller() caller: Caller, @Param('id', { schema: RoundIdParam }) id: string, @Body({ schema: CloseRoundSchema }) body: CloseRound) {
    return this.rounds().close(caller, id, body);
  }

  @Get(':id/table.xlsx')
  @ApiOperation({ summary: '导出督察评估事项表(Excel)', description: `每个方案的具体改革事项 × 三种状态(已完成 / 已启动未完成 / 未启动),按核查认定(未核查的按自查)打 √;另有按方案汇总的工作表。` })
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiResponse({ status: 200, description: '督察评估事项表(.xlsx)', ...binary(XLSX_CONTENT_TYPE) })
  @ApiResponse(NOT_FOUND)
  async tableXlsx(@CurrentCaller() caller: Caller, @Param('id', { schema: RoundIdParam }) id: string) {
    return file(await this.rounds().tableXlsx(caller, id), XLSX_CONTENT_TYPE);
  }

  @Get(':id/table.docx')
  @ApiOperation({ summary: '导出督察评估事项表(Word)', description: '横向 A4,一个方案一张表:具体改革事项 × 三种状态。' })
  @ApiProduces(DOCX)
  @ApiResponse({ status: 200, description: '督察评估事项表(.docx)', ...binary(DOCX) })
  @ApiResponse(NOT_FOUND)
  async tableDocx(@CurrentCaller() caller: Caller, @Param('id', { schema: RoundIdParam }) id: string) {
    return file(await this.rounds().tableDocx(caller, id), DOCX);
  }

  @Get(':id/plans/:planId')
  @ApiOperation({ summary: '自查任务', description: '一个方案的自查任务:期限、状态、逐项的自查结果和核查认定、流程环节和已发函件。' })
  @ApiResponse({ status: 200, standardSchema: RoundTaskDetailSchema })
  @ApiResponse(NOT_FOUND)
  task(@CurrentCaller() caller: Caller, @Param('id', { schema: RoundIdParam }) id: string, @Param('planId', { schema: PlanIdSchema }) planId: string) {
    return this.rounds().task(caller, id, planId);
  }

  @Post(':id/plans/:planId/self-inspection')
  @HttpCode(200)
  @ApiOperation({ summary: '报送自查情况', description: '牵头单位逐项报送自查结果(已完成 / 已启动未完成 / 未启动),可附说明和佐证材料(先上传到方案事项的 …/evidence);须覆盖本轮的全部事项。流程此时不允许时 409。' })
  @ApiResponse({ status: 200, standardSchema: RoundTaskDetailSchema })
  @ApiResponse({ status: 403, description: '只有方案的牵头单位报送自查', standardSchema: ErrorBodySchema })
  @ApiResponse(NOT_FOUND)
  @ApiResponse({ status: 409, description: '已报送待核查、已核查,或本轮已结束', standardSchema: ErrorBodySchema })
  selfInspect(@CurrentCaller() caller: Caller, @Param('id', { schema: RoundIdParam }) id: string, @Param('planId', { schema: PlanIdSchema }) planId: string, @Body({ schema: SelfInspectionSchema }) body: SelfInspection) {
    return this.rounds().selfInspect(caller, id, planId, body);
  }

  @Post(':id/plans/:planId/verification')
  @HttpCode(200)
  @ApiOperation({ summary: '核查认定', description: '改革办逐项认定事项状态(未列出的按自查结果认定);认定已完成的事项不再纳入督察范围(S2),在事项上显示。' })
  @ApiResponse({ status: 200, standardSchema: RoundTaskDetailSchema })
  @ApiResponse({ status: 403, description: '只有本级改革办核查认定', standardSchema: ErrorBodySchema })
  @ApiResponse(NOT_FOUND)
  @ApiResponse({ status: 409, description: '尚未报送自查、已核查,或本轮已结束', standardSchema: ErrorBodySchema })
  verify(@CurrentCaller() caller: Caller, @Param('id', { schema: RoundIdParam }) id: string, @Param('planId', { schema: PlanIdSchema }) planId: string, @Body({ schema: RoundVerificationSchema }) body: RoundVerification) {
    return this.rounds().verify(caller, id, planId, body);
  }

  @Post(':id/plans/:planId/send-back')
  @HttpCode(200)
  @ApiOperation({ summary: '退回重新自查', description: '改革办写明理由,把已报送的自查退回牵头单位重新自查。' })
  @ApiResponse({ status: 200, standardSchema: RoundTaskDetailSchema })
  @ApiResponse({ status: 403, description: '只有本级改革办可以退回', standardSchema: ErrorBodySchema })
  @ApiResponse(NOT_FOUND)
  @ApiResponse({ status: 409, description: '尚未报送自查、已核查,或本轮已结束', standardSchema: ErrorBodySchema })
  sendBack(@CurrentCaller() caller: Caller, @Param('id', { schema: RoundIdParam }) id: string, @Param('planId', { schema: PlanIdSchema }) planId: string, @Body({ schema: RoundSendBackSchema }) body: RoundSendBack) {
    return this.rounds().sendBack(caller, id, planId, body);
  }
}
