import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AddMeeting, AddMeetingSchema, Caller, DELIBERATION_STATUSES, DeliberationDesk, ListPlan, ListPlanSchema } from '@reform/desk';
import { z } from 'zod';
import { CurrentCaller, enabled, RequireUser } from '../auth';
import { ApiDeps, DEPS } from '../deps';
import { ErrorBodySchema } from '../errors';

const YearParam = z.string().regex(/^\d{4}$/, '年度应为四位数年份');
const MeetingParam = z.string().min(1).max(100, '会议编号无效');
const PlanParam = z.string().min(1).max(200, '方案编号无效');

const ProgressSchema = z
  .object({
    total: z.number().int(),
    planned: z.number().int().meta({ description: '已列入计划,会期未到' }),
    ready: z.number().int().meta({ description: '已具备上会条件(流程已到改革领导小组会议环节)' }),
    deliberated: z.number().int().meta({ description: '已审议' }),
    notReady: z.number().int().meta({ description: '会期已到仍未具备上会条件' }),
  })
  .meta({ id: 'DeliberationProgress' });

const ScheduledPlanSchema = z.object({
  planId: z.string(),
  title: z.string(),
  procedure: z.object({ id: z.string(), title: z.string() }),
  central: z.boolean().meta({ description: '对接中央改革方案(S1),排在前面' }),
  stage: z.object({ id: z.string(), label: z.string() }).nullable(),
  status: z.enum(DELIBERATION_STATUSES),
  statusLabel: z.string(),
  note: z.string().nullable(),
  addedAt: z.string(),
});

const MeetingSchema = z
  .object({ id: z.string(), title: z.string(), meetingDate: z.string(), plans: z.array(ScheduledPlanSchema), progress: ProgressSchema })
  .meta({ id: 'DeliberationMeeting' });

const ScheduleSchema = z
  .object({
    year: z.number().int(),
    office: z.object({ unitId: z.string(), regionPath: z.string() }),
    today: z.string(),
    meetings: z.array(MeetingSchema),
    progress: ProgressSchema,
    unscheduledCentral: z
      .array(z.object({ planId: z.string(), title: z.string(), stage: z.object({ id: z.string(), label: z.string() }) }))
      .meta({ description: '本级尚未审议、也未列入本年度任何会议的中央改革方案对接方案(S1:均应提请改革领导小组审议)' }),
  })
  .meta({ id: 'DeliberationSchedule' });

@ApiTags('年度上会审议计划')
@Controller('deliberation-schedules')
@RequireUser()
export class DeliberationController {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  private schedules(): DeliberationDesk {
    return enabled(this.deps.deliberation, '上会审议计划服务');
  }

  @Get(':year')
  @ApiOperation({ summary: '年度上会审议计划', description: '本级改革办的年度上会审议计划(W5):各次改革领导小组会议及列入的方案(对接中央方案的排在前面,S1),每个方案是否已具备上会条件、已审议或会期已到仍未就绪,以及进度统计。' })
  @ApiResponse({ status: 200, standardSchema: ScheduleSchema })
  @ApiResponse({ status: 403, description: '只有改革办可以查看', standardSchema: ErrorBodySchema })
  schedule(@CurrentCaller() caller: Caller, @Param('year', { schema: YearParam }) year: string) {
    return this.schedules().schedule(caller, year);
  }

  @Post(':year/meetings')
  @HttpCode(201)
  @ApiOperation({ summary: '安排一次改革领导小组会议', description: '在本级年度上会审议计划中增加一次会议(名称、日期)。' })
  @ApiResponse({ status: 201, standardSchema: MeetingSchema })
  @ApiResponse({ status: 403, description: '只有改革办可以编排', standardSchema: ErrorBodySchema })
  addMeeting(@CurrentCaller() caller: Caller, @Param('year', { schema: YearParam }) year: string, @Body({ schema: AddMeetingSchema }) body: AddMeeting) {
    return this.schedules().addMeeting(caller, year, body);
  }

  @Post('meetings/:meetingId/plans')
  @HttpCode(201)
  @ApiOperation({ summary: '把方案列入会议', description: '本级须经改革领导小组会议审议的方案列入某次会议;同一方案一年只列入一次(改期先移出)。' })
  @ApiResponse({ status: 201, standardSchema: ScheduleSchema })
  @ApiResponse({ status: 403, description: '只有改革办可以编排', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 404, description: '没有该会议或方案,或本单位无权查看', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 409, description: '该方案本年度已列入上会审议计划', standardSchema: ErrorBodySchema })
  listPlan(@CurrentCaller() caller: Caller, @Param('meetingId', { schema: MeetingParam }) meetingId: string, @Body({ schema: ListPlanSchema }) body: ListPlan) {
    return this.schedules().listPlan(caller, meetingId, body);
  }

  @Delete('meetings/:meetingId/plans/:planId')
  @HttpCode(200)
  @ApiOperation({ summary: '把方案移出会议', description: '移出后可列入另一次会议。' })
  @ApiResponse({ status: 200, standardSchema: ScheduleSchema })
  @ApiResponse({ status: 403, description: '只有改革办可以编排', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 404, description: '没有该会议,或会议未列入该方案', standardSchema: ErrorBodySchema })
  removePlan(@CurrentCaller() caller: Caller, @Param('meetingId', { schema: MeetingParam }) meetingId: string, @Param('planId', { schema: PlanParam }) planId: string) {
    return this.schedules().removePlan(caller, meetingId, planId);
  }
}
