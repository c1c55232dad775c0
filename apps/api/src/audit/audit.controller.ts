import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditService, describeVerification } from '@reform/audit';
import { Caller, whoIs } from '@reform/desk';
import { AuditVerificationSchema } from '@reform/platform';
import { z } from 'zod';
import { CurrentCaller, enabled, RequireUser } from '../auth';
import { ApiDeps, DEPS } from '../deps';
import { ApiError, ErrorBodySchema } from '../errors';

const VerificationSchema = AuditVerificationSchema.extend({ lines: z.array(z.string()).meta({ description: '核验结果的中文说明' }) }).meta({ id: 'AuditVerification' });

@ApiTags('审计')
@Controller('audit')
@RequireUser()
export class AuditController {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  private audit(): AuditService {
    return enabled(this.deps.audit, '审计服务');
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
