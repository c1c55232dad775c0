import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditListQuery, AuditListQuerySchema, auditReadScope, AuditService, describeVerification } from '@reform/audit';
import { Caller, whoIs } from '@reform/desk';
import { AuditVerificationSchema } from '@reform/platform';
import { z } from 'zod';
import { CurrentCaller, enabled, RequireUser } from '../auth';
import { ApiDeps, DEPS } from '../deps';
import { ApiError, ErrorBodySchema } from '../errors';

const VerificationSchema = AuditVerificationSchema.extend({ lines: z.array(z.string()).meta({ description: '核验结果的中文说明' }) }).meta({ id: 'AuditVerification' });

const AuditPageSchema = z
  .object({
    rows: z.array(
      z.object({
        seq: z.number().int().meta({ description: '序号(链上位置)' }),
        at: z.string().meta({ description: '记录时间(ISO 8601)' }),
        action: z.string().meta({ description: '操作代码,如 plan.act' }),
        actionLabel: z.string().meta({ description: '操作的中文名称' }),
        actor: z
          .object({
            userId: z.string().nullable(),
            name: z.string().nullable().meta({ description: '记录时的操作人(登录类记录为输入的用户名)' }),
            displayName: z.string().nullable().meta({ description: '操作人的姓名' }),
            unitId: z.string().nullable(),
            unitName: z.string().nullable(),
          })
          .nullable()
          .meta({ description: '操作人及其单位;引擎自动发出的函件为 null' }),
        target: z.object({
          type: z.string(),
          typeLabel: z.string().meta({ description: '对象类型的中文名称' }),
          id: z.string().nullable(),
          title: z.string().nullable().meta({ description: '方案的标题、函件的文号和标题;其他对象为 null' }),
        }),
        requestId: z.string().nullable(),
        prevHash: z.string(),
        hash: z.string(),
      }),
    ),
    nextCursor: z.number().int().nullable().meta({ description: '下一页:作为 before 传入;最后一页为 null' }),
  })
  .meta({ id: 'AuditPage' });

@ApiTags('审计')
@Controller('audit')
@RequireUser()
export class AuditController {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  private audit(): AuditService {
    return enabled(this.deps.audit, '审计服务');
  }

  @Get('entries')
  @ApiOperation({
    summary: '审计记录',
    description: '全程留痕记录,新的在前,游标翻页(before)。改革办看本级及以下:本地区单位的操作,以及引擎对本地区方案和函件的操作;省级改革办看全部。其他单位 403。可按操作代码(action)和对象类型(targetType)筛选。',
  })
  @ApiResponse({ status: 200, standardSchema: AuditPageSchema })
  @ApiResponse({ status: 403, description: '仅改革办可查阅审计记录', standardSchema: ErrorBodySchema })
  async entries(@CurrentCaller() caller: Caller, @Query({ schema: AuditListQuerySchema }) query: AuditListQuery): Promise<z.infer<typeof AuditPageSchema>> {
    const { unit } = await whoIs(enabled(this.deps.identity, '登录服务').accounts, caller);
    const scope = auditReadScope(unit);
    if (!scope) throw new ApiError(403, `审计记录由改革办查阅;${unit.name}不能查阅`);
    return this.audit().list(scope, query);
  }

  @Get('verify')
  @ApiOperation({ summary: '核验审计链', description: '逐条核对全程留痕记录的哈希链(A15):已核验条数、链头哈希,以及第一处断裂及其原因(改动、缺失、顺序调换)。审计链记录全省各级的操作,仅省级改革办可核验。' })
  @ApiResponse({ status: 200, standardSchema: VerificationSchema })
  @ApiResponse({ status: 403, description: '仅省级改革办可核验', standardSchema: ErrorBodySchema })
  async verify(@CurrentCaller() caller: Caller): Promise<z.infer<typeof VerificationSchema>> {
    // The chain holds every level's acts: only the province's reform office may read it whole.
    const { unit } = await whoIs(enabled(this.deps.identity, '登录服务').accounts, caller);
    if (unit.kind !== 'reform_office' || unit.region.level !== 'province') throw new ApiError(403, `审计链记录全省各级的操作,仅省级改革办可核验;${unit.name}不能核验`);
    const result = await this.audit().verify();
    return { ...result, lines: describeVerification(result) };
  }
}
