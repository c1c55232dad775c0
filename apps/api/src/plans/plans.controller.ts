import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { PlanIdSchema } from '@reform/definitions';
import { Caller, PlanDesk, RegisterPlan, RegisterPlanSchema, TakeAction, TakeActionSchema } from '@reform/desk';
import { LedgerQuery, LedgerQuerySchema } from '@reform/ledger';
import { z } from 'zod';
import { CurrentCaller, enabled, RequireUser } from '../auth';
import { ApiDeps, DEPS } from '../deps';
import { ErrorBodySchema } from '../errors';

const LedgerPageSchema = z
  .object({
    rows: z.array(
      z.object({
        planId: z.string(),
        title: z.string(),
        procedure: z.object({ id: z.string(), version: z.number().int() }),
        stage: z.object({ id: z.string(), label: z.string() }),
        status: z.enum(['open', 'closed']),
        regionPath: z.string().nullable(),
        leadUnitId: z.string().nullable(),
        specialGroupId: z.string().nullable(),
        nextDue: z.string().nullable(),
        overdue: z.boolean(),
        lateSignings: z.number().int().meta({ description: '有收文单位逾期未签收的函件数' }),
        light: z.enum(['red', 'yellow', 'green']).meta({ description: '亮灯:red 逾期;yellow 临近到期或进度落后(阈值见规则的「亮灯」);green 其余' }),
        updatedAt: z.string(),
        changeCounter: z.number().int(),
        actions: z
          .array(z.object({ action: z.string(), label: z.string() }))
          .optional()
          .meta({ description: '仅当 actionable=true:本单位在该方案当前阶段可办理的操作(尚缺的前提见方案详情)' }),
      }),
    ),
    nextCursor: z.string().nullable().meta({ description: '下一页的游标;最后一页为 null' }),
  })
  .meta({ id: 'LedgerPage' });

const Light = z.enum(['red', 'yellow', 'green']);

const PlanDetailSchema = z
  .object({
    plan: z
      .object({
        planId: z.string(),
        procedure: z.object({ id: z.string(), version: z.number().int(), title: z.string() }),
        title: z.string(),
        attributes: z.record(z.string(), z.boolean()),
        stage: z.object({ id: z.string(), label: z.string() }),
        status: z.enum(['open', 'closed']),
        units: z.object({ leadUnit: z.string(), specialGroup: z.string(), participatingUnits: z.array(z.string()) }),
        people: z.object({ leader: z.string(), person: z.string() }),
        deadlines: z.array(
          z.object({
            key: z.string(),
            label: z.string(),
            ruleId: z.string().nullable(),
            due: z.string(),
            status: z.enum(['open', 'overdue', 'done', 'cancelled']),
            lettersSent: z.array(z.number().int()),
          }),
        ),
        nextDue: z.string().nullable(),
        overdue: z.boolean(),
        light: Light,
        items: z.array(z.object({ id: z.string(), title: z.string(), status: z.enum(['not_started', 'started', 'completed']), light: Light })),
        letters: z.array(
          z.object({ number: z.string(), kind: z.string(), level: z.number().int(), date: z.string(), deadlineKey: z.string(), lateSigningUnitIds: z.array(z.string()) }),
        ),
        changeCounter: z.number().int(),
        updatedAt: z.string(),
        today: z.string(),
      })
      .passthrough()
      .meta({ description: '台账中的方案:阶段、单位、时限及其状态、函件、具体事项;light 与各事项的 light 为今日亮灯(red/yellow/green)' }),
    access: z.object({ act: z.boolean(), roles: z.array(z.object({ id: z.string(), label: z.string() })) }),
    actions: z.array(
      z.object({ action: z.string(), label: z.string(), role: z.string(), roleLabel: z.string(), blockers: z.array(z.string()), needsReason: z.boolean() }),
    ),
    path: z
      .array(
        z.object({
          id: z.string(),
          label: z.string(),
          source: z.string().nullable(),
          state: z.enum(['passed', 'current', 'ahead', 'skipped']).meta({ description: 'passed 已经过;current 当前;ahead 待进入;skipped 本方案不适用' }),
          notApplicable: z.string().nullable().meta({ description: '不适用的原因(适用条件);适用时为 null' }),
          actions: z.array(
            z.object({
              action: z.string(),
              label: z.string(),
              roles: z.array(z.object({ id: z.string(), label: z.string() })),
              mine: z.boolean(),
              needsReason: z.boolean(),
              item: z.boolean().meta({ description: '登记或更新具体改革事项的操作:须写明事项' }),
            }),
          ),
        }),
      )
      .meta({ description: '方案按其属性所走的流程路径:各阶段的状态、不适用的原因、可办理的角色' }),
  })
  .meta({ id: 'PlanDetail' });

