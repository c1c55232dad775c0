import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req as Request, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Caller, EVIDENCE_TYPES, HandOverProblems, HandOverProblemsSchema, PROBLEM_STATUSES, ProblemAction, ProblemActionSchema, ProblemDesk, ProblemQuery, ProblemQuerySchema, RegisterProblem, RegisterProblemSchema } from '@reform/desk';
import { z } from 'zod';
import { CurrentCaller, enabled, RequireUser } from '../auth';
import { ApiDeps, DEPS } from '../deps';
import { ErrorBodySchema } from '../errors';
import { Req } from '../http';
import { contentDisposition, EvidenceIdParam, EvidenceSchema, uploadFrom, UploadQuerySchema } from '../items/items.controller';

const ProblemIdParam = z.string().min(1).max(100, '问题编号无效');

const ProblemSchema = z
  .object({
    id: z.string(),
    number: z.string().meta({ description: '挂号号,如 示范省甲市问题〔2026〕3号' }),
    library: z.object({ regionPath: z.string().meta({ description: '现在所在的问题库(地区路径)' }), ownerUnitId: z.string().meta({ description: '该级改革办' }) }),
    originRegionPath: z.string(),
    escalatedFromRegionPath: z.string().nullable(),
    against: z.object({ type: z.enum(['plan', 'item', 'unit']), planId: z.string().nullable(), itemId: z.string().nullable(), unitId: z.string().meta({ description: '负责整改的单位' }) }),
    description: z.string(),
    foundOn: z.string(),
    limitDate: z.string().nullable().meta({ description: '整改期限(移交整改后由规则算出)' }),
    status: z.enum(PROBLEM_STATUSES),
    statusLabel: z.string().meta({ description: '已挂号 / 整改中 / 待验收 / 留号 / 已销号 / 已上交' }),
    workflowId: z.string(),
    evidenceIds: z.array(z.string()),
    note: z.string().nullable(),
    registeredAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Problem' });

const PartySchema = z.object({ role: z.string(), name: z.string() });

const ProblemLetterSchema = z
  .object({
    letterId: z.string(),
    number: z.string(),
    kind: z.string(),
    subject: z.string(),
    body: z.string(),
    addressees: z.array(PartySchema),
    copyTo: z.array(PartySchema),
    dueDate: z.string(),
    limitDate: z.string().nullable(),
    ruleId: z.string(),
    issuedOn: z.string(),
  })
  .meta({ id: 'ProblemLetter' });

const ProblemDetailSchema = ProblemSchema.extend({
  engine: z
    .object({
      stage: z.object({ id: z.string(), label: z.string() }),
      deadlines: z.array(z.object({ key: z.string(), id: z.string(), label: z.string(), source: z.string(), due: z.string(), status: z.string(), late: z.boolean() })),
      actions: z.array(z.object({ action: z.string(), label: z.string(), blockers: z.array(z.string()), needsReason: z.boolean() })),
    })
    .nullable(),
  letters: z.array(ProblemLetterSchema),
}).meta({ id: 'ProblemDetail' });

const ProblemHandoverSchema = z
  .object({
    id: z.string().meta({ description: '本次移交的编号(同一请求编号重试得到同一个)' }),
    unitId: z.string().meta({ description: '整改单位' }),
    businessDate: z.string().nullable().meta({ description: '移交日期' }),
    problems: z.array(ProblemDetailSchema).meta({ description: '移交的问题,按整改意见书中的顺序' }),
    letter: ProblemLetterSchema.nullable().meta({ description: '列出全部问题的整改意见书;工作进程尚未写出时为 null(随后见第一个问题的函件)' }),
  })
  .meta({ id: 'ProblemHandover' });

const ProblemHistorySchema = z
  .object({
    rows: z.array(
      z.object({
        seq: z.number().int().meta({ description: '审计记录序号' }),
        at: z.string().meta({ description: '时间(ISO 8601)' }),
        action: z.string().meta({ description: '操作代码,如 problem.hand_over、letter.issued' }),
        actionLabel: z.string().meta({ description: '操作名称,如 问题移交整改、发出函件' }),
        actor: z
          .object({ name: z.string().nullable(), unitId: z.string().nullable(), unitName: z.string().nullable() })
          .nullable()
          .meta({ description: '办理人及其单位;系统(流程引擎)发函时为 null' }),
        details: z.array(z.string()).meta({ description: '变化的内容:状态、整改期限、理由、情况说明、文件名、函件文号等' }),
        letterId: z.string().nullable().meta({ description: '涉及的函件(发函、签收)' }),
      }),
    ),
  })
  .meta({ id: 'ProblemHistory' });

const ProblemEvidenceListSchema = z.object({ rows: z.array(EvidenceSchema) }).meta({ id: 'ProblemEvidenceList' });

const ProblemPageSchema = z
  .object({
    rows: z.array(ProblemSchema),
    total: z.number().int(),
    counts: z.object({ open: z.number().int(), kept: z.number().int(), cancelled: z.number().int(), escalated: z.number().int() }).nullable().meta({ description: '本级问题库的统计(改革办);其他单位为 null' }),
  })
  .meta({ id: 'ProblemPage' });

@ApiTags('问题库')
@Controller('problems')
@RequireUser()
export class ProblemsController {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  private problems(): ProblemDesk {
    return enabled(this.deps.problems, '问题库服务');
  }

  @Get()
  @ApiOperation({ summary: '问题库', description: '改革办:本级问题库中的问题及本级提交上一级的问题(已上交);其他单位:本单位负责整改的问题。' })
  @ApiResponse({ status: 200, standardSchema: ProblemPageSchema })
  list(@CurrentCaller() caller: Caller, @Query({ schema: ProblemQuerySchema }) query: ProblemQuery) {
    return this.problems().list(caller, query);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: '问题挂号', description: '改革办把督察发现的问题挂号到本级问题库(Y9),对象为方案、具体改革事项或单位。' })
  @ApiResponse({ status: 201, standardSchema: ProblemDetailSchema })
  @ApiResponse({ status: 403, description: '只有改革办可以挂号', standardSchema: ErrorBodySchema })
  register(@CurrentCaller() caller: Caller, @Body({ schema: RegisterProblemSchema }) body: RegisterProblem) {
    return this.problems().register(caller, body);
  }

  @Post('hand-over')
  @HttpCode(200)
  @ApiOperation({
    summary: '一并移交整改',
    description:
      '改革办把本级问题库中同一整改单位的几个已挂号问题一并移交整改:只发一份整改意见书,逐条列出全部问题和同一整改期限(A13);逾期后的点名通报、约谈仍按问题逐个发出。以同一请求编号(X-Request-Id)重试只移交一次、只发一份。',
  })
  @ApiResponse({ status: 200, standardSchema: ProblemHandoverSchema })
  @ApiResponse({ status: 403, description: '只有问题所在问题库的改革办可以移交', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 409, description: '问题已在另一份整改意见书中移交,或流程此时不允许移交', standardSchema: ErrorBodySchema })
  handOver(@CurrentCaller() caller: Caller, @Body({ schema: HandOverProblemsSchema }) body: HandOverProblems) {
    return this.problems().handOver(caller, body);
  }

  @Get(':id')
  @ApiOperation({ summary: '问题详情', description: '问题、所处环节、整改期限、可办理的操作,以及已发出的整改意见书等函件全文。' })
  @ApiResponse({ status: 200, standardSchema: ProblemDetailSchema })
  @ApiResponse({ status: 404, description: '没有该问题,或本单位无权查看', standardSchema: ErrorBodySchema })
  detail(@CurrentCaller() caller: Caller, @Param('id', { schema: ProblemIdParam }) id: string) {
    return this.problems().detail(caller, id);
  }

  @Get(':id/history')
  @ApiOperation({ summary: '问题的办理历程', description: '挂号、移交、报送、验收、留号、上交、上传材料,以及整改意见书等函件的发出和签收:谁、何时、做了什么,按时间先后。' })
  @ApiResponse({ status: 200, standardSchema: ProblemHistorySchema })
  @ApiResponse({ status: 404, description: '没有该问题,或本单位无权查看', standardSchema: ErrorBodySchema })
  history(@CurrentCaller() caller: Caller, @Param('id', { schema: ProblemIdParam }) id: string) {
    return this.problems().history(caller, id);
  }

  @Get(':id/evidence')
  @ApiOperation({ summary: '问题的佐证材料', description: '为该问题上传的材料,以及验收销号时引用的材料(可来自所涉方案的事项)。' })
  @ApiResponse({ status: 200, standardSchema: ProblemEvidenceListSchema })
  @ApiResponse({ status: 404, description: '没有该问题,或本单位无权查看', standardSchema: ErrorBodySchema })
  evidenceList(@CurrentCaller() caller: Caller, @Param('id', { schema: ProblemIdParam }) id: string) {
    return this.problems().evidence(caller, id);
  }

  @Get(':id/evidence/:evidenceId')
  @ApiOperation({ summary: '下载问题的佐证材料', description: '原样返回文件;Content-Type 按文件类型,Content-Disposition 带 UTF-8 文件名。' })
  @ApiProduces('application/octet-stream')
  @ApiResponse({ status: 200, description: '文件本身', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 404, description: '没有该问题或该材料,或本单位无权查看', standardSchema: ErrorBodySchema })
  async download(@CurrentCaller() caller: Caller, @Param('id', { schema: ProblemIdParam }) id: string, @Param('evidenceId', { schema: EvidenceIdParam }) evidenceId: string) {
    const { evidence, body } = await this.problems().download(caller, id, evidenceId);
    return new StreamableFile(body, { type: evidence.contentType, disposition: contentDisposition(evidence.filename), length: evidence.size });
  }

  @Post(':id/actions')
  @HttpCode(200)
  @ApiOperation({
    summary: '办理问题',
    description: '移交整改(发出整改意见书)、提交上一级问题库(Y11)、报送整改情况、验收销号(附佐证材料)、退回整改、留号(写明情况);流程此时不允许时 409,说明原因和规则编号。',
  })
  @ApiResponse({ status: 200, standardSchema: ProblemDetailSchema })
  @ApiResponse({ status: 403, description: '本单位不能办理该操作', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 404, description: '没有该问题,或本单位无权查看', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 409, description: '流程此时不允许该操作,或没有上一级问题库', standardSchema: ErrorBodySchema })
  act(@CurrentCaller() caller: Caller, @Param('id', { schema: ProblemIdParam }) id: string, @Body({ schema: ProblemActionSchema }) body: ProblemAction) {
    return this.problems().act(caller, id, body);
  }

  @Post(':id/evidence')
  @HttpCode(201)
  @ApiOperation({
    summary: '上传问题的佐证材料',
    description: `整改单位或本级改革办上传整改佐证材料(请求体为文件本身的字节,文件名放在查询参数 filename 中),得到的编号随验收销号提交。允许的类型:${[...new Set(EVIDENCE_TYPES.map((t) => t.extension))].join('、')}(按内容校验);过大 413,类型不符 415。`,
  })
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 201, standardSchema: EvidenceSchema })
  @ApiResponse({ status: 403, description: '本单位只能查看该问题,不能上传', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 404, description: '没有该问题,或本单位无权查看', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 413, description: '文件过大', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 415, description: '文件类型不允许,或内容与扩展名不符', standardSchema: ErrorBodySchema })
  upload(@CurrentCaller() caller: Caller, @Request() req: Req, @Param('id', { schema: ProblemIdParam }) id: string, @Query({ schema: UploadQuerySchema }) query: z.infer<typeof UploadQuerySchema>) {
    return this.problems().upload(caller, id, uploadFrom(req, query.filename));
  }
}
