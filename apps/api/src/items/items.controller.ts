import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Req as Request, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CommandSchema, PlanIdSchema } from '@reform/definitions';
import { AddItem, AddItemSchema, Caller, ChangeItem, ChangeItemSchema, EVIDENCE_TYPES, ItemDesk, Upload } from '@reform/desk';
import { z } from 'zod';
import { CurrentCaller, enabled, RequireUser } from '../auth';
import { ApiDeps, DEPS } from '../deps';
import { ErrorBodySchema } from '../errors';
import { Req } from '../http';

const ItemIdParam = CommandSchema.shape.item.unwrap().shape.id;
export const EvidenceIdParam = z.string().min(1).max(100, '佐证材料编号无效');

const STATUS = z.enum(['not_started', 'started', 'completed']);

export const EvidenceSchema = z
  .object({
    evidenceId: z.string(),
    itemId: z.string(),
    filename: z.string(),
    contentType: z.string(),
    size: z.number().int(),
    sha256: z.string().meta({ description: '文件内容的 SHA-256(十六进制)' }),
    uploadedBy: z.object({ name: z.string(), unitId: z.string() }),
    uploadedAt: z.string(),
  })
  .meta({ id: 'Evidence' });

const ItemSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  status: STATUS,
  statusLabel: z.string(),
  updatedOn: z.string(),
  supervision: z
    .object({
      inScope: z.boolean().meta({ description: '是否仍在督察范围内' }),
      foundCompleted: z.object({ roundId: z.string(), roundName: z.string(), verifiedOn: z.string().nullable() }).nullable().meta({ description: '在哪一轮督察中被认定已完成(S2:不再纳入督察范围)' }),
    })
    .optional(),
});

const ItemListSchema = z.object({ items: z.array(ItemSummarySchema) }).meta({ id: 'ItemList' });

const ItemDetailSchema = ItemSummarySchema.extend({
  light: z.enum(['red', 'yellow', 'green']).optional().meta({ description: '今日亮灯(详情中给出):red 逾期;yellow 临近到期或进度落后;green 其余' }),
  history: z.array(
    z.object({
      seq: z.number().int(),
      title: z.string(),
      statusBefore: STATUS.nullable(),
      statusAfter: STATUS,
      statusLabel: z.string(),
      businessDate: z.string(),
      note: z.string().nullable(),
      evidenceIds: z.array(z.string()),
      by: z.object({ name: z.string(), unitId: z.string() }),
      at: z.string(),
    }),
  ),
  evidence: z.array(EvidenceSchema),
}).meta({ id: 'ItemDetail' });

export const UploadQuerySchema = z
  .strictObject({ filename: z.string().max(255, '文件名最长 255 个字符').optional().meta({ description: '文件名(含扩展名),UTF-8,经 URL 编码' }) });

/** An upload as the desks take it: the request's body as it streams in, its declared length and the file name of the query. */
export function uploadFrom(req: Req, filename: string | undefined): Upload {
  const length = req.headers['content-length'];
  const declared = length === undefined ? undefined : Number(length);
  return { filename, declaredLength: Number.isFinite(declared) ? declared : undefined, body: req };
}

/** A Content-Disposition that keeps a Chinese file name (RFC 6266 / 5987) with an ASCII fallback. */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

@ApiTags('具体改革事项')
@Controller('plans')
@RequireUser()
export class ItemsController {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  private items(): ItemDesk {
    return enabled(this.deps.items, '具体改革事项服务');
  }


  @Get(':id/items')
  @ApiOperation({ summary: '方案的具体改革事项', description: '各事项及其状态(未启动 / 已启动未完成 / 已完成),以引擎中的为准。' })
  @ApiResponse({ status: 200, standardSchema: ItemListSchema })
  @ApiResponse({ status: 404, description: '没有该方案,或本单位无权查看', standardSchema: ErrorBodySchema })
  list(@CurrentCaller() caller: Caller, @Param('id', { schema: PlanIdSchema }) id: string) {
    return this.items().list(caller, id);
  }

