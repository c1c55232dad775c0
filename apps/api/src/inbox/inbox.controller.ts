import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Caller, InboxDesk, SignLetter, SignLetterSchema } from '@reform/desk';
import { InboxQuery, InboxQuerySchema } from '@reform/ledger';
import { z } from 'zod';
import { CurrentCaller, enabled, RequireUser } from '../auth';
import { ApiDeps, DEPS } from '../deps';
import { ErrorBodySchema } from '../errors';

const relation = z.enum(['to', 'cc']).meta({ description: 'to 主送 / cc 抄送' });

const InboxPageSchema = z
  .object({
    rows: z.array(
      z.object({
        letterId: z.string(),
        number: z.string().meta({ description: '文号' }),
        kind: z.string(),
        planId: z.string(),
        planTitle: z.string().nullable(),
        subject: z.string(),
        limitDate: z.string().nullable().meta({ description: '办理期限(函件要求的时限)' }),
        dueDate: z.string().meta({ description: '函件所督促的时限在发函时的到期日' }),
        deadline: z
          .object({ label: z.string(), due: z.string(), status: z.string() })
          .nullable()
          .meta({ description: '所督促的时限现在的情况(名称、到期日、状态 open 未到期 / overdue 已逾期 / done 已办结 / cancelled 已撤销);台账中没有时为 null' }),
        light: z.enum(['red', 'yellow', 'green']).nullable().meta({ description: '该时限今天的灯:red 已逾期未办结,yellow 临近到期,green 已办结或未临近;无时限时为 null' }),
        issuedOn: z.string(),
        relation,
        relationLabel: z.string(),
        signBy: z.string().meta({ description: '签收期限(发文日后若干个工作日)' }),
        signedAt: z.string().nullable(),
        signedBy: z.string().nullable(),
        signedByName: z.string().nullable(),
        signOverdue: z.boolean().meta({ description: '逾期未签收' }),
      }),
    ),
    nextCursor: z.string().nullable().meta({ description: '下一页的游标;最后一页为 null' }),
  })
  .meta({ id: 'InboxPage' });

const SigningSchema = z
  .object({
    letterId: z.string(),
    unitId: z.string(),
    relation,
    relationLabel: z.string(),
    signBy: z.string(),
    signedAt: z.string(),
    signedBy: z.string(),
    signedByName: z.string().nullable(),
    signedNow: z.boolean().meta({ description: 'false:本单位此前已签收,返回的是第一次签收' }),
  })
  .meta({ id: 'Signing' });

const OutboxRowSchema = z.object({
  deliveryKey: z.string(),
  letterId: z.string(),
  unitId: z.string(),
  state: z.string(),
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
});

const OutboxStatusSchema = z
  .object({
    configured: z.boolean().meta({ description: '是否配置了通知地址(REFORM_NOTIFY_URL);未配置时待投递的记录保持待投递' }),
    counts: z.object({ pending: z.number().int(), delivered: z.number().int(), failing: z.number().int() }),
    undelivered: z.array(OutboxRowSchema),
  })
  .meta({ id: 'OutboxStatus' });

const LetterIdParam = z.string().min(1).max(100, '函件编号无效');

@ApiTags('收文')
@Controller()
@RequireUser()
export class InboxController {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  private inbox(): InboxDesk {
    return enabled(this.deps.inbox, '收文服务');
  }

  @Get('inbox')
  @ApiOperation({ summary: '本单位收文', description: '主送或抄送本单位的函件:按签收状态、种类筛选,新的在前,游标翻页;逾期未签收的标明。' })
  @ApiResponse({ status: 200, standardSchema: InboxPageSchema })
  list(@CurrentCaller() caller: Caller, @Query({ schema: InboxQuerySchema }) query: InboxQuery) {
    return this.inbox().inbox(caller, query);
  }

  @Post('letters/:id/sign')
  @HttpCode(200)
  @ApiOperation({ summary: '签收函件', description: '本单位签收主送或抄送本单位的函件,记录时间和签收人;重复签收返回第一次签收。' })
  @ApiResponse({ status: 200, standardSchema: SigningSchema })
  @ApiResponse({ status: 404, description: '没有该函件,或函件未发给本单位', standardSchema: ErrorBodySchema })
  sign(@CurrentCaller() caller: Caller, @Param('id', { schema: LetterIdParam }) id: string, @Body({ schema: SignLetterSchema }) body: SignLetter) {
    return this.inbox().sign(caller, id, body);
  }

  @Get('outbox')
  @ApiOperation({ summary: '函件投递状态', description: '函件通知的投递情况:待投递、已投递、失败重试中;仅省级改革办。' })
  @ApiResponse({ status: 200, standardSchema: OutboxStatusSchema })
  @ApiResponse({ status: 403, description: '非省级改革办', standardSchema: ErrorBodySchema })
  outbox(@CurrentCaller() caller: Caller) {
    return this.inbox().outboxStatus(caller);
  }
}