const RegisteredSchema = z
  .object({ planId: z.string(), procedure: z.object({ id: z.string(), version: z.number().int(), title: z.string() }) })
  .meta({ id: 'RegisteredPlan' });

const ActResultSchema = z
  .object({
    workflowId: z.string(),
    action: z.string(),
    role: z.string(),
    businessDate: z.string(),
    stage: z.object({ id: z.string(), label: z.string(), source: z.string().optional() }),
    finished: z.boolean(),
  })
  .passthrough()
  .meta({ id: 'ActResult' });

@ApiTags('方案')
@Controller('plans')
@RequireUser()
export class PlansController {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  private desk(): PlanDesk {
    return enabled(this.deps.desk, '方案服务');
  }


  @Get()
  @ApiOperation({ summary: '方案台账', description: '本单位可见的方案:筛选、排序、游标翻页。actionable=true 只列本单位现在可办理的方案(按本单位与方案的关系得出的角色,在方案当前阶段有可办理的操作)。' })
  @ApiResponse({ status: 200, standardSchema: LedgerPageSchema })
  list(@CurrentCaller() caller: Caller, @Query({ schema: LedgerQuerySchema }) query: LedgerQuery) {
    return this.desk().list(caller, query);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: '登记方案', description: '本单位作为牵头单位登记一项方案;专项小组和参与单位以单位编号填写。201 时方案已在台账中;同一请求编号(X-Request-Id)重发时答复同一方案,不重复登记。' })
  @ApiResponse({ status: 201, standardSchema: RegisteredSchema })
  @ApiResponse({ status: 403, description: '本单位不能作为牵头单位', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 503, description: '已受理,方案尚未写入台账(流程引擎或数据库暂未应答):以同一请求编号(X-Request-Id)重试,不会重复登记', standardSchema: ErrorBodySchema })
  register(@CurrentCaller() caller: Caller, @Body({ schema: RegisterPlanSchema }) body: RegisterPlan) {
    return this.desk().register(caller, body);
  }

  @Get(':id')
  @ApiOperation({ summary: '方案详情', description: '阶段、时限、函件、具体事项,以及当前用户现在可办的操作和尚缺的前提。' })
  @ApiResponse({ status: 200, standardSchema: PlanDetailSchema })
  @ApiResponse({ status: 404, description: '没有该方案,或本单位无权查看', standardSchema: ErrorBodySchema })
  detail(@CurrentCaller() caller: Caller, @Param('id', { schema: PlanIdSchema }) id: string) {
    return this.desk().detail(caller, id);
  }

  @Post(':id/actions')
  @HttpCode(200)
  @ApiOperation({ summary: '办理一项操作', description: '以本单位在该方案中的角色办理;流程此时不允许时 409,附引擎的理由和规则编号。' })
  @ApiResponse({ status: 200, standardSchema: ActResultSchema })
  @ApiResponse({ status: 403, description: '本单位在该方案中不能办理此操作', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 404, description: '没有该方案,或本单位无权查看', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 409, description: '流程此时不允许该操作', standardSchema: ErrorBodySchema })
  act(@CurrentCaller() caller: Caller, @Param('id', { schema: PlanIdSchema }) id: string, @Body({ schema: TakeActionSchema }) body: TakeAction) {
    return this.desk().act(caller, id, body);
  }
}