  @Post(':id/items')
  @HttpCode(201)
  @ApiOperation({ summary: '登记具体改革事项', description: '由方案的牵头单位在组织实施阶段登记(S2);流程此时不允许时 409。' })
  @ApiResponse({ status: 201, standardSchema: ItemDetailSchema })
  @ApiResponse({ status: 404, description: '没有该方案,或本单位无权查看', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 409, description: '事项编号已被使用,或流程此时不允许', standardSchema: ErrorBodySchema })
  add(@CurrentCaller() caller: Caller, @Param('id', { schema: PlanIdSchema }) id: string, @Body({ schema: AddItemSchema }) body: AddItem) {
    return this.items().add(caller, id, body);
  }

  @Get(':id/items/:itemId')
  @ApiOperation({ summary: '具体改革事项详情', description: '事项的状态、每次变更的记录(谁、何时、从何状态到何状态、附哪些佐证材料)及佐证材料。' })
  @ApiResponse({ status: 200, standardSchema: ItemDetailSchema })
  @ApiResponse({ status: 404, description: '没有该方案或事项,或本单位无权查看', standardSchema: ErrorBodySchema })
  detail(@CurrentCaller() caller: Caller, @Param('id', { schema: PlanIdSchema }) id: string, @Param('itemId', { schema: ItemIdParam }) itemId: string) {
    return this.items().detail(caller, id, itemId);
  }

  @Patch(':id/items/:itemId')
  @HttpCode(200)
  @ApiOperation({ summary: '更新事项状态', description: '附先行上传的佐证材料编号;流程此时不允许时 409。' })
  @ApiResponse({ status: 200, standardSchema: ItemDetailSchema })
  @ApiResponse({ status: 404, description: '没有该方案或事项,或本单位无权查看', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 409, description: '流程此时不允许该操作', standardSchema: ErrorBodySchema })
  change(
    @CurrentCaller() caller: Caller,
    @Param('id', { schema: PlanIdSchema }) id: string,
    @Param('itemId', { schema: ItemIdParam }) itemId: string,
    @Body({ schema: ChangeItemSchema }) body: ChangeItem,
  ) {
    return this.items().change(caller, id, itemId, body);
  }

  @Post(':id/items/:itemId/evidence')
  @HttpCode(201)
  @ApiOperation({
    summary: '上传佐证材料',
    description: `请求体为文件本身的字节(不是 multipart),文件名放在查询参数 filename 中。允许的类型:${[...new Set(EVIDENCE_TYPES.map((t) => t.extension))].join('、')}(按内容校验);过大 413,类型不符 415。`,
  })
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 201, standardSchema: EvidenceSchema })
  @ApiResponse({ status: 403, description: '本单位只能查看该方案,不能上传', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 404, description: '没有该方案或事项,或本单位无权查看', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 413, description: '文件过大', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 415, description: '文件类型不允许,或内容与扩展名不符', standardSchema: ErrorBodySchema })
  upload(
    @CurrentCaller() caller: Caller,
    @Request() req: Req,
    @Param('id', { schema: PlanIdSchema }) id: string,
    @Param('itemId', { schema: ItemIdParam }) itemId: string,
    @Query({ schema: UploadQuerySchema }) query: z.infer<typeof UploadQuerySchema>,
  ) {
    return this.items().upload(caller, id, itemId, uploadFrom(req, query.filename));
  }

  @Get(':id/items/:itemId/evidence/:evidenceId')
  @ApiOperation({ summary: '下载佐证材料', description: '原样返回文件;Content-Type 按文件类型,Content-Disposition 带 UTF-8 文件名。' })
  @ApiProduces('application/octet-stream')
  @ApiResponse({ status: 200, description: '文件本身', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 404, description: '没有该材料,或本单位无权查看', standardSchema: ErrorBodySchema })
  async download(
    @CurrentCaller() caller: Caller,
    @Param('id', { schema: PlanIdSchema }) id: string,
    @Param('itemId', { schema: ItemIdParam }) itemId: string,
    @Param('evidenceId', { schema: EvidenceIdParam }) evidenceId: string,
  ) {
    const { evidence, body } = await this.items().download(caller, id, itemId, evidenceId);
    return new StreamableFile(body, { type: evidence.contentType, disposition: contentDisposition(evidence.filename), length: evidence.size });
  }
}
