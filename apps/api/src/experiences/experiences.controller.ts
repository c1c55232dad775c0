import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req as Request, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Caller, EVIDENCE_TYPES, ExperienceDesk, ExperienceQuery, ExperienceQuerySchema } from '@reform/desk';
import { z } from 'zod';
import { CurrentCaller, enabled, RequireUser } from '../auth';
import { ApiDeps, DEPS } from '../deps';
import { ErrorBodySchema } from '../errors';
import { Req } from '../http';
import { contentDisposition, EvidenceSchema, uploadFrom, UploadQuerySchema } from '../items/items.controller';

const PlanParam = z.string().min(1).max(200, '试点编号无效');
const EvidenceIdParam = z.string().min(1).max(100, '总结报告编号无效');

const ExperienceSchema = z
  .object({
    planId: z.string(),
    title: z.string(),
    regionPath: z.string().nullable(),
    leadUnit: z.object({ id: z.string().nullable(), name: z.string().nullable() }),
    area: z.object({ specialGroupId: z.string().nullable(), name: z.string().nullable().meta({ description: '专项小组的领域,如「经济体制改革」' }) }),
    promotedOn: z.string().meta({ description: '终期评估结论为经验推广的日期(S5)' }),
    evaluatedBy: z.string().nullable().meta({ description: '记录该评估结论的单位' }),
    summaryReports: z.array(EvidenceSchema).meta({ description: '试点总结报告(A16)' }),
  })
  .meta({ id: 'Experience' });

const ExperiencePageSchema = z.object({ rows: z.array(ExperienceSchema), total: z.number().int() }).meta({ id: 'ExperiencePage' });

@ApiTags('经验推广')
@Controller('experiences')
@RequireUser()
export class ExperiencesController {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  private experiences(): ExperienceDesk {
    return enabled(this.deps.experiences, '经验推广库服务');
  }

  @Get()
  @ApiOperation({ summary: '经验推广库', description: '终期评估结论为「经验推广」的改革试点(S5)及其总结报告,可按领域、地区、名称检索;所有登录用户可查阅。' })
  @ApiResponse({ status: 200, standardSchema: ExperiencePageSchema })
  list(@CurrentCaller() caller: Caller, @Query({ schema: ExperienceQuerySchema }) query: ExperienceQuery) {
    return this.experiences().list(caller, query);
  }

  @Get(':planId')
  @ApiOperation({ summary: '经验推广库中的一项试点' })
  @ApiResponse({ status: 200, standardSchema: ExperienceSchema })
  @ApiResponse({ status: 404, description: '该试点不在经验推广库中', standardSchema: ErrorBodySchema })
  detail(@CurrentCaller() caller: Caller, @Param('planId', { schema: PlanParam }) planId: string) {
    return this.experiences().detail(caller, planId);
  }

  @Post(':planId/evidence')
  @HttpCode(201)
  @ApiOperation({
    summary: '上传试点总结报告',
    description: `试点的牵头单位或改革办上传总结报告(A16;请求体为文件本身的字节,文件名放在查询参数 filename 中)。允许的类型:${[...new Set(EVIDENCE_TYPES.map((t) => t.extension))].join('、')}(按内容校验);过大 413,类型不符 415。`,
  })
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 201, standardSchema: EvidenceSchema })
  @ApiResponse({ status: 403, description: '本单位只能查看该试点,不能上传', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 404, description: '没有该试点,或本单位无权查看', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 413, description: '文件过大', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 415, description: '文件类型不允许,或内容与扩展名不符', standardSchema: ErrorBodySchema })
  upload(@CurrentCaller() caller: Caller, @Request() req: Req, @Param('planId', { schema: PlanParam }) planId: string, @Query({ schema: UploadQuerySchema }) query: z.infer<typeof UploadQuerySchema>) {
    return this.experiences().upload(caller, planId, uploadFrom(req, query.filename));
  }

  @Get(':planId/evidence/:evidenceId')
  @ApiOperation({ summary: '下载试点总结报告', description: '原样返回文件;Content-Type 按文件类型,Content-Disposition 带 UTF-8 文件名。' })
  @ApiProduces('application/octet-stream')
  @ApiResponse({ status: 200, description: '文件本身', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 404, description: '该试点不在经验推广库中,或没有该报告', standardSchema: ErrorBodySchema })
  async download(@CurrentCaller() caller: Caller, @Param('planId', { schema: PlanParam }) planId: string, @Param('evidenceId', { schema: EvidenceIdParam }) evidenceId: string) {
    const { evidence, body } = await this.experiences().download(caller, planId, evidenceId);
    return new StreamableFile(body, { type: evidence.contentType, disposition: contentDisposition(evidence.filename), length: evidence.size });
  }
}
