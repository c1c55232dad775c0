import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditService, describeVerification } from '@reform/audit';
import { AuditVerificationSchema, Principal } from '@reform/platform';
import { z } from 'zod';
import { CurrentUser, enabled, RequireUser } from '../auth';
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
  @ApiOperation({ summary: '核验审计链', description: '逐条核对全程留痕记录的哈希链(A15):已核验条数、链头哈希,以及第一处断裂及其原因(改动、缺失、顺序调换)。仅改革办可用。' })
  @ApiResponse({ status: 200, standardSchema: VerificationSchema })
  @ApiResponse({ status: 403, description: '仅改革办可核验', standardSchema: ErrorBodySchema })
  async verify(@CurrentUser() user: Principal): Promise<z.infer<typeof VerificationSchema>> {
    const profile = await this.deps.identity?.accounts.profile(user.userId);
    if (profile?.unit.kind !== 'reform_office') throw new ApiError(403, '审计链核验仅限改革办');
    const result = await this.audit().verify();
    return { ...result, lines: describeVerification(result) };
  }
}
