import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req as Request, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { PlanIdSchema } from '@reform/definitions';
import { Caller, LedgerExportQuery, LedgerExportQuerySchema, TASK_LIST_MAX_ROWS, XLSX_CONTENT_TYPE, XlsxFile } from '@reform/desk';
import { z } from 'zod';
import { CurrentCaller, enabled, RequireUser } from '../auth';
import { ApiDeps, DEPS } from '../deps';
import { ErrorBodySchema } from '../errors';
import { Req } from '../http';
import { contentDisposition } from '../items/items.controller';

const ImportQuerySchema = z
  .strictObject({ filename: z.string().max(255, '文件名最长 255 个字符').optional().meta({ description: '文件名(.xlsx),UTF-8,经 URL 编码' }) });

const ImportResultSchema = z
  .object({
    importId: z.string().meta({ description: '本次导入的编号(由文件内容和导入人决定:同一人重复导入同一文件,编号相同)' }),
    repeated: z.boolean().meta({ description: '该文件此前已由本人导入:本次未重复登记' }),
    registered: z.number().int().meta({ description: '本次新登记的方案数' }),
    plans: z.array(z.object({ row: z.number().int().meta({ description: '在表中的行号' }), planId: z.string(), title: z.string() })),
  })
  .meta({ id: 'TaskListImportResult' });

/** A workbook as the API answers it: its media type, a download with its Chinese name, its length. */
const xlsx = (file: XlsxFile) => new StreamableFile(file.body, { type: XLSX_CONTENT_TYPE, disposition: contentDisposition(file.filename), length: file.body.length });

const XLSX_RESPONSE = { content: { [XLSX_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } } } as const;

@ApiTags('Excel 导入导出')
@Controller()
@RequireUser()
export class ExcelController {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  @Get('imports/task-list/template')
  @ApiOperation({ summary: '下载年度改革任务清单导入模板', description: '含「任务清单」表(列名、流程和本级单位的下拉列表)和「说明」表(每列的填写说明、各流程可填的属性、本级单位)。' })
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiResponse({ status: 200, description: '导入模板(.xlsx)', ...XLSX_RESPONSE })
  async template(@CurrentCaller() caller: Caller) {
    return xlsx(await enabled(this.deps.taskList, '任务清单导入服务').template(caller));
  }

  @Post('imports/task-list')
  @HttpCode(200)
  @ApiOperation({
    summary: '导入年度改革任务清单',
    description:
      `改革办导入本级的年度改革任务清单(按导入模板填写的 .xlsx)。请求体为文件本身的字节(不是 multipart),文件名可放在查询参数 filename 中。` +
      `先逐行检查(单位名称、日期、流程、属性及登记的各项要求),有一处错误则不导入任何任务,422 并在 issues 中列出每处错误的行号和列名;全部通过才逐行登记方案。` +
      `同一人重复导入同一文件不重复登记(repeated 为 true)。一份清单最多 ${TASK_LIST_MAX_ROWS} 行;不是 .xlsx 415,文件过大 413。`,
  })
  @ApiConsumes(XLSX_CONTENT_TYPE, 'application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 200, standardSchema: ImportResultSchema })
  @ApiResponse({ status: 403, description: '只有改革办可以导入', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 413, description: '文件过大', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 415, description: '不是 Excel 工作簿(.xlsx)', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 422, description: '清单有错误,未导入任何任务;issues 列出每处错误(path 为 rows.行号.列名)', standardSchema: ErrorBodySchema })
  importTaskList(@CurrentCaller() caller: Caller, @Request() req: Req, @Query({ schema: ImportQuerySchema }) query: z.infer<typeof ImportQuerySchema>) {
    const length = req.headers['content-length'];
    const declared = length === undefined ? undefined : Number(length);
    return enabled(this.deps.taskList, '任务清单导入服务').import(caller, { filename: query.filename, declaredLength: Number.isFinite(declared) ? declared : undefined, body: req });
  }

  @Get('ledger/export.xlsx')
  @ApiOperation({
    summary: '导出方案台账(Excel)',
    description: '与方案台账(GET /api/plans)相同的筛选条件,导出全部页;列名、阶段、流程、单位和地区均为中文名称,日期为 Excel 日期。符合条件的方案过多时 400,请缩小筛选范围。',
  })
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiResponse({ status: 200, description: '方案台账(.xlsx)', ...XLSX_RESPONSE })
  async ledger(@CurrentCaller() caller: Caller, @Query({ schema: LedgerExportQuerySchema }) query: LedgerExportQuery) {
    return xlsx(await enabled(this.deps.excel, 'Excel 导出服务').ledger(caller, query));
  }

  @Get('plans/:id/items/export.xlsx')
  @ApiOperation({ summary: '导出方案的具体改革事项(Excel)', description: '事项编号、名称、状态(未启动 / 已启动未完成 / 已完成)、最近更新日期,以及是否仍在督察范围(督察轮次验收认定已完成的事项退出督察范围,S2)和认定它的轮次。' })
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiResponse({ status: 200, description: '具体改革事项(.xlsx)', ...XLSX_RESPONSE })
  @ApiResponse({ status: 404, description: '没有该方案,或本单位无权查看', standardSchema: ErrorBodySchema })
  async items(@CurrentCaller() caller: Caller, @Param('id', { schema: PlanIdSchema }) id: string) {
    return xlsx(await enabled(this.deps.excel, 'Excel 导出服务').items(caller, id));
  }
}
