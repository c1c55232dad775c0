import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Caller, LEDGER_VIEWS_MAX, LedgerViewDesk, SaveLedgerView, SaveLedgerViewSchema } from '@reform/desk';
import { z } from 'zod';
import { CurrentCaller, enabled, RequireUser } from '../auth';
import { ApiDeps, DEPS } from '../deps';
import { ErrorBodySchema } from '../errors';

const ViewParam = z.string().min(1).max(100, '视图编号无效');

const LedgerViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    filters: z.record(z.string(), z.string()).meta({ description: '台账的筛选条件(GET /api/plans 的查询参数)' }),
    createdAt: z.string(),
  })
  .meta({ id: 'LedgerView' });

@ApiTags('台账视图')
@Controller('ledger/views')
@RequireUser()
export class LedgerViewsController {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  private views(): LedgerViewDesk {
    return enabled(this.deps.ledgerViews, '台账视图服务');
  }

  @Get()
  @ApiOperation({ summary: '我的台账视图', description: '当前用户保存的台账视图(只有本人可见),按保存先后排列。' })
  @ApiResponse({ status: 200, standardSchema: z.array(LedgerViewSchema) })
  list(@CurrentCaller() caller: Caller) {
    return this.views().list(caller);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: '保存台账视图', description: `把台账当前的筛选条件以一个名称保存(同一用户的视图不重名,最多 ${LEDGER_VIEWS_MAX} 个);筛选条件按台账的查询规则检查,有误 400 并指出是哪一项。` })
  @ApiResponse({ status: 201, standardSchema: LedgerViewSchema })
  @ApiResponse({ status: 409, description: '已有同名视图,或视图已达上限', standardSchema: ErrorBodySchema })
  save(@CurrentCaller() caller: Caller, @Body({ schema: SaveLedgerViewSchema }) body: SaveLedgerView) {
    return this.views().save(caller, body);
  }

  @Get(':id')
  @ApiOperation({ summary: '打开台账视图', description: '本人的一个台账视图及其筛选条件。' })
  @ApiResponse({ status: 200, standardSchema: LedgerViewSchema })
  @ApiResponse({ status: 404, description: '没有该视图(或不是本人的)', standardSchema: ErrorBodySchema })
  get(@CurrentCaller() caller: Caller, @Param('id', { schema: ViewParam }) id: string) {
    return this.views().get(caller, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: '删除台账视图' })
  @ApiResponse({ status: 204, description: '已删除' })
  @ApiResponse({ status: 404, description: '没有该视图(或不是本人的)', standardSchema: ErrorBodySchema })
  async remove(@CurrentCaller() caller: Caller, @Param('id', { schema: ViewParam }) id: string): Promise<void> {
    await this.views().delete(caller, id);
  }
}
