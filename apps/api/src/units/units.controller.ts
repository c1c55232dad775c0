import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Caller, UnitDesk } from '@reform/desk';
import { UnitSchema } from '@reform/platform';
import { z } from 'zod';
import { CurrentCaller, enabled, RequireUser } from '../auth';
import { ApiDeps, DEPS } from '../deps';
import { ErrorBodySchema } from '../errors';

const UnitListSchema = z
  .object({
    rows: z.array(UnitSchema.meta({ id: 'Unit' })).meta({ description: '按地区(省、市、县)、单位类别、名称排序' }),
  })
  .meta({ id: 'UnitList' });

@ApiTags('单位')
@Controller('units')
@RequireUser()
export class UnitsController {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  private units(): UnitDesk {
    return enabled(this.deps.units, '单位目录服务');
  }

  @Get()
  @ApiOperation({
    summary: '单位目录',
    description:
      '本单位可见的单位:名称、类别、所在地区及层级、专项小组的领域。改革办和领导小组:本地区及下级地区的全部单位;其他单位:本单位,以及本单位可见方案(牵头、参与、专项小组所管)上的单位。',
  })
  @ApiResponse({ status: 200, standardSchema: UnitListSchema })
  @ApiResponse({ status: 401, description: '未登录', standardSchema: ErrorBodySchema })
  list(@CurrentCaller() caller: Caller) {
    return this.units().list(caller);
  }
}
