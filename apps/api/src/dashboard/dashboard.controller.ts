import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Caller, DashboardDesk, ProgressQuery, ProgressQuerySchema, TrendQuery, TrendQuerySchema, YearQuery, YearQuerySchema } from '@reform/desk';
import { z } from 'zod';
import { CurrentCaller, enabled, RequireUser } from '../auth';
import { ApiDeps, DEPS } from '../deps';

const Count = z.number().int();
const LightCountsSchema = z.object({ red: Count, yellow: Count, green: Count });

const ProgressSchema = z
  .object({
    by: z.enum(['unit', 'area', 'level']),
    rows: z.array(
      z.object({
        key: z.string().nullable().meta({ description: '牵头单位编号、专项小组编号或层级(province/city/county);下钻台账时分别作 leadUnit、area、level 的值' }),
        label: z.string().meta({ description: '显示名称:单位或专项小组的名称、层级(省级、市级……);未指定时为「未指定」' }),
        plans: Count,
        open: Count,
        closed: Count,
        items: Count,
        itemsCompleted: Count,
        lights: LightCountsSchema,
      }),
    ),
  })
  .meta({ id: 'DashboardProgress' });

const LightsSchema = z
  .object({
    today: z.string(),
    plans: LightCountsSchema,
    items: LightCountsSchema,
    overdue: Count.meta({ description: '逾期(红灯)方案数' }),
    dueSoonOrBehind: Count.meta({ description: '临近到期或进度落后(黄灯)方案数' }),
  })
  .meta({ id: 'DashboardLights' });

const LettersSchema = z
  .object({ year: Count, rows: z.array(z.object({ month: z.string(), kind: z.string(), kindLabel: z.string(), count: Count })) })
  .meta({ id: 'DashboardLetters' });

const IndicatorsSchema = z
  .object({
    year: Count,
    asOf: z.string().meta({ description: '计至哪天:今天,往年为 12 月 31 日' }),
    deadlines: Count.meta({ description: '本年到期(截至计算日)的方案时限数' }),
    deadlinesOnSchedule: Count.meta({ description: '其中按期完成的(到期前完成,且没有到期后发出的该时限函件)' }),
    onScheduleRate: z.number().nullable().meta({ description: '按期完成率(%),无时限时为 null' }),
    items: Count.meta({ description: '本年度的具体改革事项数(年初前已完成的不计)' }),
    itemsCompleted: Count,
    completionRate: z.number().nullable().meta({ description: '事项完成率(%),无事项时为 null' }),
  })
  .meta({ id: 'DashboardIndicators' });

const ProblemCountsSchema = z.object({ open: Count, kept: Count, cancelled: Count, escalated: Count }).meta({ id: 'DashboardProblems' });

const TrendsSchema = z
  .object({ rows: z.array(z.object({ month: z.string(), itemsCompleted: Count, letters: Count, problemsFound: Count })) })
  .meta({ id: 'DashboardTrends' });

@ApiTags('看板')
@Controller('dashboard')
@RequireUser()
export class DashboardController {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  private board(): DashboardDesk {
    return enabled(this.deps.dashboard, '看板服务');
  }

  @Get('progress')
  @ApiOperation({ summary: '落实进度', description: '本单位可见的方案(不含问题整改),按牵头单位、专项小组或层级分组:方案数、办结数、事项完成数、红黄绿灯数。' })
  @ApiResponse({ status: 200, standardSchema: ProgressSchema })
  progress(@CurrentCaller() caller: Caller, @Query({ schema: ProgressQuerySchema }) query: ProgressQuery) {
    return this.board().progress(caller, query);
  }

  @Get('lights')
  @ApiOperation({ summary: '亮灯统计', description: '方案与具体改革事项的红灯(逾期)、黄灯(临近到期或进度落后)、绿灯数;阈值见规则的「亮灯」声明。' })
  @ApiResponse({ status: 200, standardSchema: LightsSchema })
  lights(@CurrentCaller() caller: Caller) {
    return this.board().lights(caller);
  }

  @Get('letters')
  @ApiOperation({ summary: '函件统计', description: '某年(默认今年)按月、按函件种类的发函数。' })
  @ApiResponse({ status: 200, standardSchema: LettersSchema })
  letters(@CurrentCaller() caller: Caller, @Query({ schema: YearQuerySchema }) query: YearQuery) {
    return this.board().letters(caller, query);
  }

  @Get('indicators')
  @ApiOperation({ summary: '量化指标(S4)', description: '某年(默认今年)截至今天的方案按期完成率与具体改革事项完成率,口径与年度考核的两个 S4 指标相同(同一计算)。' })
  @ApiResponse({ status: 200, standardSchema: IndicatorsSchema })
  indicators(@CurrentCaller() caller: Caller, @Query({ schema: YearQuerySchema }) query: YearQuery) {
    return this.board().indicators(caller, query);
  }

  @Get('problems')
  @ApiOperation({ summary: '问题统计', description: '问题库中未销号(挂号、整改中、待验收)、留号、已销号、已上交的问题数。' })
  @ApiResponse({ status: 200, standardSchema: ProblemCountsSchema })
  problems(@CurrentCaller() caller: Caller) {
    return this.board().problems(caller);
  }

  @Get('trends')
  @ApiOperation({ summary: '按月趋势', description: '近若干月(默认 12)每月完成的事项、发出的函件、发现的问题。' })
  @ApiResponse({ status: 200, standardSchema: TrendsSchema })
  trends(@CurrentCaller() caller: Caller, @Query({ schema: TrendQuerySchema }) query: TrendQuery) {
    return this.board().trends(caller, query);
  }
}
