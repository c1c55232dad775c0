import { Controller, Get, Inject, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Caller, DOCUMENT_MEDIA_TYPES, DocumentFormat, PlanDesk } from '@reform/desk';
import { LetterQuery, LetterQuerySchema } from '@reform/ledger';
import { z } from 'zod';
import { CurrentCaller, enabled, RequireUser } from '../auth';
import { ApiDeps, DEPS } from '../deps';
import { ErrorBodySchema } from '../errors';
import { contentDisposition } from '../items/items.controller';

const LetterRowSchema = z.object({
  letterId: z.string(),
  number: z.string().meta({ description: '文号,如 改办函〔2026〕12号' }),
  kind: z.string().meta({ description: 'reminder 提醒函 / supervision 督办函 / rectification 整改意见书 / public_naming 点名通报 / interview 约谈通知' }),
  level: z.number().int(),
  planId: z.string(),
  planTitle: z.string(),
  subject: z.string(),
  deadlineKey: z.string(),
  dueDate: z.string(),
  limitDate: z.string().nullable(),
  ruleId: z.string(),
  issuedOn: z.string(),
});

const LetterPageSchema = z
  .object({ rows: z.array(LetterRowSchema), nextCursor: z.string().nullable().meta({ description: '下一页的游标;最后一页为 null' }) })
  .meta({ id: 'LetterPage' });

const LetterDetailSchema = LetterRowSchema.extend({
  procedure: z.object({ id: z.string(), version: z.number().int() }),
  addressees: z.unknown(),
  copyTo: z.unknown(),
  body: z.string(),
  deadlineRuleId: z.string(),
  createdAt: z.string(),
  recipients: z
    .array(
      z.object({
        unitId: z.string(),
        unitName: z.string().nullable(),
        relation: z.string().meta({ description: 'to 主送 / cc 抄送' }),
        relationLabel: z.string(),
        signBy: z.string(),
        signedAt: z.string().nullable(),
        signedBy: z.string().nullable(),
        signedByName: z.string().nullable(),
        delivery: z
          .object({ state: z.string().meta({ description: 'pending 待投递 / delivered 已投递' }), attempts: z.number().int(), nextAttemptAt: z.string(), lastError: z.string().nullable(), deliveredAt: z.string().nullable() })
          .nullable(),
      }),
    )
    .meta({ description: '收文单位:签收情况与通知投递情况' }),
}).meta({ id: 'LetterDetail' });

const LetterIdParam = z.string().min(1).max(100, '函件编号无效');

@ApiTags('函件')
@Controller('letters')
@RequireUser()
export class LettersController {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  private desk(): PlanDesk {
    return enabled(this.deps.desk, '方案服务');
  }

  private async document(caller: Caller, id: string, format: DocumentFormat): Promise<StreamableFile> {
    const file = await enabled(this.deps.documents, '公文服务').file(caller, id, format);
    return new StreamableFile(file.data, { type: file.contentType, disposition: contentDisposition(file.filename), length: file.data.length });
  }

  @Get()
  @ApiOperation({ summary: '函件列表', description: '本单位可见方案的函件(提醒函、督办函等):按方案、单位、种类、发文日期筛选,新的在前,游标翻页。' })
  @ApiResponse({ status: 200, standardSchema: LetterPageSchema })
  list(@CurrentCaller() caller: Caller, @Query({ schema: LetterQuerySchema }) query: LetterQuery) {
    return this.desk().letters(caller, query);
  }

  @Get(':id')
  @ApiOperation({ summary: '函件详情', description: '函件全文:文号、主送、抄送、事由、时限。' })
  @ApiResponse({ status: 200, standardSchema: LetterDetailSchema })
  @ApiResponse({ status: 404, description: '没有该函件,或本单位无权查看', standardSchema: ErrorBodySchema })
  detail(@CurrentCaller() caller: Caller, @Param('id', { schema: LetterIdParam }) id: string) {
    return this.desk().letter(caller, id);
  }

  @Get(':id/document.docx')
  @ApiOperation({ summary: '下载函件公文(Word)', description: '函件的 Word 文件(.docx),按 GB/T 9704-2012 信函格式排版:A4,版心 156×225 mm,每页 22 行、每行 28 字,红色发文机关标志与双线,发文字号居右,标题居中,主送、正文(三号仿宋)、署名、成文日期、抄送。文件名为「文号 标题」(Content-Disposition 的 filename* 为 UTF-8)。与函件详情同一可见范围:范围外的函件答 404。字体先写 仿宋_GB2312,收文方的 Word/WPS 用本机字体。' })
  @ApiProduces(DOCUMENT_MEDIA_TYPES.docx)
  @ApiResponse({ status: 200, description: 'Word 文件', content: { [DOCUMENT_MEDIA_TYPES.docx]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 404, description: '没有该函件,或本单位无权查看', standardSchema: ErrorBodySchema })
  docx(@CurrentCaller() caller: Caller, @Param('id', { schema: LetterIdParam }) id: string) {
    return this.document(caller, id, 'docx');
  }

  @Get(':id/document.pdf')
  @ApiOperation({ summary: '下载函件公文(PDF)', description: '函件的 PDF 文件,按 GB/T 9704-2012 信函格式排版:A4,版心 156×225 mm,每页 22 行、每行 28 字,红色发文机关标志与双线,发文字号居右,标题居中,主送、正文(三号仿宋)、署名、成文日期、抄送。文件名为「文号 标题」(Content-Disposition 的 filename* 为 UTF-8)。与函件详情同一可见范围:范围外的函件答 404。内嵌 Fandol 字体子集。' })
  @ApiProduces(DOCUMENT_MEDIA_TYPES.pdf)
  @ApiResponse({ status: 200, description: 'PDF 文件', content: { [DOCUMENT_MEDIA_TYPES.pdf]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 404, description: '没有该函件,或本单位无权查看', standardSchema: ErrorBodySchema })
  pdf(@CurrentCaller() caller: Caller, @Param('id', { schema: LetterIdParam }) id: string) {
    return this.document(caller, id, 'pdf');
  }
}
